"""Hostile tabular input, each through the reader a user meets: the limit a message names serves every caller
(command line, Python, the service); a workbook whose cells reach far from its data is refused before the
workbook reader lays out its grid (a 5 kB workbook with one cell at XFD1048576 aborted the process); a workbook
that packs legitimately well is read, and a zip bomb refused."""
from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from hongfeng_rules import InputError
from hongfeng_rules.cli import main
from hongfeng_rules.safe_load import DEFAULT_LIMITS, Limits
from hongfeng_rules.sources import load_upload
from hongfeng_rules.sources.limit_names import limit_named
from hongfeng_rules.sources.unpacked import BOMB_FLOOR, MAX_RATIO, check_unpacked

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("python_calamine")
from hongfeng_rules.sources.excel import _open  # noqa: E402
from hongfeng_rules.sources.sheet_extent import BYTES_A_CELL, Extent  # noqa: E402

WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
HEADERS = ["编号", "所属队伍", "姓名", "入队日期", "状态"]
CLI_HINT = "(limit: --max-file-bytes on the command line, Limits.max_file_bytes in Python, max_body_bytes in the service)"


def run(capsys, *args) -> tuple[int, list[str]]:
    code = main(list(args))
    return code, capsys.readouterr().err.splitlines()


def workbook(path: Path, fill=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "队员"
    ws.append(HEADERS)
    ws.append(["m1", "t1", "张三", "2020-01-01", "active"])
    if fill:
        fill(ws)
    wb.save(path)
    return path


# ---------------------------------------------------------------- the limit a message names, for every caller

def test_the_limit_is_named_for_each_caller():
    assert limit_named("max_file_bytes") == CLI_HINT
    assert limit_named("max_records") == ("(limit: --max-records on the command line, Limits.max_records in Python, "
                                          "max_records in the service)")


def test_a_csv_over_the_size_limit_names_it_on_the_command_line_and_in_python(tmp_path, capsys):
    path = tmp_path / "members.csv"
    path.write_text("id,team_id\nm1,t1\n", encoding="utf-8")
    size = path.stat().st_size
    code, err = run(capsys, "check", str(path), *WHEN, "--max-file-bytes", str(size - 1))
    assert code == 2 and err == [f"error: {path}: file is {size} bytes, larger than the limit of {size - 1} {CLI_HINT}"]
    with pytest.raises(InputError) as caught:
        load_upload(path.read_bytes(), "members.csv", limits=Limits(max_file_bytes=size - 1))
    assert caught.value.lines() == [f"members.csv: file is {size} bytes, larger than the limit of {size - 1} {CLI_HINT}"]


@pytest.mark.parametrize("over", [-1, 0, 1])
def test_more_rows_than_the_record_limit(tmp_path, over):
    rows = "".join(f"m{i},t1\n" for i in range(5))
    limits = Limits(max_records=5 - over)
    if over > 0:
        with pytest.raises(InputError) as caught:
            load_upload(f"id,team_id\n{rows}".encode(), "members.csv", limits=limits)
        assert caught.value.lines() == ["members.csv, row 6: more than 4 records in members "
                                        + limit_named("max_records")]
    else:
        with pytest.raises(InputError) as caught:  # the records are read; the missing teams are what is wrong
            load_upload(f"id,team_id\n{rows}".encode(), "members.csv", limits=limits)
        assert "records in members" not in "\n".join(caught.value.lines())


# ---------------------------------------------------------------- how far a sheet's cells reach

def test_one_cell_at_the_last_row_and_column_is_refused_before_the_grid_is_laid_out(tmp_path, capsys):
    path = workbook(tmp_path / "far.xlsx", lambda ws: ws.cell(1_048_576, 16_384, "x"))
    assert path.stat().st_size < 10_000
    code, err = run(capsys, "check", str(path), *WHEN)
    cells = 1_048_576 * 16_384
    most = DEFAULT_LIMITS.max_file_bytes // BYTES_A_CELL
    assert code == 2 and err == [
        f"error: {path}, sheet 队员: the sheet's cells reach XFD1048576: 1048576 rows × 16384 columns is {cells} cells "
        f"to lay out, more than the {most} cells (one per 20 bytes) the limit of {DEFAULT_LIMITS.max_file_bytes} bytes "
        f"allows {CLI_HINT}; delete the stray cells far from the data"]


def test_a_far_cell_with_formatting_only_is_no_cell(tmp_path):
    from openpyxl.styles import Font

    def far(ws):
        ws.cell(1_048_576, 16_384).font = Font(bold=True)  # written as <c r="XFD1048576" s="1"/>: nothing to lay out
    path = workbook(tmp_path / "formatted.xlsx", far)
    _open(path.read_bytes(), str(path))


@pytest.mark.parametrize("over", [-1, 0, 1])
def test_the_grid_limit_is_one_cell_per_20_bytes(tmp_path, over):
    limits = Limits(max_file_bytes=2_000_000)  # 100,000 cells: a value at E20000 (5 columns) is the last that fits
    rows = limits.max_file_bytes // BYTES_A_CELL // 5 + over
    path = workbook(tmp_path / "w.xlsx", lambda ws: ws.cell(rows, 5, "x"))
    if over > 0:
        with pytest.raises(InputError, match=f"sheet's cells reach E{rows}: {rows} rows × 5 columns"):
            _open(path.read_bytes(), str(path), limits)
    else:
        _open(path.read_bytes(), str(path), limits)


def _with_sheet(path: Path, sheet_xml: bytes) -> bytes:
    """The workbook at `path` with its first sheet's XML replaced (what a program of its own may write)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            out.writestr(name, sheet_xml if name == "xl/worksheets/sheet1.xml" else src.read(name))
    return buf.getvalue()


SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>'


@pytest.mark.parametrize("rows, refused", [
    (b'<row r="1048576"><c><v>1</v></c><c><v>2</v></c></row>', False),  # 2 million cells: within the limit
    (b'<row r="1048576">' + b"<c><v>1</v></c>" * 200 + b"</row>", True),  # cells without a reference: the next column
    (b"<row/>" * 3 + b'<row r="9"><c r="A9"><v>1</v></c></row><row>' + b"<c><v>1</v></c>" * 300 + b"</row>", False),
    (b'<x:row r="600000"><x:c><x:v>1</x:v></x:c>' + b"<x:c><x:v>1</x:v></x:c>" * 20 + b"</x:row>", True),
])
def test_cells_written_without_a_reference_are_placed_as_the_reader_places_them(tmp_path, rows, refused):
    data = _with_sheet(workbook(tmp_path / "w.xlsx"), SHEET % rows)
    if refused:
        with pytest.raises(InputError, match="the sheet's cells reach"):
            _open(data, "w.xlsx")
    else:
        _open(data, "w.xlsx")


@pytest.mark.parametrize("step", [1, 7, 1 << 20])
def test_the_extent_does_not_depend_on_where_the_pieces_are_cut(step):
    xml = (b'<row r="3"><c><v>1</v></c><c><v>2</v></c></row><row><c t="inlineStr"><is><t>x</t></is></c></row>'
           b'<row r="7"><c r="C7"><v>5</v></c><c><v>6</v></c><c r="Z8" s="1"/></row>')
    extent = Extent()
    for i in range(0, len(xml), step):
        extent.feed(xml[i:i + step])
    assert (extent.rows, extent.columns) == (7, 4)


# ---------------------------------------------------------------- packing well is not a bomb

def test_a_workbook_of_long_identical_texts_is_read_and_a_bomb_refused(tmp_path):
    random.seed(7)
    note = "本队员已签署《红枫义警服务承诺书》，承诺遵守队伍各项规章制度，服从统一指挥调度，按时参加培训与巡逻。" * 4

    def rows(ws):
        for i in range(14_000):
            ws.append([f"m{i:06d}", "t1", random.choice(["张三", "李四", "王五"]), "2020-01-01", "active", note])
    path = workbook(tmp_path / "notes.xlsx", rows)
    data = path.read_bytes()
    [sheet] = [m for m in zipfile.ZipFile(path).infolist() if m.filename == "xl/worksheets/sheet1.xml"]
    assert sheet.file_size > BOMB_FLOOR and 10 < sheet.file_size / sheet.compress_size < MAX_RATIO  # packs ~30-fold
    check_unpacked(data, str(path), DEFAULT_LIMITS)  # read, not refused

    one = "义" * 32_767  # one character repeated: packs ~700-fold, as no sheet of records does
    bomb = workbook(tmp_path / "bomb.xlsx", lambda ws: [ws.cell(i, 6, one) for i in range(3, 1_000)])
    with pytest.raises(InputError) as caught:
        check_unpacked(bomb.read_bytes(), str(bomb), DEFAULT_LIMITS)
    [line] = caught.value.lines()
    assert line.startswith(f"{bomb}: the workbook's part 'xl/worksheets/sheet1.xml' unpacks ") and "zip bomb" in line
