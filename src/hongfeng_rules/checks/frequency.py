"""`frequency`: at least N records in every whole week / month / quarter / year of the period.

Only whole periods that ended by the as-of date count, and for a subject with a founding date
(a team) only those that start on or after it; partial periods are listed, not judged.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Literal

from ..models import COLLECTIONS
from ..timecalc import Period, whole_periods
from ..timecalc.periods import NOT_ENDED, skip_reason
from ..timecalc.zone import local_date
from ..rulebook.units import count_problem
from .outcome import Outcome, not_applicable
from .selection import Bound, Selection
from .where import ConditionError


_UNPLACED = object()


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

    def compile(self, subject_collection: str):
        select = self.compile_selection(subject_collection)
        bound, threshold = self.bound
        if count_problem(bound, threshold):
            raise ConditionError(*count_problem(bound, threshold))
        if self.place_by and self.place_by not in COLLECTIONS[self.of].model.model_fields:
            raise ConditionError("check.place_by", f"{self.of} has no field {self.place_by!r}")

        founding = self.from_founding and "founded_on" in COLLECTIONS[subject_collection].model.model_fields

        def evaluate(subject, ctx) -> Outcome:
            founded = subject.founded_on if founding else None
            judged, skipped = ctx.memo(f"whole_periods:{self.per}:{founded}",
                                       lambda: whole_periods(ctx.period, self.per, ctx.as_of, not_before=founded))
            if not judged:
                return Outcome(no_unit_status(skipped, ctx.period, ctx.as_of, founded),
                               note=f"no whole {self.per} of the period has ended by the as-of date")
            day_of = ctx.memo(f"days:{self.of}:{self.place_by}", dict)  # an activity is placed once, not per participant
            days = []
            for r in select(subject, ctx):
                day = day_of.get(id(r), _UNPLACED)
                if day is _UNPLACED:
                    when = self._when(r, ctx)
                    day = day_of[id(r)] = None if when is None else local_date(when)
                if day is not None:
                    days.append(day)
            days.sort()
            missed, expected = [], ""
            for part in judged:  # records per part by bisection: linear in records, not records × parts
                n = bisect_right(days, part.end) - bisect_left(days, part.start)
                met, expected = self.judge(n, ctx)
                if met is None:
                    return not_applicable(expected)
                if not met:
                    missed.append(f"{part.label}: {n}")
            measured = f"{len(judged) - len(missed)} of {len(judged)} {self.per}s met"
            return Outcome("fail" if missed else "pass", measured, f"{expected} every {self.per}", missed)

        return evaluate

    def _when(self, record, ctx):
        """`place_by`'s value (a period label counts as its first day), else the collection's time field."""
        if self.place_by is None:
            return ctx.when(self.of, record)
        value = getattr(record, self.place_by)
        return Period.parse(value).start if isinstance(value, str) else value
