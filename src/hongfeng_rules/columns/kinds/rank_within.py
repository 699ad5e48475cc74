"""`rank_within` over tables, as `checks/rank_within.py`: each target record of a subject's group ranks within the
top (a rank, or a percent of the group: ceil, at least 1); equal scores share the better rank, an unset score is 0.
"""
from __future__ import annotations

import polars as pl

from ...models import COLLECTIONS
from ...tables import SHANGHAI_INSTANT
from ..context import ColumnContext
from ..derived import derived_frame
from ..exact import divide, greatest
from ..literals import lit
from ..select import linked
from ..where import compile_where, holds, with_extras
from . import KINDS, MEASURED_TYPE


def _score(check, links: pl.LazyFrame, ctx: ColumnContext) -> pl.LazyFrame:
    """`links` with `_score`: the score field (a dotted path or `@name`) of each record, 0 when unset."""
    if check.score.startswith("@"):
        values = derived_frame(check.score[1:], check.of, ctx).select("id", _score="value")
        links = links.join(values, on="id", how="left", maintain_order="left")
    else:
        first, *rest = check.score.split(".")
        score = pl.col(first)
        for part in rest:
            score = score.struct.field(part)
        links = links.with_columns(_score=score)
    return links.with_columns(pl.col("_score").fill_null(0))


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx: ColumnContext) -> pl.LazyFrame:
    target = compile_where(check.target, COLLECTIONS[check.of].model, "check.target")
    links = with_extras(_score(check, linked(check, subject_collection, ctx), ctx), [target], ctx)
    links = links.with_columns(_target=holds(links, target, ctx).fill_null(False),
                               _rank=pl.col("_score").rank("min", descending=True).over("_owner").cast(pl.Int64),
                               _size=pl.len().over("_owner").cast(pl.Int64))
    limit = check.top.in_force(ctx.reference_date)
    if check.top.unit == "rank":
        allowed = lit(int(limit) if limit is not None else 0, dtype=pl.Int64)
    else:
        allowed = greatest(lit(1), divide(pl.col("_size") * (limit or 0), 100).ceil().cast(pl.Int64))
    targets = links.filter("_target").with_columns(_allowed=allowed)
    groups = targets.group_by("_owner").agg(
        measured=pl.format("{} rank {} of {}", "id", "_rank", "_size").str.join(", "),
        expected=pl.format("rank ≤ {}", pl.col("_allowed").first()),
        _late=pl.col("id").filter(pl.col("_rank") > pl.col("_allowed")), _all=pl.col("id"))
    out = subjects.select("id").join(groups, left_on="id", right_on="_owner", how="left", maintain_order="left")
    none_note = f"no {check.of} matching the target"
    judged = pl.col("_all").is_not_null() & (limit is not None)
    late = pl.col("_late").list.len() > 0
    return out.select(
        "id",
        status=pl.when(~judged).then(lit("not_applicable")).when(late).then(lit("fail"))
        .otherwise(lit("pass")),
        measured=pl.when(judged).then("measured"), expected=pl.when(judged).then("expected"),
        evidence=pl.when(~judged).then(lit([], dtype=pl.List(pl.String))).when(late).then("_late").otherwise("_all"),
        note=pl.when(pl.col("_all").is_null()).then(lit(none_note)).when(~judged).then(lit("no value in force")),
        due=lit(None, dtype=SHANGHAI_INSTANT))


KINDS["rank_within"] = evaluate
MEASURED_TYPE["rank_within"] = pl.String
