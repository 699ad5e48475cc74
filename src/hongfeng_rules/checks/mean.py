"""`mean`: the average of a value over related records (average age ≤ 50)."""
from __future__ import annotations

from fractions import Fraction
from typing import Literal

from ..models import COLLECTIONS
from .outcome import Outcome, not_applicable, not_assessable
from .selection import Bound, Selection
from .where import ConditionError, _field


class MeanCheck(Selection, Bound):
    kind: Literal["mean"]
    value: str

    def compile(self, subject_collection: str):
        select = self.compile_selection(subject_collection)
        get, _, unit = _field(self.value, COLLECTIONS[self.of].model, "check.value")
        if unit is not None and unit != self.bound[1].unit:
            raise ConditionError("check.value", f"{self.value} is in {unit}, the bound in {self.bound[1].unit}")

        def evaluate(subject, ctx) -> Outcome:
            records = select(subject, ctx)
            if not records:
                return not_applicable(f"no {self.of} to average")
            values = [(r, get(r, ctx)) for r in records]
            unknown = [r.id for r, v in values if v is None]
            if unknown:
                return not_assessable(f"{self.value} not recorded for {len(unknown)} of {len(records)}", unknown)
            exact = sum(Fraction(v) for _, v in values) / len(values)  # exact: an average of 50.004 is over 50
            met, expected = self.judge(exact, ctx)
            if met is None:
                return not_applicable(expected)
            return Outcome("pass" if met else "fail", round(float(exact), 2), expected)  # rounded for the reader

        return evaluate
