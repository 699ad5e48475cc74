"""`every` over tables (checks.every): every selected record (or the subject itself) meets a condition;
an unknown answer is not assessable, a record still within `pending_while` is pending.

Several `every` rules over the same subjects are one plan (`evaluate_many`): the rules reading the same records
(the same `of`, `via` and period) share one pass over them: each rule's `where`, `require` and `pending_while`
answered once per record, joined to the (subject, record) pairs, and counted by one group-by per subject; the
verdict is one expression over every rule's counts, the rule's words (`what`, the fields needed) as columns.
Planning a query costs more than running it on a team's rows, so fewer, larger plans are what makes a small
audit cheap.
"""
from __future__ import annotations

from functools import lru_cache

import polars as pl

from ...checks.every import _fields
from ...checks.selection import Selection
from ...models import COLLECTIONS
from ..literals import lit
from ..select import ROW, compile_select, schema_of, table
from ..where import compile_where, holds, with_extras
from . import KINDS, MANY, MEASURED_TYPE
from .result import result_columns

RULE = pl.UInt32  # the dtype of `evaluate_all`'s rule index


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx) -> pl.LazyFrame:
    return evaluate_many([(0, check)], subject_collection, subjects, ctx).drop("rule")


def evaluate_many(checks: list[tuple[int, object]], subject_collection: str, subjects: pl.LazyFrame,
                  ctx) -> pl.LazyFrame:
    """`rule` (each check's index) and the result columns of each (check, subject): the checks in the order
    given, the subjects in theirs within each."""
    groups: dict[tuple, list[tuple[int, object]]] = {}
    for i, check in checks:
        groups.setdefault((check.of, check.via, check.in_period), []).append((i, check))
    counts = [_counts(group, subject_collection, subjects, ctx) for group in groups.values()]
    counts = pl.concat(counts) if len(counts) > 1 else counts[0]
    words = pl.LazyFrame({"rule": [i for i, _ in checks],
                          "_what": [c.of or COLLECTIONS[subject_collection].kind for _, c in checks],
                          "_needed": ["/".join(_fields(c.require)) or "value" for _, c in checks]},
                         schema={"rule": RULE, "_what": pl.String, "_needed": pl.String})
    frame = (words.join(subjects.select("id"), how="cross", maintain_order="left_right")
             .join(counts, on=["rule", "id"], how="left", maintain_order="left")
             .with_columns(pl.col("n").fill_null(0)))
    return frame.select("rule", "id", *_outcome())


def _counts(group: list[tuple[int, object]], subject_collection: str, subjects: pl.LazyFrame, ctx) -> pl.LazyFrame:
    """(`rule`, `id`: the subject, `n`: its records counted (its selection's where), and the ids of those
    `failing` (not meeting the require), `unknown` and `pending`) of each check and subject with records the
    checks read (the same records: one of, via, period). Each check's answers are columns of one row per
    (subject, record), grouped once by subject: not one row per record and check."""
    of = group[0][1].of
    model = COLLECTIONS[of or subject_collection].model
    parts = []  # (index, its selection's where, require, pending_while), compiled
    for i, check in group:
        where = None
        if of is not None:
            selection = Selection(of=of, via=check.via, where=check.where, in_period=check.in_period)
            where = compile_select(selection, subject_collection).where  # validated as the selection is
        test = compile_where(check.require, model, "check.require")
        waiting = compile_where(check.pending_while, model, "check.pending_while") if check.pending_while else None
        parts.append((i, where, test, waiting))
    conditions = [c for _, *cs in parts for c in cs if c is not None]
    records = subjects if of is None else ctx.with_schema(table(of, ctx).lazy(), schema_of(of, ctx))
    records = with_extras(records, conditions, ctx)
    flags, tallies = [], []  # each check's three answers per record; its count and lists per subject
    for i, where, test, waiting in parts:
        ok = holds(records, test, ctx)
        pending = ok.ne_missing(True) & holds(records, waiting, ctx).fill_null(False) if waiting else lit(False)
        counted = holds(records, where, ctx).fill_null(False) if where is not None else lit(True)
        flags += [counted.alias(f"_counted{i}"), ok.alias(f"_ok{i}"), pending.alias(f"_pending{i}")]
        c, ok, pending, record = pl.col(f"_counted{i}"), pl.col(f"_ok{i}"), pl.col(f"_pending{i}"), pl.col("id")
        tallies += [c.sum().cast(pl.UInt32).alias(f"n{i}"),
                    record.filter(c & ~pending & (ok == False)).alias(f"failing{i}"),  # noqa: E712
                    record.filter(c & ~pending & ok.is_null()).alias(f"unknown{i}"),
                    record.filter(c & pending).alias(f"pending{i}")]
    if of is None:
        rows = records.select("id", *flags).with_columns(key=pl.col("id"))
    else:  # the answers joined to the (subject, record) pairs: a record's nested columns are never gathered
        first = group[0][1]
        pairs = compile_select(Selection(of=of, via=first.via, where=None, in_period=first.in_period),
                               subject_collection).pairs(ctx)
        rows = pairs.join(records.select(ROW, "id", *flags), on=ROW, maintain_order="left")
    each = [pl.struct(lit(i, RULE).alias("rule"), *(pl.col(f"{name}{i}").alias(name) for name in _TALLIES))
            for i, *_ in parts]  # a subject's row of each check, turned into the check's row by one explode
    return (rows.group_by("key").agg(*tallies).select(pl.col("key").alias("id"), pl.concat_list(each).alias("_r"))
            .explode("_r", empty_as_null=False).unnest("_r").select("rule", "id", *_TALLIES))


_TALLIES = ("n", "failing", "unknown", "pending")


@lru_cache(maxsize=1)
def _outcome() -> list[pl.Expr]:
    """The result columns from a subject's `n` records and its failing, unknown and pending ones (and the rule's
    `_what` and `_needed`): the same expressions for every rule, built once per process."""
    n, f, u, p = (pl.col("n"), pl.col("failing").list.len(), pl.col("unknown").list.len(),
                  pl.col("pending").list.len())
    measured = pl.format("{} of {}", n - f - u - p, n)
    none = n == 0
    return result_columns(
        pl.String,
        status=pl.when(none).then(lit("not_applicable")).when(f > 0).then(lit("fail"))
        .when(u > 0).then(lit("not_assessable")).when(p > 0).then(lit("pending")).otherwise(lit("pass")),
        measured=pl.when(~none).then(measured),
        expected=pl.when(~none).then(lit("all")),
        evidence=pl.when(f > 0).then(pl.col("failing")).when(u > 0).then(pl.col("unknown"))
        .when(p > 0).then(pl.col("pending")),
        note=pl.when(none).then(pl.format("no {} to check", "_what"))
        .when(f > 0).then(lit(None))
        .when(u > 0).then(pl.format("{} not recorded for {} of {}", "_needed", u, n))
        .when(p > 0).then(pl.format("{} of {} still within their time limit", p, n)))


KINDS["every"] = evaluate
MEASURED_TYPE["every"] = pl.String
MANY["every"] = evaluate_many
