"""Rule coverage over tables: which parts of a rule one case reaches (`rules test --coverage`,
rulebook/case_coverage.py, docs/rule-coverage.md).

Each test of a condition (the rule's `where`; a check's `where`, `numerator`, `target`, `require`,
`pending_while`; a `related`'s `where`; the tests inside `any`/`all`) is compiled, beside its answer, into
two Boolean columns: asked and true, asked and false. A test is asked as the condition language's definition
asks it (checks/where.py): on the rows its condition is asked about, and not after a decisive answer (`all_of`
and a field's tests stop at the first false, `any_of` at the first true, `any`/`all` at the first decisive item).
The rows are those the audit asks about: the rule's `where` on the subjects (an event collection's rows of the
period), the check's parts only for the subjects it applies to and only when the dataset has every collection
the rule needs, a `related`'s `where` on the records linked to the rows its test was asked about.

A threshold's points (`below`/`at`/`above`, within one unit; a deadline's `before`/`at`/`after`, within one
second) come from each subject's measure as its kind judges it (exactly: a share or a mean as a fraction), and a
dated value is reached when a measure is judged while it is in force.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from fractions import Fraction
from typing import Any, Callable

import polars as pl

from ..checks import where as language
from ..checks.count import CountCheck
from ..checks.deadline import DeadlineCheck
from ..checks.every import EveryCheck
from ..checks.frequency import FrequencyCheck
from ..checks.mean import MeanCheck
from ..checks.rank_within import RankWithinCheck
from ..checks.selection import Selection
from ..checks.share import ShareCheck
from ..derived_results import is_derived
from ..models import COLLECTIONS
from ..rulebook.pack import CompiledRule
from ..timecalc import as_shanghai, whole_periods
from . import where
from .context import ColumnContext
from .kinds import deadline as deadline_kind
from .kinds.frequency import record_day
from .literals import lit
from .select import ROW, counted, linked_rows, table
from .where import Condition, Env, compile_where, value_of, with_extras

ONE_SECOND = timedelta(seconds=1)
Hit = tuple[Any, pl.Expr]  # (an item, or a Related whose own `where` is asked next; Boolean: reached on the row)


@dataclass
class Node:
    """A condition over a frame: its three-valued answer, and for each item whether the row reaches it."""

    answer: pl.Expr
    hits: list[Hit]


Build = Callable[[ColumnContext, Env], Node]


@dataclass
class Probed:
    """A condition compiled with its tests' columns; `tests` are their paths, in the order the rule declares them."""

    build: Build
    tests: list[str] = field(default_factory=list)
    extras: list[where.Extra] = field(default_factory=list)


@dataclass(eq=False)
class Related:
    """A `related` test: its `where` is asked about the records linked to each row that asked the test."""

    spec: dict
    keep: Probed


def probed(cond: dict | None, model, at: str) -> Probed:
    """The condition (accepted by `checks.where.compile_condition`) with a reached column per test and answer."""
    out = Probed(lambda ctx, env: Node(lit(True), []))
    if cond:
        out.build = _condition(cond, model, at, out)
    return out


def _condition(cond: dict | None, model, at: str, out: Probed) -> Build:
    if not cond:
        return lambda ctx, env: Node(lit(True), [])
    return _junction([_entry(key, value, model, f"{at}.{key}", out) for key, value in cond.items()], decisive=False)


def _junction(parts: list[Build], decisive: bool) -> Build:
    """`all` (decisive False) or `any` (decisive True) of the parts: a part after a decisive answer is not asked."""
    if len(parts) == 1:
        return parts[0]

    def build(ctx, env) -> Node:
        nodes, hits, ended = [p(ctx, env) for p in parts], [], None
        for node in nodes:
            hits += node.hits if ended is None else [(item, reached & ~ended) for item, reached in node.hits]
            stop = node.answer.eq_missing(decisive)
            ended = stop if ended is None else ended | stop
        answers = [n.answer for n in nodes]
        return Node(where.kleene_or(answers) if decisive else where.kleene_and(answers), hits)
    return build


def _leaf(test: where.Build, path: str, out: Probed) -> Build:
    out.tests.append(path)

    def build(ctx, env) -> Node:
        answer = test(ctx, env).cast(pl.Boolean)
        return Node(answer, [(f"{path}:true", answer.eq_missing(True)), (f"{path}:false", answer.eq_missing(False))])
    return build


def _entry(key: str, value: Any, model, at: str, out: Probed) -> Build:
    if key in ("all_of", "any_of"):
        parts = [_condition(c, model, f"{at}[{i}]", out) for i, c in enumerate(value)]
        return _junction(parts, decisive=key == "any_of")
    if key == "not":
        inner = _condition(value, model, at, out)
        return lambda ctx, env: (lambda node: Node(~node.answer, node.hits))(inner(ctx, env))
    if key == "related":
        keep = probed(value.get("where"), COLLECTIONS[value["of"]].model, f"{at}.where")
        out.tests += keep.tests  # declared before the test itself, as checks.where declares them
        leaf, related = _leaf(where.related_test(value, out.extras), at, out), Related(value, keep)
        return lambda ctx, env: (lambda node: Node(node.answer, node.hits + [(related, lit(True))]))(leaf(ctx, env))
    path = where.field_reader(key, model, out.extras)
    if not isinstance(value, dict) or "value" in value and "unit" in value:
        value = {"eq": value}
    item_model, parts = where.list_item_model(key, model), []
    for op, operand in value.items():
        if op in language.FIELD_COMPARE:
            parts.append(_leaf(where.field_comparison(op, path, where.field_reader(operand, model, out.extras)),
                               f"{at}.{op}", out))
        elif op in ("any", "all"):
            parts.append(_quantified(op, operand, path, item_model, f"{at}.{op}", out))
        else:
            parts.append(_leaf(where.operator_test(op, operand, path, item_model), f"{at}.{op}", out))
    return _junction(parts, decisive=False)


def _quantified(op: str, operand: dict, path, item_model, at: str, out: Probed) -> Build:
    """`any`/`all` over a list of records: the items' tests are asked item by item until one is decisive."""
    inner = _condition(operand, item_model, at, Probed(None, out.tests, []))  # `related` inside items: not asked
    answer_of, decisive = where.quantified_test(op, operand, path, item_model), op == "any"
    leaf = _leaf(answer_of, at, out)

    def build(ctx, env) -> Node:
        expr, dtype = path(env)
        node = inner(ctx, Env({f.name: f.dtype for f in dtype.inner.fields}, lambda name: pl.element().struct.field(name)))
        before = node.answer.eq_missing(decisive).cast(pl.Int32).cum_sum().shift(1, fill_value=0) == 0
        items = [(item, expr.list.eval(reached & before).list.any().fill_null(False))
                 for item, reached in node.hits if isinstance(item, str)]
        own = leaf(ctx, env)
        return Node(own.answer, items + own.hits)
    return build


def asked(condition: Probed, rows: pl.LazyFrame, ctx: ColumnContext) -> tuple[set[str], pl.DataFrame]:
    """The items the condition's tests reach over the rows, and the rows with the answer (`_answer`)."""
    rows = with_extras(rows, [Condition(None, condition.extras)], ctx)
    node = condition.build(ctx, Env(dict(ctx.schema(rows))))
    names = [f"_hit{i}" for i in range(len(node.hits))]
    frame = rows.with_columns(node.answer.cast(pl.Boolean).alias("_answer"),
                              *(reached.alias(n) for n, (_, reached) in zip(names, node.hits))).collect()
    out = set()
    for name, (item, _) in zip(names, node.hits):
        if isinstance(item, str):
            if frame[name].any():
                out.add(item)
        elif item.keep.tests and _in_force(item.spec, ctx):
            owners = frame.filter(pl.col(name))["id"].unique().to_list()
            linked = linked_rows(item.spec["of"], item.spec["via"], False, ctx).filter(pl.col("key").is_in(owners))
            out |= asked(item.keep, linked.join(table(item.spec["of"], ctx).lazy(), on=ROW), ctx)[0]
    return out, frame.drop(names)


def _in_force(spec: dict, ctx: ColumnContext) -> bool:
    """Whether a `related` test's `at_least` has a value in force (else it is unknown and asks nothing more)."""
    from ..rulebook.units import Threshold

    return Threshold.model_validate(spec["at_least"]).in_force(ctx.reference_date) is not None


def _true(frame: pl.DataFrame) -> pl.LazyFrame:
    return frame.lazy().filter(pl.col("_answer").eq_missing(True)).drop("_answer")


# --- what a rule declares --------------------------------------------------------------------------------

def conditions(rule: CompiledRule) -> list[tuple[str, dict, str]]:
    """(path, condition, collection of the rows it is asked about) of the rule's conditions, in declaring order."""
    check, collection = rule.rule.check, rule.subject_collection
    out = [("where", rule.rule.where, collection)]
    if isinstance(check, Selection) or isinstance(check, EveryCheck) and check.of:
        out.append(("check.where", check.where, check.of))
    if isinstance(check, ShareCheck):
        out.append(("check.numerator", check.numerator, check.of))
    if isinstance(check, RankWithinCheck):
        out.append(("check.target", check.target, check.of))
    if isinstance(check, EveryCheck):
        out.append(("check.require", check.require, check.of or collection))
        out.append(("check.pending_while", check.pending_while, check.of or collection))
    return [(at, cond, of) for at, cond, of in out if cond]


def tests(rule: CompiledRule) -> list[str]:
    """The paths of the rule's condition tests, in the order it declares them (each gives two items)."""
    return [t for at, cond, of in conditions(rule) for t in probed(cond, COLLECTIONS[of].model, at).tests]


# --- what one case reaches -------------------------------------------------------------------------------

def reached(rule: CompiledRule, ctx: ColumnContext) -> set[str]:
    """The items (thresholds' points and dated values, tests' answers) the rule reaches over this dataset; the
    not-assessable paths are read from the report (case_coverage)."""
    collection = rule.subject_collection
    lacking = any(not ctx.tables.has(c) for c in rule.needs)
    if not ctx.tables.has(collection) or lacking and is_derived(rule):
        return set()
    plain = is_derived(rule) or not COLLECTIONS[collection].event
    subjects, out = table(collection, ctx).lazy() if plain else counted(collection, True, ctx), set()
    if rule.rule.where:
        out, frame = asked(probed(rule.rule.where, COLLECTIONS[collection].model, "where"), subjects, ctx)
        subjects = _true(frame)
    if lacking:
        return out
    check = rule.rule.check
    if isinstance(check, DeadlineCheck):
        return out | _deadline(check, subjects, ctx)
    if isinstance(check, FrequencyCheck):
        return out | _frequency(check, collection, subjects, ctx)
    if not isinstance(check, (Selection, EveryCheck)):
        return out
    if isinstance(check, EveryCheck) and not check.of:
        return out | _every(check, subjects.with_columns(key=pl.col("id")), collection, ctx)
    found, rows = _selected(check, collection, subjects, ctx)
    out |= found
    if isinstance(check, EveryCheck):
        return out | _every(check, rows, check.of, ctx)
    if isinstance(check, (ShareCheck, RankWithinCheck)):
        at, cond = ("check.numerator", check.numerator) if isinstance(check, ShareCheck) else ("check.target", check.target)
        found, frame = asked(probed(cond, COLLECTIONS[check.of].model, at), rows, ctx)
        out |= found
        if isinstance(check, ShareCheck):
            groups = frame.group_by("key").agg(n=pl.len(), hits=pl.col("_answer").eq_missing(True).sum())
            return out | _points(check, [Fraction(100 * h, n) for n, h in groups.select("n", "hits").iter_rows()], ctx)
        return out
    if isinstance(check, CountCheck):
        return out | _points(check, _counts(check, subjects, rows), ctx)
    if isinstance(check, MeanCheck):
        return out | _points(check, _means(check, rows, ctx), ctx)
    return out


def _selected(check, collection: str, subjects: pl.LazyFrame, ctx) -> tuple[set[str], pl.LazyFrame]:
    """The items the selection's `where` reaches, and the selected records (`key`: the subject), in table order."""
    via = check.via or f"{COLLECTIONS[collection].kind}_id"
    pairs = linked_rows(check.of, via, check.in_period, ctx).join(
        subjects.select(key=pl.col("id")), on="key", how="semi", maintain_order="left")
    rows = pairs.join(table(check.of, ctx).lazy(), on=ROW, maintain_order="left")
    if not check.where:
        return set(), rows
    found, frame = asked(probed(check.where, COLLECTIONS[check.of].model, "check.where"), rows, ctx)
    return found, _true(frame)


def _every(check: EveryCheck, rows: pl.LazyFrame, of: str, ctx) -> set[str]:
    """`require` on each record; `pending_while` on those that do not meet it."""
    model = COLLECTIONS[of].model
    out, frame = asked(probed(check.require, model, "check.require"), rows, ctx)
    if check.pending_while:
        waiting = frame.lazy().filter(~pl.col("_answer").eq_missing(True)).drop("_answer")
        out |= asked(probed(check.pending_while, model, "check.pending_while"), waiting, ctx)[0]
    return out


def _counts(check: CountCheck, subjects: pl.LazyFrame, rows: pl.LazyFrame) -> list[int]:
    """Each subject's count: its records (none counts 0), or the distinct values over them (only with some)."""
    if check.distinct is None:
        n = rows.group_by("key").agg(n=pl.len())
        return subjects.select(key="id").join(n, on="key", how="left").collect()["n"].fill_null(0).to_list()
    values = rows.collect().group_by("key").agg(pl.col(check.distinct))
    return [len({v for x in found for v in (x if isinstance(x, list) else [x]) if v is not None})
            for found in values[check.distinct].to_list()]


def _means(check: MeanCheck, rows: pl.LazyFrame, ctx) -> list[Fraction]:
    """The exact average of each subject with records whose values are all recorded."""
    model = COLLECTIONS[check.of].model
    rows = with_extras(rows, [compile_where({check.value: {"is_set": True}}, model, "check.value")], ctx)
    frame = rows.select("key", value_of(check.value, model, ctx.schema(rows)).alias("_value")).collect()
    groups = frame.group_by("key").agg(pl.col("_value"))["_value"].to_list()
    return [sum(map(Fraction, v)) / len(v) for v in groups if v and None not in v]


def _frequency(check: FrequencyCheck, collection: str, subjects: pl.LazyFrame, ctx) -> set[str]:
    """The selection is asked only for a subject with a whole unit judged; each unit's count is a measure."""
    founding = check.from_founding and "founded_on" in COLLECTIONS[collection].model.model_fields
    frame = subjects.select("id", founded=pl.col("founded_on") if founding else lit(None, dtype=pl.Date)).collect()
    judged = {i: whole_periods(ctx.period, check.per, ctx.as_of, not_before=f)[0] for i, f in frame.iter_rows()}
    judged = {i: parts for i, parts in judged.items() if parts}
    out, rows = _selected(check, collection, subjects.filter(pl.col("id").is_in(list(judged))), ctx)
    days = rows.select("key", _day=record_day(check, ctx.schema(rows))).drop_nulls().collect()
    by_subject: dict[str, list] = {}
    for key, day in days.iter_rows():
        by_subject.setdefault(key, []).append(day)
    measures = [sum(1 for d in by_subject.get(i, []) if p.start <= d <= p.end) for i, parts in judged.items()
                for p in parts]
    return out | _points(check, measures, ctx)


def _deadline(check: DeadlineCheck, subjects: pl.LazyFrame, ctx) -> set[str]:
    """The instant judged (the end, or as-of while none) against each due instant that could be computed."""
    amount = check.within.in_force(ctx.reference_date)
    if amount is None:
        return set()
    frame = deadline_kind.due_and_end(check, subjects, int(amount), ctx)
    frame = frame.filter(pl.col(check.start).is_not_null() & pl.col("_unavailable").is_null()).select("_end", "_due")
    as_of, out = as_shanghai(ctx.as_of), set()
    for end, due in frame.collect().iter_rows():
        point = _point(end or as_of, due, ONE_SECOND, ("before", "at", "after"))
        out |= {f"check.within:{point}"} if point else set()
        out |= _dated("check.within", check.within, ctx)
    return out


def _points(check, measures: list, ctx) -> set[str]:
    """A bound's points and dated value for the measures judged against the value in force."""
    name, threshold = check.bound
    limit = threshold.in_force(ctx.reference_date)
    if limit is None:
        return set()
    points = {_point(m, limit, 1, ("below", "at", "above")) for m in measures} - {None}
    return {f"check.{name}:{p}" for p in points} | (_dated(f"check.{name}", threshold, ctx) if measures else set())


def _point(measured, limit, one, names: tuple[str, str, str]) -> str | None:
    """Within `one` under the limit, at it, or within `one` over it."""
    if limit - one <= measured < limit:
        return names[0]
    if measured == limit:
        return names[1]
    return names[2] if limit < measured <= limit + one else None


def _dated(path: str, threshold, ctx) -> set[str]:
    """The dated value in force on the reference day, as an item."""
    if not threshold.dated():
        return set()
    starts = [d for d in sorted(threshold.values) if d <= ctx.reference_date]
    return {f"{path}@{starts[-1].isoformat()}"} if starts else set()
