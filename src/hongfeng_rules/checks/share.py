"""`share`: the percentage of related records that meet a condition (certified share ≥ 5%)."""
from __future__ import annotations

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
