"""The shape census (tables/json_census.py): Polars' JSON reader is used only where the census proves it exact.

Each coercion of Polars' reader that the census guards against is pinned here as Polars does it (so that a
Polars release that changes it shows up), with the census refusing such a file and `load_tables` of the folder
giving what the per-record oracle gives (tests/object_loading.py): the same problems, word for word, or the
same tables."""
from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path

import polars as pl
import pytest

from hongfeng_rules import InputError
from hongfeng_rules.models import COLLECTIONS
from hongfeng_rules.tables import from_dataset
from hongfeng_rules.tables.json_census import _PRINTED, _printed, read_census
from hongfeng_rules.tables.load import load_tables
from same_outcome import same

ROOT = Path(__file__).resolve().parent.parent
BASE = json.loads((ROOT / "tests" / "hostile" / "valid.json").read_text(encoding="utf-8"))
MEMBER = BASE["members"][0]


def _polars(text: str, schema: dict) -> list[dict]:
    return pl.read_json(io.StringIO(text), schema=schema).to_dicts()


def _folder(tmp_path, members_text: str) -> Path:
    for name, records in BASE.items():
        if name != "members":
            (tmp_path / f"{name}.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "members.json").write_text(members_text, encoding="utf-8")
    return tmp_path


def _members(*records) -> str:
    return json.dumps([*BASE["members"], *records], ensure_ascii=False)


def test_a_valid_file_is_read_by_polars(tmp_path):
    """The census passes a plain valid file (so the cases below test refusals, not a census that never reads)."""
    text = _members({**MEMBER, "id": "m9"})
    assert read_census(text.encode(), "members") is not None
    kind, _ = same(_folder(tmp_path, text))
    assert kind == "ok"


CASES = {  # Polars' reading, then a members file that has it
    "a number read as text": ('[{"a":3}]', {"a": pl.String}, [{"a": "3"}], {**MEMBER, "id": "m9", "name": 3}),
    "true read as text": ('[{"a":true}]', {"a": pl.String}, [{"a": "true"}], {**MEMBER, "id": "m9", "name": True}),
    "a decimal read as a whole number": ('[{"a":2.5}]', {"a": pl.Int64}, [{"a": 2}], None),
    "true read as a whole number": ('[{"a":true}]', {"a": pl.Int64}, [{"a": 1}], None),
    "an integer past 64 bits read as null": ('[{"a":99999999999999999999}]', {"a": pl.Int64}, [{"a": None}], None),
    "a scalar read as a one-item list": ('[{"a":"x"}]', {"a": pl.List(pl.String)}, [{"a": ["x"]}],
                                         {**MEMBER, "id": "m9", "roles": "core"}),
    "a number in a list of text read as text": ('[{"a":["x",1]}]', {"a": pl.List(pl.String)}, [{"a": ["x", "1"]}],
                                                {**MEMBER, "id": "m9", "skills": ["driving", 1]}),
    "a duplicate key read once (the first)": ('[{"a":"x","a":"y"}]', {"a": pl.String}, [{"a": "x"}], None),
    "an unknown key dropped": ('[{"a":"x","b":"y"}]', {"a": pl.String}, [{"a": "x"}],
                               {**MEMBER, "id": "m9", "colour": "red"}),
    "null read as missing": ('[{"a":null}]', {"a": pl.String}, [{"a": None}], {**MEMBER, "id": "m9", "name": None}),
    "a lone surrogate read as U+0000": ('[{"a":"\\ud800"}]', {"a": pl.String}, [{"a": "\x00"}], None),
    "a top-level object read as one record": ('{"a":"x"}', {"a": pl.String}, [{"a": "x"}], None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_polars_coerces_the_census_refuses(case, tmp_path):
    text, schema, read, record = CASES[case]
    assert _polars(text, schema) == read
    members = _members(record) if record is not None else None
    if case.startswith("a duplicate key"):
        members = _members({**MEMBER, "id": "m9"}).replace('"name": "M0",', '"name": "M0", "name": "X",')
    elif case.startswith("a decimal") or case.startswith("true read as a whole") or case.startswith("an integer"):
        return  # no whole-number field in members: the census of inspections below
    elif case.startswith("a lone surrogate"):
        members = _members({**MEMBER, "id": "m9"}).replace('"M0"', '"M\\ud800"', 1)
    elif case.startswith("a top-level object"):
        members = json.dumps(MEMBER)
    assert read_census(members.encode(), "members") is None
    same(_folder(tmp_path, members))


@pytest.mark.parametrize("value", ["3", "-0", "2.5", "1e2", "1E-7", "123456789.123456789", "99999999999999999999",
                                   "true", "false"])
def test_a_number_or_yes_no_read_as_text_reads_as_printed(value):
    """What the census looks for in the text cells Polars read (`_PRINTED`), as Polars writes it today."""
    for text, schema in (('[{"a":%s}]', pl.String), ('[{"a":["x",%s]}]', pl.List(pl.String))):
        read = _polars(text % value, {"a": schema})[0]["a"]
        read = read if schema == pl.String else read[1]
        assert re.match(_PRINTED, read) and _printed(pl.Series([read]))
    for text in ("2025-01-01", "3 号", "t1", "trueish", ""):
        assert not re.match(_PRINTED, text) and not _printed(pl.Series([text]))


@pytest.mark.parametrize("written", ['"3"', '["driving","3"]', '"true"'])
def test_a_text_that_reads_as_a_number_but_is_written_as_a_string_is_read_by_polars(written, tmp_path):
    """The text of a name whose cells read as printed numbers is looked at: written as strings, the file passes."""
    field = "skills" if written.startswith("[") else "name"
    text = json.dumps([*BASE["members"], {**MEMBER, "id": "m9", field: json.loads(written)}], ensure_ascii=False,
                      separators=(",", ":"))
    frame = read_census(text.encode(), "members")
    assert frame is not None and frame[field].to_list()[-1] == json.loads(written)
    assert read_census(text.replace(written, written.replace('"3"', "3").replace('"true"', "true")).encode(),
                       "members") is None
    assert same(_folder(tmp_path, text))[0] == "ok"


@pytest.mark.parametrize("record", [{"roles": ["core", 1]}, {"join_date": 20200101}, {"roles": ["core", True]}])
def test_a_printed_number_the_column_checks_refuse_is_left_to_them(record, tmp_path):
    """A number in a list of choices, or in a day field: no printed number passes their column checks, so the
    census reads the file, and the row goes to its model with the strict reader's record (the oracle's problem)."""
    text = _members({**MEMBER, "id": "m9", **record})
    assert read_census(text.encode(), "members") is not None
    assert same(_folder(tmp_path, text))[0] != "ok"


@pytest.mark.parametrize("value", ["2.5", "true", "99999999999999999999", "1e2", '"3"'])
def test_a_whole_number_is_read_only_as_written(value):
    record = '[{"id":"p1","member_id":"m1","on":"2025-01-01","amount":%s}]'
    assert read_census((record % value).encode(), "points") is None
    assert read_census((record % "3").encode(), "points") is not None


def test_a_nullable_yes_no_null_is_read_as_empty_and_counted(tmp_path):
    text = _members({**MEMBER, "id": "m9", "real_name_verified": None}, {**MEMBER, "id": "m8", "real_name_verified": True})
    frame = read_census(text.encode(), "members")
    assert frame is not None and frame["real_name_verified"].to_list() == [None, None, None, None, True]
    doubled = text.replace('"real_name_verified": null', '"real_name_verified": true, "real_name_verified": null')
    assert read_census(doubled.encode(), "members") is None
    same(_folder(tmp_path, text))


def test_deep_nesting_is_refused_before_polars_reads_it(tmp_path):
    """Polars' reader overflows its stack on deep nesting (a crash, not an error): the census never lets it read."""
    deep = "[" * 100_000 + "]" * 100_000
    text = _members({**MEMBER, "id": "m9"})[:-1] + ', {"id": "m7", "x": %s}]' % deep
    assert read_census(text.encode(), "members") is None
    same(_folder(tmp_path, text))


@pytest.mark.parametrize("edit", ["bracket", "escaped quote", "spaced colon", "bom"])
def test_odd_but_valid_texts_give_the_oracles_tables(edit, tmp_path):
    records = [*copy.deepcopy(BASE["members"]), {**MEMBER, "id": "m9", "name": "队员 [一]" if edit == "bracket" else 'a "b"'}]
    text = json.dumps(records, ensure_ascii=False, indent=1 if edit == "spaced colon" else None)
    if edit == "spaced colon":
        text = text.replace('":', '" :')
    found = read_census(text.encode(), "members")
    assert (found is None) == (edit == "bracket")
    if edit == "bom":
        (_folder(tmp_path, text) / "members.json").write_bytes(b"\xef\xbb\xbf" + text.encode())
    kind, _ = same(_folder(tmp_path, text) if edit != "bom" else tmp_path)
    assert kind == "ok"


def test_a_nullable_text_null_is_read_as_empty_and_counted(tmp_path):
    """A null of a top-level text, day or instant field that may be null is read through its stand-in, a backspace
    (Polars reads `"\\b"` as U+0008), back as null: the file passes the census with the oracle's tables."""
    assert _polars('[{"a":"\\b"}]', {"a": pl.String}) == [{"a": "\b"}]
    text = _members({**MEMBER, "id": "m9", "birth_date": None, "mentor_id": None},
                    {**MEMBER, "id": "m8", "birth_date": "1990-01-02", "unit_id": None})
    frame = read_census(text.encode(), "members")
    assert frame is not None and frame["birth_date"].to_list()[-2:] == [None, "1990-01-02"]
    assert frame["mentor_id"].null_count() == frame.height and "\b" not in frame["unit_id"].to_list()
    assert same(_folder(tmp_path, text))[0] == "ok"


@pytest.mark.parametrize("edit", ["doubled after", "doubled before", "backspace written", "backspace escaped",
                                  "not nullable", "nested"])
def test_a_text_null_the_census_cannot_tell_apart_takes_the_exact_path(edit, tmp_path):
    """A duplicate key with a null, a text that reads as the stand-in, a null where the field may not be empty, a
    null of a name used at two depths: the census refuses the file, and load_tables gives the oracle's outcome."""
    record = {**MEMBER, "id": "m9", "unit_id": None}
    text = _members(record)
    text = {"doubled after": text.replace('"unit_id": null', '"unit_id": "s1", "unit_id": null'),
            "doubled before": text.replace('"unit_id": null', '"unit_id": null, "unit_id": "s1"'),
            "backspace written": _members(record, {**MEMBER, "id": "m8", "unit_id": "\b"}),
            "backspace escaped": _members(record, {**MEMBER, "id": "m8"}).replace(
                '"id": "m8"', '"id": "m8", "unit_id": "\\u0008"'),
            "not nullable": _members({**MEMBER, "id": "m9", "team_id": None}),
            "nested": _members({**MEMBER, "id": "m9", "insurance": [{"kind": None, "start": "2025-01-01",
                                                                      "end": "2025-12-31"}]})}[edit]
    assert read_census(text.encode(), "members") is None
    same(_folder(tmp_path, text))


EQUIPPED = {**MEMBER, "id": "m9", "equipment": [{"item": "uniform", "issued_on": None},
                                                 {"item": "radio", "issued_on": "2021-01-01"}]}


def test_a_nested_nullable_day_null_is_read_as_empty_and_counted(tmp_path):
    """A null of a day of a list of records (equipment's issued_on, a name used once) is read through its
    stand-in, in place in the list: the file passes the census with the oracle's tables."""
    text = _members(EQUIPPED, {**MEMBER, "id": "m8", "equipment": []})
    frame = read_census(text.encode(), "members")
    assert frame is not None
    assert frame["equipment"].to_list()[-2:] == [EQUIPPED["equipment"], []]
    assert same(_folder(tmp_path, text))[0] == "ok"


@pytest.mark.parametrize("written", ["\b", "\\u0008"])
def test_a_nested_text_that_reads_as_the_stand_in_takes_the_exact_path(written, tmp_path):
    text = _members(EQUIPPED, {**MEMBER, "id": "m8", "equipment": [{"item": "radio", "issued_on": "X"}]})
    text = text.replace('"X"', json.dumps(written) if written == "\b" else '"\\u0008"')
    assert read_census(text.encode(), "members") is None
    same(_folder(tmp_path, text))


def test_a_nullable_number_null_is_read_as_empty_and_counted():
    """team_scores' score (the one number that may be null) is read through its stand-in, 9e99; a score written
    as 9e99 in the same file makes the counts differ."""
    rows = [{"team_id": "t1", "year": 2024, "score": None}, {"team_id": "t1", "year": 2025, "score": 91.5}]
    text = json.dumps(rows)
    frame = read_census(text.encode(), "team_scores")
    assert frame is not None and frame["score"].to_list() == [None, 91.5]
    both = json.dumps([*rows, {"team_id": "t2", "year": 2025, "score": 9e99}])
    assert read_census(both.encode(), "team_scores") is None
    assert read_census(json.dumps(rows[1:] + [{"team_id": "t2", "year": 2025, "score": 9e99}]).encode(),
                       "team_scores")["score"].to_list() == [91.5, 9e99]
