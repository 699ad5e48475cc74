"""Hostile `--out` targets (issue #17, class 1): devices and FIFOs are written through, symlinks followed,
everything else refused with one line naming the target; the old report is kept; stale temporaries go."""
from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from hongfeng_rules import output
from hongfeng_rules.cli import main
from hongfeng_rules.errors import InputError

HOSTILE = Path(__file__).resolve().parent / "hostile"
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
PREVIOUS = b'{"previous": "report"}\n'


def check(out: str, capsys) -> tuple[int, list[str]]:
    code = main(["check", str(HOSTILE / "valid.json"), "--rules", str(HOSTILE / "_pack"), *WHEN,
                 "--format", "json", "--out", out])
    err = capsys.readouterr().err.splitlines()
    assert not any("Traceback" in line or "internal error" in line for line in err), err
    return code, err


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (1, 3) or /dev/full (1, 7): the machine's own nodes are shared."""
    path = tmp_path / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("not applicable here: creating a device node needs root")
    return path


def test_a_null_device_stays_a_device(tmp_path, capsys):
    null = device(tmp_path, "null", 3)
    before = os.stat(null)
    code, err = check(str(null), capsys)
    assert (code, err) == (0, [])
    after = os.stat(null)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino
    assert temporaries(tmp_path) == []


def test_a_full_device_is_a_full_disk_named_by_the_target(tmp_path, capsys):
    full = device(tmp_path, "full", 7)
    code, err = check(str(full), capsys)
    assert code == 2 and err == [f"error: {full}: --out: cannot write the report: No space left on device; "
                                 "the previous report is kept"]
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_a_fifo_is_written_through(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, err = check(str(fifo), capsys)
    reader.join(10)
    assert (code, err) == (0, []) and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].startswith(b"{") and b'"findings"' in got[0]


def test_dev_stdout_writes_to_standard_output_and_is_not_replaced(tmp_path):
    done = subprocess.run([sys.executable, "-m", "hongfeng_rules.cli", "check", str(HOSTILE / "valid.json"),
                           "--rules", str(HOSTILE / "_pack"), *WHEN, "--format", "json", "--out", "/dev/stdout"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{") and '"findings"' in done.stdout
    assert os.path.islink("/dev/stdout")


def test_a_symlink_is_followed_and_the_link_stays(tmp_path, capsys):
    real = tmp_path / "reports" / "real.json"
    real.parent.mkdir()
    real.write_bytes(PREVIOUS)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    chain = tmp_path / "chain.json"
    chain.symlink_to(link)
    assert check(str(chain), capsys) == (0, [])
    assert link.is_symlink() and chain.is_symlink()
    assert real.read_bytes().startswith(b"{") and b"previous" not in real.read_bytes()
    assert temporaries(tmp_path) == [] and temporaries(real.parent) == []


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path, capsys):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    assert check(str(link), capsys) == (0, [])
    assert link.is_symlink() and (tmp_path / "new.json").read_bytes().startswith(b"{")


def test_a_symlink_loop_is_one_line(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.symlink_to(b)
    b.symlink_to(a)
    code, err = check(str(a), capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith(f"error: {a}: --out: cannot write the report")
    assert a.is_symlink() and b.is_symlink()


def test_a_directory_is_refused(tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    code, err = check(str(folder), capsys)
    assert code == 2 and err == [f"error: {folder}: --out: is a directory; the report is not written"]
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_a_missing_folder_is_named(tmp_path, capsys):
    target = tmp_path / "no" / "such" / "r.json"
    code, err = check(str(target), capsys)
    assert code == 2 and err == [f"error: {target}: --out: the folder {target.parent} does not exist; "
                                 "the report is not written"]


def test_a_file_as_parent_folder_is_named(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "r.json"
    code, err = check(str(target), capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith(f"error: {target}: --out: ")


def test_a_socket_is_refused(tmp_path, capsys):
    import socket
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        code, err = check(str(path), capsys)
    assert code == 2 and err == [f"error: {path}: --out: is not a regular file, device or FIFO; "
                                 "the report is not written"]


@pytest.mark.parametrize("where, number, words", [
    ("mkstemp", errno.EROFS, "Read-only file system"),
    ("mkstemp", errno.EACCES, "Permission denied"),
    ("fsync", errno.ENOSPC, "No space left on device"),
    ("fsync", errno.EDQUOT, "Disk quota exceeded"),
    ("replace", errno.EIO, "Input/output error"),
])
def test_a_failing_write_names_the_target_and_keeps_the_old_report(tmp_path, monkeypatch, capsys, where,
                                                                    number, words):
    out = tmp_path / "report.json"
    out.write_bytes(PREVIOUS)

    def broken(*args, **kwargs):
        raise OSError(number, os.strerror(number))
    module = output.tempfile if where == "mkstemp" else output.os
    monkeypatch.setattr(module, where, broken)
    code, err = check(str(out), capsys)
    assert code == 2 and err == [f"error: {out}: --out: cannot write the report: {words}; "
                                 "the previous report is kept"]
    assert out.read_bytes() == PREVIOUS and temporaries(tmp_path) == []


def test_stale_temporaries_are_removed_and_live_ones_kept(tmp_path, capsys):
    out = tmp_path / "report.json"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".report.json.hfr-{dead_pid}.abc123.tmp"
    old = tmp_path / f".report.json.hfr-{os.getppid()}.def456.tmp"
    live = tmp_path / f".report.json.hfr-{os.getppid()}.ghi789.tmp"
    other = tmp_path / f".other.json.hfr-{dead_pid}.jkl000.tmp"
    for p in (stale, old, live, other):
        p.write_text("half a report")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    assert check(str(out), capsys) == (0, [])
    assert temporaries(tmp_path) == sorted([live.name, other.name])
    assert out.read_bytes().startswith(b"{")


def test_a_killed_run_leaves_a_recognisable_temporary(tmp_path):
    """Kill -9 while the temporary exists: its name says whose it is; the next run cleans it."""
    out = tmp_path / "report.json"
    out.write_bytes(PREVIOUS)
    script = ("import os, sys, time; from hongfeng_rules import output\n"
              "real = output.os.replace\n"
              "def hang(a, b): print(a, flush=True); time.sleep(60)\n"
              "output.os.replace = hang\n"
              f"output.write_atomic({str(out)!r}, 'new report')\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        left = Path(proc.stdout.readline().strip())
    finally:
        proc.kill()
        proc.wait()
    assert output._TEMP.fullmatch(left.name) and left.exists()
    assert out.read_bytes() == PREVIOUS
    output.write_atomic(out, "newer report")
    assert not left.exists() and out.read_text() == "newer report"


def test_write_atomic_raises_input_error_not_oserror(tmp_path):
    with pytest.raises(InputError) as exc:
        output.write_atomic(tmp_path / "missing" / "r.txt", "x")
    assert "does not exist" in str(exc.value)
