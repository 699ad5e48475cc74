"""Shared parts of the kinds over tables: the result plan, a result finished in Python, each subject's selected
records, the bound."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import polars as pl

from ...tables.schema import SHANGHAI_INSTANT
from ..context import ColumnContext
from ..literals import lit

EVIDENCE = pl.List(pl.String)
_COLUMNS = {"status": pl.String, "expected": pl.String, "evidence": EVIDENCE, "note": pl.String,
            "due": SHANGHAI_INSTANT}  # and `measured`, of the kind's dtype


@dataclass
class Finish:
    """A result that Python finishes: `finish` turns the collected `plan` into the result rows (the subjects'
    rows, in their order), for judgements no expression makes (exact fractions, a threshold's wording)."""

    plan: pl.LazyFrame
    finish: Callable[[pl.DataFrame], pl.DataFrame]


@lru_cache(maxsize=64)
def result_schema(measured: pl.DataType) -> pl.Schema:
    """The schema of a kind's result rows: `id`, the result columns (`result_columns`), `measured` of its dtype."""
    return pl.Schema({"id": pl.String, "status": pl.String, "measured": measured, **_COLUMNS})


def result_columns(measured_type: pl.DataType, **columns: pl.Expr | str) -> list[pl.Expr]:
    """The result columns, in kinds' `RESULT_SCHEMA` order and types: those not given are null, a null evidence
    an empty list."""
    def column(name: str, dtype: pl.DataType) -> pl.Expr:
        given = columns.get(name, lit(None))
        given = (pl.col(given) if isinstance(given, str) else given).cast(dtype)
        return (given.fill_null(lit([], dtype=EVIDENCE)) if name == "evidence" else given).alias(name)
    return [column(name, dtype) for name, dtype in {"status": pl.String, "measured": measured_type,
                                                    **_COLUMNS}.items()]


def from_python(out: list[tuple], measured: pl.DataType) -> pl.DataFrame:
    """Result rows made in Python, (id, status, measured, expected, evidence, note) each, as a result frame."""
    schema = {"id": pl.String, "status": pl.String, "measured": measured, "expected": pl.String,
              "evidence": EVIDENCE, "note": pl.String, "due": SHANGHAI_INSTANT}
    return pl.DataFrame([(*row[:4], row[4] or [], row[5], None) for row in out], schema=schema, orient="row")


def per_subject(subjects: pl.LazyFrame, rows: pl.LazyFrame, **aggregates: pl.Expr) -> pl.LazyFrame:
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
