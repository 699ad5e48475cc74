"""The other way: a dataset's records as table rows: CSV, Parquet, database tables, a filled template.

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


def to_arrow(dataset: Dataset, collection: str):
    """A collection as a pyarrow Table with typed columns (dates, timestamps, booleans, numbers)."""
    import pyarrow as pa

    names = list(fields_of(collection))
    columns = list(zip(*rows(dataset, collection, native=True))) or [()] * len(names)
    return pa.table({n: pa.array(list(c)) for n, c in zip(names, columns)})


def to_parquet(dataset: Dataset, collection: str, path: str) -> None:
    """A collection as a Parquet file (see to_arrow)."""
    import pyarrow.parquet as pq

    pq.write_table(to_arrow(dataset, collection), path)


def to_database(dataset: Dataset, url: str) -> None:
    """Each collection as a new table of text columns named by the fields, as a platform's export might be."""
    import sqlalchemy as sa

    from .sql import DRIVERS

    parsed = sa.engine.make_url(url)
    engine = sa.create_engine(parsed.set(drivername=DRIVERS.get(parsed.drivername, parsed.drivername)),
                              poolclass=sa.pool.NullPool)
    metadata = sa.MetaData()
    with engine.begin() as conn:
        for collection in present(dataset):
            names = list(fields_of(collection))
            table = sa.Table(collection, metadata, *(sa.Column(n, sa.Text) for n in names))
            table.create(conn)
            batch = []
            for values in rows(dataset, collection):
                batch.append(dict(zip(names, (None if v is None else str(v) for v in values))))
                if len(batch) == 10_000:
                    conn.execute(table.insert(), batch)
                    batch = []
            if batch:
                conn.execute(table.insert(), batch)
