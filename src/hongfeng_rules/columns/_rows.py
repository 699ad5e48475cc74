"""PRIVATE stand-ins for the rows 18b's `columns/select.py` reads (until it lands on main, then these go): a
collection's table, the records counted in a period or up to as-of (`checks.context.Context.counted`), and the
values at a link path. Shared by `columns.derived` and the kinds of issue 18c."""
from __future__ import annotations

import warnings
from datetime import datetime

import polars as pl

from ..models import COLLECTIONS
from ..models.base import inner_type
from ..models.dataset import FUTURE_BY_NATURE
from ..tables import SHANGHAI_INSTANT, table_schema
from ..timecalc import as_shanghai, day_end, day_start
from .context import ColumnContext


def table_or_empty(collection: str, ctx: ColumnContext) -> pl.DataFrame:
    """The collection's table; an absent one as no rows (as the per-object `records() or []`)."""
    frame = ctx.tables.get(collection)
    return frame if frame is not None else pl.DataFrame(schema=table_schema(COLLECTIONS[collection].model))


def instant(value) -> pl.Expr:
    """A Python instant as a Shanghai literal (comparable with every instant column)."""
    return pl.lit(as_shanghai(value), dtype=SHANGHAI_INSTANT)


def explode(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """A row per item of a list column; an empty or null list (or a null item) gives no row, whichever
    `empty_as_null` default the installed Polars has (the warning about its change is irrelevant here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return frame.explode(column).drop_nulls(column)


def counted(collection: str, in_period: bool, ctx: ColumnContext) -> pl.DataFrame:
    """`Context.counted`: the records of the evaluation period, or all not dated after as-of."""
    table, field = table_or_empty(collection, ctx), COLLECTIONS[collection].time_field
    if field is None:
        return table.clear() if in_period else table
    is_instant = inner_type(COLLECTIONS[collection].model.model_fields[field].annotation) is datetime
    when = pl.col(field)
    if not in_period:
        if field in FUTURE_BY_NATURE:
            return table
        latest = instant(ctx.as_of) if is_instant else pl.lit(ctx.reference_date)
        return table.filter(when.is_null() | (when <= latest))
    if is_instant:
        lo, hi = instant(day_start(ctx.period.start)), instant(min(day_end(ctx.period.end), as_shanghai(ctx.as_of)))
    else:
        lo, hi = pl.lit(ctx.period.start), pl.lit(min(ctx.period.end, ctx.reference_date))
    return table.filter(when.is_not_null() & (when >= lo) & (when <= hi))


def values(frame: pl.DataFrame, path: str) -> pl.DataFrame:
    """(`_row`, `_v`): every value at a dotted path of each row, lists flattened, unset values left out."""
    out = frame.select("_row", _v=pl.col(path.split(".")[0]))
    for part in path.split(".")[1:]:
        if isinstance(out.schema["_v"], pl.List):
            out = explode(out, "_v")
        out = out.select("_row", _v=pl.col("_v").struct.field(part))
    if isinstance(out.schema["_v"], pl.List):
        out = explode(out, "_v")
    return out.drop_nulls("_v")
