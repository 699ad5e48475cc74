"""Write a report atomically: a temporary file beside the target, then rename."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, text: str | bytes) -> None:
    """The target is either its old content or the complete new one, never a truncated file."""
    path = Path(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        mode = path.stat().st_mode & 0o777  # keep the target's permissions
    except FileNotFoundError:
        mode = 0o644  # mkstemp would leave 0600
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
