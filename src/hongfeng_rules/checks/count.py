"""`count`: how many related records match, against a bound (≥10 core members; exactly 1 captain).

`distinct: field` counts the different values of that field over the matching records instead (a list
field counts each of its items): the kinds of help a team's assistance cases cover together (6.5.3).
With no matching record at all, a distinct count is not applicable: there is nothing to cover.
"""
from __future__ import annotations

from typing import Literal

from ..models import COLLECTIONS
from ..rulebook.units import count_problem
from .outcome import Outcome, not_applicable
from .selection import Bound, Selection
from .where import ConditionError


class CountCheck(Selection, Bound):
    kind: Literal["count"]
    distinct: str | None = None

    def compile(self, subject_collection: str):
        select = self.compile_selection(subject_collection)
        bound, threshold = self.bound
        if count_problem(bound, threshold):
            raise ConditionError(*count_problem(bound, threshold))
        if self.distinct is not None and self.distinct not in COLLECTIONS[self.of].model.model_fields:
            raise ConditionError("check.distinct", f"{self.of} has no field {self.distinct!r}")

        def evaluate(subject, ctx) -> Outcome:
            records = select(subject, ctx)
            if self.distinct is not None:
                if not records:
                    return not_applicable(f"no {self.of} to count {self.distinct} over")
                values = {v for r in records for v in _items(getattr(r, self.distinct))}
                met, expected = self.judge(len(values), ctx)
                if met is None:
                    return not_applicable(expected)
                measured = f"{len(values)}: " + ", ".join(sorted(map(str, values))) if values else "0"
                return Outcome("pass" if met else "fail", measured, expected, [r.id for r in records])
            met, expected = self.judge(len(records), ctx)
            if met is None:
                return not_applicable(expected)
            return Outcome("pass" if met else "fail", len(records), expected, [r.id for r in records])

        return evaluate


def _items(value) -> list:
    return [] if value is None else list(value) if isinstance(value, (list, tuple, set)) else [value]
