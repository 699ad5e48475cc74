"""A throw-away PostgreSQL server for the tests and the benchmark: initdb into a temporary folder, pg_ctl on a
free loopback port (as the postgres user, or nobody, when run as root: initdb refuses root), stopped and
removed on exit. Uses the server binaries of Debian's postgresql package (/usr/lib/postgresql/N/bin)."""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

SUPERUSER = "postgres"


def server_bin() -> str | None:
    """The folder of initdb and pg_ctl, or None when the server is not installed."""
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            pass
    raise RuntimeError("running as root, and neither a postgres nor a nobody user exists to run the server")


@contextlib.contextmanager
def temporary_server(password: str, bindir: str | None = None) -> Iterator[int]:
    """A running server on 127.0.0.1 whose superuser `postgres` has `password`; yields its port."""
    bindir = bindir or server_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found")
    root = Path(tempfile.mkdtemp(prefix="hf-pg-"))
    user = _user()
    as_user = ["runuser", "-u", user, "--"] if user else []
    data, pwfile, port = root / "data", root / "pw", _free_port()
    pwfile.write_text(password)
    os.chmod(root, 0o755)
    if user:
        shutil.chown(root, user)
        shutil.chown(pwfile, user)

    def run(*cmd: str) -> None:
        subprocess.run([*as_user, *cmd], check=True, capture_output=True, timeout=120)

    try:
        run(f"{bindir}/initdb", "-D", str(data), "-U", SUPERUSER, "--auth=scram-sha-256", f"--pwfile={pwfile}",
            "-E", "UTF8", "--locale=C")
        run(f"{bindir}/pg_ctl", "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60", "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off", "start")
        yield port
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"],
                           capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)
