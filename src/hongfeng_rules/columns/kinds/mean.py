"""`mean` over tables (checks.mean): the exact average of a value over each subject's selected records."""
from __future__ import annotations

from fractions import Fraction

import polars as pl

from ...models import COLLECTIONS
from ..select import compile_select
from ..where import Env, compile_where, field_reader
from . import KINDS
from .result import Finish, from_python, per_subject


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx) -> Finish:
    select = compile_select(check, subject_collection)
    model = COLLECTIONS[check.of].model
    reads = compile_where({check.value: {"is_set": True}}, model, "check.value")  # only for its extras
    rows = select.rows(ctx, [reads])
    value, dtype = field_reader(check.value, model, [])(Env(dict(ctx.schema(rows))))
    rows = rows.with_columns(value.alias("_value"))
    # whole numbers summed exactly by Polars (Int128: no overflow); any other values summed as Fractions in Python
    values = pl.col("_value").cast(pl.Int128).sum() if dtype.is_integer() else pl.col("_value")
    return Finish(per_subject(subjects, rows, unknown=pl.col("id").filter(pl.col("_value").is_null()),
                              values=values), lambda frame: _judge(check, frame, ctx))


def _judge(check, frame: pl.DataFrame, ctx) -> pl.DataFrame:
    """`values`: the sum of a subject's values (whole numbers: an int), or the values themselves (a list)."""
    out = []
    for subject, n, unknown, values in frame.iter_rows():  # per_subject's columns
        if n == 0:
            out.append((subject, "not_applicable", None, None, [], f"no {check.of} to average"))
        elif unknown:
            out.append((subject, "not_assessable", None, None, unknown,
                        f"{check.value} not recorded for {len(unknown)} of {n}"))
        else:
            # exact: an average of 50.004 is over 50
            exact = Fraction(values, n) if isinstance(values, int) else sum(Fraction(v) for v in values) / n
            ok, expected = check.judge(exact, ctx)
            if ok is None:
                out.append((subject, "not_applicable", None, None, [], expected))
            else:
                out.append((subject, "pass" if ok else "fail", round(float(exact), 2), expected, [], None))
    return from_python(out, pl.Float64)


KINDS["mean"] = evaluate
