"""`levels` over tables, as `checks/levels.py`: each subject's ledger sum (entries of `of` linked to it, dated on or
before the reference day; negative entries lower it) and the highest level it reaches.

Everything is columns (a group-by over the ledger, the levels reached compared column-wise): the result is
`report.level_rows.LevelRows`, one row per subject in the subjects' order (`rule_id` and `clause` are the
collector's to fill), which makes the `MemberLevel` objects only when asked.
"""
from __future__ import annotations

import math

import polars as pl

from ...models import COLLECTIONS
from ...report.level_rows import LevelParts, LevelRows
from ..context import PLAN_FLAGS, ColumnContext
from ..literals import lit
from ..select import linked, table
from . import DERIVES


def _ledger(check, subject_collection: str, ctx: ColumnContext) -> pl.LazyFrame:
    """Per owner: the entries counted (on or before the reference day), their sum and the sum of the negatives."""
    time_field = COLLECTIONS[check.of].time_field
    fields = COLLECTIONS[check.of].model.model_fields
    links = linked(check, subject_collection, ctx, [c for c in dict.fromkeys(("id", time_field, check.amount))
                                                   if c in fields])
    if time_field is None:
        links = links.clear()
    else:
        when = pl.col(time_field)
        day = when.dt.date() if ctx.schema(links)[time_field] != pl.Date else when
        links = links.filter(when.is_not_null() & (day <= ctx.reference_date))
    amount = pl.col(check.amount).fill_null(0)
    links = links.with_columns(_id=pl.col("id").fill_null("") if "id" in fields else lit(""))
    whole = _whole(check, ctx)  # a float sum adds in record order (cum_sum), as the per-object sum() adds
    return links.group_by("_owner").agg(
        _points=amount.sum() if whole else amount.cum_sum().last(), _entries=pl.len().cast(pl.Int64),
        _adjustments=(amount.filter(amount < 0).sum() if whole else amount.filter(amount < 0).cum_sum().last()),
        _evidence="_id")


def _whole(check, ctx: ColumnContext) -> bool:
    """Are the ledger's amounts whole numbers (its sums exact in any order)?"""
    return table(check.of, ctx).schema[check.amount].is_integer()


def derive(check, subject_collection: str, subjects: pl.DataFrame, ctx: ColumnContext) -> LevelRows:
    on = ctx.reference_date
    steps = check.steps(on)
    frame = subjects.lazy().select(member_id="id", team_id=pl.col("team_id") if "team_id" in subjects.columns
                                   else lit(None, dtype=pl.String))
    frame = frame.join(_ledger(check, subject_collection, ctx), left_on="member_id", right_on="_owner", how="left",
                       maintain_order="left")
    if "team_id" in subjects.columns and ctx.tables.has("teams"):
        frame = frame.join(table("teams", ctx).lazy().select(team_id="id", association_id="association_id"),
                           on="team_id", how="left", maintain_order="left")
    else:
        frame = frame.with_columns(association_id=lit(None, dtype=pl.String))
    total = _zero(pl.col("_points"))
    reached = pl.lit(_bounds(steps, _whole(check, ctx))).search_sorted(total, side="right").cast(pl.UInt32)
    ahead = pl.lit(pl.Series([s.at_least for s in steps] + [None], dtype=pl.Float64)).gather(reached)
    frame = frame.select(
        lit(0, pl.UInt32).alias("rule"), "member_id", "team_id", "association_id", points=total.cast(pl.Float64),
        entries=pl.col("_entries").fill_null(0), adjustments=_zero(pl.col("_adjustments")).cast(pl.Float64),
        reached=reached.cast(pl.UInt32), points_to_next=ahead - total.cast(pl.Float64),
        evidence=pl.col("_evidence").fill_null(lit([], dtype=pl.List(pl.String))))
    return LevelRows(frame.collect(optimizations=PLAN_FLAGS), (LevelParts("", "", on, tuple(steps)),))


def _zero(total: pl.Expr) -> pl.Expr:
    """A sum, with no entries (null) or zero (-0.0 too) the whole 0, as `total or 0` reads it."""
    return pl.when(total.is_null() | (total == 0)).then(lit(0)).otherwise(total)


def _bounds(steps: list, whole: bool) -> pl.Series:
    """The sums at which each level is reached, lowest first, compared as Python compares them: a whole sum
    reaches x when it reaches ceil(x) (one above every Int64 never, one below all always), a float one x. The
    levels rise strictly, so those reached are a prefix and their count, the level, is a sorted search."""
    if not whole:
        return pl.Series([s.at_least for s in steps], dtype=pl.Float64)
    least, most = -2 ** 63, 2 ** 63 - 1
    return pl.Series([max(least, math.ceil(s.at_least)) for s in steps if math.ceil(s.at_least) <= most],
                     dtype=pl.Int64)


DERIVES["levels"] = derive
