"""`deadline` over tables, as `checks/deadline.py`: the closing event by the deadline counted from the opening one.

The deadline per unit (`timecalc.deadlines`): elapsed time for second/minute/hour/day, 民法典 §201–203 months
(the corresponding day, or the month's last, to 24:00), working days through `columns.calendar` (a year the
calendar cannot answer: not assessable). An extension (7.3.3) moves it only when notified by the original
deadline, with a reason, to a later date; otherwise the note lists every reason it was ignored. A closing event
after as-of has not happened: `pending` until the deadline, then `fail`. A clock that never started: not applicable.
"""
from __future__ import annotations

import polars as pl

from ...checks.deadline import EndFrom
from ...tables import SHANGHAI_INSTANT
from ...timecalc import CalendarUnavailable, as_shanghai
from ..calendar import working_days_after
from ..context import ColumnContext
from ..exact import isoformat
from ..literals import lit
from ..select import links, table
from . import KINDS, MEASURED_TYPE

_EXACT = {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days"}


def _day_end(day: pl.Expr) -> pl.Expr:
    """`timecalc.day_end`: 23:59:59.999999 Shanghai wall-clock time of a date."""
    wall = day.cast(pl.Datetime("us")) + pl.duration(hours=23, minutes=59, seconds=59, microseconds=999999)
    return wall.dt.replace_time_zone("Asia/Shanghai")


def _due(frame: pl.LazyFrame, start: str, amount: int, unit: str, ctx: ColumnContext) -> pl.LazyFrame:
    """`frame` with `_due` (`timecalc.deadline`) and `_unavailable` (the calendar's note, working days only)."""
    begin = pl.col(start)
    if unit in _EXACT:
        return frame.with_columns(_due=begin + pl.duration(**{_EXACT[unit]: amount}),
                                  _unavailable=lit(None, pl.String))
    if unit == "month":
        return frame.with_columns(_due=_day_end(begin.dt.date().dt.offset_by(f"{amount}mo")),
                                  _unavailable=lit(None, pl.String))
    cal = ctx.calendar

    def notes(years: pl.Series) -> pl.Series:
        found = years.drop_nulls().unique().to_list()
        text = {y: CalendarUnavailable(y, cal.first_year, cal.last_year).message for y in found}
        return years.replace_strict(text, default=None, return_dtype=pl.String)
    out = working_days_after(frame.with_columns(_day=begin.dt.date()), "_day", amount, cal)
    return out.with_columns(_due=_day_end(pl.col("due_day")), _unavailable=pl.col("unavailable_year").map_batches(
        notes, return_dtype=pl.String)).drop("_day", "due_day", "unavailable_year")


def _blank(reasons: pl.Series) -> pl.Series:
    """Whether each reason is missing or blank, by Python's own `str.strip` (as the per-object check)."""
    found = reasons.drop_nulls().unique()
    blank = dict(zip(found.to_list(), (not r.strip() for r in found)))
    return reasons.replace_strict(blank, default=True, return_dtype=pl.Boolean)


def _extension(check, frame: pl.LazyFrame) -> pl.LazyFrame:
    """`timecalc.effective_deadline`: `_due` moved by a valid extension, `note` the reasons one was ignored."""
    if check.extension is None:
        return frame.with_columns(note=lit(None, pl.String))
    e, due = check.extension, pl.col("_due")
    notified, until = pl.col(e.notified_at), pl.col(e.until)
    no_reason = pl.col(e.reason).map_batches(_blank, return_dtype=pl.Boolean)
    problems = pl.concat_str([
        pl.when(notified > due).then(pl.format("late notice (告知晚于原期限): notified {} after the original deadline {}",
                                               isoformat(notified), isoformat(due))),
        pl.when(no_reason).then(lit("no reason given (未说明理由)")),
        pl.when(until.is_null()).then(lit("no new deadline (未给出新期限)")).when(until <= due).then(pl.format(
            "new deadline {} is not later than the original {} (新期限未晚于原期限)", isoformat(until), isoformat(due)))],
        separator="; ", ignore_nulls=True)
    ignored = pl.when(notified.is_not_null() & (problems != "")).then(lit("extension ignored: ") + problems)
    moved = notified.is_not_null() & (problems == "")
    return frame.with_columns(note=ignored, _due=pl.when(moved).then(until).otherwise(due))


def _ends(check, frame: pl.LazyFrame, ctx: ColumnContext) -> pl.LazyFrame:
    """`frame` with `_end`: the closing event (the earliest of another collection's records), null after as-of."""
    if isinstance(check.end, EndFrom):  # an absent collection: the engine's not assessable
        at = table(check.end.of, ctx).lazy().select("_row", _at=check.end.field)
        owners = links(check.end.of, check.end.via, ctx).join(at, on="_row")
        first = owners.drop_nulls("_at").group_by("key").agg(_end=pl.col("_at").min())
        frame = frame.join(first, left_on="id", right_on="key", how="left", maintain_order="left")
    else:
        frame = frame.with_columns(_end=pl.col(check.end))
    as_of = lit(as_shanghai(ctx.as_of), dtype=SHANGHAI_INSTANT)
    return frame.with_columns(_end=pl.when(pl.col("_end") <= as_of).then("_end"))


def due_and_end(check, frame: pl.LazyFrame, amount: int, ctx: ColumnContext) -> pl.LazyFrame:
    """`frame` with the deadline in force (`_due`, moved by a valid extension; `note`; `_unavailable`) and the
    closing event by as-of (`_end`): what `evaluate` judges, and what rule coverage places against the due."""
    return _ends(check, _extension(check, _due(frame, check.start, amount, check.within.unit, ctx)), ctx)


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx: ColumnContext) -> pl.LazyFrame:
    """`subjects` are rows of the subject collection's table with all its columns (`engine._subjects`, the
    differential tests' `kind_rows`), so the fields the check reads (model fields: `DeadlineCheck.validate`) are
    there."""
    fields = [check.start] + ([check.end] if isinstance(check.end, str) else [])
    if check.extension:
        fields += [check.extension.notified_at, check.extension.reason, check.extension.until]
    frame = subjects.select("id", *dict.fromkeys(fields))
    amount = check.within.in_force(ctx.reference_date)
    unit, start = check.within.unit, pl.col(check.start)
    not_started = f"{check.start} not recorded: the clock has not started"
    if amount is None:
        return _fixed(frame, pl.when(start.is_null()).then(lit(not_started)).otherwise(lit("no value in force")))
    frame = due_and_end(check, frame, int(amount), ctx)
    as_of = as_shanghai(ctx.as_of)
    end, due = pl.col("_end"), pl.col("_due")
    status = (pl.when(end.is_not_null()).then(pl.when(end <= due).then(lit("pass")).otherwise(lit("fail")))
              .when(lit(as_of, dtype=SHANGHAI_INSTANT) > due).then(lit("fail")).otherwise(lit("pending")))
    # a clock that never started is not applicable, a year the calendar cannot answer not assessable: only a
    # status and a note (as `_fixed`), in the same select (one plan, not the frame twice)
    unavailable = pl.col("_unavailable")
    fixed = start.is_null() | unavailable.is_not_null()
    return frame.select(
        "id", status=pl.when(start.is_null()).then(lit("not_applicable")).when(unavailable.is_not_null())
        .then(lit("not_assessable")).otherwise(status),
        measured=pl.when(~fixed).then(pl.coalesce(isoformat(end), lit(f"none by {as_of.isoformat()}"))),
        expected=pl.when(~fixed).then(pl.format(f"by {{}} ({int(amount)} {unit} after {check.start})", isoformat(due))),
        evidence=pl.when(fixed).then(lit([], dtype=pl.List(pl.String))).otherwise(pl.concat_list("id")),
        note=pl.when(start.is_null()).then(lit(not_started)).when(unavailable.is_not_null()).then(unavailable)
        .otherwise(pl.col("note")).cast(pl.String),
        due=pl.when(~fixed).then(due.cast(SHANGHAI_INSTANT)))


def _fixed(frame: pl.LazyFrame, note: pl.Expr, status: pl.Expr = lit("not_applicable")) -> pl.LazyFrame:
    """Outcomes with only a status and a note (`checks.outcome.not_applicable` / `not_assessable`)."""
    return frame.select("id", status=status, measured=lit(None, pl.String), expected=lit(None, pl.String),
                        evidence=lit([], dtype=pl.List(pl.String)), note=note.cast(pl.String),
                        due=lit(None, dtype=SHANGHAI_INSTANT))


KINDS["deadline"] = evaluate
MEASURED_TYPE["deadline"] = pl.String
