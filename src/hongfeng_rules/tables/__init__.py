"""A dataset as Polars tables, one per collection; the table schemas derive from the pydantic models.
`load_tables` reads a dataset straight into tables, validated column-wise (`validation`)."""
from .frames import Tables, from_dataset
from .schema import SHANGHAI_INSTANT, dtype_of, table_schema


def load_tables(*args, **kwargs) -> Tables:
    """`tables.load.load_tables` (imported on first use: loading depends on this package)."""
    from .load import load_tables as load
    return load(*args, **kwargs)


def load_tables_located(*args, **kwargs):
    """`tables.load.load_tables_located`."""
    from .load import load_tables_located as load
    return load(*args, **kwargs)


def tables_from_files(*args, **kwargs):
    """`tables.load.tables_from_files`: uploaded files into tables, and where each record is."""
    from .load import tables_from_files as build
    return build(*args, **kwargs)


def tables_from_data(*args, **kwargs) -> Tables:
    """`tables.load.tables_from_data`: a host's plain dicts, validated into tables."""
    from .load import tables_from_data as build
    return build(*args, **kwargs)


__all__ = ["Tables", "from_dataset", "load_tables", "load_tables_located", "tables_from_data", "tables_from_files", "table_schema", "dtype_of",
           "SHANGHAI_INSTANT"]
