"""PRIVATE stand-in for 18b's `columns/select.py` and `columns/where.py` until they land on main (then this module
goes; while they are there, it only adapts them): the records a check's selection (`of`, `via`, `where`,
`in_period`, as `checks.selection.Selection`) links to each subject, and a condition's answer for records.

`linked(check, subject_collection, ctx)`: the target collection's columns plus `owner` (the subject id), one row
per (record, owner) pair — a record linked twice to one owner (a member twice among an activity's participants)
counts once, as `Index.groups` — in record order. `where` is only the part the frequency, deadline and rank_within
rules use (equality, `contains`, `@name` equality); anything else raises NotImplementedError.
"""
from __future__ import annotations

from datetime import date

import polars as pl

from ...models import COLLECTIONS
from .._rows import counted, table_or_empty, values
from ..context import ColumnContext
from ..derived import derived_frame

try:  # the shared selection and condition compiler (issue 18b), once on main
    from ..select import compile_select
    from ..where import compile_where, holds, with_extras
except ImportError:
    compile_select = None


def matches(where: dict | None, collection: str, frame: pl.DataFrame, ctx: ColumnContext) -> pl.Series:
    """The rows for which `where` is true (unknown is not true), for the tests these kinds' rules use."""
    if compile_select is not None:
        condition = compile_where(where, COLLECTIONS[collection].model, "check.where")
        return holds(with_extras(frame, [condition], ctx), condition, ctx).fill_null(False)
    keep = pl.lit(True)
    for key, test in (where or {}).items():
        if key.startswith("@"):
            values = derived_frame(key[1:], collection, ctx).rename({"value": "_d"})
            frame = frame.join(values, on="id", how="left", maintain_order="left").rename({"_d": key})
        if isinstance(test, dict) and set(test) == {"contains"}:
            keep &= pl.col(key).list.contains(test["contains"])
        elif "." not in key and (_plain(test) if isinstance(test, str) else not isinstance(test, (dict, list))):
            keep &= pl.col(key) == test
        else:
            raise NotImplementedError(f"where {key}: {test!r} (awaits the shared condition compiler)")
    return frame.with_columns(_keep=keep.fill_null(False))["_keep"]


def _plain(text: str) -> bool:
    """A text operand compared as text (not a `$variable`, not an ISO date, which compares as a date)."""
    try:
        date.fromisoformat(text)
        return False
    except ValueError:
        return not text.startswith("$")


def linked(check, subject_collection: str, ctx: ColumnContext, columns: list[str] | None = None) -> pl.DataFrame:
    """The selected records of `check.of` (only `columns` of them, if given) with the id of the subject each links
    to, as `owner`."""
    if compile_select is not None:
        rows = compile_select(check, subject_collection).rows(ctx).rename({"key": "owner"})
        return rows if columns is None else rows.select("owner", *columns)
    key = f"links:{check.of}:{check.via}:{check.in_period}:{check.where}:{subject_collection}:{columns}"
    return ctx.memo(key, lambda: _linked(check, subject_collection, ctx, columns))


def _linked(check, subject_collection: str, ctx: ColumnContext, columns: list[str] | None) -> pl.DataFrame:
    via = check.via or f"{COLLECTIONS[subject_collection].kind}_id"
    local, _, remote = via.partition("->")
    rows = counted(check.of, check.in_period, ctx)
    rows = rows.filter(matches(check.where, check.of, rows, ctx)).with_row_index("_row")
    owners = values(rows, local)
    if remote:
        hop, _, path = remote.partition(".")
        targets = table_or_empty(hop, ctx).with_row_index("_row")
        reached = values(targets, path).join(targets.select("_row", _hop="id"), on="_row")
        owners = owners.join(reached.select("_hop", _w="_v"), left_on="_v", right_on="_hop", maintain_order="left")
        owners = owners.select("_row", _v="_w")
    owners = owners.unique(maintain_order=True).rename({"_v": "owner"})
    rows = rows if columns is None else rows.select("_row", *columns)
    return owners.join(rows, on="_row", how="left", maintain_order="left").drop("_row")
