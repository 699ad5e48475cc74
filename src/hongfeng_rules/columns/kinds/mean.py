"""`mean` over tables (checks.mean): the exact average of a value over each subject's selected records."""
from __future__ import annotations

from fractions import Fraction

import polars as pl

from ...models import COLLECTIONS
from ..select import compile_select
from ..where import compile_where, value_of
from . import KINDS
from .result import Finish, from_python, per_subject


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx) -> Finish:
    select = compile_select(check, subject_collection)
    model = COLLECTIONS[check.of].model
    reads = compile_where({check.value: {"is_set": True}}, model, "check.value")  # only for its extras
    rows = select.rows(ctx, [reads])
    rows = rows.with_columns(value_of(check.value, model, ctx.schema(rows)).alias("_value"))
    return Finish(per_subject(subjects, rows, unknown=pl.col("id").filter(pl.col("_value").is_null()),
                              values=pl.col("_value")), lambda frame: _judge(check, frame, ctx))


def _judge(check, frame: pl.DataFrame, ctx) -> pl.DataFrame:
    out = []
    for subject, n, unknown, values in frame.iter_rows():  # per_subject's columns
        if n == 0:
            out.append((subject, "not_applicable", None, None, [], f"no {check.of} to average"))
        elif unknown:
            out.append((subject, "not_assessable", None, None, unknown,
                        f"{check.value} not recorded for {len(unknown)} of {n}"))
        else:
            exact = sum(Fraction(v) for v in values) / n  # exact: an average of 50.004 is over 50
            ok, expected = check.judge(exact, ctx)
            if ok is None:
                out.append((subject, "not_applicable", None, None, [], expected))
            else:
                out.append((subject, "pass" if ok else "fail", round(float(exact), 2), expected, [], None))
    return from_python(out, pl.Float64)


KINDS["mean"] = evaluate
