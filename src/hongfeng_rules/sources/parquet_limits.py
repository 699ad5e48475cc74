"""What a Parquet file decodes to counts against the limits, before either reader (pyarrow's rows, Polars' typed
columns) decodes it: a few kB of dictionary-encoded pages can stand for gigabytes of text (one 1 MB name
repeated in 3,000 rows is 3 GB), and the file's own sizes say only what its pages hold.

From the footer: at most `max_records` rows, at most `max_file_bytes` of pages as declared. Then every column
stored as a dictionary of text is read with its dictionary kept (indices and distinct values only, a few bytes a
row) and its decoded size summed, row group by row group, stopping at the first one past `max_file_bytes`."""
from __future__ import annotations

from ..errors import InputError, fail
from ..safe_load import Limits
from ..limit_names import limit_named


def check_parquet(source, file: str, limits: Limits) -> None:
    """InputError naming the file (and the row group and column) when `source` (a path or a file object) holds
    more rows than `max_records` or decodes to more than `max_file_bytes`."""
    import pyarrow.parquet as pq

    try:
        _check(pq, source, file, limits)
    except (InputError, MemoryError):
        raise
    except Exception:  # pyarrow's errors of a broken file (ArrowInvalid, ArrowNotImplementedError, OSError, …)
        return  # not readable Parquet: the reader says why


def _check(pq, source, file: str, limits: Limits) -> None:
    meta = pq.ParquetFile(source).metadata
    if meta.num_rows > limits.max_records:
        raise fail(file, f"the file holds {meta.num_rows} rows, more than the limit of {limits.max_records} "
                         + limit_named("max_records"))
    declared = sum(meta.row_group(i).column(j).total_uncompressed_size
                   for i in range(meta.num_row_groups) for j in range(meta.num_columns))
    if declared > limits.max_file_bytes:
        raise fail(file, f"the file's pages unpack to {declared} bytes, more than the limit of "
                         f"{limits.max_file_bytes} " + limit_named("max_file_bytes"))
    texts = _dictionary_texts(meta)
    if not texts:
        return  # no dictionary of text: the pages' sizes are what the columns decode to
    tops = sorted({path.split(".")[0] for path in texts})
    kept = pq.ParquetFile(source, read_dictionary=sorted(texts))
    total = declared
    for i in range(meta.num_row_groups):
        group = kept.read_row_group(i, columns=tops)
        for name in tops:
            total += _decoded(group.column(name))
            if total > limits.max_file_bytes:
                raise fail(file, f"row group {i + 1}, column {name}: the file's text decodes to more than the limit of "
                                 f"{limits.max_file_bytes} bytes, though its pages hold {declared} "
                                 + limit_named("max_file_bytes"))


def _dictionary_texts(meta) -> set[str]:
    """The column paths stored as a dictionary of text (byte arrays) in some row group."""
    return {meta.row_group(i).column(j).path_in_schema
            for i in range(meta.num_row_groups) for j in range(meta.num_columns)
            if meta.row_group(i).column(j).physical_type == "BYTE_ARRAY"
            and any("DICTIONARY" in e for e in meta.row_group(i).column(j).encodings)}


def _decoded(array) -> int:
    """The bytes of text a (chunked, possibly nested) array's dictionary columns stand for, once decoded."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(array, pa.ChunkedArray):
        return sum(_decoded(chunk) for chunk in array.chunks)
    kind = array.type
    if pa.types.is_dictionary(kind):
        lengths = pc.binary_length(array.dictionary).take(array.indices)
        return int(pc.sum(lengths).as_py() or 0)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        return _decoded(array.flatten())
    if pa.types.is_struct(kind):
        return sum(_decoded(field) for field in array.flatten())
    if pa.types.is_map(kind):
        return _decoded(array.keys) + _decoded(array.items)
    return 0  # not dictionary-encoded: counted in the pages' size
