"""The shape census (tables/json_census.py): Polars' JSON reader is used only where the census proves it exact.

Each coercion of Polars' reader that the census guards against is pinned here as Polars does it (so that a
Polars release that changes it shows up), with the census refusing such a file and `load_tables` of the folder
giving what the per-record oracle gives (tests/object_loading.py): the same problems, word for word, or the
same tables."""
from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import polars as pl
import pytest

from hongfeng_rules import InputError
from hongfeng_rules.models import COLLECTIONS
from hongfeng_rules.tables import from_dataset
from hongfeng_rules.tables.json_census import read_census
from hongfeng_rules.tables.load import load_tables
from oracle.loading import load_dataset

ROOT = Path(__file__).resolve().parent.parent
BASE = json.loads((ROOT / "tests" / "hostile" / "valid.json").read_text(encoding="utf-8"))
MEMBER = BASE["members"][0]


def _polars(text: str, schema: dict) -> list[dict]:
    return pl.read_json(io.StringIO(text), schema=schema).to_dicts()


def _outcome(load, path):
    try:
        found = load(path)
    except InputError as exc:
        return "problems", exc.problems
    return "ok", found if load is load_tables else from_dataset(found)


def _folder(tmp_path, members_text: str) -> Path:
    for name, records in BASE.items():
        if name != "members":
            (tmp_path / f"{name}.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "members.json").write_text(members_text, encoding="utf-8")
    return tmp_path


def _same_as_oracle(folder: Path):
    old, new = _outcome(load_dataset, folder), _outcome(load_tables, folder)
    assert old[0] == new[0], (old, new)
    if old[0] == "problems":
        assert new[1] == old[1]
    else:
        for name in COLLECTIONS:
            a, b = old[1].get(name), new[1].get(name)
            assert (a is None) == (b is None) and (a is None or a.equals(b)), name
    return old


def _members(*records) -> str:
    return json.dumps([*BASE["members"], *records], ensure_ascii=False)


def test_a_valid_file_is_read_by_polars(tmp_path):
    """The census passes a plain valid file (so the cases below test refusals, not a census that never reads)."""
    text = _members({**MEMBER, "id": "m9"})
    assert read_census(text.encode(), "members") is not None
    kind, _ = _same_as_oracle(_folder(tmp_path, text))
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
                                                {**MEMBER, "id": "m9", "roles": ["core", 1]}),
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
    _same_as_oracle(_folder(tmp_path, members))


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
    _same_as_oracle(_folder(tmp_path, text))


def test_deep_nesting_is_refused_before_polars_reads_it(tmp_path):
    """Polars' reader overflows its stack on deep nesting (a crash, not an error): the census never lets it read."""
    deep = "[" * 100_000 + "]" * 100_000
    text = _members({**MEMBER, "id": "m9"})[:-1] + ', {"id": "m7", "x": %s}]' % deep
    assert read_census(text.encode(), "members") is None
    _same_as_oracle(_folder(tmp_path, text))


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
    kind, _ = _same_as_oracle(_folder(tmp_path, text) if edit != "bom" else tmp_path)
    assert kind == "ok"
