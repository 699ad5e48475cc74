"""`count` over tables (checks.count): how many selected records (or distinct values) per subject."""
from __future__ import annotations

import polars as pl

from ..select import compile_select
from . import KINDS
from .result import limit_in_force, met, per_subject, result


def evaluate(check, subject_collection: str, subjects: pl.DataFrame, ctx) -> pl.DataFrame:
    select = compile_select(check, subject_collection)
    rows = select.rows(ctx)
    limit, expected = limit_in_force(check, ctx)
    if check.distinct is None:
        frame = per_subject(subjects, rows, evidence=pl.col("id"))
        if limit is None:
            return result(frame.select("id", status=pl.lit("not_applicable"), note=pl.lit(expected)), pl.Int64)
        return result(frame.select("id", pl.when(met(check, pl.col("n"), limit)).then(pl.lit("pass"))
                                   .otherwise(pl.lit("fail")).alias("status"),
                                   measured=pl.col("n"), expected=pl.lit(expected), evidence=pl.col("evidence")),
                      pl.Int64)
    values = pl.col(check.distinct)
    if isinstance(rows.schema[check.distinct], pl.List):
        values = values.list.explode(keep_nulls=False, empty_as_null=False)
    frame = per_subject(subjects, rows, evidence=pl.col("id"), values=values.drop_nulls().unique())
    out = []
    for subject, n, evidence, found in frame.select("id", "n", "evidence", "values").iter_rows():
        if n == 0:
            out.append((subject, "not_applicable", None, None, None,
                        f"no {check.of} to count {check.distinct} over"))
        elif limit is None:
            out.append((subject, "not_applicable", None, None, None, expected))
        else:
            ok, _ = check.judge(len(found), ctx)
            measured = f"{len(found)}: " + ", ".join(sorted(map(str, found))) if found else "0"
            out.append((subject, "pass" if ok else "fail", measured, expected, evidence, None))
    return result(pl.DataFrame(out, schema=["id", "status", "measured", "expected", "evidence", "note"],
                               orient="row", schema_overrides={"evidence": pl.List(pl.String)}), pl.String)


KINDS["count"] = evaluate
