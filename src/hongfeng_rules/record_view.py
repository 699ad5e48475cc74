"""Validated `Tables` as model instances: `records` converts one collection (what `loading.to_dataset` builds a
host's `Dataset` from), and `RecordView` converts each collection on first use, for the few places that read a
record at a time (explanations), never the audit itself."""
from __future__ import annotations

from functools import cache
from typing import Any, Callable

import polars as pl
from pydantic import BaseModel

from .models import COLLECTIONS
from .models.base import inner_type, trusted
from .tables import Tables


def records(collection: str, frame: pl.DataFrame) -> list[Any]:
    """The table's rows as the collection's model instances, built without a second validation: the tables
    were validated from the models (`validation`), and every column is a field (`tables.schema`)."""
    return list(map(_builder(COLLECTIONS[collection].model), frame.to_dicts()))


@cache
def _builder(model: type[BaseModel]) -> Callable[[dict], BaseModel]:
    """Builds `model` from a row dict: nested models (a struct, a list of structs) first, then the instance."""
    nested = {}
    for name, info in model.model_fields.items():
        inner = inner_type(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            nested[name] = _builder(inner)

    def build(row: dict) -> BaseModel:
        for name, sub in nested.items():
            value = row[name]
            if isinstance(value, list):
                row[name] = [None if v is None else sub(v) for v in value]
            elif value is not None:
                row[name] = sub(value)
        return trusted(model, **row)
    return build


class RecordView:
    """Reads like a `Dataset` (`view.members` is the list of Member models, None when not provided); a collection
    is converted from its table only when first read."""

    def __init__(self, tables: Tables):
        self._tables, self._built = tables, {}

    def __getattr__(self, collection: str) -> list[Any] | None:
        if collection.startswith("_") or collection not in COLLECTIONS:
            raise AttributeError(collection)
        if collection not in self._built:
            frame = self._tables.get(collection)
            self._built[collection] = None if frame is None else records(collection, frame)
        return self._built[collection]
