"""Data where it lives (issue 19): CSV, Excel, the template, Parquet and column mappings, end to end.

Workbooks are real .xlsx files written by openpyxl (and the template writer) and read back by calamine."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from hongfeng_rules import InputError, audit, load_dataset
from hongfeng_rules.cli import main
from hongfeng_rules.rulebook.locate import load_packs
from hongfeng_rules.sources import load_upload
from hongfeng_rules.sources.tabulate import present, to_csv

openpyxl = pytest.importorskip("openpyxl")

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "hongfeng"
AS_OF = dt.datetime(2026, 1, 15, 23, 59, 59)

TEAM = {"teams.csv": "id,association_id,name\nt1,a1,第一总队\n",
        "associations.csv": "id,name,level\na1,某县协会,county\n"}


@pytest.fixture(scope="module")
def example():
    return load_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def packs():
    return load_packs(["hongfeng"])


def report_bytes(dataset, packs) -> bytes:
    return audit(dataset, packs, "2025", AS_OF, dataset_label="x").to_json_bytes()


def problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return folder


# --------------------------------------------------------------------------- CSV

MEMBERS_CSV = "编号,所属队伍,姓名,出生日期,入队日期,角色,党员\nm1,t1,张三,1985年3月2日,2020/1/5,captain；core,是\n"


@pytest.mark.parametrize("encoding,prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""),
                                             ("gbk", b"")])
def test_csv_encodings_are_found(tmp_path, encoding, prefix):
    folder = write(tmp_path, {**TEAM, "members.csv": prefix + MEMBERS_CSV.encode(encoding)})
    member = load_dataset(folder).members[0]
    assert (member.name, member.birth_date, member.join_date) == ("张三", dt.date(1985, 3, 2), dt.date(2020, 1, 5))
    assert (member.roles, member.party_member) == (["captain", "core"], True)


def test_csv_encoding_named_and_wrong(tmp_path):
    folder = write(tmp_path, {**TEAM, "members.csv": MEMBERS_CSV.encode("gb18030")})
    assert load_dataset(folder, encoding="gb18030").members[0].name == "张三"
    with pytest.raises(InputError) as exc:
        load_dataset(folder, encoding="utf-8")
    assert problems(exc) == [f"{folder / 'members.csv'}: not utf-8: byte 0 cannot be decoded (try --encoding "
                             "gb18030 or utf-8)"]


def test_csv_bad_cells_all_at_once(tmp_path):
    text = ("编号,所属队伍,姓名,出生日期,入队日期,党员\n"
            "m1,t1,张三,1985-13-02,2020-01-05,是\n"
            "m2,t1,李四,1980-01-01,someday,也许\n")
    folder = write(tmp_path, {**TEAM, "members.csv": text})
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    f = folder / "members.csv"
    assert problems(exc) == [f"{f}, row 2 (column 4 出生日期): '1985-13-02' is not a date",
                             f"{f}, row 3 (column 5 入队日期): 'someday' is not a date",
                             f"{f}, row 3 (column 6 党员): '也许' is not a yes/no (是/否, true/false, 1/0)"]


def test_csv_validation_and_reference_errors_name_row_and_cell(tmp_path):
    text = "id,team_id,name,join_date,status\nm1,t1,张三,2020-01-05,gone\nm2,t9,李四,2020-01-05,active\n"
    folder = write(tmp_path, {**TEAM, "members.csv": text})
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    lines = problems(exc)
    assert lines[0] == f"{folder / 'members.csv'}, row 2 (column 5 status): Input should be 'active', 'demoted' or 'exited'"
    with pytest.raises(InputError) as exc:
        load_dataset(write(tmp_path / "b", {**TEAM, "members.csv": text.replace("gone", "active")}))
    assert re.fullmatch(r".*members\.csv, row 3 \(column 2 team_id\): .*t9.*", problems(exc)[0])


def test_csv_unmapped_header_is_an_error(tmp_path):
    folder = write(tmp_path, {**TEAM, "members.csv": "编号,所属队伍,姓名,入队日期,备注\nm1,t1,张三,2020-01-05,x\n"})
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    assert problems(exc)[0].startswith(f"{folder / 'members.csv'}, row 1 (column 5 备注): column '备注' is not mapped "
                                       "to a field of members (map it, or list it under ignore_columns); fields: id,")
    mapping = write(tmp_path.parent / f"{tmp_path.name}-m", {"m.yaml": "collections:\n  members:\n    ignore_columns: [备注]\n"}) / "m.yaml"
    assert load_dataset(folder, mapping=mapping).members[0].id == "m1"


def test_csv_example_gives_the_json_example_report(example, packs, tmp_path):
    shipped = REPO / "examples" / "hongfeng-csv"
    assert sorted(p.stem for p in shipped.iterdir()) == sorted(present(example))
    for collection in present(example):  # the shipped files are what the builder writes
        assert (shipped / f"{collection}.csv").read_bytes() == to_csv(example, collection), collection
    assert report_bytes(load_dataset(shipped), packs) == report_bytes(example, packs)


def test_upload_bytes(tmp_path):
    dataset = load_upload(TEAM["teams.csv"].encode("gb18030"), "C:\\export\\队伍.csv")
    assert [t.name for t in dataset.teams] == ["第一总队"]
    with pytest.raises(InputError) as exc:
        load_upload(b"id,name\n", "roster.txt")
    assert problems(exc)[0].startswith("roster.txt: unsupported file type")


# --------------------------------------------------------------------------- mappings

MAPPING = """\
collections:
  members:
    sheet: 花名册
    columns:
      人员编号: id
      队伍: team_id
      状态: {field: status, values: {在队: active, 已退出: exited}}
      身份: {field: roles, split: "、", values: {核心队员: core, 队长: captain}}
      入队时间: {field: join_date, formats: ["%Y年%m月"]}
    defaults: {party_member: true}
    ignore_columns: [备注]
"""


def test_mapping_maps_values_formats_lists_and_defaults(tmp_path):
    csv = "人员编号,队伍,姓名,状态,身份,入队时间,备注\nm1,t1,张三,已退出,队长、核心队员,2020年3月,x\n"
    folder = write(tmp_path / "d", {**TEAM, "花名册.csv": csv})
    member = load_dataset(folder, mapping=write(tmp_path, {"m.yaml": MAPPING}) / "m.yaml").members[0]
    assert (member.status, member.roles, member.join_date, member.party_member) == (
        "exited", ["captain", "core"], dt.date(2020, 3, 1), True)


@pytest.mark.parametrize("text,expected", [
    ("collections:\n  members:\n    colums: {}\n", "m.yaml:3: collections.members.colums: unknown key 'colums' "
     "(allowed: sheet, table, query, key, header_row, columns, ignore_columns, defaults)"),
    ("collections:\n  members:\n    columns: {姓名: nmae}\n", "m.yaml:3: collections.members.columns.姓名: unknown "
     "field 'nmae' of members; fields: id, team_id, unit_id, name,"),
    ("collections:\n  member:\n    sheet: x\n", "m.yaml:2: collections.member: unknown collection 'member'; known: "),
    ("collections:\n  members:\n    table: a\n    query: b\n", "m.yaml:2: collections.members: give table or query, not both"),
])
def test_mapping_is_validated_like_a_rule_file(tmp_path, text, expected):
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_dataset(write(tmp_path / "d", TEAM), mapping=tmp_path / "m.yaml")
    assert problems(exc)[0].replace(str(tmp_path) + "/", "").startswith(expected)


def test_mapping_init_proposes_and_lists_what_it_cannot_place(tmp_path, capsys):
    folder = write(tmp_path, {"队员.csv": "编号,所属队伍,姓名,出生日期 ,入队日期,籍贯\n",
                              "teams.csv": "id,association_id,名称\n", "杂项.csv": "a,b\n"})
    out = tmp_path / "proposed.yaml"
    assert main(["mapping", "init", str(folder), "--out", str(out)]) == 0
    proposal = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert proposal["collections"]["members"] == {
        "sheet": "队员", "ignore_columns": ["籍贯"],
        "columns": {"编号": "id", "所属队伍": "team_id", "姓名": "name", "出生日期": "birth_date", "入队日期": "join_date"}}
    assert proposal["collections"]["teams"]["columns"] == {"id": "id", "association_id": "association_id", "名称": "name"}
    err = capsys.readouterr().err
    assert "unplaced: sheet '杂项': no collection matches" in err and "column '籍贯': no field matches" in err


# --------------------------------------------------------------------------- Excel

def _cached(path: Path, values: dict[str, tuple[str, str]]) -> None:
    """Give formula cells the computed value Excel stores beside the formula (openpyxl writes none)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/sheet"):
            text = data.decode("utf-8")
            for ref, (kind, value) in values.items():
                typed = ' t="str"' if kind == "str" else ""
                text = re.sub(rf'<c r="{ref}"([^>]*)><f>([^<]*)</f><v\s*/?>(</v>)?',
                              lambda m: f'<c r="{ref}"{m.group(1)}{typed}><f>{m.group(2)}</f><v>{value}</v>', text)
            parts[name] = text.encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def roster(path: Path, bad_birth: str | None = None) -> Path:
    """A county's roster as people make them: a merged title, a merged group header over two rows, blank
    rows, a formula, serial dates, numbers typed as text, an id typed as a number."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "队员"
    ws["A1"] = "某县红枫义警队员花名册"
    ws.merge_cells("A1:G1")
    for col, head in zip("ABCDE", ["编号", "所属队伍", "姓名", "出生日期", "入队日期"]):
        ws[f"{col}2"] = head
        ws.merge_cells(f"{col}2:{col}3")
    ws["F2"] = "档案"
    ws.merge_cells("F2:G2")
    ws["F3"], ws["G3"] = "个人信息", "联系方式"
    ws.append([1001, "t1", "张三", dt.date(1985, 3, 2), 43835, "是", "否"])  # 43835 = 2020-01-05
    ws.append([])
    ws.append([])
    ws.append(["m2", "t1", "李四", "1980/1/1", "=DATE(2021,6,1)", "1", "0"])
    for _ in range(11):
        ws.append([])
    ws.append(["=CONCATENATE(\"m\",\"17\")", "t1", "王五", bad_birth or "1990.05.06", dt.datetime(2022, 2, 3), "否", "是"])
    teams = wb.create_sheet("队伍")
    teams.append(["编号", "所属协会", "名称"])
    teams.append(["t1", "a1", "第一总队"])
    assoc = wb.create_sheet("associations")
    assoc.append(["id", "name", "level"])
    assoc.append(["a1", "某县协会", "county"])
    wb.save(path)
    _cached(path, {"E7": ("n", "44348"), "A19": ("str", "m17")})  # 44348 = 2021-06-01
    return path


def test_excel_roster_with_merged_headers_formulas_serials_and_blank_rows(tmp_path):
    members = load_dataset(roster(tmp_path / "members.xlsx")).members
    assert [(m.id, m.name, m.birth_date, m.join_date, m.file.personal_info, m.file.contact) for m in members] == [
        ("1001", "张三", dt.date(1985, 3, 2), dt.date(2020, 1, 5), True, False),
        ("m2", "李四", dt.date(1980, 1, 1), dt.date(2021, 6, 1), True, False),
        ("m17", "王五", dt.date(1990, 5, 6), dt.date(2022, 2, 3), False, True)]


def test_excel_bad_cell_names_file_sheet_row_and_cell(tmp_path):
    path = roster(tmp_path / "members.xlsx", bad_birth="1985-13-02")
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert problems(exc) == [f"{path}, sheet 队员, row 19 (D19 出生日期): '1985-13-02' is not a date"]
    assert main(["check", str(path)]) == 2


def test_excel_unknown_sheet_and_missing_sheet(tmp_path):
    path = roster(tmp_path / "members.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("统计")
    wb.save(path)
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert problems(exc)[0].startswith(f"{path}, sheet 统计: sheet '统计' is not a collection")
    mapping = write(tmp_path / "m", {"m.yaml": "ignore: [统计]\ncollections:\n  trainings: {sheet: 培训记录}\n"})
    with pytest.raises(InputError) as exc:
        load_dataset(path, mapping=mapping / "m.yaml")
    assert problems(exc) == [f"{path}, sheet 培训记录: the mapping's sheet '培训记录' for trainings is not in the "
                             "workbook; sheets: 队员, 队伍, associations, 统计"]


def test_excel_example_from_the_template_gives_the_json_example_report(example, packs):
    shipped = REPO / "examples" / "hongfeng-xlsx" / "hongfeng.xlsx"
    assert report_bytes(load_dataset(shipped), packs) == report_bytes(example, packs)


def test_template_needs_no_mapping_and_guides_the_filler(tmp_path, example, packs):
    out = tmp_path / "t.xlsx"
    assert main(["template", "xlsx", str(out), "--pack", "hongfeng"]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "填写说明" and {"队员", "队伍", "培训", "活动"} <= set(wb.sheetnames)
    ws = wb["队员"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["编号", "所属队伍", "所属分队", "姓名", "出生日期", "入队日期"]
    assert ws["E1"].comment.text.startswith("birth_date\n日期")
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    status = headers.index("状态")
    letter = openpyxl.utils.get_column_letter(status + 1)
    assert rules[f"{letter}2:{letter}1001"].formula1 == '"active,demoted,exited"'
    assert rules["E2:E1001"].type == "date" and ws["E2"].number_format == "yyyy-mm-dd"
    scores = {str(v.sqref): v.type for v in wb["队伍评分"].data_validations.dataValidation}
    assert [c.value for c in wb["队伍评分"][1]][1] == "年度" and scores["B2:B1001"] == "whole"
    assert load_dataset(out).members == []  # the empty template reads as empty collections
    said = [row[0] for row in wb["填写说明"].iter_rows(max_col=1, values_only=True) if row[0]]
    assert any("keep its header row alone (read as none" in line and "delete its sheet" in line for line in said)
    del wb["培训"]  # what the instructions say to do with a kind not collected
    wb.save(out)
    assert load_dataset(out).trainings is None and load_dataset(out).members == []
    filled = tmp_path / "filled.xlsx"
    assert main(["template", "xlsx", str(filled), "--fill", str(EXAMPLE)]) == 0
    assert report_bytes(load_dataset(filled), packs) == report_bytes(example, packs)


# --------------------------------------------------------------------------- Parquet

def test_parquet_folder(tmp_path, example, packs):
    pytest.importorskip("pyarrow")
    from hongfeng_rules.sources.tabulate import to_parquet
    for collection in present(example):
        to_parquet(example, collection, str(tmp_path / f"{collection}.parquet"))
    assert report_bytes(load_dataset(tmp_path), packs) == report_bytes(example, packs)
    (tmp_path / "members.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(InputError) as exc:
        load_dataset(tmp_path)
    assert problems(exc)[0].startswith(f"{tmp_path / 'members.parquet'}: not a readable Parquet file")


def test_missing_extra_is_one_line_naming_it(tmp_path, monkeypatch, capsys):
    import sys
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # as if not installed: importing it fails
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"x")
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err == (f"error: {path}: reading this needs the optional extra 'excel': "
                                       "pip install \"hongfeng-rules[excel]\"\n")


# --------------------------------------------------------------------------- SQL (SQLite here; PostgreSQL in test_sources_postgres.py)

def fill_database(url: str, dataset) -> None:
    pytest.importorskip("sqlalchemy")
    from hongfeng_rules.sources.tabulate import to_database
    to_database(dataset, url)


def test_sqlite_database_gives_the_json_example_report(tmp_path, example, packs):
    url = f"sqlite:///{tmp_path / 'platform.db'}"
    fill_database(url, example)
    assert report_bytes(load_dataset(url), packs) == report_bytes(example, packs)


def test_sql_query_mapping_and_errors_name_query_row_key_and_column(tmp_path):
    sqlite3 = pytest.importorskip("sqlite3")
    path = tmp_path / "p.db"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE assoc (id TEXT, name TEXT, level TEXT); INSERT INTO assoc VALUES ('a1', '某县协会', 'county');
        CREATE TABLE teams (id TEXT, association_id TEXT, name TEXT); INSERT INTO teams VALUES ('t1', 'a1', '一队');
        CREATE TABLE people (pno TEXT, team TEXT, xm TEXT, csrq TEXT, rdrq TEXT);
        INSERT INTO people VALUES ('m1', 't1', '张三', '1985-13-02', '2020-01-05'), ('m2', 't1', '李四', '1980-01-01', 'x');
    """)
    con.commit()
    con.close()
    mapping = write(tmp_path, {"m.yaml": """
collections:
  associations: {table: assoc}
  members:
    query: "SELECT pno, team, xm, csrq, rdrq FROM people ORDER BY pno"
    key: pno
    columns: {pno: id, team: team_id, xm: name, csrq: birth_date, rdrq: join_date}
"""}) / "m.yaml"
    url = f"sqlite:///{path}"
    with pytest.raises(InputError) as exc:
        load_dataset(url, mapping=mapping)
    assert problems(exc) == [f"{url}, query members, row pno=m1 (column csrq): '1985-13-02' is not a date",
                             f"{url}, query members, row pno=m2 (column rdrq): 'x' is not a date"]
    assert main(["mapping", "init", url, "--out", str(tmp_path / "proposed.yaml")]) == 0
    proposal = yaml.safe_load((tmp_path / "proposed.yaml").read_text(encoding="utf-8"))["collections"]
    assert proposal["teams"] == {"table": "teams", "columns": {"id": "id", "association_id": "association_id",
                                                               "name": "name"}}
    bad = write(tmp_path / "b", {"m.yaml": "collections:\n  members: {table: staff}\n"}) / "m.yaml"
    with pytest.raises(InputError) as exc:
        load_dataset(url, mapping=bad)
    assert problems(exc) == [f"{url}, table staff: the mapping's table 'staff' for members is not in the database; "
                             "tables: assoc, people, teams"]


def test_database_errors_never_echo_the_password(capsys):
    pytest.importorskip("sqlalchemy")
    assert main(["check", "postgresql://audit:s3cr3t-pw@127.0.0.1:1/platform"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: postgresql://audit@127.0.0.1:1/platform: cannot connect: ") and "s3cr3t" not in err


def test_arrow_tables_passed_in(example, packs):
    pa = pytest.importorskip("pyarrow")
    from hongfeng_rules import load_frames
    from hongfeng_rules.sources.tabulate import to_arrow
    tables = {collection: to_arrow(example, collection) for collection in present(example)}
    assert report_bytes(load_frames(tables), packs) == report_bytes(example, packs)
    bad = pa.table({"id": ["t1"], "association_id": ["a1"], "name": ["一队"], "founded_on": ["2019-02-30"]})
    with pytest.raises(InputError) as exc:
        load_frames({"队伍": bad, "人员": bad})
    assert problems(exc) == ["tables, table 人员: '人员' names no collection, and the mapping gives it none"]
    with pytest.raises(InputError) as exc:
        load_frames({"队伍": bad})
    assert problems(exc) == ["tables, table 队伍, row 1 (column 4 founded_on): '2019-02-30' is not a date"]


def test_each_loader_name_says_what_it_reads_and_gives(example):
    """`hongfeng_rules.load_*` give a `Dataset` (from a path, uploaded bytes, in-memory frames); the column-wise
    loader is `hongfeng_rules.tables.load_tables` and gives `Tables`: no name means two things."""
    pytest.importorskip("pyarrow")
    import polars as pl

    import hongfeng_rules
    from hongfeng_rules.models import Dataset
    from hongfeng_rules.sources.tabulate import to_arrow
    from hongfeng_rules.tables import Tables, from_dataset, load_tables

    assert not hasattr(hongfeng_rules, "load_tables")
    teams = b'{"teams": ' + (EXAMPLE / "teams.json").read_bytes() + b"}"
    frame = pl.from_arrow(to_arrow(example, "teams"))  # a Polars DataFrame, flat columns as a sheet's
    given = [hongfeng_rules.load_dataset(EXAMPLE), hongfeng_rules.load_upload(teams, "dataset.json"),
             hongfeng_rules.load_frames({"teams": frame})]
    assert all(isinstance(d, Dataset) and d.teams == example.teams for d in given)
    tables = load_tables(EXAMPLE)
    assert isinstance(tables, Tables) and tables.get("members").equals(from_dataset(example).get("members"))


def test_cells_that_cannot_be_read_and_invalid_values_come_together(tmp_path):
    text = "id,team_id,name,join_date,status\nm1,t1,张三,someday,gone\nm2,t1,李四,2020-01-05,active\n"
    folder = write(tmp_path, {**TEAM, "members.csv": text})
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    f = folder / "members.csv"  # the unreadable join_date is said once (not also as a missing field)
    assert problems(exc) == [f"{f}, row 2 (column 4 join_date): 'someday' is not a date",
                             f"{f}, row 2 (column 5 status): Input should be 'active', 'demoted' or 'exited'"]


def test_several_sheets_of_one_collection_and_a_header_row(tmp_path):
    wb = openpyxl.Workbook()
    for title, rows in [("一分队", [["说明：一分队"], ["编号", "所属队伍", "姓名", "入队日期"], ["m1", "t1", "甲", "2020-01-05"]]),
                        ("二分队", [["编号", "所属队伍", "姓名", "入队日期"], ["m2", "t1", "乙", "2021-02-03"]]),
                        ("队伍", [["编号", "所属协会", "名称"], ["t1", "a1", "一队"]]),
                        ("协会", [["编号", "名称", "级别"], ["a1", "某县协会", "county"]])]:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    del wb["Sheet"]
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    mapping = write(tmp_path, {"m.yaml": "collections:\n  members:\n    sheet: [一分队, 二分队]\n"}) / "m.yaml"
    assert [(m.id, m.join_date) for m in load_dataset(path, mapping=mapping).members] == [
        ("m1", dt.date(2020, 1, 5)), ("m2", dt.date(2021, 2, 3))]
    pinned = write(tmp_path, {"p.yaml": "collections:\n  members:\n    sheet: [一分队, 二分队]\n    header_row: 1\n"})
    with pytest.raises(InputError) as exc:  # row 1 of 一分队 is its title, not its header
        load_dataset(path, mapping=pinned / "p.yaml")
    assert problems(exc)[0].startswith(f"{path}, sheet 一分队, row 1 (A1 说明：一分队): column '说明：一分队' is not mapped")


# --------------------------------------------- mappings and the template's columns, piece by piece (issue 24)

from hongfeng_rules.sources import mapping as mapping_module  # noqa: E402
from hongfeng_rules.sources.fields import Field, fields_of  # noqa: E402
from hongfeng_rules.sources.mapping import (EMPTY, CollectionSource, Column, Mapping, default_collection,  # noqa: E402
                                            default_field, load_mapping, propose)

MEMBER_FIELDS = ("id, team_id, unit_id, name, birth_date, join_date, status, status_since, roles, party_member, "
                 "real_name_verified, skills, certificates, insurance, equipment, mentor_id, file.personal_info, "
                 "file.contact, file.skills, file.service_record")


def test_the_members_columns_their_kinds_and_headers():
    fields_of.cache_clear()  # computed here, not read from an earlier test's (or import's) cache
    kinds = {p: (f.kind, f.header, f.required, f.item, f.choices) for p, f in fields_of("members").items()}
    assert ", ".join(kinds) == MEMBER_FIELDS
    assert kinds["id"] == ("text", "编号", True, None, ())
    assert kinds["name"] == ("text", "姓名", True, None, ())  # a person's name: 姓名, not the 名称 of a team
    assert kinds["unit_id"] == ("text", "所属分队", False, None, ())
    assert kinds["birth_date"] == ("date", "出生日期", False, None, ())
    assert kinds["status"] == ("choice", "状态", False, None, ("active", "demoted", "exited"))
    assert kinds["roles"] == ("list", "角色", False, "choice",
                              ("captain", "vice_captain", "core", "member", "sub_team_leader", "group_leader"))
    assert kinds["skills"] == ("list", "技能", False, "text", ())
    assert kinds["party_member"] == ("yes_no", "党员", False, None, ())
    assert kinds["certificates"] == ("json", "证书", False, None, ())  # a list of records: one cell of JSON
    assert kinds["file.contact"] == ("yes_no", "档案-联系方式", False, None, ())  # a nested record: one column each


def test_every_kind_of_column_and_a_nested_required_field_is_not_required():
    fields_of.cache_clear()
    teams, scores, trainings = fields_of("teams"), fields_of("team_scores"), fields_of("trainings")
    assert (teams["name"].header, teams["name"].required) == ("名称", True)
    assert teams["party_branch.secretary_role"] == Field("party_branch.secretary_role", "choice", "党支部-书记身份",
                                                         False, None, ("community_police_officer", "other"))
    assert (scores["year"].kind, scores["year"].required, scores["score"].kind) == ("whole", True, "number")
    assert (trainings["start"].kind, trainings["start"].header) == ("instant", "开始时间")
    assert fields_of("points")["amount"].kind == "whole"
    assert fields_of("group_members")["name"].header == "姓名" and fields_of("places")["name"].header == "名称"
    assert all(not f.required for p, f in fields_of("teams").items() if "." in p)


def test_a_sheet_or_column_is_found_by_its_name_or_the_templates_word():
    assert [default_collection(n) for n in ("members", "队员", "队伍", "Members", "队员 ", "x")] == [
        "members", "members", "teams", None, None, None]
    assert [default_field("members", h) for h in ("birth_date", "出生日期", "姓名", "档案/个人信息", "档案-个人信息",
                                                  "file.contact", "名称", "个人信息", "x")] == [
        "birth_date", "birth_date", "name", "file.personal_info", "file.personal_info", "file.contact", None, None, None]
    assert (default_field("teams", "名称"), default_field("teams", "姓名")) == ("name", None)


def test_a_mappings_words_come_before_the_templates_and_apply_to_their_collection_only():
    mapping = Mapping(collections={
        "members": CollectionSource(sheet=["花名册", "新队员"], columns={"人员编号": "id", "出生日期": "join_date",
                                                                       "在队": Column(field="status", values={"是": "active"})},
                                    ignore_columns=["备注"]),
        "teams": CollectionSource(sheet="队伍表")})
    assert mapping.column("members", "人员编号") == Column(field="id")
    assert mapping.column("members", "出生日期") == Column(field="join_date")  # the mapping's word wins
    assert mapping.column("members", "在队") == Column(field="status", values={"是": "active"})
    assert mapping.column("members", "姓名") == Column(field="name")  # not in the mapping: the template's word
    assert mapping.column("teams", "人员编号") is None and mapping.column("members", "籍贯") is None
    assert mapping.column("units", "编号") == Column(field="id")  # a collection the mapping does not name
    assert [mapping.ignored_column(c, h) for c, h in (("members", "备注"), ("members", "姓名"), ("teams", "备注"),
                                                      ("units", "备注"))] == [True, False, False, False]
    assert [mapping.collection_named(n) for n in ("花名册", "新队员", "队伍表", "队员", "activities", "表")] == [
        "members", "members", "teams", "members", "activities", None]
    assert (CollectionSource().sheets(), CollectionSource(sheet="a").sheets(), CollectionSource(sheet=["a", "b"]).sheets()
            ) == ([], ["a"], ["a", "b"])


def test_a_collection_is_read_from_a_table_or_a_query_not_both():
    assert (CollectionSource(table="t").table, CollectionSource(query="select 1").query) == ("t", "select 1")
    with pytest.raises(ValueError, match="give table or query, not both"):
        CollectionSource(table="t", query="select 1")


@pytest.mark.parametrize("text,expected", [
    ("- 1\n", ["m.yaml:1: a mapping file holds a mapping with `collections:`"]),
    ("collectons: {}\n", ["m.yaml:1: collectons: unknown key 'collectons' (allowed: collections, ignore, dates)"]),
    ("collections:\n  members:\n    header_row: 0\n",
     ["m.yaml:3: collections.members.header_row: Input should be greater than or equal to 1"]),
    ("collections:\n  members:\n    columns:\n      姓名: {field: name, fomats: []}\n",
     ["m.yaml:4: collections.members.columns.姓名.fomats: unknown key 'fomats' (allowed: field, values, formats, "
      "split)"]),
    ("collections:\n  members:\n    defaults: {nmae: x}\n    columns: {a: {field: nam}, b: name}\n",
     [f"m.yaml:4: collections.members.columns.a: unknown field 'nam' of members; fields: {MEMBER_FIELDS}",
      f"m.yaml:3: collections.members.defaults.nmae: unknown field 'nmae' of members; fields: {MEMBER_FIELDS}"]),
])
def test_every_problem_of_a_mapping_file_names_its_line_and_key(tmp_path, text, expected):
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_mapping(tmp_path / "m.yaml")
    assert [p.replace(str(tmp_path) + "/", "") for p in problems(exc)] == expected


def test_a_mapping_given_or_none():
    mapping = Mapping(dates=["%Y年%m月"])
    assert load_mapping(mapping) is mapping and load_mapping(None) is EMPTY and EMPTY == Mapping()


def test_a_proposal_places_exact_and_close_words_and_lists_the_rest():
    proposal, unplaced = propose({"队员": ["编号", "出生日", "籍贯", "档案/个人信息", "个人信息"], "membres": ["id"],
                                  "Teams": ["名称"], "杂项": ["a"], "teams": ["id"]})
    assert proposal == {"collections": {
        "members": {"sheet": "队员", "columns": {"编号": "id", "出生日": "birth_date", "档案/个人信息": "file.personal_info",
                                                "个人信息": "file.personal_info"}, "ignore_columns": ["籍贯"]},
        "teams": {"sheet": "Teams", "columns": {"名称": "name"}}}}
    assert unplaced == [f"sheet '队员', column '籍贯': no field matches; fields: {MEMBER_FIELDS}",
                        "sheet 'membres': also matches members, proposed from sheet '队员'",
                        f"sheet '杂项': no collection matches; known: {', '.join(sorted(mapping_module.COLLECTIONS))}",
                        "sheet 'teams': also matches teams, proposed from sheet 'Teams'"]
    assert propose({"members": ["id", "nmae"]}, kind="table") == (
        {"collections": {"members": {"table": "members", "columns": {"id": "id", "nmae": "name"}}}}, [])


def test_a_proposal_is_yaml_after_its_notes():
    text, unplaced = mapping_module._proposal_text(*propose({"队员": ["编号", "籍贯"]}))
    assert text == ("# proposed by `hongfeng-rules mapping init`: check every line, then finish what is listed below\n"
                    f"# unplaced: sheet '队员', column '籍贯': no field matches; fields: {MEMBER_FIELDS}\n"
                    "collections:\n  members:\n    sheet: 队员\n    columns:\n      编号: id\n    ignore_columns:\n    - 籍贯\n")
    assert unplaced == [f"sheet '队员', column '籍贯': no field matches; fields: {MEMBER_FIELDS}"]


def test_mapping_init_of_one_file_of_a_workbook_and_of_what_it_cannot_read(tmp_path):
    from hongfeng_rules.sources.mapping import propose_for

    folder = write(tmp_path / "d", {"队员.csv": "编号,姓名\n", "说明.txt": "not data\n", "b.csv": b"\xff\xfe\x00\xd8 x"})
    text, unplaced = propose_for(str(folder / "队员.csv"))  # one file, not its folder
    assert yaml.safe_load(text) == {"collections": {"members": {"sheet": "队员", "columns": {"编号": "id", "姓名": "name"}}}}
    assert unplaced == []
    wb = openpyxl.Workbook()
    wb.active.title = "队伍"
    wb.active.append(["编号", "名称"])
    wb.save(tmp_path / "w.xlsx")
    assert yaml.safe_load(propose_for(str(tmp_path / "w.xlsx"))[0]) == {
        "collections": {"teams": {"sheet": "队伍", "columns": {"编号": "id", "名称": "name"}}}}
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    for path, why in ((folder, "neither UTF-8 nor GB18030 text; name the encoding with --encoding"),  # b.csv; .txt skipped
                      (tmp_path / "bad.xlsx", "not a readable Excel workbook"),
                      (folder / "说明.txt", "expected an Excel workbook, a .csv or .parquet file, or a folder of them"),
                      (tmp_path / "nope", "no such file or folder")):
        with pytest.raises(InputError) as exc:
            propose_for(str(path))
        name = folder / "b.csv" if path == folder else path
        assert problems(exc)[0].startswith(f"{name}: {why}")


def test_a_close_word_is_placed_from_three_quarters_alike():
    """difflib's ratio 2·matches/(len a + len b): 出生日 ~ 出生日期 is 0.86, placed; birth ~ birth_date is 0.67, not."""
    proposal, unplaced = propose({"members": ["出生日", "birth"]})
    assert proposal["collections"]["members"]["columns"] == {"出生日": "birth_date"}
    assert unplaced == [f"sheet 'members', column 'birth': no field matches; fields: {MEMBER_FIELDS}"]


def test_an_unknown_collection_lists_every_known_one_and_the_next_collection_is_still_checked():
    mapping = Mapping(collections={"member": CollectionSource(), "teams": CollectionSource(columns={"名称": "nmae"})})
    assert mapping.unknown_names() == [
        (("collections", "member"), f"unknown collection 'member'; known: {', '.join(sorted(mapping_module.COLLECTIONS))}"),
        (("collections", "teams", "columns", "名称"), "unknown field 'nmae' of teams; fields: " + ", ".join(fields_of("teams")))]
