"""`ranking` over tables, as `checks/ranking.py`: a team's star title from its competition rank by the year's score
in its scope (equal scores share a rank; a team with several scores, or none, is unranked), the band of its first
or last tied position (`ties`), and consecutive-years upgrades counted from stored or recomputed prior titles.

Each (year, scope) ranking reads that year's `team_scores` of the scope's teams in one query (a few rows per team)
and ranks them in Python (a tie's first and last positions by bisection), memoised per audit; the `TeamTitle`s are
built at the end, one per team in scope, in the subjects' order.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from operator import neg
from datetime import date

import polars as pl

from ...derived_results import PriorYear, TeamTitle
from ..context import ColumnContext
from . import DERIVES


@dataclass
class _Year:
    scores: dict[str, float]
    rank: dict[str, int]
    last: dict[str, int]
    stored: dict[str, str]
    duplicates: set[str]
    by_score: dict[float, list[str]]  # sorted team ids sharing each score


def _among(column: str, ids: set[str]) -> pl.Expr:
    return pl.col(column).is_in(pl.Series(sorted(ids), dtype=pl.String).implode())


def _scope_teams(scope: str, ctx: ColumnContext) -> set[str]:
    """Every team, or the teams of an association and of its sub-associations (any depth)."""
    teams = ctx.tables.get("teams")
    if teams is None:
        return set()
    if scope == "all":  # once per audit, not once per team ranked (that was teams²: 9 s at 10,000 teams)
        return ctx.memo("ranking-scope-all", lambda: set(teams["id"].to_list()))

    def build() -> set[str]:
        associations = ctx.tables.get("associations")
        pairs = [] if associations is None else associations.select("id", "parent_id").rows()
        inside, grew = {scope}, True
        while grew:
            more = {a for a, parent in pairs if parent in inside} - inside
            inside, grew = inside | more, bool(more)
        return set(teams.filter(_among("association_id", inside))["id"].to_list())
    return ctx.memo(f"ranking-scope:{scope}", build)


def _year(check, year: int, scope: str, teams: set[str], ctx: ColumnContext) -> _Year:
    def build() -> _Year:
        rows = ctx.tables.get(check.of)
        rows = rows.filter((pl.col("year") == year) & _among("team_id", teams)).select("team_id", "score", "title").rows()
        stored = {team: title for team, _, title in rows if title}  # the last recorded title of a team wins
        scored = Counter(team for team, score, _ in rows if score is not None)
        duplicates = {team for team, n in scored.items() if n > 1}
        scores = {team: score for team, score, _ in rows if score is not None and team not in duplicates}
        ordered = sorted(scores.values(), reverse=True)  # the competition ranks: better scores ahead, ties shared
        rank = {team: 1 + bisect_left(ordered, -score, key=neg) for team, score in scores.items()}
        last = {team: bisect_right(ordered, -score, key=neg) for team, score in scores.items()}
        by_score: dict[float, list[str]] = {}
        for team_id in sorted(scores):
            by_score.setdefault(scores[team_id], []).append(team_id)
        return _Year(scores, rank, last, stored, duplicates, by_score)
    return ctx.memo(f"ranking:{id(check)}:{scope}:{year}", build)


def _base(check, team_id: str, table: _Year, on: date):
    """The band title a team's rank earns, before upgrades."""
    if team_id not in table.rank:
        return None
    position = table.rank[team_id] if check.ties == "better" else table.last[team_id]
    for band in check.bands:
        limit = band.up_to.in_force(on)
        if limit is not None and position <= limit:
            return band.title
    return None


def _prior(check, team_id: str, year: int, scope: str, teams: set[str], ctx: ColumnContext) -> PriorYear:
    """Did the team hold the upgradeable title in a prior year? Its stored title wins over a recomputation."""
    run_of = check.upgrades[0].of
    table = _year(check, year, scope, teams, ctx)
    score, rank, stored = table.scores.get(team_id), table.rank.get(team_id), table.stored.get(team_id)
    if stored is not None:
        holding = [b.title for b in check.bands if b.title.key == run_of] + [u.title for u in check.upgrades]
        return PriorYear(year=year, source="stored", title=stored, counts=any(n.matches(stored) for n in holding),
                         score=score, rank=rank)
    if rank is None:
        return PriorYear(year=year, source="none", counts=False)
    base = _base(check, team_id, table, date(year, 12, 31))
    return PriorYear(year=year, source="computed", title=base.key if base else None, name=base,
                     counts=base is not None and base.key == run_of, score=score, rank=rank)


def _title(check, team_id: str, association_id, ctx: ColumnContext) -> TeamTitle | None:
    scope = association_id if check.scope == "association" else check.scope
    teams = _scope_teams(scope, ctx)
    if team_id not in teams:
        return None  # outside the scope: no result
    today = ctx.reference_date
    year = today.year
    table = _year(check, year, scope, teams, ctx)
    base = _base(check, team_id, table, today)
    out = TeamTitle(rule_id="", clause="", team_id=team_id, association_id=association_id, year=year, scope=scope,
                    ties=check.ties, score=table.scores.get(team_id), rank=table.rank.get(team_id),
                    ranked=len(table.rank), base_title=base, title=base, stored_title=table.stored.get(team_id))
    if team_id in table.duplicates:
        out.note = f"several scores recorded for {year}: unranked"
    elif out.rank is None:
        out.note = f"no score for {year}: unranked"
    else:
        out.positions = [table.rank[team_id], table.last[team_id]]
        out.tied_with = [t for t in table.by_score[out.score] if t != team_id]
    if base is None or not check.upgrades or base.key != check.upgrades[0].of:
        return out
    out.run = 1
    longest = max(int(u.consecutive.in_force(today) or 0) for u in check.upgrades)
    for back in range(1, longest):
        prior = _prior(check, team_id, year - back, scope, teams, ctx)
        out.prior_years.append(prior)
        if not prior.counts:
            break
        out.run += 1
    earned = [u for u in check.upgrades if u.consecutive.in_force(today) and out.run >= u.consecutive.in_force(today)]
    if earned:
        out.title = max(earned, key=lambda u: u.consecutive.in_force(today)).title
    return out


def derive(check, subject_collection: str, subjects: pl.DataFrame, ctx: ColumnContext) -> list[TeamTitle]:
    """Each team's title; `subjects` are rows of the teams table (derived_results.collect), `association_id` among
    their columns."""
    titles = (_title(check, team_id, association_id, ctx)
              for team_id, association_id in subjects.select("id", "association_id").rows())
    return [t for t in titles if t is not None]


DERIVES["ranking"] = derive
