"""A workbook whose zip directory lies about what a part unpacks to (a forged zip bomb) is refused by the bytes the
part really inflates to, streamed and stopped at the cap: the directory's sizes are not trusted."""
from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from hongfeng_rules import InputError
from hongfeng_rules.cli import main
from hongfeng_rules.safe_load import Limits
from hongfeng_rules.sources.unpacked import check_unpacked

pytest.importorskip("python_calamine")
REPO = Path(__file__).resolve().parents[1]
WORKBOOK = REPO / "examples" / "hongfeng-xlsx" / "hongfeng.xlsx"
PACK = REPO / "tests" / "hostile" / "_pack"
SHEET = "xl/worksheets/sheet1.xml"


def _deflated(padding: int) -> tuple[bytes, int]:
    """The sheet's XML followed by `padding` spaces (XML allows trailing blanks), raw-deflated; its true size."""
    xml = zipfile.ZipFile(WORKBOOK).read(SHEET)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = [packer.compress(xml)]
    blanks = b" " * (1 << 20)
    for _ in range(padding >> 20):
        out.append(packer.compress(blanks))
    out.append(packer.compress(b" " * (padding % (1 << 20))))
    out.append(packer.flush())
    return b"".join(out), len(xml) + padding


def forged(padding: int) -> bytes:
    """The example workbook with SHEET padded by `padding` bytes, while both zip headers still declare its
    original size (and the CRC of the padded text, so only the size lies)."""
    source = zipfile.ZipFile(WORKBOOK)
    declared = source.getinfo(SHEET).file_size
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != SHEET:
                out.writestr(info.filename, source.read(info.filename))
    packed, size = _deflated(padding)
    crc = zlib.crc32(source.read(SHEET) + b" " * padding)
    name = SHEET.encode()
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), declared, len(name), 0)
    body = buf.getvalue()
    cut = body.index(b"PK\x01\x02")  # the central directory starts here: put the forged part before it
    entries = zipfile.ZipFile(io.BytesIO(body)).infolist()
    data = body[:cut] + local + name + packed
    central = body[cut:body.index(b"PK\x05\x06")]
    central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), declared,
                           len(name), 0, 0, 0, 0, 0, cut) + name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries) + 1, len(entries) + 1, len(central),
                      len(data), 0)
    return data + central + end


def test_the_forgery_declares_the_original_size():
    info = zipfile.ZipFile(io.BytesIO(forged(3 << 20))).getinfo(SHEET)
    assert info.file_size == zipfile.ZipFile(WORKBOOK).getinfo(SHEET).file_size


@pytest.mark.parametrize("over", [-1, 0, 1])
def test_the_limit_is_on_the_bytes_inflated(over):
    data = forged(2 << 20)
    others = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist() if m.filename != SHEET)
    sheet = zipfile.ZipFile(WORKBOOK).getinfo(SHEET).file_size + (2 << 20)
    limits = Limits(max_file_bytes=others + sheet - over)
    if over > 0:
        with pytest.raises(InputError, match=f"part '{SHEET}' inflates past the limit of {others + sheet - over} "
                                             r"bytes for the whole workbook, though the archive declares \d+ bytes"):
            check_unpacked(data, "w.xlsx", limits)
    else:  # within the limit: refused all the same, because the part inflates to more than it declares
        with pytest.raises(InputError, match=f"part '{SHEET}' inflates to {sheet} bytes, though the archive declares"):
            check_unpacked(data, "w.xlsx", limits)


def test_an_honest_workbook_passes():
    check_unpacked(WORKBOOK.read_bytes(), "w.xlsx", Limits())
    honest = sum(m.file_size for m in zipfile.ZipFile(WORKBOOK).infolist())
    check_unpacked(WORKBOOK.read_bytes(), "w.xlsx", Limits(max_file_bytes=honest))
    with pytest.raises(InputError, match="unpacks to"):
        check_unpacked(WORKBOOK.read_bytes(), "w.xlsx", Limits(max_file_bytes=honest - 1))


def test_a_forged_bomb_stops_at_the_cap_in_little_memory():
    data = forged(400 << 20)  # 400 MB of blanks in under 1 MB, declared as the sheet's 54 kB
    assert len(data) < 1 << 20
    tracemalloc.start()
    with pytest.raises(InputError, match=f"part '{SHEET}' inflates to more than \\d+ bytes from \\d+, though "
                                         r"the archive declares \d+: not a workbook but a zip bomb"):
        check_unpacked(data, "w.xlsx", Limits())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 << 20  # it stops after some 10 MB inflated, 1 MiB at a time: never the 400 MB


def test_the_command_line_names_file_and_part(tmp_path, capsys):
    path = tmp_path / "forged.xlsx"
    path.write_bytes(forged(3 << 20))
    code = main(["check", str(path), "--rules", str(PACK), "--period", "2025", "--as-of", "2026-01-15"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith(f"error: {path}: the workbook's part '{SHEET}' inflates to ")
    assert "Traceback" not in err[0] and "internal error" not in err[0]
