"""`count`: how many related records match, against a bound (≥10 core members; exactly 1 captain)."""
from __future__ import annotations

from typing import Literal

from .outcome import Outcome, not_applicable
from .selection import Bound, Selection


class CountCheck(Selection, Bound):
    kind: Literal["count"]

    def compile(self, subject_collection: str):
        select = self.compile_selection(subject_collection)

        def evaluate(subject, ctx) -> Outcome:
            records = select(subject, ctx)
            met, expected = self.judge(len(records), ctx)
            if met is None:
                return not_applicable(expected)
            return Outcome("pass" if met else "fail", len(records), expected, [r.id for r in records])

        return evaluate
