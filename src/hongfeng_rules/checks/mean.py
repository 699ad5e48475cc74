"""`mean`: the average of a value over related records (average age ≤ 50)."""
from __future__ import annotations

from typing import Literal

from ..models import COLLECTIONS
from .selection import Bound, Selection
from .where import ConditionError, number_field


class MeanCheck(Selection, Bound):
    kind: Literal["mean"]
    value: str

    def validate(self, subject_collection: str) -> None:
        self.validate_selection(subject_collection)
        _, _, unit = number_field(self.value, COLLECTIONS[self.of].model, "check.value")
        if unit is not None and unit != self.bound[1].unit:
            raise ConditionError("check.value", f"{self.value} is in {unit}, the bound in {self.bound[1].unit}")
