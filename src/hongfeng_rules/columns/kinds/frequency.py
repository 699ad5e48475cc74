"""`frequency` over tables, as `checks/frequency.py`: at least N records in every whole week / month / quarter /
year of the period that ended by as-of (from the subject's founding, when it has one: `from_founding`).

The whole periods come from `timecalc.whole_periods` itself, once per distinct founding day; each selected record
is placed in the calendar unit holding its day (`place_by`'s value, a label counting as its first day, else the
collection's time field), and the units are counted by a group-by, not record by record. Several frequency
rules over the same subjects are one plan (`evaluate_many`).
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
from ..select import ROW, linked, schema_of, table
from . import KINDS, MANY, MEASURED_TYPE
from .every import RULE

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
    return evaluate_many([(0, check)], subject_collection, subjects, ctx).drop("rule")


def evaluate_many(checks: list[tuple[int, object]], subject_collection: str, subjects: pl.LazyFrame,
                  ctx: ColumnContext) -> pl.LazyFrame:
    """`rule` (each check's index) and the result columns of each (check, subject): the checks in the order
    given, the subjects in theirs within each. Each check's records are placed in its units by a plan of its own;
    the units are counted, judged and summed up for every check at once, its bound, limit and words columns."""
    has_founding = "founded_on" in COLLECTIONS[subject_collection].model.model_fields
    founded = pl.col("founded_on") if has_founding and any(c.from_founding for _, c in checks) else lit(None, pl.Date)
    words, units, verdicts, placed = [], [], [], []
    for i, check in checks:
        founding = check.from_founding and has_founding
        _, expected = check.judge(0, ctx)  # the expected text, or "no value in force"
        bound, threshold = check.bound
        limit = threshold.in_force(ctx.reference_date)
        words.append((i, founding, bound, 0 if limit is None else int(limit), f"{expected} every {check.per}",
                      check.per))  # a count's bound is whole (rulebook.units.count_problem), if written 2.0
        days = dict.fromkeys(table(subject_collection, ctx)["founded_on"].to_list()) if founding else {None: None}
        for day in days:  # every founding day of the collection (the subjects' among them)
            judged, skipped = ctx.memo(f"whole_periods:{check.per}:{day}",
                                       lambda: whole_periods(ctx.period, check.per, ctx.as_of, not_before=day))
            key = "-" if day is None else day.isoformat()
            if not judged:
                verdicts.append((i, key, no_unit_status(skipped, ctx.period, ctx.as_of, day),
                                 f"no whole {check.per} of the period has ended by the as-of date"))
            elif limit is None:
                verdicts.append((i, key, "not_applicable", expected))
            units += [(i, key, n, p.start, p.label) for n, p in enumerate(judged)]
        records = table(check.of, ctx)  # each record's unit placed once, however many subjects it links to
        starts = records.lazy().select(ROW, _start=_unit_start(record_day(check, schema_of(check.of, ctx)), check.per))
        placed.append(linked(check, subject_collection, ctx, [ROW]).join(starts, on=ROW).select(
            lit(i, RULE).alias("rule"), "_owner", "_start").drop_nulls())

    rules = pl.LazyFrame(words, orient="row", schema={"rule": RULE, "_founding": pl.Boolean, "_bound": pl.String,
                                                      "_limit": pl.Int64, "_expected": pl.String, "_per": pl.String})
    keys = rules.join(subjects.select("id", _founded=founded), how="cross", maintain_order="left_right").with_columns(
        _key=pl.when(pl.col("_founding")).then(pl.col("_founded").cast(pl.String)).fill_null("-")).cache()  # read 3 times
    counts = (pl.concat(placed) if len(placed) > 1 else placed[0]).group_by("rule", "_owner", "_start").agg(
        n=pl.len().cast(pl.Int64))
    unit_rows = pl.LazyFrame(units, orient="row", schema={"rule": RULE, "_key": pl.String, "_order": pl.Int64,
                                                          "_start": pl.Date, "_label": pl.String})
    judged = (keys.join(unit_rows, on=["rule", "_key"])
              .join(counts, left_on=["rule", "id", "_start"], right_on=["rule", "_owner", "_start"], how="left")
              .with_columns(pl.col("n").fill_null(0)))
    n, limit, bound = pl.col("n"), pl.col("_limit"), pl.col("_bound")
    judged = judged.with_columns(_met=pl.when(bound == "at_least").then(n >= limit).when(bound == "at_most")
                                 .then(n <= limit).otherwise(n == limit))
    summary = judged.sort("_order").group_by("rule", "id").agg(
        _total=pl.len(), _kept=pl.col("_met").sum(), _expected=pl.col("_expected").first(),
        _per=pl.col("_per").first(), evidence=pl.format("{}: {}", "_label", "n").filter(~pl.col("_met")))
    judged_out = summary.select(
        "rule", "id", status=pl.when(pl.col("evidence").list.len() > 0).then(lit("fail")).otherwise(lit("pass")),
        measured=pl.format("{} of {} {}s met", "_kept", "_total", "_per"), expected="_expected",
        evidence="evidence", note=lit(None, dtype=pl.String))
    fixed = pl.LazyFrame(verdicts, orient="row",
                         schema={"rule": RULE, "_key": pl.String, "status": pl.String, "note": pl.String})
    fixed_out = keys.join(fixed, on=["rule", "_key"]).select(
        "rule", "id", "status", measured=lit(None, dtype=pl.String), expected=lit(None, dtype=pl.String),
        evidence=lit([], dtype=pl.List(pl.String)), note="note")
    judged_out = judged_out.join(fixed_out.select("rule", "id"), on=["rule", "id"], how="anti")  # not judged
    out = pl.concat([judged_out, fixed_out]).with_columns(due=lit(None, dtype=SHANGHAI_INSTANT))
    return keys.select("rule", "id").join(out, on=["rule", "id"], how="left", maintain_order="left")


KINDS["frequency"] = evaluate
MANY["frequency"] = evaluate_many
MEASURED_TYPE["frequency"] = pl.String
