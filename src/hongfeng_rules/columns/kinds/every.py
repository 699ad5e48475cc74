"""`every` over tables (checks.every): every selected record (or the subject itself) meets a condition;
an unknown answer is not assessable, a record still within `pending_while` is pending."""
from __future__ import annotations

import polars as pl

from ...checks.every import _fields
from ...checks.selection import Selection
from ...models import COLLECTIONS
from ..literals import lit
from ..once import once
from ..select import compile_select
from ..where import compile_where, holds, with_extras
from . import KINDS
from .result import per_subject, result_columns


def evaluate(check, subject_collection: str, subjects: pl.LazyFrame, ctx) -> pl.LazyFrame:
    model = COLLECTIONS[check.of or subject_collection].model
    test = compile_where(check.require, model, "check.require")
    waiting = compile_where(check.pending_while, model, "check.pending_while") if check.pending_while else None
    conditions = [test] + ([waiting] if waiting else [])
    if check.of is None:
        rows = with_extras(subjects, conditions, ctx).with_columns(key=pl.col("id"))
    else:
        selection = Selection(of=check.of, via=check.via, where=check.where, in_period=check.in_period)
        rows = compile_select(selection, subject_collection).rows(ctx, conditions)
    ok = holds(rows, test, ctx)
    rows = rows.with_columns(_ok=ok)
    pending = pl.col("_ok").ne_missing(True) & holds(rows, waiting, ctx).fill_null(False) if waiting else lit(False)
    rows = rows.with_columns(_pending=pending)
    frame = per_subject(subjects, rows, **_LISTS)
    return frame.select("id", *once(check, subject_collection, lambda: _outcome(check, subject_collection)))


_PENDING, _OK = pl.col("_pending"), pl.col("_ok")
_LISTS = {"failing": pl.col("id").filter(~_PENDING & (_OK == False)),  # noqa: E712
          "unknown": pl.col("id").filter(~_PENDING & _OK.is_null()), "pending": pl.col("id").filter(_PENDING)}


def _outcome(check, subject_collection: str) -> list[pl.Expr]:
    """The result columns from a subject's `n` records and its failing, unknown and pending ones."""
    what = check.of or COLLECTIONS[subject_collection].kind
    needed = "/".join(_fields(check.require)) or "value"
    n, f, u, p = (pl.col("n"), pl.col("failing").list.len(), pl.col("unknown").list.len(),
                  pl.col("pending").list.len())
    measured = pl.format("{} of {}", n - f - u - p, n)
    none = n == 0
    return result_columns(
        pl.String,
        status=pl.when(none).then(lit("not_applicable")).when(f > 0).then(lit("fail"))
        .when(u > 0).then(lit("not_assessable")).when(p > 0).then(lit("pending")).otherwise(lit("pass")),
        measured=pl.when(~none).then(measured),
        expected=pl.when(~none).then(lit("all")),
        evidence=pl.when(f > 0).then(pl.col("failing")).when(u > 0).then(pl.col("unknown"))
        .when(p > 0).then(pl.col("pending")),
        note=pl.when(none).then(lit(f"no {what} to check"))
        .when(f > 0).then(lit(None))
        .when(u > 0).then(pl.format(f"{needed} not recorded for {{}} of {{}}", u, n))
        .when(p > 0).then(pl.format("{} of {} still within their time limit", p, n)))


KINDS["every"] = evaluate
