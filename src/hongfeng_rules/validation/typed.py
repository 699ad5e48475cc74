"""Typed columns (a Parquet file or Arrow table written with the tables' schema) checked in place: the same
`fields.Spec` constraints as the screen, on the columns as they are, with no value brought into Python.
A table whose columns do not carry the schema is not typed: it goes the way of any table (`sources`)."""
from __future__ import annotations

import polars as pl

from ..tables.schema import SHANGHAI_INSTANT, table_schema
from ..timecalc import FIRST_DAY, LAST_DAY
from .fields import Spec, model_specs
from .model_checks import refused_by_validators
from .screen import _check

_TIMES = {"day": pl.Date, "instant": SHANGHAI_INSTANT}


def typed_table(model, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series] | None:
    """(the model's table, a mask of rows not surely valid), or None when `frame` does not carry the schema."""
    specs = {f.name: f for f in model_specs(model)}
    if set(frame.columns) - set(specs):
        return None
    columns, doubts = [], []
    for name, f in specs.items():
        if name not in frame.columns:
            if f.required:
                return None
            columns.append(pl.Series(name, [f.default] * frame.height, dtype=table_schema(model)[name]))
            continue
        column = frame[name]
        if f.default is not None and not f.spec.nullable:  # an empty cell of a field with a default: the default
            column = column.fill_null(pl.lit(f.default, dtype=column.dtype)) if column.null_count() else column
        found = _column(f.spec, column, table_schema(model)[name])
        if found is None:
            return None
        columns.append(found[0].alias(name))
        doubts.append(found[1])
    table = pl.DataFrame(columns)
    doubt = pl.Series([False] * table.height)
    for d in doubts:
        doubt = doubt | d
    for i in refused_by_validators(model, table):
        doubt[i] = True
    return table, doubt


def _column(spec: Spec, s: pl.Series, dtype) -> tuple[pl.Series, pl.Series] | None:
    """(the column in the table's type, its doubtful rows) or None if its type does not fit the field."""
    null = s.is_null() if not spec.nullable else pl.Series([False] * len(s))
    if spec.kind == "struct":
        if not isinstance(s.dtype, pl.Struct):
            return None
        inner = typed_table(spec.model, s.struct.unnest())
        if inner is None:
            return None
        table, doubt = inner
        struct = table.to_struct(s.name)
        struct = pl.select(pl.when(s.is_null()).then(None).otherwise(struct)).to_series()
        return struct, (doubt & s.is_not_null()) | null
    if spec.kind == "list":
        if s.dtype != dtype:
            return None
        found = _column(spec.item, s.drop_nulls().explode(empty_as_null=False), dtype.inner)
        if found is None:
            return None
        owner = pl.select(pl.int_range(len(s)).repeat_by(s.list.len().fill_null(0)).explode(empty_as_null=False)
                          ).to_series()
        doubtful = owner.filter(found[1]).unique().implode()
        return s, pl.int_range(len(s), eager=True).is_in(doubtful) | null
    if spec.kind in _TIMES and s.dtype == _TIMES[spec.kind]:
        day = s if spec.kind == "day" else s.dt.date()  # an instant column is in Shanghai time
        return s, (~day.is_between(FIRST_DAY, LAST_DAY)).fill_null(False) | null
    want = pl.String if spec.kind in ("str", "day", "instant") else dtype
    if s.dtype != want:
        return None
    series, doubt = _check(spec, s)
    return series, (doubt.fill_null(False) if doubt is not None else pl.Series([False] * len(s))) | null
