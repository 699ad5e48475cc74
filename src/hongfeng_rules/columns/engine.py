"""The column-wise audit: every compiled rule over the tables, into findings built only at the end.

As `auditing.run_rule`: the subjects are the rows of the rule's subject collection (an event collection's
rows of the evaluation period only) for which the rule's `where` holds; a missing subject collection gives
one not-assessable finding for the subject "*", a missing collection the rule needs makes each subject not
assessable. Each kind (`kinds.KINDS`) returns result rows; `findings.findings` turns them into the same
findings the per-object engine makes.
"""
from __future__ import annotations

import polars as pl

from ..models import COLLECTIONS
from ..rulebook.pack import CompiledRule
from .context import ColumnContext
from .kinds import KINDS
from .select import counted, table
from .where import compile_where, holds, uses_derived, with_extras


def results(rule: CompiledRule, ctx: ColumnContext) -> pl.DataFrame | None:
    """One row per subject the rule applies to (`id` and the Outcome columns, subjects in table order);
    None when the dataset lacks the subject collection."""
    collection = rule.subject_collection
    if not ctx.tables.has(collection):
        return None
    subjects = counted(collection, True, ctx) if COLLECTIONS[collection].event else table(collection, ctx)
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
