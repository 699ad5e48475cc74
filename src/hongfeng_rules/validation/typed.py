"""Typed columns (a Parquet file or Arrow table written with the tables' schema, or a JSON file read by Polars
where the shape census proves it exact: `tables.json_census`) checked in place: the same `fields.Spec`
constraints as the screen, with no value brought into Python. Every column and the model validators are one
query (nested records through struct fields, list items through `list.eval`). A table whose columns do not
carry the schema (days and instants may be text) is not typed: it goes the way of any table (`sources`)."""
from __future__ import annotations

import polars as pl

from ..tables.schema import SHANGHAI_INSTANT, table_schema
from ..timecalc import FIRST_DAY, LAST_DAY
from .fields import Spec, model_specs
from .model_checks import validator_checks
from .screen import checks

_TIMES = {"day": pl.Date, "instant": SHANGHAI_INSTANT}
_DOUBT = "__doubt"


def typed_table(model, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series] | None:
    """(the model's table, a mask of rows not surely valid), or None when `frame` does not carry the schema.
    An empty cell is a field not given (its default, or a problem if it is required)."""
    found = _fields(model, frame.schema, pl.col)
    if found is None:
        return None
    typed, doubts = found
    doubt = pl.any_horizontal(doubts) if doubts else pl.lit(False)
    query = frame.lazy().select(*typed, doubt.alias(_DOUBT))
    validators = validator_checks(model)
    if validators:
        query = query.with_columns(pl.col(_DOUBT) | pl.any_horizontal(validators).fill_null(True))
    out = query.collect()
    table = out.drop(_DOUBT)
    if table.schema != table_schema(model):
        return None
    return table, out.get_column(_DOUBT)


def _fields(model, schema, get) -> tuple[list[pl.Expr], list[pl.Expr]] | None:
    """The typed expressions of `model`'s fields (read with `get(name)` from columns of `schema`) and their
    doubts (true: not surely valid), or None if a column's type does not fit its field."""
    specs = model_specs(model)
    if set(schema) - {f.name for f in specs}:
        return None
    wanted, typed, doubts = table_schema(model), [], []
    for f in specs:
        if f.name not in schema:
            if f.required:
                return None
            typed.append(pl.lit(f.default, dtype=wanted[f.name]).alias(f.name))
            continue
        e = get(f.name)
        if f.default is not None and not f.spec.nullable:  # an empty cell of a field with a default: the default
            e = e.fill_null(pl.lit(f.default, dtype=schema[f.name]))
        found = _column(f.spec, e, schema[f.name], wanted[f.name])
        if found is None:
            return None
        typed.append(found[0].alias(f.name))
        doubts.append(found[1])
    return typed, doubts


def _column(spec: Spec, e: pl.Expr, dtype, want) -> tuple[pl.Expr, pl.Expr] | None:
    """(the column in the table's type `want`, its doubt) of the column `e` of type `dtype`, or None."""
    if spec.kind == "struct":
        if not isinstance(dtype, pl.Struct) or validator_checks(spec.model):
            return None
        inner = _fields(spec.model, pl.Schema({f.name: f.dtype for f in dtype.fields}), e.struct.field)
        if inner is None:
            return None
        typed, doubts = inner
        value = pl.when(e.is_null()).then(pl.lit(None, dtype=want)).otherwise(pl.struct(typed))
        doubt = (pl.any_horizontal(doubts) & e.is_not_null()) if doubts else pl.lit(False)
    elif spec.kind == "list":
        if not isinstance(dtype, pl.List):
            return None
        item = _column(spec.item, pl.element(), dtype.inner, want.inner)
        if item is None:
            return None
        value = e.list.eval(item[0])  # rebuilt even when the types fit: an item's empty cell takes its default
        doubt = e.list.eval(item[1]).list.any().fill_null(False)
    elif spec.kind in _TIMES and dtype == _TIMES[spec.kind]:
        day = e if spec.kind == "day" else e.dt.date()  # an instant column is in Shanghai time
        value, doubt = e, (~day.is_between(FIRST_DAY, LAST_DAY)).fill_null(False)
    else:
        if dtype != (pl.String if spec.kind in ("str", "day", "instant") else want):
            return None
        typed, doubt = checks(spec, e)
        value = e if typed is None else typed
        doubt = pl.lit(False) if doubt is None else doubt.fill_null(False)
    return value, (doubt | e.is_null()) if not spec.nullable else doubt
