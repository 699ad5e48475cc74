"""Start the real `hongfeng-rules serve` process on a free loopback port, for the service tests."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import yaml

from helpers import REPO

EXAMPLE = REPO / "examples" / "hongfeng"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(folder: Path, env: dict | None = None, port: int | None = None, **config) -> tuple[subprocess.Popen, str]:
    """The server with this config (written to folder/service.yaml), once /readyz answers."""
    port = port or free_port()
    path = folder / "service.yaml"
    path.write_text(yaml.safe_dump({"port": port, "workers": 1, "access_log": "access.log", **config}),
                    encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "hongfeng_rules.cli", "serve", "--config", str(path)],
                            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited {proc.returncode}: {proc.stderr.read().decode()}")
        try:
            if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not become ready in 60 s")


def children(pid: int) -> list[int]:
    """A process's children, listed under the thread that started each (a thread that ends while they are read,
    as the server's pool threads do, has none)."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out


def stop(proc: subprocess.Popen) -> int:
    """SIGTERM (a graceful shutdown) and the exit code."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.stdout.close()
    proc.stderr.close()
    return proc.returncode


@contextmanager
def running(folder: Path, env: dict | None = None, **config):
    proc, base = start(folder, env, **config)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            yield client
    finally:
        stop(proc)


def example_files(folder: Path = EXAMPLE) -> list[tuple[str, tuple[str, bytes]]]:
    """The example's files as multipart `files` fields."""
    return [("files", (p.name, p.read_bytes())) for p in sorted(folder.iterdir()) if p.is_file()]


