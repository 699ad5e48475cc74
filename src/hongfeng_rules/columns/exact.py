"""Arithmetic that gives Python's answers to the last bit.

Polars divides by a literal by multiplying with its reciprocal, which differs from Python's `/` in the last bit
for about a third of all values (3 s / 3600 → 0.0008333333333333333, Python 0.0008333333333333334). A divisor
that is a column, not a literal, is divided element by element, correctly rounded, as Python divides.

Polars 1.44's `max_horizontal` of columns that are all broadcast scalars (a literal, a left join that matched
nothing) gives one row, not one per row of the frame, and the select then fails (ShapeError); `greatest` does not.
"""
from __future__ import annotations

import polars as pl


def divide(values: pl.Expr, by: float) -> pl.Expr:
    """`values / by` per element as Python computes it (finite values; null stays null). Whole numbers are
    converted to floats first, exact below 2**53 (microseconds: 285 years)."""
    values = values.cast(pl.Float64)
    return values / (values * 0.0 + by)  # a column of `by`, so no reciprocal


def isoformat(instants: pl.Expr) -> pl.Expr:
    """Shanghai instants as `datetime.isoformat()` writes them: microseconds only when there are some, the
    offset's seconds only when it has some (local mean time before 1901: +08:05:43). Null stays null. One
    `strftime` and two replacements: a small expression, cheap to plan at each use."""
    text = instants.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f%::z")
    return text.str.replace(r"\.000000([+-])", "${1}").str.replace(r":00$", "")


def greatest(*values: pl.Expr | str) -> pl.Expr:
    """The greatest non-null of the values in each row (null when all are null), as `max_horizontal` should."""
    return pl.concat_list(*values).list.max()
