"""A mapping file's errors are plain lines naming the file, the line and the key path as written, and why: never
pydantic's union tags (`constrained-str`, `list[…]`, `Column`, `function-after[…]`) or class names, and one line
per key, from the branch the value's kind chose."""
from __future__ import annotations

import itertools
import re

import pytest
import yaml

from hongfeng_rules import InputError
from hongfeng_rules.sources.mapping import CollectionSource, Column, Mapping, load_mapping

INTERNAL = re.compile(r"constrained-|list\[|function-(after|before|wrap|plain)|union\[|tagged-union|instance of|"
                      r"\bColumn\b|CollectionSource|\bMapping\b|model_type|Input should be a valid")


def lines(tmp_path, text: str) -> list[str]:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_mapping(path)
    return [line.removeprefix(f"{path}:") for line in caught.value.lines()]


@pytest.mark.parametrize("text, expected", [
    ("collections:\n  members:\n    sheet: 5\n",
     ["3: collections.members.sheet: expected text or a list of text, not the number 5"]),
    ("collections:\n  members:\n    sheet: [a, 3]\n",
     ["3: collections.members.sheet[1]: expected text, not the number 3"]),
    ("collections:\n  members:\n    columns:\n      人员编号: 5\n",
     ["4: collections.members.columns.人员编号: expected text or a mapping of field, values, formats, split, "
      "not the number 5"]),
    ("collections:\n  members:\n    columns:\n      人员编号: {fild: id}\n",
     ["4: collections.members.columns.人员编号.field: required key 'field' is missing",
      "4: collections.members.columns.人员编号.fild: unknown key 'fild' (allowed: field, values, formats, split)"]),
    ("collections:\n  members:\n    columns:\n      队伍: {field: team_id, values: 3}\n",
     ["4: collections.members.columns.队伍.values: expected a mapping, not the number 3"]),
    ("collections:\n  members: 3\n",
     ["2: collections.members: expected a mapping of sheet, table, query, key, header_row, columns, ignore_columns, "
      "defaults, not the number 3"]),
    ("collections: [a]\n", ["1: collections: expected a mapping, not a list"]),
    ("collections:\n  members:\n    columns:\n      x: [a]\n",
     ["4: collections.members.columns.x: expected text or a mapping of field, values, formats, split, not a list"]),
])
def test_each_error_is_one_plain_line(tmp_path, text, expected):
    assert lines(tmp_path, text) == expected


WRONG = [5, True, None, [1], {"x": 1}, "x", 1.5]
KEYS = ([("collections", "members", key) for key in CollectionSource.model_fields]
        + [("collections", "members", "columns", "人员编号", key) for key in Column.model_fields]
        + [("collections", "members", "columns", "人员编号"), ("collections", "members"), ("collections",)]
        + [(key,) for key in Mapping.model_fields])


@pytest.mark.parametrize("keys, value", list(itertools.product(KEYS, WRONG)))
def test_no_wrong_value_shows_pydantic_internals(tmp_path, keys, value):
    data: dict = {}
    inner = data
    for key in keys[:-1]:
        inner = inner.setdefault(key, {})
    inner[keys[-1]] = value
    if keys[:4] == ("collections", "members", "columns", "人员编号") and len(keys) == 5 and keys[-1] != "field":
        inner.setdefault("field", "id")
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_mapping(path)
    except InputError as exc:
        for line in exc.lines():
            assert line.startswith(f"{path}:"), line
            assert not INTERNAL.search(line), line
        assert len(exc.lines()) == len(set(exc.lines()))
