"""`count` over tables (checks.count): how many selected records (or distinct values) per subject."""
from __future__ import annotations

import polars as pl

from ..literals import lit
from ..select import compile_select
from . import KINDS, MEASURED_TYPE
from .result import Finish, from_python, limit_in_force, met, per_subject, result


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx) -> pl.LazyFrame | Finish:
    select = compile_select(check, subject_collection)
    rows = select.rows(ctx)
    limit, expected = limit_in_force(check, ctx)
    if check.distinct is None:
        frame = per_subject(subjects, rows, evidence=pl.col("id"))
        if limit is None:
            return result(frame, pl.Int64, status=lit("not_applicable"), note=lit(expected))
        return result(frame, pl.Int64, status=pl.when(met(check, pl.col("n"), limit)).then(lit("pass"))
                      .otherwise(lit("fail")), measured="n", expected=lit(expected), evidence="evidence")
    values = pl.col(check.distinct)
    if isinstance(ctx.schema(rows)[check.distinct], pl.List):
        values = values.list.explode(keep_nulls=False, empty_as_null=False)
    return Finish(per_subject(subjects, rows, evidence=pl.col("id"), values=values.drop_nulls().unique()),
                  lambda frame: _distinct(check, frame, limit, expected, ctx))


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
