"""`document` over tables (checks.document): evidence of a kind linked to the subject (every record, as
the per-object index gives them), valid on the reference date.

Several `document` rules over the same subjects are one plan (`evaluate_many`): the subjects' evidence grouped
once by (subject, kind), each rule's kind and `must_be_valid` columns of a frame joined to it, one verdict
expression for all of them.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import polars as pl

from ...models import COLLECTIONS
from ..literals import lit
from ..select import links, table
from . import KINDS, MANY, MEASURED_TYPE
from .every import RULE
from .result import result_columns


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx) -> pl.LazyFrame:
    return evaluate_many([(0, check)], subject_collection, subjects, ctx).drop("rule")


def evaluate_many(checks: list[tuple[int, object]], subject_collection: str, subjects: pl.LazyFrame,
                  ctx) -> pl.LazyFrame:
    """`rule` (each check's index) and the result columns of each (check, subject): the checks in the order
    given, the subjects in theirs within each."""
    via = f"{COLLECTIONS[subject_collection].kind}_id"
    day = ctx.reference_date
    docs = links("evidence", via, ctx).join(table("evidence", ctx).lazy(), on="_row", maintain_order="left")
    valid = ((pl.col("issued_on").is_null() | (pl.col("issued_on") <= day))
             & (pl.col("valid_until").is_null() | (pl.col("valid_until") >= day)))
    found = docs.group_by("key", "kind", maintain_order=True).agg(
        pl.len().alias("n"), every=pl.col("id"), valid=pl.col("id").filter(valid))
    wanted = pl.LazyFrame({"rule": [i for i, _ in checks], "_document": [c.document for _, c in checks],
                           "_must": [c.must_be_valid for _, c in checks]},
                          schema={"rule": RULE, "_document": pl.String, "_must": pl.Boolean})
    frame = (wanted.join(subjects.select("id"), how="cross", maintain_order="left_right")
             .join(found, left_on=["id", "_document"], right_on=["key", "kind"], how="left", maintain_order="left")
             .with_columns(pl.col("n").fill_null(0)))
    return frame.select("rule", "id", *_outcome(day))


@lru_cache(maxsize=16)
def _outcome(day: date) -> list[pl.Expr]:
    """The result columns from a subject's `n` documents of the rule's kind (`_document`), `every` one and the
    `valid` ones, and whether the rule wants one valid (`_must`): the same expressions for every rule."""
    none = pl.col("n") == 0
    invalid = pl.col("valid").list.len().fill_null(0) == 0
    failing = pl.col("_must") & invalid
    return result_columns(
        pl.String,
        status=pl.when(none | failing).then(lit("fail")).otherwise(lit("pass")),
        measured=pl.when(none).then(lit("none")).when(failing).then(lit("not valid on " + day.isoformat()))
        .otherwise(pl.col("_document")),
        expected=pl.col("_document"),
        evidence=pl.when(none).then(lit([], dtype=pl.List(pl.String))).when(failing | invalid)
        .then(pl.col("every")).otherwise(pl.col("valid")),
        note=pl.when(none).then(lit("no record of this kind"))
        .when(failing).then(lit("the document is expired or not yet issued")))


KINDS["document"] = evaluate
MEASURED_TYPE["document"] = pl.String
MANY["document"] = evaluate_many
