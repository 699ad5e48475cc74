"""The column screen: a model's records (plain dicts) as a typed table, and the rows not surely valid.

Each field is read as one column: Python checks only the types of its values (in bulk, by set of types),
and every other check of its `fields.Spec` (choices, lengths, bounds, pattern, invisible characters,
supported dates) and of the model validators (`model_checks`) is one Polars expression. A model's table
is built, typed and checked in one query: a single mask says which rows are not surely valid, and rows
are looked at only when it has hits. A row that passes every check is exactly what the model would build;
any other row is reported as suspect, for `rows` to validate with its model (which gives the reasons).
A list field's items are read as one column, checked in one query and grouped back by row."""
from __future__ import annotations

from datetime import date, datetime
from functools import cache
from itertools import chain, repeat
from typing import NamedTuple

import polars as pl

from ..invisible import _SHOWN
from ..tables.schema import SHANGHAI_INSTANT, table_schema
from .fields import Spec, model_specs
from .model_checks import validator_checks

_NONE = type(None)
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
"""What `str.strip` strips (none is above U+3000), a superset of Unicode's White_Space, which the models strip
(str_strip_whitespace): a value starting or ending with one is suspect."""
_INSTANT = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
            r"(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?$")
_SAFE_FLOAT_INT = 2 ** 53
_EXACT = ("str", "day", "instant", "bool")  # kinds whose strict Polars construction takes exactly their types
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
    spec: Spec | None = None  # a scalar field: checked by `exprs` (None: the series is typed)
    keys: int = 0
    longest: int = 0
    nulls_refused: bool = False  # built by Polars with no Python check: a null where none is allowed is doubtful

    def exprs(self, name: str) -> tuple[pl.Expr | None, pl.Expr | None]:
        """(the typed column or None if the series is, the doubt or None) over the series as column `name`."""
        return (None, None) if self.spec is None else _exprs(self.spec, name, self.nulls_refused)


@cache
def _exprs(spec: Spec, name: str, nulls_refused: bool) -> tuple[pl.Expr | None, pl.Expr | None]:
    """`checks` of column `name` (built once: a small table's query costs less than building its expressions)."""
    e = pl.col(name)
    typed, doubt = checks(spec, e)
    if nulls_refused:
        doubt = e.is_null() if doubt is None else doubt | e.is_null()
    return typed, doubt


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
        typed_expr, doubt = col.exprs(f.name)
        typed.append(pl.col(f.name) if typed_expr is None else typed_expr.alias(f.name))
        if doubt is not None:
            doubts.append(doubt)
        suspect.update(col.bad)
        keys, longest = keys + col.keys, max(longest, col.longest)
    doubt = pl.any_horizontal(doubts).fill_null(False) if doubts else pl.lit(False)
    query = pl.DataFrame(raw, schema=_raw_schema(model)).lazy().select(*typed, doubt.alias(_DOUBT))
    validators = validator_checks(model)
    if validators:  # over the typed columns
        query = query.with_columns(pl.col(_DOUBT) | pl.any_horizontal(validators).fill_null(True))
    out = query.with_columns(_hits(pl.col(_DOUBT))).collect()
    suspect.update(_rows_hit(out.drop_in_place(_DOUBT)))
    return Screened(out, suspect, keys, longest)


def _hits(mask: pl.Expr) -> pl.Expr:
    """A mask as true or null (not false): its hits are counted from the null count, with no query."""
    return pl.when(mask).then(True).alias(_DOUBT)


def _rows_hit(mask: pl.Series) -> list[int]:
    return mask.arg_true().to_list() if mask.null_count() < len(mask) else []


@cache
def _raw_schema(model) -> dict:
    return {f.name: _raw_dtype(f.spec, table_schema(model)[f.name]) for f in model_specs(model)}


def _raw_dtype(spec: Spec, dtype: pl.DataType) -> pl.DataType:
    return _RAW.get(spec.kind, dtype)


def column(spec: Spec, values: list) -> _Column:
    """One field's values as a column: the positions refused by type, and what checks the rest."""
    if spec.kind == "struct":
        return _structs(spec, values)
    if spec.kind == "list":
        return _lists(spec, values)
    if spec.kind in _EXACT:  # Polars refuses any value but text (or booleans) and None: no Python type check
        try:
            return _Column(pl.Series(values, dtype=_RAW[spec.kind], strict=True), [], spec,
                           nulls_refused=not spec.nullable)
        except (TypeError, ValueError, OverflowError):
            pass
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
        doubts.append(e.str.strip_chars(_SPACES) != e)
        if spec.hidden:
            doubts.append(e.str.contains(_SHOWN.pattern))
        if spec.choices is not None:
            doubts.append(~e.is_in(sorted(spec.choices)))
        if spec.min_length is not None:
            doubts.append(e.str.len_chars() < spec.min_length)
        if spec.max_length is not None:
            doubts.append(e.str.len_chars() > spec.max_length)
        if spec.pattern is not None:
            doubts.append(~e.str.contains(spec.pattern))
    elif spec.kind in ("int", "float"):
        if spec.kind == "float":  # a huge number may have been written as an integer: the model reads it
            doubts.append(~e.is_finite() | (e.abs() >= _SAFE_FLOAT_INT))
        if spec.ge is not None:
            doubts.append(e < spec.ge)
        if spec.le is not None:
            doubts.append(e > spec.le)
    elif spec.kind == "day":  # exactly YYYY-MM-DD: the day read back as text is the text
        typed = e.str.to_date("%Y-%m-%d", strict=False)
        doubts.append((typed.dt.to_string("%Y-%m-%d") != e).fill_null(True) | ~typed.dt.year().is_between(1900, 2199))
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
    aware = e.str.ends_with("Z") | e.str.slice(-6, 1).is_in(["+", "-"])  # of the text `_INSTANT` matches
    text = e.str.replace("Z", "+00:00", literal=True)
    naive = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_unit="us", strict=False).dt.replace_time_zone(
        "Asia/Shanghai", ambiguous="null", non_existent="null")
    zoned = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", time_unit="us", strict=False).dt.convert_time_zone(
        "Asia/Shanghai")
    parsed = pl.when(aware).then(zoned).otherwise(naive).cast(SHANGHAI_INSTANT)
    # a year of margin on each side of the supported days, whatever the offset
    return parsed, ~e.str.contains(_INSTANT) | parsed.is_null() | ~parsed.dt.year().is_between(1901, 2198)


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
    """A list field: its items read as one column (checked like a field's) and grouped back by row, in one
    query; a row is suspect if any of its items is."""
    ok = {list, _NONE} if spec.nullable else {list}
    values, bad = _typed(values, ok)
    lengths = [len(v) if v is not None else 0 for v in values]
    inner = column(spec.item, list(chain.from_iterable(v for v in values if v)))
    typed, doubt = inner.exprs("v")
    n = len(values)
    owner = pl.select(pl.int_range(n, dtype=pl.UInt32).repeat_by(pl.lit(pl.Series(lengths, dtype=pl.UInt32)))
                      .explode(empty_as_null=False)).to_series()
    items = pl.DataFrame({"row": owner, "v": inner.series}).lazy().select(
        "row", pl.col("v") if typed is None else typed.alias("v"),
        (pl.lit(False) if doubt is None else doubt.fill_null(False)).alias("d"))
    grouped = items.group_by("row", maintain_order=True).agg("v", pl.col("d").any())
    dtype = pl.List(_item_dtype(inner, typed))
    if min(lengths, default=1) > 0:  # every row has items: the groups are the rows, in order
        out = grouped.select(pl.col("v").cast(dtype), pl.when("d").then(True).alias("d")).collect()
    else:
        full = pl.DataFrame({"row": pl.Series(range(n), dtype=pl.UInt32),
                             "given": pl.Series([v is not None for v in values], dtype=pl.Boolean)})
        out = full.lazy().join(grouped, on="row", how="left", maintain_order="left").select(
            pl.when(pl.col("given")).then(pl.col("v").fill_null(pl.lit([], dtype=dtype))).cast(dtype).alias("v"),
            pl.when(pl.col("d")).then(True).alias("d")).collect()
    bad = bad + _rows_hit(out.get_column("d"))
    if inner.bad:
        owners = _owners(lengths)
        bad = bad + sorted({owners[j] for j in inner.bad})
    return _Column(out.get_column("v"), bad, None, inner.keys, max(max(lengths, default=0), inner.longest))


def _item_dtype(inner: _Column, typed: pl.Expr | None) -> pl.DataType:
    if typed is None:
        return inner.series.dtype
    return {"day": pl.Date, "instant": SHANGHAI_INSTANT}[inner.spec.kind]


def _owners(lengths: list[int]) -> list[int]:
    """For each item of the flattened lists, the row it belongs to."""
    return list(chain.from_iterable(repeat(i, k) for i, k in enumerate(lengths)))
