"""`ranking`: a derived result, not pass/fail — a team's star title from its rank by score (7.2.3).

For the year of the reference day, the teams of a scope are ranked by that year's score in
`team_scores` (competition ranking: equal scores share a rank, 1, 2, 2, 4); a team without a score
is unranked, not last. The first band whose `up_to` holds the rank gives the base title; a tie that
straddles a band boundary takes the band of its first position (`ties: better`) or of its last
(`ties: worse`). An upgrade replaces the base title `of` when the team has held it in that many
consecutive years, this one included; a prior year counts by its stored title when one is
recorded, else by its title recomputed the same way from that year's scores.
"""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ..derived_results import Name
from ..models.base import StrictModel
from ..rulebook.units import Threshold
from .where import ConditionError


class Band(StrictModel):
    up_to: Threshold  # the last rank of the band, unit rank
    title: Name


class Upgrade(StrictModel):
    of: str  # the key of the band title that must be held
    consecutive: Threshold  # years in a row, this one included, unit year
    title: Name


class RankingCheck(StrictModel):
    kind: Literal["ranking"]
    of: Literal["team_scores"] = "team_scores"
    scope: str = "all"  # all | association (the team's own) | an association id (with its sub-associations)
    ties: Literal["better", "worse"] = "better"
    bands: list[Band] = Field(min_length=1)
    upgrades: list[Upgrade] = []
    derives: ClassVar[bool] = True

    def needs(self) -> set[str]:
        return {self.of}

    def _validate(self, subject_collection: str) -> None:
        if subject_collection != "teams":
            raise ConditionError("check.kind", "a ranking ranks teams: the rule's subject must be team")
        for i, band in enumerate(self.bands):
            if band.up_to.unit != "rank":
                raise ConditionError(f"check.bands[{i}].up_to", "bands are measured in unit 'rank'")
            if not band.title.key:
                raise ConditionError(f"check.bands[{i}].title", "a band title needs a 'key'")
        keys = [b.title.key for b in self.bands] + [u.title.key for u in self.upgrades]
        if len(set(keys)) != len(keys):
            raise ConditionError("check", "title keys must be distinct")
        if len({u.of for u in self.upgrades}) > 1:
            raise ConditionError("check.upgrades", "all upgrades must be of the same base title")
        for i, up in enumerate(self.upgrades):
            if up.of not in keys[: len(self.bands)]:
                raise ConditionError(f"check.upgrades[{i}].of", f"unknown band title key {up.of!r}")
            if up.consecutive.unit != "year":
                raise ConditionError(f"check.upgrades[{i}].consecutive", "consecutive is measured in unit 'year'")

    def validate(self, subject_collection: str) -> None:
        self._validate(subject_collection)
