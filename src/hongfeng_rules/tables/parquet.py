"""Parquet files that carry the tables' schema, read straight into tables (`write_parquet` writes them).

Such a file is read by Polars as it is and checked column-wise in place (`validation.typed`); a record
whose values are not surely valid is validated by its model, and problems name the file and the row. A
Parquet file in the table convention of `sources` (lists as text, nested fields as dotted columns, other
column names) is read the way `sources` reads any table.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ..models import COLLECTIONS
from ..safe_load import Document, Limits
from ..sources.parquet_limits import check_parquet
from ..validation.typed import typed_table
from .frames import Tables


@dataclass
class TypedDocument(Document):
    """A collection read as typed columns; `data` is None until a suspect row needs its records."""

    frame: pl.DataFrame | None = field(default=None, repr=False)

    def locate(self, path: tuple) -> dict:
        if not path or not isinstance(path[0], int):
            return {"file": self.file}
        return {"file": self.file, "row": str(path[0] + 1),
                **({"cell": f"column {path[1]}"} if len(path) > 1 and isinstance(path[1], str) else {})}


def typed_source(path: Path, collection: str, limits: Limits) -> tuple[TypedDocument, tuple] | None:
    """The file as typed columns, or None when its columns do not carry the collection's table schema."""
    from ..tables.schema import table_schema

    try:
        schema = pl.read_parquet_schema(path)
    except Exception:  # not Parquet, truncated: the table reader says why
        return None
    wanted = table_schema(COLLECTIONS[collection].model)
    if not set(schema) <= set(wanted) or os.stat(path).st_size > limits.max_file_bytes:
        return None
    if any(schema[name] != wanted[name] and not _text_time(schema[name], wanted[name]) for name in schema):
        return None
    try:
        import pyarrow  # noqa: F401  (the limits read the footer with it)
    except ImportError:  # without the parquet extra the table reader names it: Parquet needs it
        return None
    check_parquet(path, str(path), limits)  # rows and decoded bytes, from the footer and the dictionaries
    frame = pl.read_parquet(path)
    typed = typed_table(COLLECTIONS[collection].model, frame)
    if typed is None:
        return None
    doc = TypedDocument(None, str(path), frame=frame)
    doc.typed = typed
    return doc, ()


def _text_time(found, wanted) -> bool:
    return found == pl.String and (wanted == pl.Date or isinstance(wanted, pl.Datetime))


def write_parquet(tables: Tables, folder: str | os.PathLike) -> list[Path]:
    """Each collection of `tables` as `<collection>.parquet` in `folder` (read back by `load_tables`)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.frames.items():
        if frame is not None:
            frame.write_parquet(Path(folder) / f"{name}.parquet")
            written.append(Path(folder) / f"{name}.parquet")
    return written
