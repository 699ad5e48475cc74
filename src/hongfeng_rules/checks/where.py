"""The condition language of rule files: a small, closed set of operators, no eval.

A condition is a mapping of field path -> test. A bare value tests equality; a mapping uses
operators: eq, ne, in, not_in, contains, contains_all, is_set, min_items, max_items, gte, gt,
lte, lt, matches, any, all, not_older_than (the value is less than a period old at the reference
instant, the end of the period's last day or as-of if earlier, counted forward from it; 以上 includes the end;
unknown for a value dated after that instant), within_limit (as-of is still within a time limit counted
from the value, as a deadline), and eq_field, gte_field, gt_field, lte_field, lt_field (compare
with another field of the same record: `home_visit_at: {lte_field: started_at}`). `all_of`,
`any_of` and `not` combine conditions. `related: {of, via, where, at_least}` counts the records of
another collection linked to this one (a dispute's follow-ups: `of: follow_ups, via: dispute_id`).
Paths are dotted (`file.personal_info`); `@name` is a derived value (see derived.py).
Operands may be `$as_of`, `$period_start`, `$period_end`, `$reference_date`, or a threshold
`{value: 4, unit: hour}` whose unit must match the field's.

Evaluation is three-valued: a test on a value that is not recorded (None) is unknown (None),
so `every` can report "not assessable" instead of guessing.
"""
from __future__ import annotations

from datetime import date, datetime
from types import UnionType
from typing import Any, Callable, Literal, Union, get_args, get_origin

import re2
from pydantic import BaseModel, ValidationError

from ..models import COLLECTIONS
from ..models.base import inner_type
from ..timecalc import as_shanghai, day_start, deadline, not_older_until
from ..timecalc.deadlines import amount_problem

Pred = Callable[[Any, Any], "bool | None"]
VARIABLES = ("$as_of", "$period_start", "$period_end", "$reference_date")
COMPARE = {"gte": lambda a, b: a >= b, "gt": lambda a, b: a > b,
           "lte": lambda a, b: a <= b, "lt": lambda a, b: a < b}
OPERATORS = {"eq", "ne", "in", "not_in", "contains", "contains_all", "is_set", "min_items",
             "max_items", "matches", "any", "all", "not_older_than", "within_limit", *COMPARE}
FIELD_COMPARE = {f"{op}_field": cmp for op, cmp in COMPARE.items()} | {"eq_field": lambda a, b: a == b}
OPERATORS |= set(FIELD_COMPARE)
AGE_UNITS = ("second", "minute", "hour", "day", "month")  # not_older_than: timecalc units without a calendar
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # a bad pattern is a lint error, not a line from the C++ library on stderr


class ConditionError(ValueError):
    """A condition that cannot compile; `path` is the key path inside the condition."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def compile_condition(cond: dict | None, model: type[BaseModel], at: str = "where") -> Pred:
    """Compile a condition against a record type; raises ConditionError on any unknown name."""
    if not cond:
        return lambda record, ctx: True
    if not isinstance(cond, dict):
        raise ConditionError(at, "a condition must be a mapping of field to test")
    tests = [_compile_entry(key, value, model, f"{at}.{key}") for key, value in cond.items()]
    return _junction(tests, decisive=False)


def _junction(tests: list[Pred], decisive: bool) -> Pred:
    """Three-valued `any` (decisive True) or `all` (decisive False) of the tests, short-circuiting: the
    decisive result if a test gives it, else unknown (None) if a test is unknown, else the other result."""
    if len(tests) == 1:
        return tests[0]

    def junction(record, ctx):
        unknown = False
        for t in tests:
            r = t(record, ctx)
            if r is decisive:
                return decisive
            if r is None:
                unknown = True
        return None if unknown else not decisive
    return junction


def _compile_entry(key: str, value: Any, model, at: str) -> Pred:
    if key == "all_of" or key == "any_of":
        if not isinstance(value, list) or not value:
            raise ConditionError(at, f"{key} takes a non-empty list of conditions")
        parts = [compile_condition(c, model, f"{at}[{i}]") for i, c in enumerate(value)]
        return _junction(parts, decisive=key == "any_of")
    if key == "not":
        inner = compile_condition(value, model, at)
        return lambda r, ctx: _not(inner(r, ctx))
    if key == "related":
        return _related(value, model, at)
    getter, field_type, unit = _field(key, model, at)
    if not isinstance(value, dict) or "value" in value and "unit" in value:
        value = {"eq": value}
    tests = []
    for op, operand in value.items():
        if op not in OPERATORS:
            raise ConditionError(f"{at}.{op}", f"unknown operator; allowed: {sorted(OPERATORS)}")
        if op in FIELD_COMPARE:
            tests.append(_compare_fields(op, operand, getter, (field_type, unit), model, f"{at}.{op}"))
            continue
        if op in ("contains", "contains_all", "min_items", "max_items"):
            _check_contains(operand, op, key, model, (field_type, unit), f"{at}.{op}")
        tests.append(_compile_op(op, operand, getter, field_type, unit, f"{at}.{op}"))
    return _junction(tests, decisive=False)


RELATED_KEYS = {"of", "via", "where", "at_least"}


def related_collections(cond: Any) -> set[str]:
    """Collections a condition reads through `related` (absent from the data → not assessable)."""
    if isinstance(cond, dict):
        found = {cond["related"]["of"]} if isinstance(cond.get("related"), dict) and "of" in cond["related"] else set()
        return found.union(*(related_collections(v) for v in cond.values()))
    if isinstance(cond, list):
        return set().union(*(related_collections(v) for v in cond))
    return set()


def _related(spec: Any, model, at: str) -> Pred:
    """At least N records of another collection link to this record (`via` holds its id), not dated after
    as-of, matching `where`. Only a record with an id can be linked to (not an item of a list, not a team's
    score)."""
    from ..rulebook.units import Threshold  # the rule format's threshold, with its unit

    if "id" not in model.model_fields:
        raise ConditionError(at, f"related counts the records that link to this record's id, and a "
                                 f"{model.__name__} has no id")
    if not isinstance(spec, dict) or set(spec) - RELATED_KEYS or not {"of", "via", "at_least"} <= set(spec):
        raise ConditionError(at, f"related takes of, via, at_least and optionally where; got {sorted(spec or {})}")
    target = COLLECTIONS.get(spec["of"])
    if target is None:
        raise ConditionError(f"{at}.of", f"unknown collection {spec['of']!r}; known: {sorted(COLLECTIONS)}")
    if spec["via"].split(".")[0] not in target.model.model_fields:
        raise ConditionError(f"{at}.via", f"{spec['of']} has no field {spec['via']!r}")
    try:
        threshold = Threshold.model_validate(spec["at_least"])
    except ValidationError as exc:  # its first error's message, not pydantic's trailing link to its docs
        error = exc.errors()[0]
        path = ".".join([f"{at}.at_least", *map(str, error["loc"])])
        raise ConditionError(path, error["msg"].removeprefix("Value error, ")) from None
    if threshold.unit not in ("times", "item"):
        raise ConditionError(f"{at}.at_least.unit", "related records are counted in times or item")
    keep = compile_condition(spec.get("where"), target.model, f"{at}.where")
    of, via = spec["of"], spec["via"]

    def enough(record, ctx) -> bool | None:
        need = threshold.in_force(ctx.reference_date)
        if need is None:
            return None
        return sum(1 for r in ctx.related(of, via, record.id) if keep(r, ctx) is True) >= need
    return enough


def number_field(path: str, model, at: str):
    """`_field` for a value that is summed, averaged or ranked (a levels amount, a mean's value, a rank's score):
    ConditionError unless it is a number (a yes/no counts as 0 or 1)."""
    found = _field(path, model, at)
    if _ordered_as(found[1], found[2]) != "number":
        what = f"in {found[2]}" if path.startswith("@") else f"a {getattr(found[1], '__name__', found[1])}"
        raise ConditionError(at, f"{path} is {what}, not a number")
    return found


def _field(path: str, model, at: str):
    """A getter for a dotted path or @derived name, the type found there, and its unit."""
    if path.startswith("@"):
        from ..derived import DERIVED  # derived values depend on checks.context

        name = path[1:]
        d = DERIVED.get(name)
        collection = _collection_of(model)
        if d is None or collection not in _collections(d):
            known = sorted(n for n, v in DERIVED.items() if collection in _collections(v))
            raise ConditionError(at, f"unknown derived value @{name} for {collection}; known: {known}")
        return d.compute, None, d.unit
    current: Any = model
    for part in path.split("."):
        fields = getattr(current, "model_fields", None)
        if fields is None or part not in fields:
            allowed = sorted(fields) if fields else []
            raise ConditionError(at, f"unknown field {part!r}; fields here: {allowed}")
        current = inner_type(fields[part].annotation)
    parts = path.split(".")
    if len(parts) == 1:
        name = parts[0]
        return (lambda record, ctx: getattr(record, name, None)), current, None

    def get(record, ctx):
        value = record
        for part in parts:
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    return get, current, None


def _collection_of(model) -> str | None:
    return next((c.name for c in COLLECTIONS.values() if c.model is model), None)


def _collections(d) -> tuple[str, ...]:
    return (d.applies_to,) if isinstance(d.applies_to, str) else d.applies_to


def _operand(raw: Any, unit: str | None, at: str):
    """Resolve an operand once: a variable name, a threshold, a date string, an instant (naive: Shanghai time), or a
    constant."""
    if isinstance(raw, str) and raw.startswith("$"):
        if raw not in VARIABLES:
            raise ConditionError(at, f"unknown variable {raw}; known: {list(VARIABLES)}")
        return _VARIABLE_GETTERS[raw[1:]]
    if isinstance(raw, dict) and set(raw) == {"value", "unit"}:
        if unit is None:
            raise ConditionError(at, "a threshold with a unit needs a derived value with a unit")
        if raw["unit"] != unit:
            raise ConditionError(at, f"unit {raw['unit']!r} does not match the value's unit {unit!r}")
        value = raw["value"]
        return lambda ctx: value
    if isinstance(raw, str):
        try:
            parsed = date.fromisoformat(raw)
            return lambda ctx: parsed
        except ValueError:
            pass
    if isinstance(raw, datetime):  # from a host's Python (YAML keeps times as text): naive is Shanghai time
        instant = as_shanghai(raw)
        return lambda ctx: instant
    return lambda ctx: raw


_VARIABLE_GETTERS = {"as_of": lambda ctx: ctx.as_of, "period_start": lambda ctx: ctx.period.start,
                     "period_end": lambda ctx: ctx.period.end, "reference_date": lambda ctx: ctx.reference_date}


_ORDERED = {"time": "an instant or a date", "text": "a text", "number": "a number"}  # what an ordering test compares
_ORDER_OPERANDS = {"time": "a date (2025-06-30) or $as_of, $period_start, $period_end, $reference_date",
                   "text": "a text", "number": "a number"}


def _ordered_as(value_type, unit: str | None) -> str | None:
    """What an ordering test (gte, lt, …, lte_field) compares a field or derived value (`value_type` None) as: "time"
    (a date or an instant), "text" or "number" (a yes/no too); None when it is none of these."""
    if value_type is None:
        return {"day": "time", "status": "text", "text": "text"}.get(unit, "number")  # a derived value: its unit
    if get_origin(value_type) is Literal:
        kinds = {_ordered_as(type(a), None) for a in get_args(value_type)}
        return kinds.pop() if len(kinds) == 1 else None
    if not isinstance(value_type, type):
        return None
    if issubclass(value_type, date):
        return "time"
    if issubclass(value_type, (bool, int, float)):
        return "number"
    return "text" if issubclass(value_type, str) else None


def _check_ordered(operand: Any, resolve, value_type, unit: str | None, at: str) -> None:
    """ConditionError when an ordering test's operand cannot be ordered against the value (an instant against a time
    of day as text, a number against a text, …): both engines would otherwise fail on the first record."""
    kind = _ordered_as(value_type, unit)
    if kind is None:
        return
    variable = isinstance(operand, str) and operand.startswith("$")
    got = "time" if variable else _ordered_as(type(resolve(None)), None)  # a threshold resolves to its number
    if got != kind:
        raise ConditionError(at, f"orders {_ORDERED[kind]}: compare it with {_ORDER_OPERANDS[kind]}, not {operand!r}")


def _check_contains(operand: Any, op: str, key: str, model, typed: tuple, at: str) -> None:
    """ConditionError when `contains`, `contains_all`, `min_items` or `max_items` cannot be answered: over a value that
    is not a list, the value must be a text (its characters) and what is looked for texts (a substring); both engines
    would otherwise fail on the first record."""
    if not key.startswith("@") and _through_list(key, model):
        return
    wanted = [operand] if op == "contains" else operand if op == "contains_all" and isinstance(operand, list) else []
    kind = _ordered_as(*typed)
    if kind != "text":
        does = "looks in a list, or for a text in a text" if "contains" in op else "counts a list's items, or a text's characters"
        raise ConditionError(at, f"{does}: {key} is {_ORDERED.get(kind, 'neither')}")
    for item in wanted:
        if not isinstance(item, str):
            raise ConditionError(at, f"{key} is a text: look for a text in it, not {item!r}")


def _through_list(path: str, model) -> bool:
    """Whether a dotted field path reads a list (a list field, or a field of the records of one)."""
    current = model
    for part in path.split("."):
        annotation = current.model_fields[part].annotation
        if _is_list(annotation):
            return True
        current = inner_type(annotation)
    return False


def _is_list(annotation) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return len(inner) == 1 and _is_list(inner[0])
    return origin is list  # (a field's Annotated metadata is pydantic's, not in its annotation)


def _compile_op(op, operand, get, field_type, unit, at) -> Pred:
    if op in ("any", "all"):
        if not (isinstance(field_type, type) and issubclass(field_type, BaseModel)):
            raise ConditionError(at, f"'{op}' needs a list of records")
        inner = compile_condition(operand, field_type, at)
        decisive = op == "any"  # the result that ends the scan: any → a True, all → a False

        def quantified(r, ctx):
            items = get(r, ctx)
            if items is None:
                return None
            unknown = False
            for item in items:
                result = inner(item, ctx)
                if result is decisive:
                    return decisive
                if result is None:
                    unknown = True
            return None if unknown else not decisive
        return quantified
    if op == "is_set":
        want = bool(operand)
        return lambda r, ctx: (get(r, ctx) not in (None, "", [])) == want
    if op in ("min_items", "max_items"):
        if not isinstance(operand, int):
            raise ConditionError(at, f"{op} takes a whole number")
        cmp = (lambda n: n >= operand) if op == "min_items" else (lambda n: n <= operand)
        return lambda r, ctx: None if get(r, ctx) is None else cmp(len(get(r, ctx)))
    if op == "matches":
        if not isinstance(operand, str):  # re2 would name its C++ signature and an object's address
            raise ConditionError(at, "matches takes a pattern: a text (RE2 syntax)")
        try:
            pattern = re2.compile(operand, _RE2_OPTIONS)
        except Exception as exc:  # re2 rejects back-references and other non-linear constructs
            reason = exc.args[0] if exc.args else exc
            reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else reason
            raise ConditionError(at, f"invalid pattern (RE2 syntax, linear time): {reason}") from None
        return lambda r, ctx: _maybe(get(r, ctx), lambda v: pattern.fullmatch(str(v)) is not None)
    if op in ("not_older_than", "within_limit"):
        if not (isinstance(operand, dict) and operand.get("unit") in AGE_UNITS and isinstance(operand.get("value"), int)
                and not isinstance(operand["value"], bool) and operand["value"] >= 1):
            raise ConditionError(at, f"{op} takes {{value, unit}}: a whole value >= 1, unit in {sorted(AGE_UNITS)}")
        amount, age_unit = operand["value"], operand["unit"]
        if amount_problem(amount, age_unit):
            raise ConditionError(at, amount_problem(amount, age_unit))
        # both count forward from the value, as a deadline does; not_older_than: 以上 includes the period's end
        # (timecalc.not_older_until); within_limit: an event at the end is still on time (timecalc.deadline)
        if op == "not_older_than":
            return lambda r, ctx: _maybe(get(r, ctx), lambda v: _young_at(_instant(v), ctx.reference_instant,
                                                                          amount, age_unit))
        return lambda r, ctx: _maybe(get(r, ctx), lambda v: ctx.as_of <= deadline(_instant(v), amount, age_unit))
    resolve = _operand(operand, unit, at)
    if op in COMPARE:
        _check_ordered(operand, resolve, field_type, unit, at)
        cmp = COMPARE[op]
        return lambda r, ctx: _maybe(get(r, ctx), lambda v: cmp(*_comparable(v, resolve(ctx))))
    if op in ("in", "not_in", "contains_all"):
        if not isinstance(operand, list):
            raise ConditionError(at, f"{op} takes a list")
    # the commonest tests, written out: no closure per record (same three-valued result as _maybe)
    if op in ("eq", "ne") and not (isinstance(operand, str) and operand.startswith("$")):
        constant, equal = resolve(None), op == "eq"  # a constant operand is resolved once

        def eq_constant(r, ctx):
            v = get(r, ctx)
            return None if v is None else _same(v, constant) is equal
        return eq_constant
    if op == "eq":
        def eq(r, ctx):
            v = get(r, ctx)
            return None if v is None else _same(v, resolve(ctx))
        return eq
    if op == "ne":
        def ne(r, ctx):
            v = get(r, ctx)
            return None if v is None else not _same(v, resolve(ctx))
        return ne
    if op == "in":
        def in_(r, ctx):
            v = get(r, ctx)
            return None if v is None else v in operand
        return in_
    if op == "not_in":
        def not_in(r, ctx):
            v = get(r, ctx)
            return None if v is None else v not in operand
        return not_in
    if op == "contains":
        def contains(r, ctx):
            v = get(r, ctx)
            return None if v is None else operand in v
        return contains
    return lambda r, ctx: _maybe(get(r, ctx), lambda v: all(x in v for x in operand))


def _compare_fields(op, other, get, typed: tuple, model, at) -> Pred:
    """`{lte_field: started_at}`: compare with another field of the same record (unknown if either is unset)."""
    if not isinstance(other, str):
        raise ConditionError(at, f"{op} takes the name of another field of the record")
    get_other, other_type, other_unit = _field(other, model, at)
    mine, theirs = _ordered_as(*typed), _ordered_as(other_type, other_unit)
    if op != "eq_field" and None not in (mine, theirs) and mine != theirs:
        raise ConditionError(at, f"orders {_ORDERED[mine]}, and {other} is {_ORDERED[theirs]}")
    cmp = FIELD_COMPARE[op]
    return lambda r, ctx: _maybe(get(r, ctx), lambda a: _maybe(get_other(r, ctx), lambda b: cmp(*_comparable(a, b))))


def _young_at(since: datetime, at: datetime, amount: int, unit: str) -> bool | None:
    """`since` is less than `amount` `unit` old at the instant `at`; unknown when dated after it (its age
    then is not told by the record)."""
    return None if since > at else at <= not_older_until(since, amount, unit)


def _instant(v):
    return as_shanghai(v) if isinstance(v, datetime) else day_start(v)


def _comparable(a, b):
    """Dates against instants compare as Shanghai calendar dates."""
    if isinstance(a, datetime) and isinstance(b, date) and not isinstance(b, datetime):
        return as_shanghai(a).date(), b
    if isinstance(b, datetime) and isinstance(a, date) and not isinstance(a, datetime):
        return a, as_shanghai(b).date()
    return a, b


def _same(a, b) -> bool:
    """`eq`: an instant and a date are the same when the instant falls on that Shanghai day, as gte/lte and
    eq_field compare them (`closed_at: {eq: $period_end}`); otherwise Python's equality."""
    a, b = _comparable(a, b)
    return a == b


def _maybe(value, test) -> bool | None:
    return None if value is None else test(value)


def _not(r):
    return None if r is None else not r
