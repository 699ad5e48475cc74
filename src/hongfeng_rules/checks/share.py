"""`share`: the percentage of related records that meet a condition (certified share ≥ 5%)."""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal

from ..models import COLLECTIONS
from ..rulebook.units import share_problem
from .outcome import Outcome, not_applicable
from .selection import Bound, Selection
from .where import ConditionError, compile_condition


class ShareCheck(Selection, Bound):
    kind: Literal["share"]
    numerator: dict[str, Any]

    def compile(self, subject_collection: str):
        select = self.compile_selection(subject_collection)
        counts = compile_condition(self.numerator, COLLECTIONS[self.of].model, "check.numerator")
        if share_problem(*self.bound):
            raise ConditionError(*share_problem(*self.bound))

        def evaluate(subject, ctx) -> Outcome:
            base = select(subject, ctx)
            if not base:
                return not_applicable(f"no {self.of} to take a share of")
            missing = [r.id for r in base if counts(r, ctx) is not True]
            hits = len(base) - len(missing)
            met, expected = self.judge(Fraction(100 * hits, len(base)), ctx)  # exact: 4.995 % is not 5 %
            if met is None:
                return not_applicable(expected)
            share = round(100 * hits / len(base), 2)  # rounded for the reader only
            return Outcome("pass" if met else "fail", f"{share}% ({hits}/{len(base)})", expected,
                           [] if met else missing)

        return evaluate
