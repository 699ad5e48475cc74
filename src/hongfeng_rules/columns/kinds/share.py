"""`share` over tables (checks.share): the percentage of each subject's selected records that meet a
condition, judged exactly (4.995 % is not 5 %)."""
from __future__ import annotations

from fractions import Fraction

import polars as pl

from ...models import COLLECTIONS
from ..select import compile_select
from ..where import compile_where, holds
from . import KINDS
from .result import Finish, from_python, per_subject


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx) -> Finish:
    select = compile_select(check, subject_collection)
    counts = compile_where(check.numerator, COLLECTIONS[check.of].model, "check.numerator")
    rows = select.rows(ctx, [counts])
    rows = rows.with_columns(holds(rows, counts, ctx).fill_null(False).alias("_counts"))
    return Finish(per_subject(subjects, rows, missing=pl.col("id").filter(~pl.col("_counts")),
                              counted=pl.col("id").filter(pl.col("_counts"))),
                  lambda frame: _judge(check, frame, ctx))


def _judge(check, frame: pl.DataFrame, ctx) -> pl.DataFrame:
    judged: dict[tuple[int, int], tuple] = {}
    out = []
    for subject, n, missing, counted in frame.iter_rows():  # per_subject's columns
        if n == 0:
            out.append((subject, "not_applicable", None, None, [], f"no {check.of} to take a share of"))
            continue
        hits = n - len(missing)
        if (hits, n) not in judged:
            judged[hits, n] = check.judge(Fraction(100 * hits, n), ctx)
        ok, expected = judged[hits, n]
        if ok is None:
            out.append((subject, "not_applicable", None, None, [], expected))
            continue
        share = round(100 * hits / n, 2)  # rounded for the reader only
        listed = [] if ok else counted if check.lists_counted(Fraction(100 * hits, n), ctx) else missing
        out.append((subject, "pass" if ok else "fail", f"{share}% ({hits}/{n})", expected, listed, None))
    return from_python(out, pl.String)


KINDS["share"] = evaluate
