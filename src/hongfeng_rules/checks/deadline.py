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
from ..timecalc.deadlines import TIME_UNITS, amount_problem
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

    def validate(self, subject_collection: str) -> None:
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

    def needs(self) -> set[str]:
        return {self.end.of} if isinstance(self.end, EndFrom) else set()
