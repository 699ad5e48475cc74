"""`share`: the percentage of related records that meet a condition (certified share ≥ 5%)."""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal

from ..models import COLLECTIONS
from ..rulebook.units import share_problem
from .selection import Bound, Selection
from .where import ConditionError, compile_condition


class ShareCheck(Selection, Bound):
    kind: Literal["share"]
    numerator: dict[str, Any]

    def validate(self, subject_collection: str) -> None:
        self.validate_selection(subject_collection)
        compile_condition(self.numerator, COLLECTIONS[self.of].model, "check.numerator")
        if share_problem(*self.bound):
            raise ConditionError(*share_problem(*self.bound))

    def lists_counted(self, measured: Fraction, ctx) -> bool:
        """Which records a failed share names: over its bound (`at_most`, or above `exactly`) the records counted,
        which push it over; under it, the rest, which keep it under."""
        return measured > self.bound[1].in_force(ctx.reference_date)
