"""`frequency` over tables, as `checks/frequency.py`: at least N records in every whole week / month / quarter /
year of the period that ended by as-of (from the subject's founding, when it has one: `from_founding`).

The whole periods come from `timecalc.whole_periods` itself, once per distinct founding day; each selected record
is placed in the calendar unit holding its day (`place_by`'s value, a label counting as its first day, else the
collection's time field), and the units are counted by a group-by, not record by record.
"""
from __future__ import annotations

from datetime import datetime

import polars as pl

from ...checks.frequency import no_unit_status
from ...models import COLLECTIONS
from ...models.base import inner_type
from ...tables import SHANGHAI_INSTANT
from ...timecalc import Period, whole_periods
from ..context import ColumnContext
from ..literals import lit
from ..select import linked, table
from . import KINDS, MEASURED_TYPE

_COMPARE = {"at_least": lambda n, limit: n >= limit, "at_most": lambda n, limit: n <= limit,
            "exactly": lambda n, limit: n == limit}


def _unit_start(day: pl.Expr, per: str) -> pl.Expr:
    """The first day of the calendar unit (ISO week, month, quarter, year) holding `day`."""
    if per == "week":
        return day - pl.duration(days=day.dt.weekday() - 1)
    return day.dt.truncate({"month": "1mo", "quarter": "1q", "year": "1y"}[per])


def _label_starts(labels: pl.Series) -> pl.Series:
    """Each period label's first day."""
    found = labels.drop_nulls().unique()
    starts = dict(zip(found.to_list(), (Period.parse(label).start for label in found)))
    return labels.replace_strict(starts, default=None, return_dtype=pl.Date)


def record_day(check, schema) -> pl.Expr:
    """Each linked record's day: `place_by`'s value (a period label: its first day) or the time field's."""
    field = check.place_by or COLLECTIONS[check.of].time_field
    if field is None:
        return lit(None, dtype=pl.Date)
    column = pl.col(field)
    if schema[field] == pl.String:
        return column.map_batches(_label_starts, return_dtype=pl.Date)
    if inner_type(COLLECTIONS[check.of].model.model_fields[field].annotation) is datetime:
        return column.dt.date()
    return column


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx: ColumnContext) -> pl.LazyFrame:
    founding = check.from_founding and "founded_on" in COLLECTIONS[subject_collection].model.model_fields
    if founding and "founded_on" not in ctx.schema(subjects).names():
        subjects = subjects.join(table(subject_collection, ctx).lazy().select("id", "founded_on"), on="id", how="left",
                                 maintain_order="left")
    founded = pl.col("founded_on") if founding else lit(None, dtype=pl.Date)
    subjects = subjects.select("id", founded=founded, _key=founded.cast(pl.String).fill_null("-"))
    _, expected = check.judge(0, ctx)  # the expected text, or "no value in force"
    bound, threshold = check.bound
    limit = threshold.in_force(ctx.reference_date)

    parts, verdicts = [], []  # judged units per founding day; the verdict where none is judged
    days = dict.fromkeys(table(subject_collection, ctx)["founded_on"].to_list()) if founding else {None: None}
    for day in days:  # every founding day of the collection (the subjects' among them)
        judged, skipped = ctx.memo(f"whole_periods:{check.per}:{day}",
                                   lambda: whole_periods(ctx.period, check.per, ctx.as_of, not_before=day))
        key = "-" if day is None else day.isoformat()
        if not judged:
            verdicts.append((key, no_unit_status(skipped, ctx.period, ctx.as_of, day),
                             f"no whole {check.per} of the period has ended by the as-of date"))
        elif limit is None:
            verdicts.append((key, "not_applicable", expected))
        parts += [(key, i, p.start, p.label) for i, p in enumerate(judged)]

    field = check.place_by or COLLECTIONS[check.of].time_field
    links = linked(check, subject_collection, ctx, [field] if field else [])
    day = record_day(check, table(check.of, ctx).schema)  # the linked records' columns
    placed = links.select("owner", _start=_unit_start(day, check.per)).drop_nulls()
    counts = placed.group_by("owner", "_start").agg(n=pl.len().cast(pl.Int64))
    units = pl.LazyFrame(parts, schema={"_key": pl.String, "_order": pl.Int64, "_start": pl.Date, "_label": pl.String},
                         orient="row")
    judged = (subjects.join(units, on="_key").join(counts, left_on=["id", "_start"], right_on=["owner", "_start"],
                                                   how="left").with_columns(pl.col("n").fill_null(0)))
    judged = judged.with_columns(_met=_COMPARE[bound](pl.col("n"), limit if limit is not None else 0))
    summary = judged.sort("_order").group_by("id").agg(
        _total=pl.len(), _kept=pl.col("_met").sum(),
        evidence=pl.format("{}: {}", "_label", "n").filter(~pl.col("_met")))
    judged_out = summary.select(
        "id", status=pl.when(pl.col("evidence").list.len() > 0).then(lit("fail")).otherwise(lit("pass")),
        measured=pl.format(f"{{}} of {{}} {check.per}s met", "_kept", "_total"),
        expected=lit(f"{expected} every {check.per}"), evidence="evidence", note=lit(None, dtype=pl.String))
    fixed = pl.LazyFrame(verdicts, schema={"_key": pl.String, "status": pl.String, "note": pl.String}, orient="row")
    fixed_out = subjects.join(fixed, on="_key").select(
        "id", "status", measured=lit(None, dtype=pl.String), expected=lit(None, dtype=pl.String),
        evidence=lit([], dtype=pl.List(pl.String)), note="note")
    judged_out = judged_out.join(fixed_out.select("id"), on="id", how="anti")  # no value in force: not judged
    return pl.concat([judged_out, fixed_out]).with_columns(due=lit(None, dtype=SHANGHAI_INSTANT))


KINDS["frequency"] = evaluate
MEASURED_TYPE["frequency"] = pl.String
