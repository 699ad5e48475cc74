"""The condition language of `checks.where`, compiled to a Boolean `pl.Expr` over a collection's table.

The expression's null is "unknown" (a value not recorded), as the per-object `None`: Polars' `&`/`|` are
Kleene's, `~null` is null, and every test on a null value is null; `any`/`all` over a list of records
follow `checks.where` (the decisive answer, else unknown if one item is unknown). A condition is first
compiled by `checks.where.compile_condition`, so it is rejected with the same `ConditionError`s; this
module only translates what that accepted.

A condition may need columns the table does not hold: a derived value `@name` (`columns.derived`) and
each `related` count. `Condition.extras` lists them; `with_extras` joins them onto a frame by `id` before
the expression is evaluated. Operands that depend on the audit ($as_of, thresholds in force) are resolved
when the expression is built for a context, as are the column types (`Condition.expr(ctx, schema)`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable

import polars as pl
import re2
from pydantic import BaseModel

from ..checks import where as per_object
from ..timecalc import as_shanghai, day_end
from .context import ColumnContext
from .literals import lit

Build = Callable[[ColumnContext, "Env"], pl.Expr]
_EXACT_US = {"second": 1_000_000, "minute": 60_000_000, "hour": 3_600_000_000, "day": 86_400_000_000}


@dataclass(frozen=True)
class Extra:
    """A column a condition needs beyond the table: `build(ctx)` gives a plan (`id`, `value`); `key` names
    what it computes (a shared frame of the audit)."""

    name: str
    build: Callable[[ColumnContext], pl.LazyFrame]
    key: str


@dataclass
class Env:
    """Where field names are read: top-level columns, or the fields of a list's items (`any`/`all`)."""

    schema: dict[str, pl.DataType]
    root: Callable[[str], pl.Expr] = pl.col


class _Reading(dict):
    """A schema that records the columns read from it."""

    def __init__(self, schema) -> None:
        super().__init__(schema)
        self.read: set[str] = set()

    def __getitem__(self, name: str):
        self.read.add(name)
        return super().__getitem__(name)


@dataclass
class Condition:
    build: Build
    extras: list[Extra] = field(default_factory=list)
    _built: dict[tuple, pl.Expr] = field(default_factory=dict, repr=False, compare=False)
    _reads: tuple[str, ...] = ()  # every column a build has read from its frame's schema

    def expr(self, ctx: ColumnContext, schema) -> pl.Expr:
        """The Boolean expression over a frame with this schema (extras already joined), built once per audit
        dates and types of the columns it reads: an expression reads the audit only through its period and as-of
        (`$as_of`, thresholds in force, `not_older_than`), the frame only through those columns' types (the
        whole schema is ~40 µs to hash)."""
        dates = (ctx.period.start, ctx.period.end, ctx.as_of)
        found = self._built.get((dates, tuple((name, schema.get(name)) for name in self._reads)))
        if found is None:
            env = Env(_Reading(schema))
            found = self.build(ctx, env).cast(pl.Boolean)
            self._reads = tuple(sorted(set(self._reads) | env.schema.read))
            if len(self._built) >= 64:
                self._built.clear()
            self._built[dates, tuple((name, schema.get(name)) for name in self._reads)] = found
        return found


_COMPILED: dict[tuple, Condition] = {}


def compile_where(cond: dict | None, model: type[BaseModel], at: str = "where") -> Condition:
    """Compile a condition against a record type, once per process; raises `ConditionError` exactly as
    `checks.where`."""
    key = (spelling(cond), model, at)
    found = _COMPILED.get(key)
    if found is None:
        per_object.compile_condition(cond, model, at)  # the one validation of the language
        extras: list[Extra] = []
        found = Condition(_condition(cond, model, extras), extras)
        if len(_COMPILED) >= 4096:
            _COMPILED.clear()
        _COMPILED[key] = found
    return found


def spelling(value: Any) -> str:
    """A condition (or any YAML value) as text that tells its values' types apart (a date from any text, 1 from
    1.0, True and "1"), a mapping's entries in one order whatever the types of its keys."""
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{spelling(k)}:{spelling(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(spelling(v) for v in value) + "]"
    return f"{type(value).__name__}:{value!r}"


def with_extras(frame: pl.LazyFrame, conditions: list[Condition], ctx: ColumnContext) -> pl.LazyFrame:
    """The frame with every extra column its conditions need, joined by `id` (each a shared frame)."""
    extras = {e.name: e for c in conditions for e in c.extras}
    schema = ctx.schema(frame)
    extras = [e for e in extras.values() if e.name not in schema]
    if not extras:
        return frame
    schema = dict(schema)
    for extra in extras:
        values = ctx.frame(f"extra:{extra.key}", lambda e=extra: e.build(ctx))
        schema[extra.name] = ctx.schema(values)["value"]
        frame = frame.join(values.rename({"value": extra.name}), on="id", how="left", maintain_order="left")
    return ctx.with_schema(frame, pl.Schema(schema))


def holds(frame: pl.LazyFrame, condition: Condition, ctx: ColumnContext) -> pl.Expr:
    """The condition's three-valued answer for each row of the frame (extras already joined), as an expression."""
    return condition.expr(ctx, ctx.schema(frame))


def _condition(cond: dict | None, model, extras: list[Extra]) -> Build:
    if not cond:
        return lambda ctx, env: lit(True)
    return _all([_entry(k, v, model, extras) for k, v in cond.items()])


def _all(parts: list[Build]) -> Build:
    if len(parts) == 1:
        return parts[0]
    return lambda ctx, env: kleene_and([p(ctx, env) for p in parts])


def _any(parts: list[Build]) -> Build:
    return lambda ctx, env: kleene_or([p(ctx, env) for p in parts])


def kleene_and(exprs: list[pl.Expr]) -> pl.Expr:
    """Kleene conjunction: false if one is false, else unknown if one is unknown."""
    out = exprs[0]
    for e in exprs[1:]:
        out = out & e
    return out


def kleene_or(exprs: list[pl.Expr]) -> pl.Expr:
    """Kleene disjunction: true if one is true, else unknown if one is unknown."""
    out = exprs[0]
    for e in exprs[1:]:
        out = out | e
    return out


def _entry(key: str, value: Any, model, extras: list[Extra]) -> Build:
    if key in ("all_of", "any_of"):
        parts = [_condition(c, model, extras) for c in value]
        return _all(parts) if key == "all_of" else _any(parts)
    if key == "not":
        inner = _condition(value, model, extras)
        return lambda ctx, env: ~inner(ctx, env)
    if key == "related":
        return related_test(value, extras)
    path = field_reader(key, model, extras)
    if not isinstance(value, dict) or "value" in value and "unit" in value:
        value = {"eq": value}
    tests = []
    for op, operand in value.items():
        if op in per_object.FIELD_COMPARE:
            tests.append(field_comparison(op, path, field_reader(operand, model, extras)))
        else:
            tests.append(operator_test(op, operand, path, list_item_model(key, model)))
    return _all(tests)


# --- fields ----------------------------------------------------------------------------------------------

Path = Callable[[Env], tuple[pl.Expr, pl.DataType]]


def field_reader(path: str, model, extras: list[Extra]) -> Path:
    """A reader of a dotted path (or an `@name` column) and the type found there."""
    if path.startswith("@"):
        collection = per_object._collection_of(model)
        extras.append(Extra(path, lambda ctx, name=path[1:], c=collection: _derived_frame(name, c, ctx),
                            f"{collection}{path}"))
    parts = path.split(".") if not path.startswith("@") else [path]

    def read(env: Env) -> tuple[pl.Expr, pl.DataType]:
        expr, dtype, through_list = env.root(parts[0]), env.schema[parts[0]], False
        for part in parts[1:]:
            if isinstance(dtype, pl.List):  # the per-object getattr finds nothing on a list: never recorded
                dtype, through_list = dtype.inner, True
            dtype = {f.name: f.dtype for f in dtype.fields}[part]
            expr = expr.struct.field(part)
        return (lit(None, dtype=dtype) if through_list else expr), dtype
    return read


def _derived_frame(name: str, collection: str, ctx: ColumnContext) -> pl.LazyFrame:
    from .derived import derived_frame  # derived reads the tables through select, which reads conditions

    return derived_frame(name, collection, ctx)


def list_item_model(key: str, model):
    """The record type of a list-of-records field (for `any`/`all`), else None."""
    from ..models.base import inner_type

    current = model
    for part in key.split("."):
        fields = getattr(current, "model_fields", None)
        if fields is None or part not in fields:
            return None
        current = inner_type(fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


# --- operators -------------------------------------------------------------------------------------------

def operator_test(op: str, operand: Any, path: Path, item_model) -> Build:
    """One operator's test of the value at `path` (`gte: 10`, `contains: core`, `any: {...}`, ...)."""
    if op in ("any", "all"):
        return quantified_test(op, operand, path, item_model)
    if op == "is_set":
        return lambda ctx, env: _is_set(*path(env)) == bool(operand)
    if op in ("min_items", "max_items"):
        def items(ctx, env):
            expr, dtype = path(env)
            n = expr.list.len() if isinstance(dtype, pl.List) else expr.cast(pl.String).str.len_chars()
            return n >= operand if op == "min_items" else n <= operand
        return items
    if op == "matches":
        pattern = re2.compile(operand, per_object._RE2_OPTIONS)  # the same engine: RE2's classes are ASCII
        return lambda ctx, env: path(env)[0].map_elements(lambda v: pattern.fullmatch(str(v)) is not None,
                                                          return_dtype=pl.Boolean, skip_nulls=True)
    if op in ("not_older_than", "within_limit"):
        return _age(op, operand, path)
    resolve = _resolver(operand)
    if op in per_object.COMPARE:
        return lambda ctx, env: _compare(op, *path(env), resolve(ctx))
    if op in ("eq", "ne"):
        def eq(ctx, env):
            expr, dtype = path(env)
            same = _equals(expr, dtype, resolve(ctx))
            return same if op == "eq" else ~same
        return eq
    if op in ("in", "not_in"):
        def in_(ctx, env):
            expr, dtype = path(env)
            found = _is_in(expr, dtype, operand)
            return found if op == "in" else ~found
        return in_
    wanted = [operand] if op == "contains" else list(operand)

    def contains(ctx, env):
        expr, dtype = path(env)
        if not wanted:
            return _unknown_if_null(expr, True)
        return kleene_and([_contains(expr, dtype, x) for x in wanted])
    return contains


def _resolver(raw: Any) -> Callable[[ColumnContext], Any]:
    if isinstance(raw, str) and raw.startswith("$"):
        return per_object._VARIABLE_GETTERS[raw[1:]]
    if isinstance(raw, dict) and set(raw) == {"value", "unit"}:
        return lambda ctx: raw["value"]
    if isinstance(raw, str):
        try:
            parsed = date.fromisoformat(raw)
            return lambda ctx: parsed
        except ValueError:
            pass
    return lambda ctx: raw


def _unknown_if_null(expr: pl.Expr, answer) -> pl.Expr:
    """`answer` (an expression or a constant) where the value is recorded, else unknown."""
    return pl.when(expr.is_null()).then(None).otherwise(answer)


def _kind(dtype) -> str:
    if isinstance(dtype, pl.Datetime):
        return "instant"
    if dtype == pl.Date:
        return "date"
    if dtype == pl.String:
        return "text"
    if dtype == pl.Boolean:
        return "bool"
    if dtype.is_numeric():
        return "number"
    if isinstance(dtype, pl.List):
        return "list"
    return "other"


def _value_kind(v) -> str:
    if isinstance(v, list):
        return "list"
    if isinstance(v, datetime):
        return "instant"
    if isinstance(v, date):
        return "date"
    if isinstance(v, str):
        return "text"
    if isinstance(v, (bool, int, float)):
        return "number"
    return "other"


def _equals(expr: pl.Expr, dtype, value) -> pl.Expr:
    """Python's `v == value` for every recorded v (a text never equals a date), but an instant and a date
    compare as Shanghai calendar dates, as in `_comparable` (checks.where._same)."""
    kind, vkind = _kind(dtype), _value_kind(value)
    if {kind, vkind} == {"instant", "date"}:
        return _cmp("eq", *_comparable(expr, dtype, value))
    if kind == "bool" and vkind == "number":
        return expr.cast(pl.Float64) == float(value)
    if kind == "number" and vkind == "number":
        return expr == value
    if kind == vkind and kind in ("text", "date"):
        return expr == lit(value, dtype=dtype)
    if kind == vkind == "instant":
        return expr == lit(as_shanghai(value), dtype=dtype)
    if kind == "list" and isinstance(value, list) and not isinstance(dtype.inner, (pl.Struct, pl.List)):
        inner = _kind(dtype.inner)
        if all(_value_kind(v) == inner or inner == "number" and _value_kind(v) == "number" for v in value):
            return expr == lit(value, dtype=dtype)
        return _unknown_if_null(expr, False)
    if isinstance(dtype, pl.Struct):  # a record never equals a YAML value (checks.where: a model is no dict)
        return _unknown_if_null(expr, False)
    if kind == "list" and isinstance(value, list) and isinstance(dtype.inner, pl.Struct):  # so a list of them
        return expr.list.len() == 0 if not value else _unknown_if_null(expr, False)  # equals only [], when empty
    if kind == "other" or kind == "list" and isinstance(value, list):
        raise NotImplementedError(f"eq on a {dtype} value")
    return _unknown_if_null(expr, False)


def _is_in(expr: pl.Expr, dtype, values: list) -> pl.Expr:
    """Python's `v in values`."""
    kind = _kind(dtype)
    same = [v for v in values if _value_kind(v) == kind or kind == "bool" and _value_kind(v) == "number"
            or kind == "list" and isinstance(v, list)]
    if not same:
        return _unknown_if_null(expr, False)
    return kleene_or([_equals(expr, dtype, v) for v in same])


def _contains(expr: pl.Expr, dtype, item) -> pl.Expr:
    """Python's `item in v`: an element of a list, or a part of a text."""
    if isinstance(dtype, pl.List):
        inner = dtype.inner
        if _value_kind(item) != _kind(inner) and not (_kind(inner) == "bool" and _value_kind(item) == "number"):
            return _unknown_if_null(expr, False)
        if inner == pl.String or inner.is_integer() and type(item) is int:  # list.contains: no per-list eval
            found = expr.list.contains(lit(item, dtype=inner), nulls_equal=False).fill_null(False)
        else:
            found = expr.list.eval(_equals(pl.element(), inner, item).fill_null(False)).list.any()
        return _unknown_if_null(expr, found)
    return expr.str.contains(item, literal=True)  # a text in a text: checks.where refuses any other at compile


def _is_set(expr: pl.Expr, dtype) -> pl.Expr:
    """Not None, "" or []: never unknown."""
    if isinstance(dtype, pl.List):
        return expr.is_not_null() & (expr.list.len() > 0).fill_null(False)
    if dtype == pl.String:
        return expr.is_not_null() & (expr != "").fill_null(False)
    return expr.is_not_null()


def _comparable(expr: pl.Expr, dtype, value) -> tuple[pl.Expr, Any]:
    """Dates against instants compare as Shanghai calendar dates."""
    kind, vkind = _kind(dtype), _value_kind(value)
    if kind == "instant" and vkind == "date":
        return expr.dt.convert_time_zone("Asia/Shanghai").dt.date(), lit(value, dtype=pl.Date)
    if kind == "date" and vkind == "instant":
        return expr, lit(as_shanghai(value).date(), dtype=pl.Date)
    if kind == vkind == "instant":
        return expr, lit(as_shanghai(value), dtype=dtype)
    return expr, value  # dates, texts, numbers (a yes/no as one): checks.where refuses any other pair at compile


def _cmp(op: str, a: pl.Expr, b) -> pl.Expr:
    if op == "gte":
        return a >= b
    if op == "gt":
        return a > b
    if op == "lte":
        return a <= b
    return a < b if op == "lt" else a == b


def _compare(op: str, expr: pl.Expr, dtype, value) -> pl.Expr:
    a, b = _comparable(expr, dtype, value)
    return _cmp(op, a, b)


def field_comparison(op: str, left: Path, right: Path) -> Build:
    """`{lte_field: started_at}`: both values of the same record; unknown if either is not recorded."""
    cmp = op.removesuffix("_field")

    def build(ctx, env):
        (a, ta), (b, tb) = left(env), right(env)
        ka, kb = _kind(ta), _kind(tb)
        if ka == "instant" and kb == "date":
            a = a.dt.convert_time_zone("Asia/Shanghai").dt.date()
        elif kb == "instant" and ka == "date":
            b = b.dt.convert_time_zone("Asia/Shanghai").dt.date()
        elif cmp == "eq" and ka != kb and not {ka, kb} <= {"number", "bool"}:
            return _unknown_if_null(a, _unknown_if_null(b, False))
        return _cmp(cmp, a, b)
    return build


def _age(op: str, operand: dict, path: Path) -> Build:
    """`at <= last(instant(v))`: the value is less than the period old at the reference instant (not_older_than,
    以上 includes the end: one microsecond before timecalc.deadline; unknown for a value dated after that
    instant), or as-of is still within the limit (within_limit)."""
    amount, unit = operand["value"], operand["unit"]
    strict = op == "not_older_than"  # at <= deadline − 1 µs, i.e. at < deadline

    def test_at(expr, dtype, as_of):
        if unit in _EXACT_US:
            start = (expr.dt.convert_time_zone("Asia/Shanghai") if _kind(dtype) == "instant" else
                     expr.cast(pl.Datetime("us")).dt.replace_time_zone("Asia/Shanghai"))
            due = start + pl.duration(microseconds=amount * _EXACT_US[unit])
            return lit(as_of) < due if strict else lit(as_of) <= due
        day = expr.dt.convert_time_zone("Asia/Shanghai").dt.date() if _kind(dtype) == "instant" else expr
        last_day = day.dt.offset_by(f"{amount}mo")  # clamped to the month's end, as relativedelta
        today = lit(as_of.date(), dtype=pl.Date)
        # as_of <= day_end(last_day) is today <= last_day; one microsecond less excludes as_of at a day's end
        return today < last_day if strict and as_of == day_end(as_of.date()) else today <= last_day

    def build(ctx, env):
        expr, dtype = path(env)
        if not strict:
            return test_at(expr, dtype, as_shanghai(ctx.as_of))
        at = as_shanghai(ctx.reference_instant)
        later = (expr.dt.convert_time_zone("Asia/Shanghai") > lit(at) if _kind(dtype) == "instant" else
                 expr > lit(at.date(), dtype=pl.Date))
        return pl.when(later).then(None).otherwise(test_at(expr, dtype, at))

    return build


def quantified_test(op: str, operand: dict, path: Path, item_model) -> Build:
    """`any`/`all` over a list of records: the decisive answer if an item gives it, else unknown if an
    item is unknown, else the other answer; unknown when the list itself is not recorded."""
    inner = _condition(operand, item_model, [])
    decisive = op == "any"

    def build(ctx, env):
        expr, dtype = path(env)
        item_schema = {f.name: f.dtype for f in dtype.inner.fields}
        answers = inner(ctx, Env(item_schema, lambda name: pl.element().struct.field(name)))
        results = expr.list.eval(answers)
        hit = results.list.eval(pl.element() == decisive).list.any()
        unknown = results.list.eval(pl.element().is_null()).list.any()
        return (pl.when(expr.is_null()).then(None).when(hit).then(decisive)
                .when(unknown).then(None).otherwise(not decisive))
    return build


def related_test(spec: dict, extras: list[Extra]) -> Build:
    """At least N records of another collection link to this record (`via` holds its id), not dated after
    as-of, matching `where`: a count column joined by id."""
    from ..models import COLLECTIONS
    from ..rulebook.units import Threshold

    threshold = Threshold.model_validate(spec["at_least"])
    keep = compile_where(spec.get("where"), COLLECTIONS[spec["of"]].model, "related.where")
    of, via = spec["of"], spec["via"]
    name = "related:" + spelling([of, via, spec.get("where")])

    def counts(ctx: ColumnContext) -> pl.LazyFrame:
        from .select import linked_rows, matching

        pairs = linked_rows(of, via, False, ctx)
        rows = matching(of, keep, ctx)
        return (pairs.join(rows.select("_row"), on="_row", how="semi").group_by("key")
                .agg(pl.len().alias("value")).rename({"key": "id"}))
    extras.append(Extra(name, counts, name))

    def build(ctx, env):
        need = threshold.in_force(ctx.reference_date)
        if need is None:
            return lit(None, dtype=pl.Boolean)
        return pl.col(name).fill_null(0) >= need
    return build


def value_of(path: str, model, schema) -> pl.Expr:
    """The value at a field path or `@name` column of a frame with this schema (extras already joined)."""
    return field_reader(path, model, [])(Env(dict(schema)))[0]

