"""The column screen: a model's records (plain dicts) as a typed table, and the rows not surely valid.

Each field is read as one column: Python checks only the types of its values (in bulk, by set of types),
and every other check of its `fields.Spec` (choices, lengths, bounds, pattern, invisible characters,
supported dates) and of the model validators (`model_checks`) is one Polars expression. A model's table
is built, typed and checked in one query: a single mask says which rows are not surely valid, and rows
are looked at only when it has hits. A row that passes every check is exactly what the model would build;
any other row is reported as suspect, for `rows` to validate with its model (which gives the reasons).
A list of records is screened as one column of its items (one query for all of them) and grouped back."""
from __future__ import annotations

from datetime import date, datetime
from itertools import chain, repeat
from typing import NamedTuple

import polars as pl

from ..invisible import _SHOWN
from ..tables.schema import SHANGHAI_INSTANT, dtype_of, table_schema
from .fields import Spec, model_specs
from .model_checks import validator_checks

_NONE = type(None)
_EDGE_SPACE = r"^[\s\x1c-\x1f]|[\s\x1c-\x1f]$"  # stripped by the models (str_strip_whitespace)
_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_INSTANT = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
            r"(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?$")
_SAFE_FLOAT_INT = 2 ** 53
_DOUBT = "__doubt"
_KINDS = {"str": str, "bool": bool, "int": int, "day": str, "instant": str}
_OBJECTS = {"day": date, "instant": datetime}  # a table source's date or datetime cells: read as ISO text
_RAW = {"str": pl.String, "day": pl.String, "instant": pl.String, "bool": pl.Boolean, "int": pl.Int64,
        "float": pl.Float64}


class Screened(NamedTuple):
    frame: pl.DataFrame
    suspect: set[int]
    keys: int  # mapping keys read (a duplicate key in the text is read once)
    longest: int  # most items in any list cell, nested lists included


class _Column(NamedTuple):
    series: pl.Series  # raw (scalars: text, numbers) or already typed (records, lists of records)
    bad: list[int]  # positions refused by their Python type, or holding a suspect nested record
    spec: Spec | None = None  # scalars and lists of scalars: checked by `exprs` (None: the series is typed)
    keys: int = 0
    longest: int = 0

    def exprs(self, e: pl.Expr) -> tuple[pl.Expr | None, pl.Expr | None]:
        """(the typed column or None if the series is, the doubt or None) over the series' column `e`."""
        if self.spec is None:
            return None, None
        if self.spec.kind != "list":
            return checks(self.spec, e)
        item_typed, item_doubt = checks(self.spec.item, pl.element())
        return (None if item_typed is None else e.list.eval(item_typed),
                None if item_doubt is None else e.list.eval(item_doubt).list.any())


def screen(model, records: list) -> Screened:
    """The typed table of `records` of `model`, its suspect rows, the keys read and the longest list."""
    specs = model_specs(model)
    n = len(records)
    suspect: set[int] = set()
    rows = records
    if set(map(type, records)) - {dict}:
        suspect = {i for i, r in enumerate(records) if type(r) is not dict}
        rows = [r if type(r) is dict else {} for r in records]
    allowed = frozenset(f.name for f in specs)
    if not set(chain.from_iterable(rows)) <= allowed:
        suspect.update(i for i, r in enumerate(rows) if not r.keys() <= allowed)
    keys, longest = sum(map(len, rows)), 0
    raw, typed, doubts = {}, [], []
    for f in specs:
        values = list(map(dict.get, rows, repeat(f.name, n), repeat(f.default, n)))  # missing & required: None
        col = column(f.spec, values)
        raw[f.name] = col.series.alias(f.name)
        typed_expr, doubt = col.exprs(pl.col(f.name))
        typed.append(pl.col(f.name) if typed_expr is None else typed_expr.alias(f.name))
        if doubt is not None:
            doubts.append(doubt)
        suspect.update(col.bad)
        keys, longest = keys + col.keys, max(longest, col.longest)
    doubt = pl.any_horizontal(doubts).fill_null(False) if doubts else pl.lit(False)
    query = pl.DataFrame(raw, schema=_raw_schema(model)).lazy().select(*typed, doubt.alias(_DOUBT))
    validators = validator_checks(model)
    if validators:
        query = query.with_columns(pl.col(_DOUBT) | pl.any_horizontal(validators).fill_null(True))
    out = query.collect()
    if n and out.get_column(_DOUBT).any():
        suspect.update(out.get_column(_DOUBT).arg_true().to_list())
    return Screened(out.drop(_DOUBT), suspect, keys, longest)


def _raw_schema(model) -> dict:
    return {f.name: _raw_dtype(f.spec, table_schema(model)[f.name]) for f in model_specs(model)}


def _raw_dtype(spec: Spec, dtype: pl.DataType) -> pl.DataType:
    if spec.kind == "list" and spec.item.kind not in ("struct", "list"):
        return pl.List(_RAW[spec.item.kind])
    return _RAW.get(spec.kind, dtype)


def column(spec: Spec, values: list) -> _Column:
    """One field's values as a column: the positions refused by type, and what checks the rest."""
    if spec.kind == "struct":
        return _structs(spec, values)
    if spec.kind == "list":
        return _lists(spec, values)
    values, bad = _scalars(spec, values)
    return _Column(pl.Series(values, dtype=_RAW[spec.kind], strict=False), bad, spec)


def _scalars(spec: Spec, values: list) -> tuple[list, list[int]]:
    """The values with those of a wrong type (or too large a number) set to None, and their positions."""
    ok = {_KINDS[spec.kind]} if spec.kind != "float" else {float, int}
    if spec.kind in _OBJECTS:
        ok.add(_OBJECTS[spec.kind])
    if spec.nullable:
        ok.add(_NONE)
    types = set(map(type, values))
    bad = []
    if not types <= ok:
        bad = [i for i, v in enumerate(values) if type(v) not in ok]
        values = list(values)
        for i in bad:
            values[i] = None
    if spec.kind in _OBJECTS and _OBJECTS[spec.kind] in types:
        kind = _OBJECTS[spec.kind]
        values = [v.isoformat() if type(v) is kind else v for v in values]
    if spec.kind in ("int", "float") and int in types:
        limit = 2 ** 63 if spec.kind == "int" else _SAFE_FLOAT_INT
        big = [i for i, v in enumerate(values) if type(v) is int and not -limit < v < limit]
        if big:
            values, bad = list(values), bad + big
            for i in big:
                values[i] = None
    return values, bad


def checks(spec: Spec, e: pl.Expr) -> tuple[pl.Expr | None, pl.Expr | None]:
    """(the typed column or None if the raw one is, a mask of values not surely valid or None) of the raw
    column `e` of a scalar field (text, numbers and booleans as read; days and instants as text)."""
    doubts = []
    typed = None
    if spec.kind == "str":
        doubts.append(e.str.contains(_EDGE_SPACE + ("|" + _SHOWN.pattern if spec.hidden else "")))
        if spec.choices is not None:
            doubts.append(~e.is_in(sorted(spec.choices)))
        if spec.min_length is not None:
            doubts.append(e.str.len_chars() < spec.min_length)
        if spec.max_length is not None:
            doubts.append(e.str.len_chars() > spec.max_length)
        if spec.pattern is not None:
            doubts.append(~e.str.contains(spec.pattern))
    elif spec.kind in ("int", "float"):
        if spec.kind == "float":
            doubts.append(~e.is_finite())
        if spec.ge is not None:
            doubts.append(e < spec.ge)
        if spec.le is not None:
            doubts.append(e > spec.le)
    elif spec.kind == "day":
        typed = e.str.to_date("%Y-%m-%d", strict=False)
        year = e.str.slice(0, 4).cast(pl.Int32, strict=False)
        doubts.append(~e.str.contains(_DAY) | typed.is_null() | ~year.is_between(1900, 2199))
    elif spec.kind == "instant":
        typed, doubt = _instants(e)
        doubts.append(doubt)
    if not doubts:
        return typed, None
    return typed, pl.any_horizontal(doubts) & e.is_not_null()


def _check(spec: Spec, s: pl.Series) -> tuple[pl.Series, pl.Series | None]:
    """`checks` on a series: (the typed series, its mask of values not surely valid, or None)."""
    typed, doubt = checks(spec, pl.col(s.name))
    out = s.to_frame().select((pl.col(s.name) if typed is None else typed).alias("typed"),
                              (pl.lit(None, pl.Boolean) if doubt is None else doubt).alias("doubt"))
    return out.get_column("typed").alias(s.name), None if doubt is None else out.get_column("doubt")


def _instants(e: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """ISO text to Shanghai instants (naive text is Shanghai wall-clock time), and the doubtful ones."""
    aware = e.str.ends_with("Z") | e.str.contains(r"[+-][0-9]{2}:[0-9]{2}$")
    text = e.str.replace(r"Z$", "+00:00")
    naive = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_unit="us", strict=False).dt.replace_time_zone(
        "Asia/Shanghai", ambiguous="null", non_existent="null")
    zoned = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", time_unit="us", strict=False).dt.convert_time_zone(
        "Asia/Shanghai")
    parsed = pl.when(aware).then(zoned).otherwise(naive).cast(SHANGHAI_INSTANT)
    year = e.str.slice(0, 4).cast(pl.Int32, strict=False)
    return parsed, ~e.str.contains(_INSTANT) | parsed.is_null() | ~year.is_between(1901, 2198)


def _structs(spec: Spec, values: list) -> _Column:
    """Nested records: screened as a table of the present ones, then a struct column (null where absent)."""
    ok = {dict, _NONE} if spec.nullable else {dict}
    values, bad = _typed(values, ok)
    present = [v for v in values if v is not None]
    inner = screen(spec.model, present)
    series = inner.frame.to_struct()
    inner_bad = sorted(inner.suspect)
    if len(present) != len(values):
        where = [i for i, v in enumerate(values) if v is not None]
        index = [None] * len(values)
        for j, i in enumerate(where):
            index[i] = j
        series = series.gather(pl.Series(index, dtype=pl.UInt32))
        inner_bad = [where[j] for j in inner_bad]
    return _Column(series, bad + inner_bad, None, inner.keys, inner.longest)


def _typed(values: list, ok: set) -> tuple[list, list[int]]:
    if set(map(type, values)) <= ok:
        return values, []
    bad = [i for i, v in enumerate(values) if type(v) not in ok]
    values = list(values)
    for i in bad:
        values[i] = None
    return values, bad


def _lists(spec: Spec, values: list) -> _Column:
    """A list field: of scalars, built as read and checked item by item in the table's query; of records
    (or lists), its items screened as one column and grouped back by row."""
    ok = {list, _NONE} if spec.nullable else {list}
    values, bad = _typed(values, ok)
    lengths = [len(v) if v is not None else 0 for v in values]
    longest = max(lengths, default=0)
    items = list(chain.from_iterable(v for v in values if v))
    if spec.item.kind not in ("struct", "list"):
        kept, item_bad = _scalars(spec.item, items)
        if kept is not items:
            values = _split(kept, values, lengths)
        if item_bad:  # a wrong item: its row is suspect, its cell left empty (the model words the row)
            owners = _owners(lengths)
            rows = sorted({owners[j] for j in item_bad})
            for i in rows:
                values[i] = None
            bad = bad + rows
        series = pl.Series(values, dtype=pl.List(_RAW[spec.item.kind]), strict=False)
        return _Column(series, bad, spec, 0, longest)
    inner = column(spec.item, items)
    if inner.bad:
        owners = _owners(lengths)
        bad = bad + sorted({owners[j] for j in inner.bad})
    dtype = pl.List(inner.series.dtype)
    n = len(values)
    owner = pl.select(pl.int_range(n, dtype=pl.UInt32).repeat_by(pl.lit(pl.Series(lengths, dtype=pl.UInt32)))
                      .explode(empty_as_null=False)).to_series()
    grouped = pl.DataFrame({"row": owner, "v": inner.series}).lazy().group_by("row", maintain_order=True).agg("v")
    if min(lengths, default=1) > 0:  # every row has items: the groups are the rows, in order
        series = grouped.select(pl.col("v").cast(dtype)).collect().to_series()
    else:
        full = pl.DataFrame({"row": pl.Series(range(n), dtype=pl.UInt32),
                             "given": pl.Series([v is not None for v in values], dtype=pl.Boolean)})
        series = full.lazy().join(grouped, on="row", how="left", maintain_order="left").select(
            pl.when(pl.col("given")).then(pl.col("v").fill_null(pl.lit([], dtype=dtype))).cast(dtype)
        ).collect().to_series()
    return _Column(series, bad, None, inner.keys, max(longest, inner.longest))


def _owners(lengths: list[int]) -> list[int]:
    """For each item of the flattened lists, the row it belongs to."""
    return list(chain.from_iterable(repeat(i, k) for i, k in enumerate(lengths)))


def _split(items: list, values: list, lengths: list[int]) -> list:
    out, at = [], 0
    for v, k in zip(values, lengths):
        out.append(None if v is None else items[at:at + k])
        at += k
    return out
