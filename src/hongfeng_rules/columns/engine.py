"""The column-wise audit: every compiled rule over the tables, into findings built only at the end.

As the oracle's `run_rule` (tests/oracle/engine.py): the subjects are the rows of the rule's subject collection
(an event collection's rows of the evaluation period only) for which the rule's `where` holds; a missing subject
collection gives one not-assessable finding for the subject "*", a missing collection the rule needs makes each
subject not assessable. Each kind (`kinds.KINDS`) gives the plan of its result rows; `evaluate_all` collects
every rule's rows as one frame, and `findings.findings` turns it into the same findings the per-object engine
makes.
"""
from __future__ import annotations

from functools import lru_cache

import polars as pl

from ..models import COLLECTIONS
from ..rulebook.pack import CompiledRule
from .context import PLAN_FLAGS, ColumnContext
from .kinds import ALONE, IN_ORDER, KINDS, MANY, MEASURED_TYPE, RESULT_SCHEMA
from .kinds.result import EVIDENCE, Finish, result_schema
from .literals import lit
from .select import counted, schema_of, table
from .where import compile_where, holds, spelling, with_extras

MEASURED = "measured:"  # a result's `measured`, in the column of its dtype: "measured:Int64", "measured:String", …


def evaluate_all(rules: list[CompiledRule], ctx: ColumnContext) -> pl.DataFrame:
    """Every rule's result rows (`results`) in one frame, rule after rule: `rule` (its index in `rules`), `id`,
    the columns of `kinds.RESULT_SCHEMA` but `measured`, and `measured` in one column per dtype (`MEASURED`;
    null in the others). The rules of a kind in `kinds.MANY` over the same subjects are one plan (`_batch`); the
    plans that Python finishes are collected first, then all the rows at once."""
    plans: list[tuple[int | None, pl.LazyFrame | Finish]] = []  # (the rule's index, or None: a batch's `rule`)
    batches: dict[tuple, list[int]] = {}
    for i, rule in enumerate(rules):
        key = _batch(rule, ctx)
        if key is None:
            plans.append((i, results(rule, ctx)))
        else:
            batches.setdefault(key, []).append(i)
    for (kind, collection, _), members in batches.items():
        checks = [(i, rules[i].rule.check) for i in members]
        plan = MANY[kind](checks, collection, _subjects(rules[members[0]], ctx), ctx)
        plans.append((None, ctx.with_schema(plan, pl.Schema({"rule": pl.UInt32, **result_schema(MEASURED_TYPE[kind])}))))
    finishing = [p for _, p in plans if isinstance(p, Finish)]
    finished = iter(pl.collect_all([p.plan for p in finishing], optimizations=PLAN_FLAGS) if finishing else [])
    frames = []
    for i, p in plans:
        if isinstance(p, Finish):
            done = p.finish(next(finished))
            p = ctx.with_schema(done.lazy(), done.schema)
        frames.append((i, p, ctx.schema(p)))
    if not frames:
        return pl.DataFrame(schema={"rule": pl.UInt32, **RESULT_SCHEMA}).drop("measured", strict=False)
    dtypes = sorted({s["measured"] for _, _, s in frames if s.get("measured", pl.Null) != pl.Null}, key=str)
    together = pl.concat([_normalised(i, p, s, dtypes) for i, p, s in frames], how="vertical")
    return together.sort("rule", maintain_order=True).collect(optimizations=PLAN_FLAGS)


def _batch(rule: CompiledRule, ctx: ColumnContext) -> tuple | None:
    """The batch of rules evaluated in one plan with this one (its kind's `MANY`, over the same subjects), or
    None: a rule evaluated alone (`results`)."""
    collection, check = rule.subject_collection, rule.rule.check
    if check.kind not in MANY or ALONE.get(check.kind, _never)(check) or not ctx.tables.has(collection) or any(
            not ctx.tables.has(c) for c in rule.needs):
        return None
    return rule.rule.check.kind, collection, spelling(rule.rule.where)


def _never(check) -> bool:
    return False


def _normalised(i: int | None, plan: pl.LazyFrame, schema: pl.Schema, dtypes: list[pl.DataType]) -> pl.LazyFrame:
    """A rule's result rows in `evaluate_all`'s columns (those it lacks null, a null evidence an empty list); `i`
    None: a batch's, which has its `rule` column."""
    rule = pl.col("rule") if i is None else lit(i, pl.UInt32).alias("rule")
    return plan.select(rule, *_columns(tuple(schema.items()), tuple(dtypes)))


@lru_cache(maxsize=1024)
def _columns(schema: tuple, dtypes: tuple) -> list[pl.Expr]:
    """`_normalised`'s columns but `rule`, for a result schema: built once per process."""
    schema = dict(schema)
    columns = [pl.col("id")]
    for name, dtype in RESULT_SCHEMA.items():
        if name != "id":
            value = pl.col(name).cast(dtype) if name in schema else lit(None, dtype=dtype)
            columns.append((value.fill_null(lit([], dtype=EVIDENCE)) if name == "evidence" else value).alias(name))
    return columns + [(pl.col("measured") if schema.get("measured") == t else lit(None, dtype=t)).alias(MEASURED + str(t))
                      for t in dtypes]


def _subjects(rule: CompiledRule, ctx: ColumnContext) -> pl.LazyFrame:
    """The plan of the rows the rule applies to: its subject collection's (an event collection's of the period
    only) for which its `where` holds."""
    collection = rule.subject_collection
    rows = table(collection, ctx)
    subjects = ctx.with_schema(counted(collection, True, ctx) if COLLECTIONS[collection].event else rows.lazy(),
                               schema_of(collection, ctx))
    if rule.rule.where:
        applies = ctx.memo(f"applies:{id(rule)}",
                           lambda: compile_where(rule.rule.where, COLLECTIONS[collection].model, "where"))
        subjects = with_extras(subjects, [applies], ctx)
        subjects = subjects.filter(holds(subjects, applies, ctx).fill_null(False))
    return subjects


def results(rule: CompiledRule, ctx: ColumnContext) -> pl.LazyFrame | Finish:
    """The plan of one row per subject the rule applies to (`id` and the Outcome columns, subjects in table
    order); when the dataset lacks the subject collection, one not-assessable row for the subject "*"."""
    collection = rule.subject_collection
    if not ctx.tables.has(collection):
        return ctx.memo(f"no-subjects:{collection}", lambda: ctx.with_schema(pl.LazyFrame(
            {"id": ["*"], "status": ["not_assessable"], "note": [f"the dataset has no {collection}"]}), _NOTED))
    subjects = _subjects(rule, ctx)
    missing = sorted(c for c in rule.needs if not ctx.tables.has(c))
    if missing:
        return ctx.with_schema(subjects.select("id", status=pl.lit("not_assessable"),
                                               note=pl.lit("the dataset has no " + ", ".join(missing))), _NOTED)
    kind = rule.rule.check.kind
    evaluated = KINDS[kind](rule.rule.check, collection, subjects, ctx)
    if isinstance(evaluated, Finish):
        return evaluated
    if kind not in IN_ORDER:  # else in the subjects' order already
        evaluated = subjects.select("id").join(evaluated, on="id", how="left", maintain_order="left")
    return ctx.with_schema(evaluated, result_schema(MEASURED_TYPE[kind]))


_NOTED = pl.Schema({"id": pl.String, "status": pl.String, "note": pl.String})  # a not-assessable row's columns

