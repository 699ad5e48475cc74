"""`document` over tables (checks.document): evidence of a kind linked to the subject (every record, as
the per-object index gives them), valid on the reference date."""
from __future__ import annotations

import polars as pl

from ...models import COLLECTIONS
from ..literals import lit
from ..once import once
from ..select import links, table
from . import KINDS
from .result import per_subject, result_columns


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx) -> pl.LazyFrame:
    via = f"{COLLECTIONS[subject_collection].kind}_id"
    day = ctx.reference_date
    docs = (links("evidence", via, ctx).join(table("evidence", ctx).lazy(), on="_row", maintain_order="left")
            .filter(pl.col("kind") == check.document))
    valid = ((pl.col("issued_on").is_null() | (pl.col("issued_on") <= day))
             & (pl.col("valid_until").is_null() | (pl.col("valid_until") >= day)))
    frame = per_subject(subjects, docs, every=pl.col("id"), valid=pl.col("id").filter(valid))
    return frame.select("id", *once(check, day, lambda: _outcome(check, day)))


def _outcome(check, day) -> list[pl.Expr]:
    """The result columns from a subject's `n` documents of the kind, `every` one and the `valid` ones."""
    none = pl.col("n") == 0
    invalid = pl.col("valid").list.len().fill_null(0) == 0
    failing = lit(check.must_be_valid) & invalid
    return result_columns(
        pl.String,
        status=pl.when(none | failing).then(lit("fail")).otherwise(lit("pass")),
        measured=pl.when(none).then(lit("none")).when(failing).then(lit("not valid on " + day.isoformat()))
        .otherwise(lit(check.document)),
        expected=lit(check.document),
        evidence=pl.when(none).then(lit([], dtype=pl.List(pl.String))).when(failing | invalid)
        .then(pl.col("every")).otherwise(pl.col("valid")),
        note=pl.when(none).then(lit("no record of this kind"))
        .when(failing).then(lit("the document is expired or not yet issued")))


KINDS["document"] = evaluate
