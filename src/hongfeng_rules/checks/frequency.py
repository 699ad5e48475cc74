"""`frequency`: at least N records in every whole week / month / quarter / year of the period.

Only whole periods that ended by the as-of date count, and for a subject with a founding date
(a team) only those that start on or after it; partial periods are listed, not judged.
"""
from __future__ import annotations

from typing import Literal

from ..models import COLLECTIONS
from ..timecalc import Period
from ..timecalc.periods import NOT_ENDED, skip_reason
from ..rulebook.units import count_problem
from .selection import Bound, Selection
from .where import ConditionError


def no_unit_status(skipped: list[Period], period: Period, as_of, not_before) -> str:
    """The status when no whole unit is judged: pending while a unit of the period has only not ended yet, else
    not_applicable (the period, from the founding on, holds no whole unit)."""
    waiting = any(skip_reason(p, period, as_of, not_before) == NOT_ENDED for p in skipped)
    return "pending" if waiting else "not_applicable"


class FrequencyCheck(Selection, Bound):
    kind: Literal["frequency"]
    per: Literal["week", "month", "quarter", "year"]
    place_by: str | None = None  # field placing a record in a period (a date, instant or label "2025-03")
    from_founding: bool = True  # a subject founded inside the period (a team) is judged from its founding

    def validate(self, subject_collection: str) -> None:
        self.validate_selection(subject_collection)
        bound, threshold = self.bound
        if count_problem(bound, threshold):
            raise ConditionError(*count_problem(bound, threshold))
        if self.place_by and self.place_by not in COLLECTIONS[self.of].model.model_fields:
            raise ConditionError("check.place_by", f"{self.of} has no field {self.place_by!r}")
