"""`levels`: a derived result, not pass/fail — the level a subject's cumulative points reach (7.2.2).

The points are the sum of the related ledger entries (`of`, linked `via`, filtered by `where`)
dated on or before the reference day; negative entries are adjustments and can lower the level.
`levels` is a threshold table, lowest first: the level is the highest one whose `at_least` the sum
reaches.
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

from ..derived_results import MemberLevel, Name, Step
from ..models import COLLECTIONS
from ..models.base import StrictModel, trusted
from ..rulebook.units import Threshold
from .selection import Selection
from .where import ConditionError, _field


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

    def compile(self, subject_collection: str):
        self._validate_table()
        select = self.compile_selection(subject_collection)
        get, _, _ = _field(self.amount, COLLECTIONS[self.of].model, "check.amount")
        time_field = COLLECTIONS[self.of].time_field
        tables: dict[date, tuple[list[Step], list[float]]] = {}

        def table(on: date) -> tuple[list[Step], list[float]]:
            """The steps in force on a day and their thresholds: the same for every member, built once a day."""
            if on not in tables:
                steps = self.steps(on)
                tables[on] = steps, [s.at_least for s in steps]
            return tables[on]

        def derive(subject, ctx) -> MemberLevel:
            on = ctx.reference_date
            steps, limits = table(on)
            entries = [r for r in select(subject, ctx) if _on_or_before(getattr(r, time_field), on)] \
                if time_field else []
            amounts = [get(r, ctx) or 0 for r in entries]
            total = sum(amounts)
            reached = bisect_right(limits, total)  # the levels rise strictly: those reached are a prefix
            ahead = steps[reached] if reached < len(steps) else None
            team_id = getattr(subject, "team_id", None)
            team = ctx.index.by_id("teams").get(team_id) if team_id else None
            # every part is validated data (records, the rule's Steps), so the result is not re-validated;
            # float() gives the float fields the type validation would
            return trusted(
                MemberLevel, rule_id="", clause="", member_id=subject.id, team_id=team_id,
                association_id=getattr(team, "association_id", None), as_of=on, points=float(total),
                entries=len(entries), adjustments=float(sum([a for a in amounts if a < 0])),
                level=steps[reached - 1].name if reached else None, crossed=steps[:reached], next=ahead,
                points_to_next=ahead.at_least - total if ahead is not None else None,
                evidence_ids=[getattr(r, "id", "") for r in entries],
            )

        return derive


def _on_or_before(when: date | datetime | None, day: date) -> bool:
    if when is None:
        return False
    return (when.date() if isinstance(when, datetime) else when) <= day
