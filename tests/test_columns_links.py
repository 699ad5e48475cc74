"""`columns.select.links`: each value a record's dotted path holds (lists flattened, unset values left out), once
per record, records and values in their order — as the per-object index groups records (index.Index.groups),
written here record by record."""
from __future__ import annotations

from types import SimpleNamespace

import polars as pl
from hypothesis import example, given, settings, strategies as st

from hongfeng_rules.columns.context import ColumnContext
from hongfeng_rules.columns.select import links

SCHEMA = {"p": pl.List(pl.Struct({"m": pl.String, "t": pl.List(pl.String)})), "l": pl.List(pl.String),
          "s": pl.Struct({"m": pl.String, "t": pl.List(pl.String)})}
values = st.one_of(st.none(), st.sampled_from(["a", "b", "c"]))
lists = st.one_of(st.none(), st.lists(values, max_size=4))
items = st.one_of(st.none(), st.fixed_dictionaries({"m": values, "t": lists}))
records = st.fixed_dictionaries({"p": st.one_of(st.none(), st.lists(items, max_size=4)), "l": lists, "s": items})


def _held(value, parts: list[str]) -> list:
    """The values at the path, lists flattened, None left out."""
    if value is None:
        return []
    if isinstance(value, list):
        return [v for item in value for v in _held(item, parts)]
    if not parts:
        return [value]
    return _held(value.get(parts[0]), parts[1:])


def _expected(rows: list[dict], path: str) -> list[tuple[int, str]]:
    first, *rest = path.split(".")
    return [(i, v) for i, row in enumerate(rows) for v in dict.fromkeys(_held(row[first], rest))]


@settings(max_examples=100, deadline=None)
@given(st.lists(records, max_size=6))
@example([{"p": [{"m": "a", "t": ["x", "x"]}, None, {"m": "a", "t": []}], "l": ["a", None, "a"], "s": None}])
def test_links_are_each_records_values_once(rows):
    frame = pl.DataFrame(rows, schema=SCHEMA)
    for path in ("p.m", "p.t", "l", "s.m", "s.t"):
        ctx = ColumnContext(SimpleNamespace(get=lambda name: frame), None, None, None)
        got = links("activities", path, ctx).collect().rows()
        assert got == _expected(rows, path), path
