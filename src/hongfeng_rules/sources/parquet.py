"""Parquet files (read with pyarrow): one collection per file, a column per field.

Typed columns come through as they are (dates, timestamps, booleans, lists, structs); text columns are
read like CSV cells. Rows are numbered from 1; problems name the row and the column.
"""
from __future__ import annotations

import io

from ..errors import fail
from .table import Table


def read_parquet(data: bytes, file: str) -> Table:
    from . import need
    need("pyarrow", file)
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
    except Exception as exc:  # pyarrow's ArrowInvalid and kin: not Parquet, truncated, bad footer
        raise fail(file, f"not a readable Parquet file ({str(exc).splitlines()[0][:200]})") from None
    headers = list(parquet.schema_arrow.names)
    return Table(file, None, headers, _rows(parquet, file), _column, header_row=None)


def _rows(parquet, file: str):
    n = 0
    try:
        for batch in parquet.iter_batches(batch_size=65536):
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            for cells in zip(*columns):
                n += 1
                yield str(n), list(cells)
    except Exception as exc:
        raise fail(file, f"cannot read row group after row {n} ({str(exc).splitlines()[0][:200]})") from None


def _column(index: int, row: str) -> str:
    return f"column {index + 1}"


def write_parquet(dataset, collection: str, path: str) -> None:
    """A collection as a Parquet file with typed columns (what the benchmark and the tests read)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .fields import fields_of
    from .tabulate import rows

    names = list(fields_of(collection))
    columns = list(zip(*rows(dataset, collection, native=True))) or [()] * len(names)
    table = pa.table({n: pa.array(list(c)) for n, c in zip(names, columns)})
    pq.write_table(table, path)
