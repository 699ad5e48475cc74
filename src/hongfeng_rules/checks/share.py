"""`share`: the percentage of related records that meet a condition (certified share ≥ 5%)."""
from __future__ import annotations

from typing import Any, Literal

from ..models import COLLECTIONS
from .outcome import Outcome, not_applicable
from .selection import Bound, Selection
from .where import compile_condition


class ShareCheck(Selection, Bound):
    kind: Literal["share"]
    numerator: dict[str, Any]

    def compile(self, subject_collection: str):
        select = self.compile_selection(subject_collection)
        counts = compile_condition(self.numerator, COLLECTIONS[self.of].model, "check.numerator")
        if self.bound[1].unit != "percent":
            raise ValueError("a share is measured in percent")

        def evaluate(subject, ctx) -> Outcome:
            base = select(subject, ctx)
            if not base:
                return not_applicable(f"no {self.of} to take a share of")
            hits = [r for r in base if counts(r, ctx) is True]
            share = round(100 * len(hits) / len(base), 2)
            met, expected = self.judge(share, ctx)
            if met is None:
                return not_applicable(expected)
            missing = [r.id for r in base if counts(r, ctx) is not True]
            return Outcome("pass" if met else "fail", f"{share}% ({len(hits)}/{len(base)})", expected,
                           [] if met else missing)

        return evaluate
