"""`Tables`: a dataset as one Polars DataFrame per collection (None: the collection was not provided)."""
from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ..models import COLLECTIONS, Dataset
from .schema import table_schema


@dataclass
class Tables:
    """The collections of one dataset, each a DataFrame with the schema `table_schema(model)`.

    A missing collection is None ("not provided": rules that need it are not assessable); an empty one is
    a DataFrame with no rows."""

    frames: dict[str, pl.DataFrame | None] = field(default_factory=dict)

    def get(self, collection: str) -> pl.DataFrame | None:
        if collection not in COLLECTIONS:
            raise KeyError(f"unknown collection {collection!r}")
        return self.frames.get(collection)

    def has(self, collection: str) -> bool:
        return self.get(collection) is not None

    def rows(self) -> int:
        return sum(f.height for f in self.frames.values() if f is not None)


def from_records(collection: str, records: list[dict]) -> pl.DataFrame:
    """A collection's table from plain, already validated records (dicts of Python values)."""
    schema = table_schema(COLLECTIONS[collection].model)
    return pl.DataFrame(records, schema=schema, strict=False)


def from_dataset(dataset: Dataset) -> Tables:
    """The tables of a validated `Dataset` (a host's model instances), converted once."""
    frames: dict[str, pl.DataFrame | None] = {}
    for name in COLLECTIONS:
        records = getattr(dataset, name)
        frames[name] = None if records is None else from_records(name, [r.model_dump() for r in records])
    return Tables(frames)
