"""Working days as a table: every day the `WorkCalendar` answers for (its years, with 调休), whether it is a
working day, and its running working-day ordinal. "N working days after" is then a join, not a day-by-day walk.

`calendar_table(calendar)`: `day` (Date), `working` (Boolean), `ordinal` (working days from the calendar's first
day up to and including this one). `working_days_after(frame, day, n, calendar)` adds `due_day` (the n-th
working day after `day`, as `WorkCalendar.add_working_days`) and `unavailable_year` (the year the calendar cannot
answer when there is none, as its `CalendarUnavailable`).
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from ..timecalc import WorkCalendar
from .exact import greatest
from .literals import lit

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=4)
def calendar_table(calendar: WorkCalendar) -> pl.DataFrame:
    """One row per day of [first_year, last_year], each day judged by `calendar.is_working_day` itself."""
    first, last = date(calendar.first_year, 1, 1), date(calendar.last_year, 12, 31)
    days = pl.date_range(first, last, "1d", eager=True).alias("day")
    working = pl.Series("working", [calendar.is_working_day(d) for d in days], dtype=pl.Boolean)
    return pl.DataFrame([days, working]).with_columns(ordinal=pl.col("working").cast(pl.Int64).cum_sum())


def _ordinal(day: str, calendar: WorkCalendar) -> tuple[pl.LazyFrame, pl.Expr]:
    """The calendar to join on `day`, and the ordinal of each `day` (0 for the day before the calendar's first;
    null outside it) once joined."""
    table = calendar_table(calendar).lazy().select(pl.col("day").alias(day), pl.col("ordinal").alias("_ordinal"))
    before_first = pl.col(day) == date(calendar.first_year, 1, 1) - _ONE_DAY
    return table, pl.when(before_first).then(0).otherwise("_ordinal")


def working_days_after(frame: pl.LazyFrame, day: str, n: str | int, calendar: WorkCalendar) -> pl.LazyFrame:
    """`frame` with `due_day` (null when `day` or `n` is null or the calendar cannot answer) and
    `unavailable_year` (set only then: the first year outside the calendar that counting would reach)."""
    working = calendar_table(calendar).lazy().filter("working").select(due_day="day", _target="ordinal")
    steps = pl.col(n) if isinstance(n, str) else lit(n, dtype=pl.Int64)
    ordinals, ordinal = _ordinal(day, calendar)
    out = frame.join(ordinals, on=day, how="left", maintain_order="left").with_columns(_target=ordinal + steps)
    out = out.join(working, on="_target", how="left", maintain_order="left")
    after = pl.col(day) + pl.duration(days=1)
    beyond = greatest(after, lit(date(calendar.last_year + 1, 1, 1))).dt.year()
    unavailable = pl.when(pl.col(day).is_not_null() & steps.is_not_null() & pl.col("due_day").is_null())
    out = out.with_columns(unavailable_year=unavailable.then(
        pl.when(pl.col(day) < date(calendar.first_year, 1, 1) - _ONE_DAY).then(after.dt.year()).otherwise(beyond)
    ).cast(pl.Int64))
    return out.drop("_target", "_ordinal")
