"""`checks.selection.Selection` over tables: which records of a collection each subject counts.

A record links to every value its `via` path holds (`participants.member_id`: each participant's member,
once; `team_id->teams.association_id`: the association of its team); it counts when it lies in the
evaluation period (`in_period`) or, by default, is not dated after as-of (`checks.context.Context`'s
windows), and meets `where`. The result is one row per (subject, record), records in table order, as the
per-object lists are. Every frame here but `table` is a lazy plan; the (key, record) pairs of a collection's records
(one `via`, one period: whatever a selection's `where`) and the values of a list field are shared frames
(`ColumnContext.frame`, collected once per audit), the rest (a selection's `where` among it) is cheaper to repeat
in each plan than to collect.
"""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..checks.selection import Selection
from ..models import COLLECTIONS
from ..models.dataset import FUTURE_BY_NATURE
from ..tables import table_schema
from ..timecalc import day_end, day_start
from .context import ColumnContext
from .literals import lit
from .where import Condition, compile_where, holds, spelling, with_extras

ROW = "_row"  # a record's position in its table: the order every per-object list keeps


def table(collection: str, ctx: ColumnContext) -> pl.DataFrame:
    """The collection's table with its row positions; a collection the dataset lacks has no rows (as the
    per-object index reads it: rules needing it are not assessable before anything is selected)."""
    def build() -> pl.DataFrame:
        frame = ctx.tables.get(collection)
        if frame is None:
            frame = pl.DataFrame(schema=table_schema(COLLECTIONS[collection].model))
        return frame.with_row_index(ROW)
    return ctx.memo(f"table:{collection}", build)


def schema_of(collection: str, ctx: ColumnContext) -> pl.Schema:
    """The schema of the collection's `table`, once per audit (a DataFrame builds its schema anew when asked)."""
    return ctx.memo(f"schema:{collection}", lambda: table(collection, ctx).schema)


def counted(collection: str, in_period: bool, ctx: ColumnContext) -> pl.LazyFrame:
    """The records counted: those of the evaluation period, or all not dated after as-of (checks.context); a
    filter, cheaper to repeat in each plan than to collect."""
    rows = table(collection, ctx)
    kept = counts(collection, in_period, ctx)
    return rows.lazy() if kept is None else rows.lazy().filter(kept)


def counts(collection: str, in_period: bool, ctx: ColumnContext) -> pl.Expr | None:
    """`counted`'s test of a record as an expression over the collection's table (null: not counted), or None
    when every record counts."""
    time_field = COLLECTIONS[collection].time_field
    if time_field is None:  # never in_period: validate_selection refuses it, the other callers ask dated collections
        return None
    if not in_period and time_field in FUTURE_BY_NATURE:
        return None
    when, dtype = pl.col(time_field), schema_of(collection, ctx)[time_field]
    instant = isinstance(dtype, pl.Datetime)
    if not in_period:
        latest = ctx.as_of if instant else ctx.reference_date
        return when.is_null() | (when <= lit(latest, dtype=dtype))
    if instant:
        lo, hi = day_start(ctx.period.start), min(day_end(ctx.period.end), ctx.as_of)
    else:
        lo, hi = ctx.period.start, min(ctx.period.end, ctx.reference_date)
    return (when >= lit(lo, dtype=dtype)) & (when <= lit(hi, dtype=dtype))


def links(collection: str, path: str, ctx: ColumnContext) -> pl.LazyFrame:
    """(`_row`, `key`): each value a record's dotted path holds, lists flattened, unset values left out,
    each value once per record (index.Index.groups)."""
    def build() -> pl.LazyFrame:
        parts, rows = path.split("."), table(collection, ctx)
        key, dtype, listed = pl.col(parts[0]), schema_of(collection, ctx)[parts[0]], False  # listed: a list of values per record
        for part in [*parts[1:], None]:
            if isinstance(dtype, pl.List):  # a list within the list is flattened into it
                key = key.list.eval(pl.element().explode(empty_as_null=False)) if listed else key
                dtype, listed = dtype.inner, True
            if part is None:
                break
            key = key.list.eval(pl.element().struct.field(part)) if listed else key.struct.field(part)
            dtype = {f.name: f.dtype for f in dtype.fields}[part]
        if not listed:
            return rows.lazy().select(ROW, key.alias("key")).drop_nulls("key")
        # each record's values once, in their order (the records' lists, not one frame of every pair, deduplicated)
        frame = rows.lazy().select(ROW, key.list.eval(pl.element().drop_nulls().unique(maintain_order=True)).alias("key"))
        return frame.explode("key", empty_as_null=False, keep_nulls=False).drop_nulls("key")
    if "." not in path and not isinstance(schema_of(collection, ctx)[path], pl.List):
        return build()  # one column: nothing worth collecting
    return ctx.frame(f"links:{collection}:{path}", build)


def link_pairs(collection: str, via: str, ctx: ColumnContext) -> pl.LazyFrame:
    """(`_row`, `key`) for a `via` that may hop: `team_id->teams.association_id` reads the association of
    the team each record names (a team the dataset has)."""
    local, _, remote = via.partition("->")
    if not remote:
        return links(collection, local, ctx)

    def build() -> pl.LazyFrame:
        hop, _, path = remote.partition(".")
        targets = links(hop, path, ctx).join(table(hop, ctx).lazy().select(ROW, pl.col("id").alias("target")), on=ROW)
        return (links(collection, local, ctx).rename({"key": "target"})
                .join(targets.select("target", "key"), on="target", maintain_order="left")
                .select(ROW, "key").unique(maintain_order=True))
    return ctx.frame(f"links:{collection}:{via}", build)


def linked_rows(collection: str, via: str, in_period: bool, ctx: ColumnContext) -> pl.LazyFrame:
    """(`key`, `_row`) of the counted records linked to each key, in table order."""
    kept = counted(collection, in_period, ctx).select(ROW)
    return link_pairs(collection, via, ctx).join(kept, on=ROW, how="semi").sort(ROW, maintain_order=True)


def matching(collection: str, condition: Condition, ctx: ColumnContext) -> pl.LazyFrame:
    """The records of a collection (all of them, with `_row` and the condition's extras) for which the
    condition holds (is true, not unknown)."""
    rows = with_extras(table(collection, ctx).lazy(), [condition], ctx)
    return rows.filter(holds(rows, condition, ctx).fill_null(False))


@dataclass
class Select:
    """A compiled selection: `rows(ctx)` gives (`key`, and the selected records' columns), table order."""

    of: str
    via: str
    in_period: bool
    where: Condition | None
    key: str

    def pairs(self, ctx: ColumnContext) -> pl.LazyFrame:
        """(`key`, `_row`) of the selected records, whatever the `where`: one shared frame per (of, via, period)."""
        return ctx.frame(f"select:{self.key}", lambda: linked_rows(self.of, self.via, self.in_period, ctx))

    def rows(self, ctx: ColumnContext, extra: list[Condition] = ()) -> pl.LazyFrame:
        # the (key, record) pairs are shared by every selection of these records (whatever its `where`); the
        # records' columns are joined in each rule's plan, which reads only those it needs, and `where` filters
        # there: collecting a selection that one rule reads costs more than filtering its rows in that rule's plan
        pairs = self.pairs(ctx)
        records = table(self.of, ctx)
        rows = ctx.with_schema(pairs.join(records.lazy(), on=ROW, maintain_order="left"), ctx.memo(
            f"rows-schema:{self.key}", lambda: pl.Schema({**ctx.schema(pairs), **schema_of(self.of, ctx)})))
        if self.where is not None:
            rows = with_extras(rows, [self.where], ctx)
            rows = ctx.with_schema(rows.filter(holds(rows, self.where, ctx).fill_null(False)), ctx.schema(rows))
        return with_extras(rows, list(extra), ctx) if extra else rows


_COMPILED: dict[str, Select] = {}


def compile_select(selection: Selection, subject_collection: str) -> Select:
    """Compiled once per process; raises ConditionError exactly as `Selection.validate_selection`."""
    key = f"{subject_collection}:{selection.of}:{selection.via}:{selection.in_period}:{spelling(selection.where)}"
    found = _COMPILED.get(key)
    if found is None:
        selection.validate_selection(subject_collection)  # the one validation of of/via/in_period/where
        via = selection.via or f"{COLLECTIONS[subject_collection].kind}_id"
        where = (compile_where(selection.where, COLLECTIONS[selection.of].model, "check.where")
                 if selection.where else None)
        if len(_COMPILED) >= 4096:
            _COMPILED.clear()
        shared = f"{selection.of}:{via}:{selection.in_period}"  # its pairs' frame's name
        found = _COMPILED[key] = Select(selection.of, via, selection.in_period, where, shared)
    return found


def linked(check, subject_collection: str, ctx: ColumnContext, columns: list[str] | None = None) -> pl.LazyFrame:
    """A check's selected records (only `columns` of them, if given) with the id of the subject each links to,
    as `_owner` (an engine column: no model field starts with "_", and improvements have an `owner`)."""
    rows = compile_select(check, subject_collection).rows(ctx).rename({"key": "_owner"})
    return rows if columns is None else rows.select("_owner", *columns)
