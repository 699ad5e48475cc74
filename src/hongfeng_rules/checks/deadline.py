"""`deadline`: the closing event follows the opening event within a time limit.

Units: hour/minute/second/day (elapsed time), month (calendar months, dateutil), working_day
(China's official calendar with 调休). Still open before the deadline: `pending`. Past it with no
closing event: `fail`. A calendar year not yet published: `not_assessable`.
"""
from __future__ import annotations

from typing import Literal

from ..models import COLLECTIONS
from ..models.base import StrictModel
from ..rulebook.units import Threshold
from ..timecalc import CalendarUnavailable, Extension, deadline, effective_deadline, judge_deadline
from ..timecalc.deadlines import TIME_UNITS, amount_problem
from . import probe
from .outcome import Outcome, not_applicable, not_assessable
from .where import ConditionError



class EndFrom(StrictModel):
    """The closing event is the earliest record of another collection (a dispute's follow-up)."""

    of: str
    via: str
    field: str


class ExtensionFields(StrictModel):
    """Fields of the subject that record an extension notice (7.3.3)."""

    notified_at: str
    reason: str
    until: str


class DeadlineCheck(StrictModel):
    kind: Literal["deadline"]
    start: str
    end: str | EndFrom
    within: Threshold
    extension: ExtensionFields | None = None

    def compile(self, subject_collection: str):
        model = COLLECTIONS[subject_collection].model
        fields = [self.start] + ([self.end] if isinstance(self.end, str) else [])
        if self.extension:
            fields += [self.extension.notified_at, self.extension.reason, self.extension.until]
        for name in fields:
            if name not in model.model_fields:
                raise ConditionError("check", f"{subject_collection} has no field {name!r}")
        if isinstance(self.end, EndFrom):
            target = COLLECTIONS.get(self.end.of)
            if target is None or {self.end.via, self.end.field} - set(target.model.model_fields):
                raise ConditionError("check.end", f"no collection {self.end.of!r} with fields "
                                     f"{self.end.via!r} and {self.end.field!r}")
        if self.within.unit not in TIME_UNITS:
            raise ConditionError("check.within.unit", f"a deadline is measured in one of {TIME_UNITS}")
        for amount in self.within.numbers():
            if amount_problem(amount, self.within.unit):
                raise ConditionError("check.within.value", amount_problem(amount, self.within.unit))

        def evaluate(subject, ctx) -> Outcome:
            start = getattr(subject, self.start)
            if start is None:
                return not_applicable(f"{self.start} not recorded: the clock has not started")
            amount = self.within.in_force(ctx.reference_date)
            if amount is None:
                return not_applicable("no value in force")
            try:
                due = deadline(start, int(amount), self.within.unit, ctx.calendar)
            except CalendarUnavailable as exc:
                return not_assessable(exc.message)
            due, note = effective_deadline(due, self._extension(subject))
            end = self._end(subject, ctx)
            if end is not None and end > ctx.as_of:
                end = None
            status = judge_deadline(start, end, due, ctx.as_of)
            if probe.hits is not None:
                probe.instant("check.within", self.within, end or ctx.as_of, due, ctx.reference_date)
            expected = f"by {due.isoformat()} ({int(amount)} {self.within.unit} after {self.start})"
            measured = end.isoformat() if end else f"none by {ctx.as_of.isoformat()}"
            return Outcome(status, measured, expected, [subject.id], note=note, due=due)

        return evaluate

    def _extension(self, subject) -> Extension | None:
        if not self.extension:
            return None
        e = self.extension
        notified = getattr(subject, e.notified_at)
        if notified is None:
            return None
        return Extension(notified, getattr(subject, e.reason), getattr(subject, e.until))

    def _end(self, subject, ctx):
        if isinstance(self.end, str):
            return getattr(subject, self.end)
        events = [getattr(r, self.end.field) for r in ctx.index.related(self.end.of, self.end.via, subject.id)]
        events = [e for e in events if e is not None]
        return min(events) if events else None

    def needs(self) -> set[str]:
        return {self.end.of} if isinstance(self.end, EndFrom) else set()
