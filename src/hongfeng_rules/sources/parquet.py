"""Parquet files and in-memory Arrow tables (pyarrow; a Polars DataFrame through its `to_arrow()`): one
collection per file or table, a column per field.

Typed columns come through as they are (dates, timestamps, booleans, lists); a struct column is one column per
field (`file` with `contact` is `file.contact`, as a nested record's columns are named); text columns are read like
CSV cells. Rows are numbered from 1; problems name the row and the column.
"""
from __future__ import annotations

import io

from ..errors import InputError, fail
from ..safe_load import DEFAULT_LIMITS, Limits
from .parquet_limits import check_parquet
from ..limit_names import limit_named
from .table import Table


def read_parquet(data: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Table:
    from . import need
    need("pyarrow", file)
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
    except Exception as exc:  # pyarrow's ArrowInvalid and kin: not Parquet, truncated, bad footer
        raise fail(file, f"not a readable Parquet file ({str(exc).splitlines()[0][:200]})") from None
    check_parquet(io.BytesIO(data), file, limits)
    headers = _names(parquet.schema_arrow)
    return Table(file, None, headers, _rows(lambda: parquet.iter_batches(batch_size=65536), file, limits), _column)


def arrow_table(table, name: str) -> Table:
    """An in-memory pyarrow Table (or anything with `to_arrow()`, such as a Polars DataFrame) as a table."""
    if hasattr(table, "to_arrow"):
        table = table.to_arrow()
    if not hasattr(table, "to_batches") or not hasattr(table, "schema"):
        raise fail(name, f"expected a pyarrow Table or a Polars DataFrame, not {type(table).__name__}")
    return Table("tables", f"table {name}", _names(table.schema), _rows(lambda: table.to_batches(65536), name),
                 _column)


def _names(schema) -> list[str]:
    """The columns' names, a struct's fields each its own column (`file.contact`)."""
    import pyarrow as pa

    def names(field, prefix):
        if pa.types.is_struct(field.type):
            return [n for i in range(field.type.num_fields) for n in names(field.type.field(i), f"{prefix}{field.name}.")]
        return [prefix + field.name]
    return [n for field in schema for n in names(field, "")]


def _columns(batch) -> list:
    """The batch's columns as Python lists, a struct's fields each its own column (a null struct: null fields);
    a list's records without their null fields (`given`)."""
    import pyarrow as pa

    def flat(array):
        if pa.types.is_struct(array.type):
            return [c for child in array.flatten() for c in flat(child)]
        values = array.to_pylist()
        return [[given(v) for v in values] if pa.types.is_nested(array.type) else values]
    return [c for i in range(batch.num_columns) for c in flat(batch.column(i))]


def given(value):
    """A Parquet value with its records' null fields left out: a null field is a field not given (its default),
    inside a list of records as in a cell."""
    if isinstance(value, dict):
        return {k: given(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [given(v) for v in value]
    return value


def _rows(batches, file: str, limits: Limits = DEFAULT_LIMITS):
    """Each row as (number, cells); the batches' decoded bytes counted, stopping past `max_file_bytes`."""
    n = size = 0
    try:
        for batch in batches():
            size += batch.get_total_buffer_size()
            if size > limits.max_file_bytes:
                raise fail(file, f"rows after {n}: the file decodes to more than the limit of {limits.max_file_bytes}"
                                 f" bytes {limit_named('max_file_bytes')}")
            columns = _columns(batch)
            for cells in zip(*columns):
                n += 1
                yield str(n), list(cells)
    except InputError:
        raise
    except Exception as exc:
        raise fail(file, f"cannot read row group after row {n} ({str(exc).splitlines()[0][:200]})") from None


def _column(index: int, row: str) -> str:
    return f"column {index + 1}"

