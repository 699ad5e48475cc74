"""Each `@name` of `derived.DERIVED` as a frame over the tables: `derived_frame(name, collection, ctx)` has one
row per record of `collection` (table order), columns `id` and `value`, a shared frame of the audit.

Same values, types and units as the per-object `derived.py`, and the same "not recorded → null": a member with
no activity has 0.0 service hours and 0 activities, one never reviewed has no review day (null), a member never
active counts from the join date. Sums add in record order (`cum_sum`), as the per-object sums do, so float
hours agree to the last bit. Nicknames go through `nicknames.normalise` itself, once per distinct text.
"""
from __future__ import annotations

from functools import partial
from typing import Callable

import polars as pl

from .. import nicknames
from ..derived import DERIVED, LAST_ACTIVE_SOURCES
from ..tables import SHANGHAI_INSTANT
from ..timecalc import as_shanghai
from .context import ColumnContext
from .exact import divide, greatest
from .literals import lit
from .select import counted, counts, table

Build = Callable[[pl.DataFrame, ColumnContext], pl.LazyFrame]  # (the collection's table, ctx)


def derived_frame(name: str, collection: str, ctx: ColumnContext) -> pl.LazyFrame:
    """`@name` of every record of `collection`: columns `id`, `value` (KeyError: no such derived value there)."""
    applies = DERIVED[name].applies_to
    if collection not in ((applies,) if isinstance(applies, str) else applies):
        raise KeyError(f"@{name} is not computed for {collection}")
    return ctx.frame(f"derived:{name}:{collection}", lambda: _BUILD[name](table(collection, ctx), ctx))


def explode(frame: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """A row per item of a list column; an empty or null list (or a null item) gives no row."""
    return frame.explode(column, empty_as_null=False, keep_nulls=False).drop_nulls(column)


def instant(value) -> pl.Expr:
    """A Python instant as a Shanghai literal (comparable with every instant column)."""
    return lit(as_shanghai(value), dtype=SHANGHAI_INSTANT)


def _per_member(members: pl.DataFrame, values: pl.LazyFrame, default) -> pl.LazyFrame:
    """`values` (member_id, value) joined onto the members in their order; a member without one gets `default`."""
    out = members.lazy().select("id").join(values.rename({"member_id": "id"}), on="id", how="left", maintain_order="left")
    return out.with_columns(pl.col("value").fill_null(default)) if default is not None else out


def _status(rows: pl.DataFrame, ctx: ColumnContext) -> pl.LazyFrame:
    day, status, since = ctx.reference_date, pl.col("status"), pl.col("status_since")
    later = pl.when(status != "active").then(lit("active")).otherwise(lit("demoted"))
    value = pl.when(since.is_null() | (since <= day)).then(status).otherwise(later)
    if "join_date" in rows.columns:
        value = pl.when(pl.col("join_date") > day).then(lit("not_joined")).otherwise(value)
    return rows.lazy().select("id", value=value.cast(pl.String))


def _age(rows: pl.DataFrame, ctx: ColumnContext) -> pl.LazyFrame:
    day, born = ctx.reference_date, pl.col("birth_date")
    before_birthday = (born.dt.month() > day.month) | ((born.dt.month() == day.month) & (born.dt.day() > day.day))
    return rows.lazy().select("id", value=(day.year - born.dt.year().cast(pl.Int64) - before_birthday.cast(pl.Int64)))


def _participations(ctx: ColumnContext) -> pl.LazyFrame:
    """Each activity participant's member (`member_id`) with `hours`, the hours of the period's activities added in
    record order (as the per-object sums; null: none in the period), and `active`, the latest activity end not
    after the reference instant: one explode and one group-by of every participation, shared by @service_hours
    and @last_active_at."""
    def build() -> pl.LazyFrame:
        field, _ = LAST_ACTIVE_SOURCES["activities"]
        rows = table("activities", ctx).lazy().select(field, "participants", _in=counts("activities", True, ctx))
        parts = explode(rows, "participants").unnest("participants")
        return parts.group_by("member_id").agg(
            hours=pl.col("hours").filter("_in").cum_sum().last(),
            active=pl.col(field).filter(pl.col(field) <= instant(ctx.reference_instant)).max())
    return ctx.frame("participations", build)


def _service_hours(members: pl.DataFrame, ctx: ColumnContext) -> pl.LazyFrame:
    return _per_member(members, _participations(ctx).select("member_id", value="hours"), 0.0)


def _activity_count(members: pl.DataFrame, ctx: ColumnContext) -> pl.LazyFrame:
    linked = explode(counted("activities", True, ctx).select(
        "_row", member_id=pl.col("participants").list.eval(pl.element().struct.field("member_id"))), "member_id")
    linked = linked.unique()  # an activity counts once per member
    return _per_member(members, linked.group_by("member_id").agg(value=pl.len().cast(pl.Int64)), 0)


_MEMBER_IDS = {  # LAST_ACTIVE_SOURCES' "members the record names", as columns (the activities': `_participations`)
    "trainings": pl.col("attendee_ids"),
    "patrol_sign_ins": pl.concat_list(pl.col("member_id")),
}


def _last_active_at(members: pl.DataFrame, ctx: ColumnContext) -> pl.LazyFrame:
    sources = []
    for collection, (field, _) in LAST_ACTIVE_SOURCES.items():
        if collection != "activities":  # the activities' latest end: `_participations`
            rows = table(collection, ctx).lazy().filter(pl.col(field) <= instant(ctx.reference_instant))
            sources.append(explode(rows.select(when=pl.col(field), member_id=_MEMBER_IDS[collection]), "member_id"))
    latest = pl.concat(sources).group_by("member_id").agg(value=pl.col("when").max())
    joined = pl.col("join_date").cast(pl.Datetime("us")).dt.replace_time_zone("Asia/Shanghai")  # day_start
    joined = pl.when(joined <= instant(ctx.reference_instant)).then(joined)  # joined later: no fallback
    out = members.lazy().select("id", joined=joined).join(latest.rename({"member_id": "id"}), on="id", how="left",
                                                   maintain_order="left")
    out = out.join(_participations(ctx).select(id="member_id", active="active"), on="id", how="left",
                   maintain_order="left")
    return out.select("id", value=greatest("value", "active", "joined").cast(SHANGHAI_INSTANT))


def _pre_job(members: pl.DataFrame, ctx: ColumnContext) -> pl.LazyFrame:
    trainings = table("trainings", ctx).lazy()
    rows = trainings.filter((pl.col("kind") == "pre_job") & (pl.col("end") <= instant(ctx.as_of)))
    attended = explode(rows.select("_row", member_id="attendee_ids"), "member_id")
    attended = attended.unique()  # set(attendee_ids): once per training
    return _per_member(members, attended.group_by("member_id").agg(value=pl.len().cast(pl.Int64)), 0)


def _review_passed_on(members: pl.DataFrame, ctx: ColumnContext) -> pl.LazyFrame:
    reviews = table("political_reviews", ctx).lazy()
    passed = reviews.filter((pl.col("result") == "passed") & pl.col("completed_on").is_not_null())
    return _per_member(members, passed.group_by("member_id").agg(value=pl.col("completed_on").min()), None)


def _normalised(convert: Callable[[str | None], str | None], rows: pl.DataFrame, ctx: ColumnContext) -> pl.LazyFrame:
    """Each record's nickname through `convert`, once per distinct text (bound by `partial` in `_BUILD`: code
    that runs per audit, where a test sees it, not once at import)."""
    texts = [t for t in dict.fromkeys(rows["nickname"].to_list()) if t is not None]
    mapping = pl.LazyFrame({"nickname": texts, "value": [convert(t) for t in texts]},
                           schema={"nickname": pl.String, "value": pl.String})
    return rows.lazy().select("id", "nickname").join(mapping, on="nickname", how="left",
                                              maintain_order="left").select("id", "value")


def _duration(rows: pl.DataFrame, ctx: ColumnContext) -> pl.LazyFrame:
    seconds = divide((pl.col("end") - pl.col("start")).dt.total_microseconds(), 1_000_000)  # .total_seconds()
    return rows.lazy().select("id", value=divide(seconds, 3600))


_BUILD: dict[str, Build] = {
    "status_on_reference_date": _status,
    "age_years": _age,
    "service_hours": _service_hours,
    "activity_count": _activity_count,
    "last_active_at": _last_active_at,
    "pre_job_trainings": _pre_job,
    "political_review_passed_on": _review_passed_on,
    "nickname": partial(_normalised, nicknames.normalise),
    "nickname_name": partial(_normalised, nicknames.name_part),
    "duration_hours": _duration,
    "activity_duration_hours": _duration,
}
assert _BUILD.keys() == DERIVED.keys(), "every derived value has a column-wise build"
