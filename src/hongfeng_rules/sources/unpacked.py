"""A workbook (.xlsx, .xlsm, .ods) is a zip archive: what it unpacks to counts against `max_file_bytes` too.

First from the archive's directory (a 3 MB "zip bomb" declaring 1 GB is one line at once); then, because a
directory can lie (a part declared as 1 KB that inflates to 1 GB), by inflating every part in 1 MiB steps, counting
the bytes actually produced and stopping at the cap, before the workbook reader inflates anything itself."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Callable, Iterator

from ..errors import fail
from ..safe_load import Limits
from ..limit_names import limit_named

MAX_RATIO = 200
BOMB_FLOOR = 10 << 20  # a part under 10 MB is never called a bomb, whatever its ratio
STEP = 1 << 20  # inflate at most this much at a time: memory stays small whatever the archive says
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, (version … uncompressed size), name length, extra length


def check_unpacked(data: bytes, file: str, limits: Limits, watch: Callable | None = None) -> None:
    """InputError when the archive in `data` unpacks to more than `max_file_bytes`, or has a part of over 10 MB
    that unpacks more than 200-fold (sheet XML packs 5- to 50-fold; Apache POI refuses 100-fold), by what its
    directory declares and by what its parts really inflate to; nothing for data that is not a zip archive (its
    reader says what it is). `watch(part name)` may give a function that is fed the part's inflated bytes."""
    if not data.startswith(b"PK"):
        return
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return  # not a readable archive: the workbook reader reports it
    total = sum(m.file_size for m in members)
    if total > limits.max_file_bytes:
        raise fail(file, f"the workbook unpacks to {total} bytes, more than the limit of {limits.max_file_bytes} "
                         + limit_named("max_file_bytes"))
    for m in members:
        if m.file_size > MAX_RATIO * max(m.compress_size, 1) and m.file_size > BOMB_FLOOR:
            raise fail(file, f"the workbook's part {m.filename!r} unpacks {m.file_size // max(m.compress_size, 1)}-fold "
                             f"({m.compress_size} to {m.file_size} bytes): not a workbook but a zip bomb")
    _check_inflated(data, members, file, limits, watch or (lambda part: None))


def _check_inflated(data: bytes, members: list[zipfile.ZipInfo], file: str, limits: Limits, watch: Callable) -> None:
    """The same limits on the bytes each part really inflates to, and a part inflating to more than its declared
    size (a forged directory) refused: streamed, stopping at the first byte over a cap."""
    total = 0
    for m in members:
        bomb_at = max(BOMB_FLOOR, MAX_RATIO * max(m.compress_size, 1))
        size, feed = 0, watch(m.filename)
        for piece in _inflate(data, m, file):
            size += len(piece)
            total += len(piece)
            if total > limits.max_file_bytes:
                raise fail(file, f"the workbook's part {m.filename!r} inflates past the limit of "
                                 f"{limits.max_file_bytes} bytes for the whole workbook, though the archive declares "
                                 f"{m.file_size} bytes for it " + limit_named("max_file_bytes"))
            if size > bomb_at:
                raise fail(file, f"the workbook's part {m.filename!r} inflates to more than {bomb_at} bytes from "
                                 f"{m.compress_size}, though the archive declares {m.file_size}: not a workbook but a "
                                 "zip bomb")
            if feed is not None:
                feed(piece)
        if size > m.file_size:
            raise fail(file, f"the workbook's part {m.filename!r} inflates to {size} bytes, though the archive declares "
                             f"{m.file_size}: a forged archive is not read")


def _inflate(data: bytes, member: zipfile.ZipInfo, file: str) -> Iterator[bytes]:
    """The successive pieces (each at most STEP bytes) that the member's stored bytes inflate to."""
    start = member.header_offset
    signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, start) if len(data) >= start + 30 \
        else (b"", 0, 0)
    if signature != b"PK\x03\x04":
        return  # a broken archive: the workbook reader reports it
    begin = start + 30 + name_length + extra_length
    packed = memoryview(data)[begin:begin + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(packed), STEP):
            yield bytes(packed[i:i + STEP])
        return
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise fail(file, f"the workbook's part {member.filename!r} is packed with zip method {member.compress_type}; "
                         "a workbook's parts are stored or deflated")
    inflater = zlib.decompressobj(-15)
    try:
        for i in range(0, len(packed), STEP):
            out = inflater.decompress(packed[i:i + STEP], STEP)
            while out:
                yield out
                out = inflater.decompress(inflater.unconsumed_tail, STEP)
    except zlib.error:
        return  # corrupt data: the workbook reader reports it
