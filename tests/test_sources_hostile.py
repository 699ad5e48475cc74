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
from hongfeng_rules.limit_names import limit_named
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


# ---------------------------------------------------------------- nothing read silently as nothing

def lines(load, *args, **kwargs) -> list[str]:
    with pytest.raises(InputError) as caught:
        load(*args, **kwargs)
    return caught.value.lines()


@pytest.mark.parametrize("data", [b"", b"\n\n\n", b"\xef\xbb\xbf"])
def test_an_empty_csv_is_an_error_not_an_empty_collection(data):
    assert lines(load_upload, data, "members.csv") == [
        "members.csv: empty: not even a header row (a collection without records is its header row alone)"]


def test_a_header_alone_is_a_collection_without_records():
    from hongfeng_rules.sources import file_source  # noqa: F401  (the reader the loader uses)
    from hongfeng_rules.sources.csv import read_csv
    from hongfeng_rules.sources.mapping import EMPTY
    from hongfeng_rules.sources.table import table_document

    doc = table_document("members", [read_csv(b"id,team_id\n", "members.csv")], EMPTY, 10)
    assert doc.data == [] and doc.problems == []


def test_an_empty_sheet_is_an_error(tmp_path):
    def sheets(ws):
        ws.parent.create_sheet("培训")
    path = workbook(tmp_path / "w.xlsx", sheets)
    assert f"{path}, sheet 培训: empty: not even a header row (a collection without records is its header row " \
           "alone)" in lines(load_upload, path.read_bytes(), str(path))[0].replace("w.xlsx", str(path))


def test_values_under_no_header_are_errors_naming_their_cells():
    data = "id,team_id,\nm1,t1,stray\nm2,t1,,,more\n".encode()
    assert [line for line in lines(load_upload, data, "members.csv") if "header" in line] == [
        "members.csv, row 2 (column 3): 'stray' has no header above it: give its column a header, or delete the value",
        "members.csv, row 3 (column 5): 'more' has no header above it: give its column a header, or delete the value"]


def test_a_value_right_of_the_sheets_headers_is_an_error(tmp_path):
    path = workbook(tmp_path / "w.xlsx", lambda ws: ws.cell(2, 22, "orphan"))
    assert f"w.xlsx, sheet 队员, row 2 (V2): 'orphan' has no header above it: give its column a header, or delete " \
           "the value" in lines(load_upload, path.read_bytes(), "w.xlsx")


def test_a_duplicate_header_names_both_columns():
    assert lines(load_upload, b"id,team_id,id\nm1,t1,m1\n", "members.csv") == [
        "members.csv, row 1 (column 3 id): column 'id' is id, as is column 1 'id': one column a field"]


def test_a_duplicate_header_of_a_sheet_names_the_other_by_its_cell(tmp_path):
    path = workbook(tmp_path / "w.xlsx", lambda ws: ws.cell(row=1, column=6, value="编号"))
    assert "w.xlsx, sheet 队员, row 1 (F1 编号): column '编号' is id, as is A1 '编号': one column a field" \
        in lines(load_upload, path.read_bytes(), "w.xlsx")


@pytest.mark.parametrize("length", [131_071, 131_072, 131_073, 300_000])
def test_a_csv_cell_is_read_whole_however_long(length):
    """Python's csv refuses a cell over 131,072 characters (naming no column); the file's size limit is the bound."""
    from hongfeng_rules.sources.csv import read_csv

    name = "张" * length
    table = read_csv(f"id,team_id,name\nm1,t1,{name}\n".encode(), "members.csv")
    assert list(table.rows) == [("2", ["m1", "t1", name])]


def test_a_control_character_in_a_csv_cell_is_kept_in_a_name_and_refused_in_an_id():
    from hongfeng_rules.sources.csv import read_csv

    assert list(read_csv(b"id,team_id,name\nm1,t1,a\x00b\n", "members.csv").rows) == [("2", ["m1", "t1", "a\x00b"])]
    assert lines(load_upload, b"id,team_id,name,join_date\nm\x001,t1,a,2020-01-01\n", "members.csv") == [
        "members.csv, row 2 (column 1 id): identifier contains the invisible character U+0000 (control character) "
        "at position 2"]


# ---------------------------------------------------------------- cells a spreadsheet or a typed file can hold

@pytest.mark.parametrize("number, lost", [(10 ** 15 - 1, False), (10 ** 15, True), (10 ** 15 + 1, True)])
def test_an_id_typed_as_a_number_beyond_15_digits_has_lost_digits(tmp_path, number, lost):
    def member(ws):
        ws["A2"] = float(number)
    path = workbook(tmp_path / "w.xlsx", member)
    if lost:
        assert lines(load_upload, path.read_bytes(), "w.xlsx") == [
            f"w.xlsx, sheet 队员, row 2 (A2 编号): the number {float(number)!r} has more digits than a number cell "
            "keeps (15); its last digits are lost: write it as text"]
    else:
        assert load_upload(path.read_bytes(), "w.xlsx").members[0].id == str(number)


@pytest.mark.parametrize("serial, day", [(1, "1900-01-01"), (59, "1900-02-28"), (60, None), (61, "1900-03-01"),
                                         (43835, "2020-01-05")])
def test_serial_days_count_excels_29_february_1900(serial, day):
    import datetime as dt

    from hongfeng_rules.sources.fields import fields_of
    from hongfeng_rules.sources.mapping import Column
    from hongfeng_rules.sources.table import convert

    field = fields_of("members")["join_date"]
    if day is None:
        with pytest.raises(ValueError, match="29 February 1900, a day that never was"):
            convert(serial, field, Column(field="join_date"), serial=True)
    else:
        assert convert(serial, field, Column(field="join_date"), serial=True) == dt.date.fromisoformat(day)


def test_a_time_of_day_in_a_date_column_is_said_as_one(tmp_path):
    import datetime as dt
    path = workbook(tmp_path / "w.xlsx", lambda ws: ws.__setitem__("D2", dt.time(9, 30)))
    assert "w.xlsx, sheet 队员, row 2 (D2 入队日期): '09:30:00' is a time of day; a date is expected" in lines(
        load_upload, path.read_bytes(), "w.xlsx")


def test_formulas_never_calculated_and_error_values_name_their_cells(tmp_path):
    def cells(ws):
        ws["C2"] = '=CONCAT("张","三")'  # openpyxl writes <f>…</f><v/>: never calculated
        ws["E2"] = "#N/A"  # an error value, t="e"
    path = workbook(tmp_path / "w.xlsx", cells)
    found = lines(load_upload, path.read_bytes(), "w.xlsx")
    assert "w.xlsx, sheet 队员, row 2 (C2 姓名): the cell holds a formula saved without its value (written by a " \
           "program that does not calculate): open and save the workbook in Excel or LibreOffice, or write the value" \
           in found
    assert "w.xlsx, sheet 队员, row 2 (E2 状态): the cell holds Excel's error #N/A, not a value" in found


def test_a_formula_calculated_to_empty_text_is_an_empty_cell():
    from hongfeng_rules.sources.sheet_extent import Extent

    extent = Extent()
    extent.feed(b'<row r="2"><c r="B2" t="str"><f>""</f><v></v></c><c r="C2"><f>A1</f><v/></c>'
                b'<c r="D2" t="e"><v>#DIV/0!</v></c></row>')
    extent._lost(b"", last=True)
    assert sorted(extent.lost) == ["C2", "D2"]


pa = pytest.importorskip("pyarrow")


def _parquet(table) -> bytes:
    import pyarrow.parquet as pq
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def test_parquet_lists_and_records_are_not_text_and_bytes_are_utf8():
    data = _parquet(pa.table({"id": pa.array([b"m1", b"\xff"]), "team_id": ["t1", "t1"],
                              "name": pa.array([["a"], ["b"]])}))
    found = lines(load_upload, data, "members.parquet")
    assert "members.parquet, row 2 (column 1 id): b'\\xff' is bytes that are not UTF-8 text" in found
    assert "members.parquet, row 1 (column 3 name): ['a'] is a list, not text" in found
    assert not any("row 1 (column 1 id)" in line for line in found)  # b"m1" is the id m1


def test_a_parquet_struct_is_a_column_per_field_and_a_file_without_columns_is_empty():
    import datetime as dt
    from hongfeng_rules.sources.parquet import arrow_table
    table = arrow_table(pa.table({"id": ["m1"], "file": pa.array([{"contact": True, "zzz": 1}])}), "members")
    assert table.headers == ["id", "file.contact", "file.zzz"] and list(table.rows) == [("1", ["m1", True, 1])]
    assert lines(load_upload, _parquet(pa.table({})), "members.parquet") == [
        "members.parquet: empty: not even a header row (a collection without records is its header row alone)"]
    utc_midnight = pa.array([dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)])  # 08:00 in Shanghai: not a date
    assert "members.parquet, row 1 (column 2 join_date): '2020-01-01 08:00:00' is a date with a time; a date is " \
           "expected" in lines(load_upload, _parquet(pa.table({"id": ["m1"], "join_date": utc_midnight})),
                               "members.parquet")


def test_a_filled_template_keeps_a_missing_collection_missing(tmp_path):
    """A sheet for a collection the dataset lacks would read back as one without records: 70 findings of a
    one-team export went from not assessable to pass or fail."""
    import shutil

    from hongfeng_rules import load_dataset
    from test_sources import EXAMPLE, report_bytes
    from hongfeng_rules.rulebook.locate import load_packs

    export = tmp_path / "export"
    shutil.copytree(EXAMPLE, export)
    (export / "trainings.json").unlink()
    (export / "meetings.json").unlink()
    filled = tmp_path / "filled.xlsx"
    assert main(["template", "xlsx", str(filled), "--fill", str(export)]) == 0
    assert {"培训", "会议"}.isdisjoint(openpyxl.load_workbook(filled, read_only=True).sheetnames)
    packs = load_packs(["hongfeng"])
    assert report_bytes(load_dataset(filled), packs) == report_bytes(load_dataset(export), packs)


def test_a_database_row_without_its_key_is_named_by_its_number(tmp_path):
    sqlite3 = pytest.importorskip("sqlite3")
    pytest.importorskip("sqlalchemy")
    from hongfeng_rules import load_dataset

    db = sqlite3.connect(tmp_path / "d.db")
    db.executescript("CREATE TABLE members (id TEXT, team_id TEXT, name TEXT, join_date TEXT, status TEXT);"
                     "INSERT INTO members VALUES ('m1', 't1', 'N', '2020-01-01', 'active');"
                     "INSERT INTO members VALUES (NULL, 't1', 'N', '2020-02-30', 'active');")
    db.commit()
    url = f"sqlite:///{tmp_path / 'd.db'}"
    assert f"{url}, table members, row 1 (no id) (column join_date): '2020-02-30' is not a date" in lines(
        load_dataset, url)


def ods(rows: int, columns: int) -> bytes:
    """An OpenDocument workbook of a header row and one value repeated `rows` × `columns` times: under 1 kB."""
    cell = (f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="float" office:value="1">'
            "<text:p>1</text:p></table:table-cell>")
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="队员"><table:table-row><table:table-cell '
               'office:value-type="string"><text:p>编号</text:p></table:table-cell>'
               '<table:table-cell table:number-columns-repeated="1020"/></table:table-row>'
               f'<table:table-row table:number-rows-repeated="{rows}">{cell}</table:table-row>'
               '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
               'table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet>'
               "</office:body></office:document-content>")
    manifest = ('<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                'manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
                'vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return buf.getvalue()


@pytest.mark.parametrize("over", [-1, 0, 1])
def test_repeated_cells_of_an_ods_count_as_often_as_they_are_laid_out(over):
    limits = Limits(max_file_bytes=2_000_000)  # 100,000 cells: the header row and 999 rows of 100 values fit
    rows = 999 + over
    data = ods(rows, 100)
    if over > 0:
        with pytest.raises(InputError, match=f"w.ods, sheet 队员: the sheet's cells reach CV{rows + 1}: "):
            _open(data, "w.ods", limits)
    else:  # the trailing empty rows and cells LibreOffice writes are not laid out
        workbook, _ = _open(data, "w.ods", limits)
        grid = workbook.get_sheet_by_name("队员").to_python()
        assert (len(grid), len(grid[1])) == (rows + 1, 100)
