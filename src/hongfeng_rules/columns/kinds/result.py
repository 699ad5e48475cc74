"""Shared parts of the kinds over tables: the result frame, each subject's selected records, the bound."""
from __future__ import annotations

from typing import Any

import polars as pl

from ...tables.schema import SHANGHAI_INSTANT
from ..context import ColumnContext

EVIDENCE = pl.List(pl.String)


def result(frame: pl.DataFrame, measured: pl.DataType) -> pl.DataFrame:
    """The frame with every result column (those it lacks are null; evidence an empty list), in kinds'
    `RESULT_SCHEMA` order and types."""
    columns = {"status": pl.String, "measured": measured, "expected": pl.String, "evidence": EVIDENCE,
               "note": pl.String, "due": SHANGHAI_INSTANT}
    return frame.select(pl.col("id").cast(pl.String), *(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in columns.items())).with_columns(pl.col("evidence").fill_null(pl.lit([], dtype=EVIDENCE)))


def per_subject(subjects: pl.DataFrame, rows: pl.DataFrame, **aggregates: pl.Expr) -> pl.DataFrame:
    """One row per subject (in the subjects' order) with aggregates over its selected rows (`key`);
    a subject with none has `n` 0 and nulls elsewhere."""
    grouped = rows.group_by("key", maintain_order=True).agg(pl.len().alias("n"), **aggregates)
    return (subjects.select("id").join(grouped.rename({"key": "id"}), on="id", how="left", maintain_order="left")
            .with_columns(pl.col("n").fill_null(0)))


def limit_in_force(check, ctx: ColumnContext) -> tuple[Any, str]:
    """(the threshold's value in force, the expected text), as `Bound.judge` words it; None: none in force."""
    met, expected = check.judge(0, ctx)
    name, threshold = check.bound
    return (None if met is None else threshold.in_force(ctx.reference_date)), expected


def met(check, measured: pl.Expr, limit) -> pl.Expr:
    """The bound as an expression (exact for whole counts against a limit)."""
    name = check.bound[0]
    return measured >= limit if name == "at_least" else measured <= limit if name == "at_most" else measured == limit
