"""A workbook that unpacks to more than --max-file-bytes (a zip bomb) is refused from its archive directory, before
anything is inflated (issue #17, class 4: the limits cover what a file unpacks to)."""
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from hongfeng_rules.cli import main
from hongfeng_rules.sources.unpacked import check_unpacked
from hongfeng_rules.safe_load import Limits

pytest.importorskip("python_calamine")
PACK = Path(__file__).resolve().parent / "hostile" / "_pack"


def bomb(rows: int) -> bytes:
    """An .xlsx whose one sheet repeats a row `rows` times: tiny packed, huge unpacked."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b"<worksheet><sheetData>")
            chunk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 10_000
            for _ in range(rows // 10_000):
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def test_a_zip_bomb_is_refused_at_once(tmp_path, capsys):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb(8_000_000))  # about 400 MB unpacked from about 1 MB
    start = time.perf_counter()
    code = main(["check", str(path), "--rules", str(PACK), "--period", "2025", "--as-of", "2026-01-15"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith(f"error: {path}: the workbook") and ("zip bomb" in err[0] or "--max-file-bytes" in err[0])
    assert time.perf_counter() - start < 20  # generous: nothing is inflated (it took minutes before)


@pytest.mark.parametrize("limit, refused", [(None, False), ("below", True)])
def test_the_unpacked_size_counts_against_max_file_bytes(limit, refused):
    data = bomb(20_000)  # about 1 MB unpacked, a modest ratio
    unpacked = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist())
    limits = Limits(max_file_bytes=unpacked - 1) if limit else Limits(max_file_bytes=unpacked)
    if refused:
        with pytest.raises(Exception, match=f"unpacks to {unpacked} bytes, more than the limit of {unpacked - 1}"):
            check_unpacked(data, "w.xlsx", limits)
    else:
        check_unpacked(data, "w.xlsx", limits)
    check_unpacked(b"not a zip", "w.xls", Limits(max_file_bytes=1))  # not an archive: its reader speaks


def test_a_part_unpacking_far_more_than_a_workbook_packs_is_refused_below_the_limit():
    data = bomb(2_000_000)  # about 100 MB unpacked, some 300-fold: under the size limit, over any real workbook
    with pytest.raises(Exception, match=r"unpacks \d+-fold .*: not a workbook but a zip bomb"):
        check_unpacked(data, "w.xlsx", Limits())
