"""Compile the deadline rules of a rule pack (and the 5.2.7 inactivity rule) for the monitor.

Deadline arithmetic comes from `hongfeng_rules.timecalc`, the same code as the batch audit.
`DURABLE_RULES` is the durable-rules definition every item ruleset shares: an open item is a
fact, closing/extension/activity/status events are correlated with it by `item`, the missing end is
detected with `$not` (none), and the current instant is one `clock` fact.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from pydantic import BaseModel

from ..checks.context import Context
from ..checks.deadline import DeadlineCheck, EndFrom
from ..index import Index
from ..models import COLLECTIONS, Dataset
from ..rulebook.pack import CompiledRule, RulePack
from ..timecalc import (Extension, Period, WorkCalendar, as_shanghai, deadline, effective_deadline,
                        local_date, not_older_until)
from ..timecalc.deadlines import TIME_UNITS
from .events import Event

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def micros(when: datetime) -> int:
    """An instant as integer microseconds since the Unix epoch (exact, JSON-safe)."""
    return (as_shanghai(when) - EPOCH) // timedelta(microseconds=1)


def instant(us: int) -> datetime:
    return as_shanghai(EPOCH + timedelta(microseconds=us))


def _same_item(alias: str) -> dict:
    return {"item": {alias: "item"}}


DURABLE_RULES: dict[str, dict] = {
    # an end/extension/activity event meets its open item
    "resolve": {"pri": 0, "all": [{"o": {"t": "open"}}, {"e": {"$and": [{"t": "end"}, _same_item("o")]}}]},
    "extend": {"pri": 0, "all": [{"o": {"t": "open"}}, {"x": {"$and": [{"t": "extend"}, _same_item("o")]}}]},
    "renew": {"pri": 0, "all": [{"o": {"t": "open"}}, {"a": {"$and": [{"t": "activity"}, _same_item("o")]}}]},
    # a member's status on the day (5.2.7): judged only while active (`on`)
    "restatus": {"pri": 0, "all": [{"o": {"t": "open"}}, {"s": {"$and": [{"t": "status"}, _same_item("o")]}}]},
    # orphans: events with no open item are consumed too, or they would stay in memory forever
    "orphan_end": {"pri": 1, "all": [{"e": {"t": "end"}}, {"n$not": {"$and": [{"t": "open"}, _same_item("e")]}}]},
    "orphan_extend": {"pri": 1, "all": [{"x": {"t": "extend"}}, {"n$not": {"$and": [{"t": "open"}, _same_item("x")]}}]},
    "first_activity": {"pri": 1, "all": [{"a": {"t": "activity"}},
                                          {"n$not": {"$and": [{"t": "open"}, _same_item("a")]}}]},
    "orphan_status": {"pri": 1, "all": [{"s": {"t": "status"}}, {"n$not": {"$and": [{"t": "open"}, _same_item("s")]}}]},
    # the clock passes the warning point or the deadline of an item still open
    "due_soon": {"pri": 2, "all": [{"o": {"$and": [{"t": "open"}, {"stage": "open"}, {"on": True}]}},
                                   {"k": {"$and": [{"t": "clock"}, {"$gte": {"now": {"o": "warn"}}}]}}]},
    "overdue": {"pri": 2, "all": [{"o": {"$and": [{"t": "open"}, {"$neq": {"stage": "overdue"}}, {"on": True}]}},
                                  {"k": {"$and": [{"t": "clock"}, {"$gt": {"now": {"o": "due"}}}]}},
                                  {"n$not": {"$and": [{"t": "end"}, _same_item("o")]}}]},
}


@dataclass
class ItemRule:
    """What the monitor needs of one rule: when an item opens, closes, and when it is due."""

    compiled: CompiledRule
    collection: str  # the subject collection
    start: str | None  # the record field that starts the clock (None: activity, 5.2.7)
    end_collection: str | None
    end_field: str | None
    end_via: str | None
    extension: tuple[str, str, str] | None  # notified_at, reason, until fields
    amount: int
    unit: str

    @property
    def id(self) -> str:
        return self.compiled.rule.id

    @property
    def kind(self) -> str:
        return "inactivity" if self.start is None else "deadline"

    def due(self, start: datetime, calendar: WorkCalendar) -> datetime:
        """The last instant still on time: a deadline (timecalc.deadline), or for inactivity the last instant
        before the member counts as inactive (timecalc.not_older_until, as the audit's `not_older_than`)."""
        if self.kind == "inactivity":
            return not_older_until(start, self.amount, self.unit)
        return deadline(start, self.amount, self.unit, calendar)

    def extended(self, original: datetime, notified_at: datetime, reason: str | None, until: datetime | None):
        return effective_deadline(original, Extension(notified_at, reason, until))

    def opens(self, event: Event) -> bool:
        return self.start is not None and event.collection == self.collection and self.start in event.fields

    def closes(self, event: Event) -> str | None:
        """The item an event closes, if any."""
        if self.end_field and event.collection == self.end_collection and self.end_field in event.fields:
            return event.sets()[self.end_via] if self.end_via else event.record_id()
        return None

    def extends(self, event: Event) -> bool:
        return bool(self.extension) and event.collection == self.collection and self.extension[0] in event.fields

    def applies(self, event: Event, calendar: WorkCalendar) -> bool:
        """The rule's `where` on the record as the opening event describes it."""
        model = COLLECTIONS[self.collection].model
        record = model.model_construct(id=event.record_id(), **event.sets())
        day = local_date(event.at)
        ctx = Context(Index(Dataset()), Period(day, day, str(day)), event.at, calendar)
        return self.compiled.applies(record, ctx) is True


def _value(threshold, on) -> int:
    amount = threshold.in_force(on)
    if amount is None or int(amount) != amount or amount < 1:
        raise ValueError(f"no whole time limit in force on {on}")
    return int(amount)


def deadline_rules(pack: RulePack, on) -> list[ItemRule]:
    """Every rule of the pack whose check is a deadline, with its limit in force on a date."""
    out = []
    for rule in pack.rules:
        check = rule.rule.check
        if not isinstance(check, DeadlineCheck) or rule.rule.deprecated:
            continue
        end = check.end
        ext = check.extension
        out.append(ItemRule(
            rule, rule.subject_collection, check.start,
            end.of if isinstance(end, EndFrom) else rule.subject_collection,
            end.field if isinstance(end, EndFrom) else end,
            end.via if isinstance(end, EndFrom) else None,
            (ext.notified_at, ext.reason, ext.until) if ext else None,
            _value(check.within, on), check.within.unit))
    return out


def inactivity_rule(pack: RulePack, on, rule_id: str | None = None) -> ItemRule | None:
    """The rule on members inactive for a time (5.2.7): the one whose condition tests a member's
    `@last_active_at` with `not_older_than`, or the rule named by `rule_id`.

    The window is the first time threshold found in the rule's check (e.g. `{value: 1, unit: month}`).
    """
    for rule in pack.rules:
        if (rule.rule.id == rule_id) if rule_id else _tests_last_activity(rule.rule.check.model_dump()):
            threshold = _time_threshold(rule.rule.check)
            if threshold is None:
                raise ValueError(f"{rule.rule.id}: no time threshold (unit in {TIME_UNITS}) in its check")
            return ItemRule(rule, "members", None, None, None, None, None, _value(threshold, on), threshold.unit)
    return None


def _tests_last_activity(node) -> bool:
    """True when a condition somewhere tests `@last_active_at` with `not_older_than`."""
    if isinstance(node, dict):
        test = node.get("@last_active_at")
        if isinstance(test, dict) and "not_older_than" in test:
            return True
        return any(_tests_last_activity(v) for v in node.values())
    if isinstance(node, list):
        return any(_tests_last_activity(v) for v in node)
    return False


def _time_threshold(node):
    from ..rulebook.units import Threshold

    if isinstance(node, Threshold):
        return node if node.unit in TIME_UNITS else None
    if isinstance(node, dict) and set(node) == {"value", "unit"}:
        return Threshold(**node) if node["unit"] in TIME_UNITS else None
    children = (node.__dict__.values() if isinstance(node, BaseModel) else
                node.values() if isinstance(node, dict) else node if isinstance(node, list) else [])
    for child in children:
        found = _time_threshold(child)
        if found is not None:
            return found
    return None
