"""Write a report to `--out`: atomically for a regular file, straight through for a character device or FIFO.

What each kind of target gets (docs/security.md, "Writing the report"):
* a regular file, or a name that does not exist yet: a temporary file beside it, flushed and fsynced, then
  renamed over it; the old report stays until the new one is whole;
* a symlink: followed, and the file it finally points to is replaced as above (the link itself stays);
* a character device or FIFO (`/dev/null`, `/dev/stdout`, a pipe): written through, nothing replaced;
* a directory, block device or socket, a missing folder, a write that fails (read-only, full disk): an
  InputError naming the target, with the old report kept and no temporary file left.

Temporary files are named `.NAME.hfr-PID.RANDOM.tmp`; one left by a killed run is removed by the next
write to the same target once it is stale (its process is gone, or it is over an hour old).
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path
from typing import Iterable

from .errors import InputError, Problem, fail

STALE_SECONDS = 3600
_TEMP = re.compile(r"\.(?P<name>.+)\.hfr-(?P<pid>\d+)\.[^.]+\.tmp")


def write_atomic(path: str | os.PathLike, text: str | bytes | Iterable[bytes]) -> None:
    """The target holds either its old content or the complete new one, never a truncated file. `text` may be
    an iterable of byte pieces (a report streamed as it is made: report.json_stream), written one by one."""
    shown = os.fspath(path)
    data = [text.encode("utf-8")] if isinstance(text, str) else [text] if isinstance(text, bytes) else text
    try:
        st = os.stat(shown)  # a symlink is followed
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _cannot(shown, exc) from None
    except ValueError:  # a NUL byte in the name
        raise fail(shown.replace("\0", "\\0"), "--out: not a usable file name") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            return _write_through(shown, data)
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file, device or FIFO"
        raise fail(shown, f"--out: is {kind}; the report is not written")
    target = Path(os.path.realpath(shown))  # the regular file a symlink finally names is replaced, not the link
    if not target.parent.is_dir():
        folder = os.path.dirname(shown) if not os.path.isdir(os.path.dirname(shown) or ".") else target.parent
        raise fail(shown, f"--out: the folder {folder} does not exist; the report is not written")
    remove_stale_temporaries(target)
    mode = st.st_mode & 0o777 if st else 0o644  # keep the target's permissions; mkstemp would leave 0600
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.hfr-{os.getpid()}.", suffix=".tmp", dir=target.parent)
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            for piece in data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        _discard(tmp)
        raise _cannot(shown, exc) from None
    except BaseException:
        _discard(tmp)
        raise


def remove_stale_temporaries(target: Path) -> list[str]:
    """Delete the temporary files of earlier writes to `target` whose process is gone or that are over
    an hour old; the names removed."""
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP.fullmatch(entry.name)
        if not m or m["name"] != target.name:
            continue
        try:
            old = time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            if old or not _alive(int(m["pid"])):
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is not writing that one: a leftover of an earlier run with our pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _write_through(shown: str, data: Iterable[bytes]) -> None:
    try:
        with open(shown, "wb", buffering=0) as handle:
            for piece in data:
                view = memoryview(piece)
                while view:
                    view = view[handle.write(view):]
    except OSError as exc:
        raise _cannot(shown, exc) from None


def _discard(tmp: str | None) -> None:
    if tmp is not None:
        Path(tmp).unlink(missing_ok=True)


def _cannot(shown: str, exc: OSError) -> InputError:
    return fail(shown, f"--out: cannot write the report: {exc.strerror or exc}; the previous report is kept")



def refuse_clashes(targets: list[str], inputs: dict[str, str]) -> None:
    """InputError when a report would replace an input of the run or another report of the same run. `targets`:
    the report files as given; `inputs`: what each input path is (`{"data.json": "the dataset"}`), a folder
    standing for its files. Devices and FIFOs are written through, never replaced, so they never clash."""
    read: dict[str, str] = {}
    folders = {}
    for path, what in inputs.items():
        if os.path.isdir(path):
            folders[os.path.realpath(path)] = what
        elif _identity(path):
            read[_identity(path)] = what
    problems, seen = [], {}
    for target in targets:
        k = _identity(target)
        if k is None:
            continue
        if os.path.dirname(os.path.realpath(target)) in folders:
            what = folders[os.path.dirname(os.path.realpath(target))]
            problems.append(Problem(target, f"--out: is inside {what}, which then holds a file it cannot read; "
                                            "the report is not written"))
        elif k in read:
            problems.append(Problem(target, f"--out: is {read[k]}, which the report would replace; the report "
                                            "is not written"))
        elif k in seen:
            problems.append(Problem(target, f"--out: two reports would go to this file (also given as "
                                            f"{seen[k]}); give each its own"))
        seen.setdefault(k, target)
    if problems:
        raise InputError(problems)


def _identity(path: str) -> str | None:
    """The file a path names (device and inode; a name not there yet: its real path); None for a device or FIFO."""
    try:
        st = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return f"{st.st_dev}:{st.st_ino}" if stat.S_ISREG(st.st_mode) else None
