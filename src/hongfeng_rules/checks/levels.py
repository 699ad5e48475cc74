"""`levels`: a derived result, not pass/fail — the level a subject's cumulative points reach (7.2.2).

The points are the sum of the related ledger entries (`of`, linked `via`, filtered by `where`)
dated on or before the reference day; negative entries are adjustments and can lower the level.
`levels` is a threshold table, lowest first: the level is the highest one whose `at_least` the sum
reaches.
"""
from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from ..derived_results import Name, Step
from ..models import COLLECTIONS
from ..models.base import StrictModel
from ..rulebook.units import Threshold
from .selection import Selection
from .where import ConditionError, number_field


class Level(StrictModel):
    at_least: Threshold
    name: Name


class LevelsCheck(Selection):
    kind: Literal["levels"]
    amount: str = "amount"
    levels: list[Level] = Field(min_length=1)
    derives: ClassVar[bool] = True

    def steps(self, on: date) -> list[Step]:
        """The levels in force on a day, lowest first (a retired level is left out)."""
        out = []
        for level in self.levels:
            value = level.at_least.in_force(on)
            if value is not None:
                out.append(Step(name=level.name, at_least=value))
        return out

    def _validate_table(self) -> None:
        for i, level in enumerate(self.levels):
            if level.at_least.unit != "point":
                raise ConditionError(f"check.levels[{i}].at_least", "levels are measured in unit 'point'")
        days = {date.min} | {d for lv in self.levels for d in (lv.at_least.values or {})}
        for day in sorted(days):
            values = [s.at_least for s in self.steps(day)]
            if any(b <= a for a, b in zip(values, values[1:])):
                raise ConditionError("check.levels", f"levels must rise strictly, lowest first (in force from {day})")
        names = [lv.name.zh for lv in self.levels]
        if len(set(names)) != len(names):
            raise ConditionError("check.levels", "level names must be distinct")

    def validate(self, subject_collection: str) -> None:
        self._validate_table()
        self.validate_selection(subject_collection)
        number_field(self.amount, COLLECTIONS[self.of].model, "check.amount")
