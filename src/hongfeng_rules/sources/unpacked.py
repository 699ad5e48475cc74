"""A workbook (.xlsx, .xlsm, .ods) is a zip archive: what it unpacks to counts against `max_file_bytes` too,
checked from the archive's directory before a reader inflates anything. A 3 MB "zip bomb" unpacking to 1 GB of
sheet XML took two minutes and 4 GB of memory before the record limit stopped it; now it is one line at once."""
from __future__ import annotations

import io
import zipfile

from ..errors import fail
from ..safe_load import Limits

MAX_RATIO = 200


def check_unpacked(data: bytes, file: str, limits: Limits) -> None:
    """InputError when the archive in `data` declares more than `max_file_bytes` unpacked, or a part of over
    10 MB that unpacks more than 200-fold (sheet XML packs 5- to 50-fold; Apache POI refuses 100-fold); nothing
    for data that is not a zip archive (its reader says what it is)."""
    if not data.startswith(b"PK"):
        return
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return  # not a readable archive: the workbook reader reports it
    total = sum(m.file_size for m in members)
    if total > limits.max_file_bytes:
        raise fail(file, f"the workbook unpacks to {total} bytes, more than the limit of {limits.max_file_bytes} "
                         "(limit: --max-file-bytes)")
    for m in members:
        if m.file_size > MAX_RATIO * max(m.compress_size, 1) and m.file_size > 10 << 20:
            raise fail(file, f"the workbook's part {m.filename!r} unpacks {m.file_size // max(m.compress_size, 1)}-fold "
                             f"({m.compress_size} to {m.file_size} bytes): not a workbook but a zip bomb")
