"""The column-wise audit: every compiled rule over the tables, into findings built only at the end.

As `auditing.run_rule`: the subjects are the rows of the rule's subject collection (an event collection's
rows of the evaluation period only) for which the rule's `where` holds; a missing subject collection gives
one not-assessable finding for the subject "*", a missing collection the rule needs makes each subject not
assessable. Each kind (`kinds.KINDS`) gives the plan of its result rows; `evaluate_all` collects every rule's
plan at once, and `findings.findings` turns the rows into the same findings the per-object engine makes.
"""
from __future__ import annotations

import polars as pl

from ..models import COLLECTIONS
from ..rulebook.pack import CompiledRule
from .context import PLAN_FLAGS, ColumnContext
from .kinds import IN_ORDER, KINDS
from .kinds.result import Finish
from .select import counted, table
from .where import compile_where, holds, uses_derived, with_extras


def evaluate_all(rules: list[CompiledRule], ctx: ColumnContext) -> list[tuple[CompiledRule, pl.DataFrame | None]]:
    """Each rule's result rows (see `results`), the rules' plans collected together."""
    plans = [results(rule, ctx) for rule in rules]
    lazy = [p.plan if isinstance(p, Finish) else p for p in plans if p is not None]
    collected = iter(pl.collect_all(lazy, optimizations=PLAN_FLAGS))
    return [(rule, None if p is None else p.finish(next(collected)) if isinstance(p, Finish) else next(collected))
            for rule, p in zip(rules, plans)]


def results(rule: CompiledRule, ctx: ColumnContext) -> pl.LazyFrame | Finish | None:
    """The plan of one row per subject the rule applies to (`id` and the Outcome columns, subjects in table
    order); None when the dataset lacks the subject collection."""
    collection = rule.subject_collection
    if not ctx.tables.has(collection):
        return None
    subjects = counted(collection, True, ctx) if COLLECTIONS[collection].event else table(collection, ctx).lazy()
    if rule.rule.where:
        applies = ctx.memo(f"applies:{id(rule)}",
                           lambda: compile_where(rule.rule.where, COLLECTIONS[collection].model, "where"))
        subjects = with_extras(subjects, [applies], ctx)
        subjects = subjects.filter(holds(subjects, applies, ctx).fill_null(False))
    missing = sorted(c for c in rule.needs if not ctx.tables.has(c))
    if missing:
        return subjects.select("id", status=pl.lit("not_assessable"),
                               note=pl.lit("the dataset has no " + ", ".join(missing)))
    evaluated = KINDS[rule.rule.check.kind](rule.rule.check, collection, subjects, ctx)
    if isinstance(evaluated, Finish) or rule.rule.check.kind in IN_ORDER:  # in the subjects' order already
        return evaluated
    return subjects.select("id").join(evaluated, on="id", how="left", maintain_order="left")


def supports(rule: CompiledRule) -> bool:
    """Whether this engine has the rule's check kind (and the derived values it names)."""
    if rule.rule.check.kind not in KINDS:
        return False
    if uses_derived(rule.rule.check.model_dump(), rule.rule.where):
        try:
            from . import derived  # noqa: F401  (issue 18c)
        except ImportError:
            return False
    return True
