"""`count` over tables (checks.count): how many selected records (or distinct values) per subject.

Several plain `count` rules over the same subjects are one plan (`evaluate_many`), as `every`'s are: the rules
selecting the same records (one `of`, `via` and period) read them through one cached frame, each rule's `where`
a filter of it, all rules' records counted by one group-by; the bound, its limit in force and the expected text
are columns, the verdict one expression. A count of distinct values is judged in Python (`_distinct`), alone.
"""
from __future__ import annotations

from functools import lru_cache

import polars as pl

from ..literals import lit
from ..select import Select, compile_select
from ..where import holds
from . import ALONE, KINDS, MANY, MEASURED_TYPE
from .every import RULE
from .result import Finish, from_python, limit_in_force, per_subject, result_columns


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx) -> pl.LazyFrame | Finish:
    if check.distinct is None:
        return evaluate_many([(0, check)], subject_collection, subjects, ctx).drop("rule")
    select = compile_select(check, subject_collection)
    rows = select.rows(ctx)
    limit, expected = limit_in_force(check, ctx)
    values = pl.col(check.distinct)
    if isinstance(ctx.schema(rows)[check.distinct], pl.List):
        values = values.list.explode(keep_nulls=False, empty_as_null=False)
    return Finish(per_subject(subjects, rows, evidence=pl.col("id"), values=values.drop_nulls().unique()),
                  lambda frame: _distinct(check, frame, limit, expected, ctx))


def evaluate_many(checks: list[tuple[int, object]], subject_collection: str, subjects: pl.LazyFrame,
                  ctx) -> pl.LazyFrame:
    """`rule` (each check's index) and the result columns of each (check, subject) of plain counts: the checks
    in the order given, the subjects in theirs within each."""
    groups: dict[str, list[tuple[int, Select]]] = {}
    for i, check in checks:
        select = compile_select(check, subject_collection)
        groups.setdefault(select.key, []).append((i, select))
    per_rule = []
    for group in groups.values():
        first = group[0][1]
        rows = Select(first.of, first.via, first.in_period, None, first.key).rows(
            ctx, [s.where for _, s in group if s.where is not None])
        shared = rows.cache()  # computed once for all the rules' filters
        for i, select in group:
            kept = shared if select.where is None else shared.filter(holds(rows, select.where, ctx).fill_null(False))
            per_rule.append(kept.select(lit(i, RULE).alias("rule"), "key", "id"))
    long = pl.concat(per_rule) if len(per_rule) > 1 else per_rule[0]
    counts = (long.group_by("rule", "key", maintain_order=True).agg(pl.len().alias("n"), pl.col("id").alias("_ids"))
              .rename({"key": "id"}))
    bounds = [(i, check.bound[0], *limit_in_force(check, ctx)) for i, check in checks]
    words = pl.LazyFrame({"rule": [i for i, *_ in bounds], "_bound": [b for _, b, *_ in bounds],
                          "_limit": [float(v) if v is not None else None for *_, v, _ in bounds],
                          "_expected": [e for *_, e in bounds]},
                         schema={"rule": RULE, "_bound": pl.String, "_limit": pl.Float64, "_expected": pl.String})
    frame = (words.join(subjects.select("id"), how="cross", maintain_order="left_right")
             .join(counts, on=["rule", "id"], how="left", maintain_order="left")
             .with_columns(pl.col("n").fill_null(0)))
    return frame.select("rule", "id", *_outcome())


@lru_cache(maxsize=1)
def _outcome() -> list[pl.Expr]:
    """The result columns from a subject's `n` records (`_ids`) and the rule's `_bound`, `_limit` (null: no value
    in force) and `_expected`: the same expressions for every rule, built once per process."""
    n, limit, bound = pl.col("n"), pl.col("_limit"), pl.col("_bound")
    met = (pl.when(bound == "at_least").then(n >= limit).when(bound == "at_most").then(n <= limit)
           .otherwise(n == limit))
    judged = limit.is_not_null()
    return result_columns(
        pl.Int64, status=pl.when(~judged).then(lit("not_applicable")).when(met).then(lit("pass"))
        .otherwise(lit("fail")),
        measured=pl.when(judged).then(n), expected=pl.when(judged).then(pl.col("_expected")),
        evidence=pl.when(judged).then(pl.col("_ids")), note=pl.when(~judged).then(pl.col("_expected")))


def _distinct(check, frame: pl.DataFrame, limit, expected: str, ctx) -> pl.DataFrame:
    out = []
    for subject, n, evidence, found in frame.iter_rows():  # per_subject's columns
        if n == 0:
            out.append((subject, "not_applicable", None, None, None,
                        f"no {check.of} to count {check.distinct} over"))
        elif limit is None:
            out.append((subject, "not_applicable", None, None, None, expected))
        else:
            ok, _ = check.judge(len(found), ctx)
            measured = f"{len(found)}: " + ", ".join(sorted(map(str, found))) if found else "0"
            out.append((subject, "pass" if ok else "fail", measured, expected, evidence, None))
    return from_python(out, pl.String)


KINDS["count"] = evaluate
MEASURED_TYPE["count"] = pl.Int64
MANY["count"] = evaluate_many
ALONE["count"] = lambda check: check.distinct is not None
