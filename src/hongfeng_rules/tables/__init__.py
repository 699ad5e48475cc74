"""A dataset as Polars tables, one per collection; the table schemas derive from the pydantic models."""
from .frames import Tables, from_dataset
from .schema import SHANGHAI_INSTANT, dtype_of, table_schema

__all__ = ["Tables", "from_dataset", "table_schema", "dtype_of", "SHANGHAI_INSTANT"]
