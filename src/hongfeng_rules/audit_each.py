"""Several independent datasets audited with one run of the rules: `audit_each` gives each dataset the report
`audit` gives it alone, byte for byte, at a fraction of the cost (a column-wise audit's cost is mostly fixed per
rule, not per record).

How it stays exact:
- Every id and reference (a string field named `id`, `…_id` or `…_ids`, at any depth) of dataset k is prefixed
  with its key `KEY.format(k)` (private-use characters no input may contain: checked, else each is audited
  alone), and the datasets' tables are concatenated. A rule links records only by equal ids (`via` paths,
  owners, subjects, the roll-up to team and association), so no link can join two datasets; the prefix is the
  same for all ids of one dataset, so comparing and sorting them orders them as alone.
- A pack is audited together only when no condition of its rules reads an id other than by `is_set` (which the
  prefix keeps) and no field path other than a `via` names one (`provable`). Of its derived rules, a levels rule
  reading no id is run together too (a member's level is its own ledger's); star ranks, which rank teams across
  the dataset or in an association named by id, are run alone per dataset, as are the dataset-level parts
  (summaries, future records, notices): only the findings rows and member levels are shared.
- Datasets are together only with the same collections present (a missing collection makes a rule's subject
  "*" or its findings not assessable); the subject "*"'s rows belong to every dataset of the group.
- Each dataset's rows are those whose subject carries its key, in the run's order (table order, rule after
  rule, as alone), with the key removed from every text; its report is then built by `auditing.audit_by` from
  those rows, so everything else is the single audit's own code.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Iterable

import polars as pl

from .auditing import audit, audit_by, as_tables
from .columns import engine, findings as column_findings
from .columns.context import ColumnContext
from .derived_results import is_derived, results_of
from .gcpause import paused_gc
from .report.finding_rows import FindingRows
from .report.level_rows import LevelRows
from .report.rule_rows import RuleRows
from .report.model import ComplianceReport
from .rulebook.pack import RulePack
from .tables import Tables
from .timecalc import Period, WorkCalendar, default_calendar, supported_as_of, supported_day

KEY = "\ue000{}\ue001"  # dataset k's prefix of every id
_MARKS = "[\ue000\ue001]"
_ID = re.compile(r"(^|\.|->)(id|\w+_ids?)($|\.|\[)")


def audit_each(datasets: Iterable[Tables], packs: RulePack | Iterable[RulePack], period: Period | str,
               as_of: datetime | date, *, calendar: WorkCalendar | None = None,
               labels: Iterable[str] | None = None) -> list[ComplianceReport]:
    """`[audit(d, packs, period, as_of, calendar=calendar, dataset_label=label) for d, label in …]`, the
    findings of datasets with the same collections made by one run of the rules (`provable` packs only)."""
    with paused_gc():
        return _audit_each([as_tables(d) for d in datasets], packs, period, as_of, calendar, labels)


def _audit_each(datasets: list[Tables], packs, period, as_of, calendar, labels) -> list[ComplianceReport]:
    labels = list(labels) if labels is not None else ["dataset"] * len(datasets)
    packs = [packs] if isinstance(packs, RulePack) else list(packs)
    reports: list[ComplianceReport | None] = [None] * len(datasets)
    groups: dict[object, list[int]] = {}
    for i, tables in enumerate(datasets):
        groups.setdefault(_shape(tables) if provable(packs) else i, []).append(i)
    for members in groups.values():
        marked = _marked_each([datasets[i] for i in members]) if len(members) > 1 else [True]
        together = [i for i, m in zip(members, marked) if not m]
        together = together if len(together) > 1 else []
        for i in members:
            if i not in together:
                reports[i] = audit(datasets[i], packs, period, as_of, calendar=calendar, dataset_label=labels[i])
        rows, levels = _together([datasets[i] for i in together], packs, period, as_of, calendar) \
            if together else (None, {})
        parts = _split(rows, len(together)) if together else []
        levels = {rule: _split(found, len(together), "member_id") for rule, found in levels.items()}
        for k, (i, part) in enumerate(zip(together, parts)):
            reports[i] = audit_by(lambda rules, ctx, part=part: part, datasets[i], packs, period, as_of,
                                  calendar=calendar, dataset_label=labels[i],
                                  known={rule: found[k] for rule, found in levels.items()})
    return reports


def provable(packs: Iterable[RulePack]) -> bool:
    """Whether no rule of the packs can tell prefixed ids from the originals (see the module's docstring)."""
    return all(_provable(pack) for pack in packs)


_PROVABLE: dict[int, tuple[RulePack, bool]] = {}  # id(pack) -> (the pack, whether provable)


def _provable(pack: RulePack) -> bool:
    known = _PROVABLE.get(id(pack))
    if known is None or known[0] is not pack:
        known = _PROVABLE[id(pack)] = (pack, _judged(pack))
    return known[1]


def _judged(pack: RulePack) -> bool:
    return all(is_derived(rule) or not _reads_ids({"where": rule.rule.where,
                                                    "check": rule.rule.check.model_dump(exclude_none=True)})
               for rule in pack.rules)


def _reads_ids(spec, key: str | None = None) -> bool:
    """An id named anywhere in a rule's where or check but as a `via` path or a `{field: {is_set: …}}` test."""
    if isinstance(spec, dict):
        return any((isinstance(k, str) and _ID.search(k) and not _only_is_set(v)) or _reads_ids(v, k)
                   for k, v in spec.items())
    if isinstance(spec, (list, tuple)):
        return any(_reads_ids(v, key) for v in spec)
    return isinstance(spec, str) and key != "via" and bool(_ID.search(spec))


def _only_is_set(value) -> bool:
    return isinstance(value, dict) and set(value) == {"is_set"} and isinstance(value["is_set"], bool)


def _shape(tables: Tables) -> tuple[str, ...]:
    return tuple(sorted(name for name, frame in tables.frames.items() if frame is not None))


def _together(datasets: list[Tables], packs: list[RulePack], period, as_of,
              calendar) -> tuple[FindingRows, dict[str, LevelRows]]:
    """The findings rows of the packs' rules (not the derived ones) over the datasets' prefixed tables, as `audit`
    makes them (the column-wise engine's result rows, then its findings), and the member levels of each levels
    rule that reads no id (`derived_results.results_of`, by rule id: a member's level is its own ledger's), in a
    context of the same period, as-of and calendar (ValueError, as `audit`'s, for a period or as-of outside the
    supported dates)."""
    period = Period.parse(period) if isinstance(period, str) else period
    supported_day(period.start), supported_day(period.end)
    rules = [rule for pack in packs for rule in pack.rules if not is_derived(rule)]
    names = _shape(datasets[0])
    frames = dict(zip(names, pl.collect_all([_prefixed([d.frames[name] for d in datasets]) for name in names])))
    ctx = ColumnContext(Tables(frames), period, supported_as_of(as_of), calendar or default_calendar())
    levels = {rule.rule.id: results_of(rule, ctx) for pack in packs for rule in pack.rules if _levels_alike(rule, ctx)}
    return (column_findings.findings(rules, engine.evaluate_all(rules, ctx), ctx) if rules
            else FindingRows.concat([])), levels


def _levels_alike(rule, ctx: ColumnContext) -> bool:
    """A levels rule whose results over the prefixed tables are each dataset's own: it reads no id, and every
    collection it reads is there (else `collect` notes it, per dataset)."""
    return (rule.rule.check.kind == "levels" and ctx.tables.has(rule.subject_collection)
            and all(ctx.tables.has(c) for c in rule.needs)
            and not _reads_ids({"where": rule.rule.where, "check": rule.rule.check.model_dump(exclude_none=True)}))


def _split(rows: RuleRows, count: int, by: str = "id") -> list:
    """Each dataset's rows (its key's in the column `by`, and those without a key: the subject "*"'s), in the
    run's order, its key removed from every text (one query)."""
    frame = rows.frame.lazy().with_columns(_k=pl.col(by).str.extract(r"^\ue000(\d+)\ue001").cast(pl.Int64))
    schema = tuple(rows.frame.schema.items())
    mine = [frame.filter(pl.col("_k").is_null() | (pl.col("_k") == k)).drop("_k").with_columns(_unkeyed(schema, k))
            for k in range(count)]
    return [type(rows)(part, rows.parts) for part in pl.collect_all(mine)]


@lru_cache(maxsize=1024)
def _unkeyed(schema: tuple, k: int) -> list[pl.Expr]:
    """Dataset k's key removed from every text of columns of this schema (built once per process)."""
    key, out = KEY.format(k), []
    for name, dtype in schema:
        if dtype == pl.String:
            out.append(pl.col(name).str.replace_all(key, "", literal=True))
        elif dtype == pl.List(pl.String):
            out.append(pl.col(name).list.eval(pl.element().str.replace_all(key, "", literal=True)))
    return out


def _prefixed(frames: list[pl.DataFrame]) -> pl.LazyFrame:
    """The frames, one after the other, every id and reference of frame k prefixed by `KEY.format(k)` (nulls stay
    null): the ids in lists item by item in each frame, the others in one pass over all of them, each row's key
    in a column (a query: the collections' run together, `pl.collect_all`)."""
    schema = tuple(frames[0].schema.items())
    lazy = [f.lazy().with_columns(*_in_lists(schema, k), pl.lit(KEY.format(k)).alias(_KEY)) for k, f in enumerate(frames)]
    return pl.concat(lazy, how="vertical").with_columns(_others(schema)).drop(_KEY)


_KEY = "\ue000key"  # `_prefixed`'s column of each row's key (no field's name)


@lru_cache(maxsize=1024)
def _in_lists(schema: tuple, k: int) -> list[pl.Expr]:
    """The lists of ids of a table of this schema, each id prefixed by dataset k's key (built once per process)."""
    return [pl.col(name).list.eval(inner) for name, dtype in schema
            if isinstance(dtype, pl.List) and (inner := _prefix(pl.element(), name, dtype.inner, pl.lit(KEY.format(k))))
            is not None]


@lru_cache(maxsize=64)
def _others(schema: tuple) -> list[pl.Expr]:
    """The other ids of a table of this schema, prefixed by the row's key (`_KEY`) (built once per process)."""
    return [expr.alias(name) for name, dtype in schema
            if not isinstance(dtype, pl.List) and (expr := _prefix(pl.col(name), name, dtype, pl.col(_KEY))) is not None]


def _prefix(expr: pl.Expr, name: str, dtype: pl.DataType, key: pl.Expr | None) -> pl.Expr | None:
    """The expression with the ids in it prefixed by `key` (None: nothing in it is an id)."""
    if dtype == pl.String:
        return pl.concat_str(key, expr) if _is_id(name) else None
    if isinstance(dtype, pl.List):
        inner = _prefix(pl.element(), name, dtype.inner, key)
        return None if inner is None else expr.list.eval(inner)
    if isinstance(dtype, pl.Struct):
        fields = [(f.name, _prefix(expr.struct.field(f.name), f.name, f.dtype, key)) for f in dtype.fields]
        if all(e is None for _, e in fields):
            return None
        rebuilt = pl.struct([(e if e is not None else expr.struct.field(n)).alias(n) for n, e in fields])
        return pl.when(expr.is_null()).then(pl.lit(None, dtype=dtype)).otherwise(rebuilt)
    return None


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id") or name.endswith("_ids")


def _marked_each(datasets: list[Tables]) -> list[bool]:
    """Whether each dataset holds a key's characters in any text (looked at together first: it is rare)."""
    if not _marked([pl.concat([d.frames[name].lazy() for d in datasets], how="vertical")
                    for name in _shape(datasets[0])]):
        return [False] * len(datasets)
    return [_marked([f.lazy() for f in d.frames.values() if f is not None]) for d in datasets]


def _marked(frames: list[pl.LazyFrame]) -> bool:
    """Whether any text of the tables holds a key's characters (the dataset is then audited alone), in one query."""
    queries = [frame.select(found) for frame in frames
               if (found := _marks(tuple(frame.collect_schema().items()))) is not None]
    return any(found.item() for found in pl.collect_all(queries)) if queries else False


@lru_cache(maxsize=64)
def _marks(schema: tuple) -> pl.Expr | None:
    """Whether any text of a table of this schema holds a key's characters (None: it has no text); built once per
    process."""
    checks = [e.alias(f"_{i}") for i, (name, dtype) in enumerate(schema) if (e := _has_marks(pl.col(name), dtype)) is not None]
    return pl.any_horizontal(checks).fill_null(False) if checks else None


def _has_marks(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr | None:
    if dtype == pl.String:
        return expr.str.contains(_MARKS).fill_null(False).any()
    if isinstance(dtype, pl.List):
        return _has_marks(expr.explode(empty_as_null=False), dtype.inner)
    if isinstance(dtype, pl.Struct):
        parts = [e for f in dtype.fields if (e := _has_marks(expr.struct.field(f.name), f.dtype)) is not None]
        return pl.any_horizontal(parts).fill_null(False) if parts else None
    return None
