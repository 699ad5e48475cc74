"""`levels` over tables, as `checks/levels.py`: each subject's ledger sum (entries of `of` linked to it, dated on or
before the reference day; negative entries lower it) and the highest level it reaches, as `MemberLevel`s.

The sums, counts and evidence are columns (a group-by over the ledger); only the results are objects, built at the
end, one per subject, in the subjects' order (`rule_id` and `clause` are the collector's to fill).
"""
from __future__ import annotations

from bisect import bisect_right

import polars as pl

from ...derived_results import MemberLevel
from ...models import COLLECTIONS
from ...models.base import trusted
from ..context import ColumnContext
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
    return links.group_by("owner").agg(  # sums in record order (cum_sum), as the per-object sum() adds
        _points=amount.cum_sum().last(), _entries=pl.len().cast(pl.Int64),
        _adjustments=amount.filter(amount < 0).cum_sum().last(), _evidence="_id")


def derive(check, subject_collection: str, subjects: pl.DataFrame, ctx: ColumnContext) -> list[MemberLevel]:
    on = ctx.reference_date
    steps = check.steps(on)
    limits = [s.at_least for s in steps]
    frame = subjects.lazy().select("id", *(["team_id"] if "team_id" in subjects.columns else []))
    frame = frame.join(_ledger(check, subject_collection, ctx), left_on="id", right_on="owner", how="left",
                       maintain_order="left")
    if "team_id" in subjects.columns and ctx.tables.has("teams"):
        frame = frame.join(table("teams", ctx).lazy().select(team_id="id", association_id="association_id"),
                           on="team_id", how="left", maintain_order="left")
    out = []
    for row in frame.collect().iter_rows(named=True):
        total = row["_points"] or 0
        reached = bisect_right(limits, total)  # the levels rise strictly: those reached are a prefix
        ahead = steps[reached] if reached < len(steps) else None
        out.append(trusted(
            MemberLevel, rule_id="", clause="", member_id=row["id"], team_id=row.get("team_id"),
            association_id=row.get("association_id"), as_of=on, points=float(total), entries=row["_entries"] or 0,
            adjustments=float(row["_adjustments"] or 0), level=steps[reached - 1].name if reached else None,
            crossed=steps[:reached], next=ahead, points_to_next=ahead.at_least - total if ahead is not None else None,
            evidence_ids=row["_evidence"] or []))
    return out


DERIVES["levels"] = derive
