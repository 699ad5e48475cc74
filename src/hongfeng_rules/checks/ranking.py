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

import bisect
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from ..derived_results import Name, PriorYear, TeamTitle
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


@dataclass
class YearTable:
    """One year's ranking in one scope."""

    scores: dict[str, float]
    rank: dict[str, int]
    last: dict[str, int]  # the last position a team's tie occupies (= rank when untied)
    stored: dict[str, str]
    duplicates: set[str]

    @cached_property
    def by_score(self) -> dict[float, list[str]]:
        """Team ids sharing each score, sorted (for the ties a result names)."""
        groups: dict[float, list[str]] = {}
        for team_id in sorted(self.scores):
            groups.setdefault(self.scores[team_id], []).append(team_id)
        return groups


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

    def compile(self, subject_collection: str):
        self._validate(subject_collection)
        run_of = self.upgrades[0].of if self.upgrades else None

        def derive(team, ctx) -> TeamTitle | None:
            scope = team.association_id if self.scope == "association" else self.scope
            teams = _scope_teams(scope, ctx)
            if team.id not in teams:
                return None  # outside the scope: no result
            today = ctx.reference_date
            year = today.year
            table = self._table(year, scope, teams, ctx)
            base = self._base(team.id, table, today)
            out = TeamTitle(rule_id="", clause="", team_id=team.id, association_id=team.association_id, year=year,
                            scope=scope, ties=self.ties, score=table.scores.get(team.id), rank=table.rank.get(team.id),
                            ranked=len(table.rank), base_title=base, title=base, stored_title=table.stored.get(team.id))
            if team.id in table.duplicates:
                out.note = f"several scores recorded for {year}: unranked"
            elif out.rank is None:
                out.note = f"no score for {year}: unranked"
            else:
                first, last = table.rank[team.id], table.last[team.id]
                out.positions = [first, last]
                out.tied_with = [t for t in table.by_score[out.score] if t != team.id]
            if base is None or base.key != run_of:
                return out
            out.run = 1
            longest = max(int(u.consecutive.in_force(today) or 0) for u in self.upgrades)
            for back in range(1, longest):
                prior = self._prior(team.id, year - back, scope, teams, ctx)
                out.prior_years.append(prior)
                if not prior.counts:
                    break
                out.run += 1
            earned = [u for u in self.upgrades if u.consecutive.in_force(today) and out.run >= u.consecutive.in_force(today)]
            if earned:
                out.title = max(earned, key=lambda u: u.consecutive.in_force(today)).title
            return out

        return derive

    def _table(self, year: int, scope: str, teams: set[str], ctx) -> YearTable:
        def build() -> YearTable:
            rows = [r for r in ctx.index.records(self.of) or [] if r.year == year and r.team_id in teams]
            stored = {r.team_id: r.title for r in rows if r.title}
            scored = [r for r in rows if r.score is not None]
            seen: dict[str, int] = {}
            for r in scored:
                seen[r.team_id] = seen.get(r.team_id, 0) + 1
            duplicates = {t for t, n in seen.items() if n > 1}
            scores = {r.team_id: r.score for r in scored if r.team_id not in duplicates}
            ascending = sorted(scores.values())  # ranks by bisection: linear-logarithmic in the teams
            n = len(ascending)
            rank = {t: 1 + n - bisect.bisect_right(ascending, s) for t, s in scores.items()}
            last = {t: n - bisect.bisect_left(ascending, s) for t, s in scores.items()}
            return YearTable(scores, rank, last, stored, duplicates)

        return ctx.memo(f"ranking:{id(self)}:{scope}:{year}", build)

    def _base(self, team_id: str, table: YearTable, on: date) -> Name | None:
        """The band title a team's rank earns, before upgrades."""
        if team_id not in table.rank:
            return None
        position = table.rank[team_id] if self.ties == "better" else table.last[team_id]
        for band in self.bands:
            limit = band.up_to.in_force(on)
            if limit is not None and position <= limit:
                return band.title
        return None

    def _prior(self, team_id: str, year: int, scope: str, teams: set[str], ctx) -> PriorYear:
        """Did the team hold the upgradeable title in a prior year? Its stored title wins over a recomputation."""
        run_of = self.upgrades[0].of
        table = self._table(year, scope, teams, ctx)
        score, rank = table.scores.get(team_id), table.rank.get(team_id)
        stored = table.stored.get(team_id)
        if stored is not None:
            holding = [b.title for b in self.bands if b.title.key == run_of] + [u.title for u in self.upgrades]
            return PriorYear(year=year, source="stored", title=stored, counts=any(n.matches(stored) for n in holding),
                             score=score, rank=rank)
        if rank is None:
            return PriorYear(year=year, source="none", counts=False)
        base = self._base(team_id, table, date(year, 12, 31))
        return PriorYear(year=year, source="computed", title=base.key if base else None, name=base,
                         counts=base is not None and base.key == run_of, score=score, rank=rank)


def _scope_teams(scope: str, ctx) -> set[str]:
    """The ids of the teams in a scope: every team, or those of an association and its sub-associations."""
    teams = ctx.index.records("teams") or []
    if scope == "all":
        return {t.id for t in teams}

    def build() -> set[str]:
        inside, grew = {scope}, True
        while grew:
            more = {a.id for a in ctx.index.records("associations") or [] if a.parent_id in inside} - inside
            inside |= more
            grew = bool(more)
        return {t.id for t in teams if t.association_id in inside}

    return ctx.memo(f"ranking-scope:{scope}", build)
