"""`count`: how many related records match, against a bound (≥10 core members; exactly 1 captain).

`distinct: field` counts the different values of that field over the matching records instead (a list
field counts each of its items): the kinds of help a team's assistance cases cover together (6.5.3).
With no matching record at all, a distinct count is not applicable: there is nothing to cover.
"""
from __future__ import annotations

from typing import Literal

from ..models import COLLECTIONS
from ..rulebook.units import count_problem
from .selection import Bound, Selection
from .where import ConditionError


class CountCheck(Selection, Bound):
    kind: Literal["count"]
    distinct: str | None = None

    def validate(self, subject_collection: str) -> None:
        self.validate_selection(subject_collection)
        bound, threshold = self.bound
        if count_problem(bound, threshold):
            raise ConditionError(*count_problem(bound, threshold))
        if self.distinct is not None and self.distinct not in COLLECTIONS[self.of].model.model_fields:
            raise ConditionError("check.distinct", f"{self.of} has no field {self.distinct!r}")
