"""The column screen: a model's records (plain dicts) as a typed table, and the rows not surely valid.

Each field is read as one column and checked in bulk against its `fields.Spec` (type, choices, lengths,
bounds, pattern, invisible characters, supported dates), and each model validator by its column-wise
check (`model_checks`). A row that passes every check is exactly what the model would build; any other
row is reported as suspect, for `rows` to validate with its model (which gives the reasons)."""
from __future__ import annotations

from datetime import date, datetime
from itertools import chain, count

import polars as pl

from ..invisible import _SHOWN
from ..tables.schema import SHANGHAI_INSTANT, dtype_of, table_schema
from .fields import Spec, model_specs
from .model_checks import refused_by_validators

_NONE = type(None)
_EDGE_SPACE = r"^[\s\x1c-\x1f]|[\s\x1c-\x1f]$"  # stripped by the models (str_strip_whitespace)
_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_INSTANT = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
            r"(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?$")
_SAFE_FLOAT_INT = 2 ** 53


def screen(model, records: list) -> tuple[pl.DataFrame, set[int], int]:
    """(table, suspect row indices, number of mapping keys read) for `records` of `model`."""
    specs = model_specs(model)
    allowed = frozenset(f.name for f in specs)
    suspect = set()
    rows = records
    if set(map(type, records)) - {dict}:
        suspect = {i for i, r in enumerate(records) if type(r) is not dict}
        rows = [r if type(r) is dict else {} for r in records]
    if not set(chain.from_iterable(rows)) <= allowed:
        suspect.update(i for i, r in enumerate(rows) if not r.keys() <= allowed)
    keys = sum(map(len, rows))
    columns = {}
    for f in specs:
        values = [r.get(f.name, f.default) for r in rows]  # a missing required field reads None: refused
        columns[f.name], bad, nested_keys = column(f.spec, values)
        suspect.update(bad)
        keys += nested_keys
    frame = pl.DataFrame(columns, schema=table_schema(model))
    suspect.update(refused_by_validators(model, frame))
    return frame, suspect, keys


def column(spec: Spec, values: list) -> tuple[pl.Series, list[int], int]:
    """(typed column, suspect positions, mapping keys read inside) of one field's values."""
    if spec.kind == "struct":
        return _structs(spec, values)
    if spec.kind == "list":
        return _lists(spec, values)
    ok = {_KINDS[spec.kind]} if spec.kind != "float" else {float, int}
    if spec.kind in _OBJECTS:  # a table source's date or datetime cells: read as their ISO text
        ok.add(_OBJECTS[spec.kind])
    if spec.nullable:
        ok.add(_NONE)
    values, bad = _typed(values, ok)
    if spec.kind in _OBJECTS and _OBJECTS[spec.kind] in set(map(type, values)):
        kind = _OBJECTS[spec.kind]
        values = [v.isoformat() if type(v) is kind else v for v in values]
    if spec.kind in ("int", "float") and int in set(map(type, values)):
        limit = 2 ** 63 if spec.kind == "int" else _SAFE_FLOAT_INT
        big = [i for i, v in enumerate(values) if type(v) is int and not -limit < v < limit]
        if big:
            values, bad = list(values), bad + big
            for i in big:
                values[i] = None
    raw = pl.Series(values, dtype=pl.String if spec.kind in ("str", "day", "instant") else dtype_of(
        {"bool": bool, "int": int, "float": float}[spec.kind]), strict=False)
    series, doubt = _check(spec, raw)
    if doubt is not None:
        bad = bad + pl.select(doubt.fill_null(False).arg_true()).to_series().to_list()
    return series, bad, 0


_KINDS = {"str": str, "bool": bool, "int": int, "day": str, "instant": str}
_OBJECTS = {"day": date, "instant": datetime}


def _typed(values: list, ok: set) -> tuple[list, list[int]]:
    if set(map(type, values)) <= ok:
        return values, []
    bad = [i for i, v in enumerate(values) if type(v) not in ok]
    values = list(values)
    for i in bad:
        values[i] = None
    return values, bad


def _check(spec: Spec, s: pl.Series) -> tuple[pl.Series, pl.Series | None]:
    """The typed column and a mask of values not surely valid (None: all are)."""
    doubts, raw = [], s
    if spec.kind == "str":
        doubts.append(s.str.contains(_EDGE_SPACE))
        if spec.choices is not None:
            doubts.append(~s.is_in(sorted(spec.choices)))
        if spec.min_length is not None:
            doubts.append(s.str.len_chars() < spec.min_length)
        if spec.max_length is not None:
            doubts.append(s.str.len_chars() > spec.max_length)
        if spec.pattern is not None:
            doubts.append(~s.str.contains(spec.pattern))
        if spec.hidden:
            doubts.append(s.str.contains(_SHOWN.pattern))
    elif spec.kind in ("int", "float"):
        if spec.kind == "float":
            doubts.append(~s.is_finite())
        if spec.ge is not None:
            doubts.append(s < spec.ge)
        if spec.le is not None:
            doubts.append(s > spec.le)
    elif spec.kind == "day":
        year = s.str.slice(0, 4).cast(pl.Int32, strict=False)
        parsed = s.str.to_date("%Y-%m-%d", strict=False)
        doubts.append(~s.str.contains(_DAY) | parsed.is_null() | ~year.is_between(1900, 2199))
        s = parsed
    elif spec.kind == "instant":
        s, doubt = _instants(s)
        doubts.append(doubt)
    if not doubts:
        return s, None
    doubt = doubts[0]
    for d in doubts[1:]:
        doubt = doubt | d
    return s, doubt & raw.is_not_null()


def _instants(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """ISO text to Shanghai instants (naive text is Shanghai wall-clock time), and the doubtful ones."""
    aware = s.str.ends_with("Z") | s.str.contains(r"[+-][0-9]{2}:[0-9]{2}$")
    text = s.str.replace(r"Z$", "+00:00")
    naive = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_unit="us", strict=False).dt.replace_time_zone(
        "Asia/Shanghai", ambiguous="null", non_existent="null")
    zoned = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", time_unit="us", strict=False).dt.convert_time_zone(
        "Asia/Shanghai")
    parsed = pl.select(pl.when(aware).then(zoned).otherwise(naive)).to_series().cast(SHANGHAI_INSTANT)
    year = s.str.slice(0, 4).cast(pl.Int32, strict=False)
    doubt = ~s.str.contains(_INSTANT) | parsed.is_null() | ~year.is_between(1901, 2198)
    return parsed, doubt


def _structs(spec: Spec, values: list) -> tuple[pl.Series, list[int], int]:
    ok = {dict, _NONE} if spec.nullable else {dict}
    values, bad = _typed(values, ok)
    present = [v for v in values if v is not None]
    frame, inner_bad, keys = screen(spec.model, present)
    series = frame.to_struct()
    if len(present) != len(values):
        n = count()
        index = [next(n) if v is not None else None for v in values]
        series = series.gather(pl.Series(index, dtype=pl.UInt32))
        if inner_bad:
            where = [i for i, v in enumerate(values) if v is not None]
            inner_bad = {where[j] for j in inner_bad}
    return series, bad + sorted(inner_bad), keys


def _lists(spec: Spec, values: list) -> tuple[pl.Series, list[int], int]:
    ok = {list, _NONE} if spec.nullable else {list}
    values, bad = _typed(values, ok)
    if None in values:
        lengths = pl.Series([len(v) if v is not None else None for v in values], dtype=pl.UInt32)
        items = [x for v in values if v for x in v]
    else:
        lengths = pl.Series(list(map(len, values)), dtype=pl.UInt32)
        items = list(chain.from_iterable(values))
    inner, inner_bad, keys = column(spec.item, items)
    owner = pl.select(pl.int_range(len(values), dtype=pl.UInt32).repeat_by(lengths.fill_null(0)).explode(empty_as_null=True)
                      ).to_series().drop_nulls()
    if inner_bad:
        bad = bad + sorted(set(owner.gather(inner_bad).to_list()))
    dtype = pl.List(inner.dtype)
    grouped = pl.DataFrame({"row": owner, "v": inner}).group_by("row", maintain_order=True).agg("v")
    full = pl.DataFrame({"row": pl.int_range(len(values), dtype=pl.UInt32, eager=True), "n": lengths}).join(
        grouped, on="row", how="left", maintain_order="left")
    series = full.select(pl.when(pl.col("n") == 0).then(pl.lit([], dtype=dtype)).otherwise(pl.col("v"))
                         .cast(dtype)).to_series()
    return series, bad, keys

