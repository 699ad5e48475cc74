"""The other way: a dataset's records as table rows (for CSV, Parquet, a database, or a filled template).

Each field is written so that the readers give the same value back: lists of scalars joined with "; "
(JSON when an item holds a separator or the list is empty), lists of records as JSON, nested records
as one column per sub-field, instants in Asia/Shanghai.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any, Iterator

from ..models import Dataset
from ..timecalc import as_shanghai
from .fields import Field, fields_of


def rows(dataset: Dataset, collection: str, native: bool = False) -> Iterator[list[Any]]:
    """One row per record, in `fields_of(collection)` order. `native`: dates, instants, numbers and yes/no
    as Python values (for Excel, Parquet and SQL); otherwise text (for CSV)."""
    fields = list(fields_of(collection).values())
    for record in getattr(dataset, collection) or []:
        data = record.model_dump(mode="python")
        yield [cell(_get(data, f.path), f, native) for f in fields]


def _get(data: dict, path: str) -> Any:
    for p in path.split("."):
        if data is None:
            return None
        data = data.get(p)
    return data


def cell(value: Any, field: Field, native: bool) -> Any:
    if value is None:
        return None
    if field.kind == "json":
        return json.dumps(_jsonable(value), ensure_ascii=False, separators=(",", ":"))
    if field.kind == "list":
        items = [str(v) for v in value]
        if not items or any(";" in v or "；" in v or v != v.strip() for v in items) or items[0].startswith("["):
            return json.dumps(items, ensure_ascii=False)
        return "; ".join(items)
    if isinstance(value, datetime):
        value = as_shanghai(value)
        return value if native else value.isoformat()
    if isinstance(value, date):
        return value if native else value.isoformat()
    if isinstance(value, bool) and not native:
        return "true" if value else "false"
    if isinstance(value, float) and not native:
        return repr(value)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return as_shanghai(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(dataset: Dataset, collection: str) -> bytes:
    """A collection as UTF-8 CSV, headed by field names."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(fields_of(collection)))
    writer.writerows(rows(dataset, collection))
    return out.getvalue().encode("utf-8")


def present(dataset: Dataset) -> list[str]:
    """The collections the dataset gives (an empty list is given; None is not)."""
    return [name for name in type(dataset).model_fields if getattr(dataset, name) is not None]
