"""Polars schemas derived from the pydantic models: the models stay the one schema.

Text, ids and closed choices (`Literal`) are `String`; whole numbers `Int64`; amounts `Float64`;
dates `Date`; instants `Datetime("us", "Asia/Shanghai")` (every instant the models accept is aware,
so the zone loses nothing); a nested model is a `Struct`, a list of them a `List(Struct)`.
"""
from __future__ import annotations

import types
import typing
from datetime import date, datetime
from functools import cache

import polars as pl
from pydantic import BaseModel

SHANGHAI_INSTANT = pl.Datetime("us", "Asia/Shanghai")
_SCALARS = {str: pl.String, int: pl.Int64, float: pl.Float64, bool: pl.Boolean, date: pl.Date,
            datetime: SHANGHAI_INSTANT}


def dtype_of(annotation) -> pl.DataType:
    """The Polars type of one field annotation (Optional is nullability: every column is nullable)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return dtype_of(args[0])
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"no column type for the union {annotation!r}")
        return dtype_of(inner[0])
    if origin is list:
        return pl.List(dtype_of(args[0]))
    if origin is typing.Literal:
        if all(isinstance(a, str) for a in args):
            return pl.String
        raise TypeError(f"no column type for {annotation!r}")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pl.Struct(table_schema(annotation))
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    raise TypeError(f"no column type for {annotation!r}")


@cache
def table_schema(model: type[BaseModel]) -> pl.Schema:
    """The columns of a record type's table, in the model's field order."""
    return pl.Schema({name: dtype_of(f.annotation) for name, f in model.model_fields.items()})


@cache
def json_read_schema(model: type[BaseModel], days_as_text: bool = False) -> pl.Schema:
    """`table_schema(model)` as Polars' JSON reader is given it: instants as text (it refuses "+08:00" offsets),
    days too with `days_as_text` (read back exactly by the column checks, `validation.typed`)."""
    def text_times(dtype):
        if isinstance(dtype, pl.Datetime) or (days_as_text and dtype == pl.Date):
            return pl.String
        if isinstance(dtype, pl.List):
            return pl.List(text_times(dtype.inner))
        if isinstance(dtype, pl.Struct):
            return pl.Struct({f.name: text_times(f.dtype) for f in dtype.fields})
        return dtype
    return pl.Schema({name: text_times(dtype) for name, dtype in table_schema(model).items()})
