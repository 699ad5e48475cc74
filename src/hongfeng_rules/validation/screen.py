"""The column screen: a model's records (plain dicts) as a typed table, and the rows not surely valid.

Each field is read as one list of values: Python checks only their types (in bulk, by set of types), and
every other check of its `fields.Spec` (choices, lengths, bounds, pattern, invisible characters, supported
dates) is a Polars expression. The values of all fields with the same spec, in every table screened together
(nested records and list items included), form one pool: one column, checked by one query, and all pools in
one `collect_all`, so that a small dataset costs a handful of queries, not one per field. Each field's typed
column is then its slice of its pool; the model validators (`model_checks`) run over the assembled table. Rows
are looked at only where a pool has hits. A row that passes every check is exactly what the model would build;
any other row is reported as suspect, for `rows` to validate with its model (which gives the reasons).
"""
from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime
from functools import cache
from itertools import accumulate, chain, repeat
from typing import NamedTuple

import polars as pl

from ..invisible import _SHOWN
from ..tables.schema import SHANGHAI_INSTANT
from .fields import Spec, model_specs
from .model_checks import validator_checks

_NONE = type(None)
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
"""What `str.strip` strips (none is above U+3000), a superset of Unicode's White_Space, which the models strip
(str_strip_whitespace): a value starting or ending with one is suspect."""
_EDGES = "^[{0}]|[{0}]$".format("".join(f"\\x{{{ord(c):x}}}" for c in _SPACES))
"""A text starting or ending with one of `_SPACES` (one pass; `strip_chars` builds every stripped text)."""
_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_INSTANT = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
            r"(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?$")
_SAFE_FLOAT_INT = 2 ** 53
_EXACT = ("str", "day", "instant", "bool")  # kinds whose strict Polars construction takes exactly their types
_DOUBT = "__doubt"
_VALUE = "v"
_ROW = "__row"
_TYPED = {"day": pl.Date, "instant": SHANGHAI_INSTANT}
_KINDS = {"str": str, "bool": bool, "int": int, "day": str, "instant": str}
_OBJECTS = {"day": date, "instant": datetime}  # a table source's date or datetime cells: read as ISO text
_RAW = {"str": pl.String, "day": pl.String, "instant": pl.String, "bool": pl.Boolean, "int": pl.Int64,
        "float": pl.Float64}


class Screened(NamedTuple):
    frame: pl.DataFrame
    suspect: set[int]
    keys: int  # mapping keys read (a duplicate key in the text is read once)
    longest: int  # most items in any list cell, nested lists included


class Pools:
    """The pools of the tables prepared together (`prepare`), checked in one `collect_all` (`evaluate`)."""

    def __init__(self):
        self.by_spec: dict[Spec, _Pool] = {}
        self.own: list[_Pool] = []  # a list field's items: checked, then grouped back by row

    def add(self, spec: Spec, values: list) -> _Scalar:
        pool = self.by_spec.get(spec)
        if pool is None:
            pool = self.by_spec[spec] = _Pool(spec)
        return _Scalar(pool, pool.add(values), len(values))

    def add_lists(self, spec: Spec, items: list, lengths: list[int], given: list[bool] | None) -> _Scalar:
        pool = _Pool(spec, lengths, given)
        pool.add(items)
        self.own.append(pool)
        return _Scalar(pool, 0, len(lengths))

    def evaluate(self) -> None:
        pools = [*self.by_spec.values(), *self.own]
        for pool, out in zip(pools, pl.collect_all([p.query() for p in pools])):
            pool.settle(out)


class _Pool:
    """The values of every field with one spec (or a list field's items): one column, one query."""

    def __init__(self, spec: Spec, lengths: list[int] | None = None, given: list[bool] | None = None):
        self.spec, self.values, self.bad, self.lengths, self.given = spec, [], [], lengths, given
        self.typed: pl.Series | None = None
        self.hit: list[int] = []  # positions (a list field's: rows) refused by type or not surely valid, ascending

    def add(self, values: list) -> int:
        offset = len(self.values)
        self.values.extend(values)
        return offset

    def query(self) -> pl.LazyFrame:
        """The typed column and the doubt of the pool's values (the values are let go)."""
        spec, values, self.values, series, nulls_refused = self.spec, self.values, None, None, False
        if spec.kind in _EXACT:  # Polars refuses any value but text (or booleans) and None: no Python type check
            try:
                series, nulls_refused = pl.Series(_VALUE, values, dtype=_RAW[spec.kind], strict=True), not spec.nullable
            except (TypeError, ValueError, OverflowError):
                pass
        if series is None:
            values, self.bad = _scalars(spec, values)
            try:
                series = pl.Series(_VALUE, values, dtype=_RAW[spec.kind], strict=False)
            except UnicodeEncodeError:  # a lone surrogate (an escape JSON allows): its record goes to its model
                values, unencodable = _encodable(values)
                self.bad = sorted(set(self.bad).union(unencodable))
                series = pl.Series(_VALUE, values, dtype=_RAW[spec.kind], strict=False)
        typed, doubt = _exprs(spec, nulls_refused)
        value = pl.col(_VALUE) if typed is None else typed.alias(_VALUE)
        if self.lengths is None:
            return series.to_frame().lazy().select(value, *(() if doubt is None else (_hits(doubt),)))
        items = pl.DataFrame([series, _owner(self.lengths)]).lazy().select(
            _ROW, value, (pl.lit(False) if doubt is None else doubt.fill_null(False)).alias(_DOUBT))
        return _regroup(items, self.lengths, self.given, _TYPED.get(spec.kind) or _RAW[spec.kind])

    def settle(self, out: pl.DataFrame) -> None:
        self.typed = out.get_column(_VALUE)
        bad = self.bad if self.lengths is None else _owners_of(self.bad, self.lengths)
        hits = _rows_hit(out.get_column(_DOUBT)) if _DOUBT in out.columns else []
        self.hit = sorted(set(bad).union(hits)) if bad else hits


def _encodable(values: list) -> tuple[list, list[int]]:
    """The values with each text that is not UTF-8 (a lone surrogate) set to None, and their positions."""
    bad = []
    for i, v in enumerate(values):
        if type(v) is str:
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                bad.append(i)
    values = list(values)
    for i in bad:
        values[i] = None
    return values, bad


def _owner(lengths: list[int]) -> pl.Series:
    """For each item of the flattened lists, the row it belongs to."""
    return pl.Series(_ROW, list(chain.from_iterable(repeat(i, k) for i, k in enumerate(lengths))), dtype=pl.UInt32)


def _owners_of(items: list[int], lengths: list[int]) -> list[int]:
    """The rows of the flattened items at positions `items`, ascending."""
    if not items:
        return []
    starts = list(accumulate(lengths, initial=0))
    return sorted({bisect_left(starts, j + 1) - 1 for j in items})


def _regroup(items: pl.LazyFrame, lengths: list[int], given: list[bool] | None, dtype) -> pl.LazyFrame:
    """Items (row, v, and a doubt when it has one) grouped back into a list column of the rows (null where
    not `given`, empty where a row has no item), the doubt as any of the row's."""
    doubt = _DOUBT in items.collect_schema()
    grouped = items.group_by(_ROW, maintain_order=True).agg(_VALUE, *((pl.col(_DOUBT).any(),) if doubt else ()))
    dtype = pl.List(dtype)
    hits = (_hits(pl.col(_DOUBT)),) if doubt else ()
    if min(lengths, default=1) > 0:  # every row has items: the groups are the rows, in order
        return grouped.select(pl.col(_VALUE).cast(dtype), *hits)
    n = len(lengths)
    full = pl.DataFrame({_ROW: pl.Series(range(n), dtype=pl.UInt32),
                         "given": pl.Series([True] * n if given is None else given, dtype=pl.Boolean)})
    return full.lazy().join(grouped, on=_ROW, how="left", maintain_order="left").select(
        pl.when(pl.col("given")).then(pl.col(_VALUE).fill_null(pl.lit([], dtype=dtype))).cast(dtype).alias(_VALUE),
        *hits)


@cache
def _exprs(spec: Spec, nulls_refused: bool) -> tuple[pl.Expr | None, pl.Expr | None]:
    """`checks` of a pool's column (built once per process: building expressions costs more than a small
    table's query)."""
    e = pl.col(_VALUE)
    typed, doubt = checks(spec, e)
    if nulls_refused:
        doubt = e.is_null() if doubt is None else doubt | e.is_null()
    return typed, doubt


def _hits(mask: pl.Expr) -> pl.Expr:
    """A mask as true or null (not false): its hits are counted from the null count, with no query."""
    return pl.when(mask).then(True).alias(_DOUBT)


def _rows_hit(mask: pl.Series) -> list[int]:
    return mask.arg_true().to_list() if mask.null_count() < len(mask) else []


class _Table(NamedTuple):
    """A model's records as read, waiting for the pools: each field a `_Scalar`, `_Struct` or `_List`."""
    model: type
    n: int
    suspect: set[int]
    keys: int
    longest: int
    fields: list


class _Scalar(NamedTuple):
    """A field's values in a pool (or a list field's own pool, whose positions are rows)."""
    pool: _Pool
    offset: int
    n: int

    def finish(self, later: list) -> tuple[pl.Series, list[int]]:
        """The field's typed values and its hits (positions within the field)."""
        hit = self.pool.hit
        lo, hi = bisect_left(hit, self.offset), bisect_left(hit, self.offset + self.n)
        return self.pool.typed.slice(self.offset, self.n), [i - self.offset for i in hit[lo:hi]]


class _Struct(NamedTuple):
    table: _Table  # of the records present
    bad: list[int]  # positions holding something else than a record
    index: list[int | None] | None  # the present record of each position (None: every position has one)

    def finish(self, later: list) -> tuple[pl.Series, list[int]]:
        inner = finish([self.table])[0]
        series, inner_bad = inner.frame.to_struct(), sorted(inner.suspect)
        if self.index is not None:
            series = series.gather(pl.Series(self.index, dtype=pl.UInt32))
            where = [i for i, j in enumerate(self.index) if j is not None]
            inner_bad = [where[j] for j in inner_bad]
        return series, self.bad + inner_bad


class _List(NamedTuple):
    """A list field: its items in their own pool (`_Scalar`), or records (`_Struct`) grouped back by row once
    finished, in the query `finish` runs for all the tables it finishes."""
    item: _Scalar | _Struct
    bad: list[int]  # positions holding something else than a list
    lengths: list[int]
    given: list[bool] | None  # None: every position holds a list

    def finish(self, later: list) -> tuple[pl.Series | int, list[int]]:
        """The list column (or the index of its query in `later`), and its suspect rows."""
        column, hits = self.item.finish(later)
        if type(self.item) is _Struct:
            hits = _owners_of(hits, self.lengths)
            items = pl.DataFrame([_owner(self.lengths), column.alias(_VALUE)]).lazy()
            later.append(_regroup(items, self.lengths, self.given, column.dtype))
            column = len(later) - 1
        return column, sorted(set(self.bad).union(hits))


def prepare(model, records: list, pools: Pools) -> _Table:
    """`records` of `model` read into `pools`, to be finished (`finish`) once the pools are evaluated."""
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
    keys, longest, fields = sum(map(len, rows)), 0, []
    for f in specs:
        values = list(map(dict.get, rows, repeat(f.name, n), repeat(f.default, n)))  # missing & required: None
        field, k, deepest = _field(f.spec, values, pools)
        fields.append((f.name, field))
        keys, longest = keys + k, max(longest, deepest)
    return _Table(model, n, suspect, keys, longest, fields)


def _field(spec: Spec, values: list, pools: Pools) -> tuple[_Scalar | _Struct | _List, int, int]:
    """One field's values read into the pools: (what finishes it, the keys read, the longest list)."""
    if spec.kind == "struct":
        values, bad = _typed(values, {dict, _NONE} if spec.nullable else {dict})
        present = [v for v in values if v is not None]
        index = None
        if len(present) != len(values):
            index, j = [None] * len(values), 0
            for i, v in enumerate(values):
                if v is not None:
                    index[i], j = j, j + 1
        table = prepare(spec.model, present, pools)
        return _Struct(table, bad, index), table.keys, table.longest
    if spec.kind == "list":
        values, bad = _typed(values, {list, _NONE} if spec.nullable else {list})
        lengths = [len(v) if v is not None else 0 for v in values]
        given = None if _NONE not in map(type, values) else [v is not None for v in values]
        items = list(chain.from_iterable(v for v in values if v))
        longest = max(lengths, default=0)
        if spec.item.kind in ("struct", "list"):
            item, keys, deepest = _field(spec.item, items, pools)
            return _List(item, bad, lengths, given), keys, max(longest, deepest)
        return _List(pools.add_lists(spec.item, items, lengths, given), bad, lengths, given), 0, longest
    return pools.add(spec, values), 0, 0


def _typed(values: list, ok: set) -> tuple[list, list[int]]:
    if set(map(type, values)) <= ok:
        return values, []
    bad = [i for i, v in enumerate(values) if type(v) not in ok]
    values = list(values)
    for i in bad:
        values[i] = None
    return values, bad


def finish(tables: list[_Table]) -> list[Screened]:
    """The screened tables, once their pools are evaluated: one query groups every list of records back by
    row and runs the model validators (`model_checks`) over the typed columns."""
    later, done = [], []
    for table in tables:
        columns, suspect = [], set(table.suspect)
        for name, field in table.fields:
            column, bad = field.finish(later)
            columns.append((name, column))
            suspect.update(bad)
        checked = None
        validators = validator_checks(table.model)
        if validators and table.n:
            ready = pl.DataFrame([c.alias(name) for name, c in columns if not isinstance(c, int)])
            if _validator_columns(table.model) <= set(ready.columns):
                later.append(ready.lazy().select(_hits(pl.any_horizontal(validators).fill_null(True))))
                checked = len(later) - 1
        done.append((table, columns, suspect, checked))
    found = pl.collect_all(later) if later else []
    out = []
    for table, columns, suspect, checked in done:
        frame = pl.DataFrame([(found[c].get_column(_VALUE) if isinstance(c, int) else c).alias(name)
                              for name, c in columns])
        if checked is not None:
            suspect.update(_rows_hit(found[checked].get_column(_DOUBT)))
        elif validator_checks(table.model) and table.n:
            suspect.update(_rows_hit(frame.select(
                _hits(pl.any_horizontal(validator_checks(table.model)).fill_null(True))).to_series()))
        out.append(Screened(frame, suspect, table.keys, table.longest))
    return out


@cache
def _validator_columns(model) -> frozenset[str]:
    return frozenset(chain.from_iterable(e.meta.root_names() for e in validator_checks(model)))


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
        doubts.append(e.str.contains(_EDGES + "|" + _SHOWN.pattern if spec.hidden else _EDGES))
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
    elif spec.kind == "day":  # exactly YYYY-MM-DD (ASCII digits) that is a day: the day read back as text is the text
        typed = e.str.to_date("%Y-%m-%d", strict=False)
        doubts.append(~e.str.contains(_DAY) | typed.is_null() | ~typed.dt.year().is_between(1900, 2199))
    elif spec.kind == "instant":
        typed, doubt = _instants(e)
        doubts.append(doubt)
    if not doubts:
        return typed, None
    return typed, pl.any_horizontal(doubts) & e.is_not_null()


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


