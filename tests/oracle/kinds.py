"""The per-object check kinds: each rule's check as a function of one subject record and a `checks.context.Context`
(`evaluator(check, subject_collection)`), the oracle the column-wise kinds (`hongfeng_rules.columns.kinds`) are
tested against. A check is validated by the package (`check.validate`); these only evaluate it."""
from __future__ import annotations

import bisect
import json
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from fractions import Fraction
from typing import Any, Callable

from hongfeng_rules.checks.frequency import no_unit_status
from hongfeng_rules.checks.outcome import Outcome, not_applicable, not_assessable
from hongfeng_rules.checks.every import _fields
from hongfeng_rules.checks.selection import Selection
from hongfeng_rules.checks.where import _field, compile_condition
from hongfeng_rules.derived_results import MemberLevel, Name, PriorYear, Step, TeamTitle
from hongfeng_rules.models import COLLECTIONS
from hongfeng_rules.models.base import trusted
from hongfeng_rules.timecalc import (CalendarUnavailable, Extension, Period, deadline, effective_deadline,
                                     judge_deadline, whole_periods)
from hongfeng_rules.timecalc.zone import local_date

from . import probe

Evaluate = Callable[[Any, Any], Any]


def evaluator(check, subject_collection: str) -> Evaluate:
    """The check (validated first, as the rule pack validates it) as a function of a subject and a Context."""
    check.validate(subject_collection)
    return KINDS[check.kind](check, subject_collection)


def select(selection: Selection, subject_collection: str) -> Callable[[Any, Any], list[Any]]:
    """The records of `selection.of` linked to a subject; the list is shared between rules and must not be modified."""
    via = selection.via or f"{COLLECTIONS[subject_collection].kind}_id"
    keep = compile_condition(selection.where, COLLECTIONS[selection.of].model, "check.where")
    of, in_period, unfiltered = selection.of, selection.in_period, not selection.where
    # rules that select alike (9 Hongfeng rules take a team's active members) share one result per subject
    key = f"select:{of}:{via}:{in_period}:{json.dumps(selection.where, sort_keys=True, default=str)}"

    def selected(subject, ctx) -> list[Any]:
        if unfiltered:
            return ctx.related(of, via, subject.id, in_period)
        memo = ctx.memo(key, dict)
        found = memo.get(subject.id)
        if found is None:
            found = memo[subject.id] = [r for r in ctx.related(of, via, subject.id, in_period) if keep(r, ctx) is True]
        return found

    return selected


def count(check, subject_collection: str) -> Evaluate:
    records_of = select(check, subject_collection)

    def evaluate(subject, ctx) -> Outcome:
        records = records_of(subject, ctx)
        if check.distinct is not None:
            if not records:
                return not_applicable(f"no {check.of} to count {check.distinct} over")
            values = {v for r in records for v in _items(getattr(r, check.distinct))}
            met, expected = probe.judge(check, len(values), ctx)
            if met is None:
                return not_applicable(expected)
            measured = f"{len(values)}: " + ", ".join(sorted(map(str, values))) if values else "0"
            return Outcome("pass" if met else "fail", measured, expected, [r.id for r in records])
        met, expected = probe.judge(check, len(records), ctx)
        if met is None:
            return not_applicable(expected)
        return Outcome("pass" if met else "fail", len(records), expected, [r.id for r in records])

    return evaluate


def _items(value) -> list:
    return [] if value is None else list(value) if isinstance(value, (list, tuple, set)) else [value]


def share(check, subject_collection: str) -> Evaluate:
    records_of = select(check, subject_collection)
    counts = compile_condition(check.numerator, COLLECTIONS[check.of].model, "check.numerator")

    def evaluate(subject, ctx) -> Outcome:
        base = records_of(subject, ctx)
        if not base:
            return not_applicable(f"no {check.of} to take a share of")
        missing = [r.id for r in base if counts(r, ctx) is not True]
        hits = len(base) - len(missing)
        met, expected = probe.judge(check, Fraction(100 * hits, len(base)), ctx)  # exact: 4.995 % is not 5 %
        if met is None:
            return not_applicable(expected)
        share = round(100 * hits / len(base), 2)  # rounded for the reader only
        counted = [r.id for r in base if counts(r, ctx) is True]
        listed = [] if met else counted if check.lists_counted(Fraction(100 * hits, len(base)), ctx) else missing
        return Outcome("pass" if met else "fail", f"{share}% ({hits}/{len(base)})", expected, listed)

    return evaluate


def mean(check, subject_collection: str) -> Evaluate:
    records_of = select(check, subject_collection)
    get = _field(check.value, COLLECTIONS[check.of].model, "check.value")[0]

    def evaluate(subject, ctx) -> Outcome:
        records = records_of(subject, ctx)
        if not records:
            return not_applicable(f"no {check.of} to average")
        values = [(r, get(r, ctx)) for r in records]
        unknown = [r.id for r, v in values if v is None]
        if unknown:
            return not_assessable(f"{check.value} not recorded for {len(unknown)} of {len(records)}", unknown)
        exact = sum(Fraction(v) for _, v in values) / len(values)  # exact: an average of 50.004 is over 50
        met, expected = probe.judge(check, exact, ctx)
        if met is None:
            return not_applicable(expected)
        return Outcome("pass" if met else "fail", round(float(exact), 2), expected)  # rounded for the reader

    return evaluate


def every(check, subject_collection: str) -> Evaluate:
    if check.of is None:
        records_of = lambda subject, ctx: [subject]  # noqa: E731
        model = COLLECTIONS[subject_collection].model
    else:
        records_of = select(Selection(of=check.of, via=check.via, where=check.where, in_period=check.in_period),
                            subject_collection)
        model = COLLECTIONS[check.of].model
    test = compile_condition(check.require, model, "check.require")
    waiting = compile_condition(check.pending_while, model, "check.pending_while") if check.pending_while else None
    what = check.of or COLLECTIONS[subject_collection].kind
    needed = "/".join(_fields(check.require)) or "value"  # what a not-assessable note says is missing

    def evaluate(subject, ctx) -> Outcome:
        records = records_of(subject, ctx)
        if not records:
            return not_applicable(f"no {what} to check")
        failing, unknown, pending = [], [], []
        for r in records:
            ok = test(r, ctx)
            if ok is not True:
                if waiting is not None and waiting(r, ctx) is True:
                    pending.append(r.id)
                else:
                    (failing if ok is False else unknown).append(r.id)
        measured = f"{len(records) - len(failing) - len(unknown) - len(pending)} of {len(records)}"
        if failing:
            return Outcome("fail", measured, "all", failing)
        if unknown:
            return not_assessable(f"{needed} not recorded for {len(unknown)} of {len(records)}", unknown,
                                  measured=measured, expected="all")
        if pending:
            return Outcome("pending", measured, "all", pending,
                           note=f"{len(pending)} of {len(records)} still within their time limit")
        return Outcome("pass", measured, "all")

    return evaluate


_UNPLACED = object()


def frequency(check, subject_collection: str) -> Evaluate:
    records_of = select(check, subject_collection)
    founding = check.from_founding and "founded_on" in COLLECTIONS[subject_collection].model.model_fields

    def when(record, ctx):
        """`place_by`'s value (a period label counts as its first day), else the collection's time field."""
        if check.place_by is None:
            return ctx.when(check.of, record)
        value = getattr(record, check.place_by)
        return Period.parse(value).start if isinstance(value, str) else value

    def evaluate(subject, ctx) -> Outcome:
        founded = subject.founded_on if founding else None
        judged, skipped = ctx.memo(f"whole_periods:{check.per}:{founded}",
                                   lambda: whole_periods(ctx.period, check.per, ctx.as_of, not_before=founded))
        if not judged:
            return Outcome(no_unit_status(skipped, ctx.period, ctx.as_of, founded),
                           note=f"no whole {check.per} of the period has ended by the as-of date")
        day_of = ctx.memo(f"days:{check.of}:{check.place_by}", dict)  # an activity is placed once, not per participant
        days = []
        for r in records_of(subject, ctx):
            day = day_of.get(id(r), _UNPLACED)
            if day is _UNPLACED:
                at = when(r, ctx)
                day = day_of[id(r)] = None if at is None else local_date(at)
            if day is not None:
                days.append(day)
        days.sort()
        missed, expected = [], ""
        for part in judged:  # records per part by bisection: linear in records, not records × parts
            n = bisect_right(days, part.end) - bisect_left(days, part.start)
            met, expected = probe.judge(check, n, ctx)
            if met is None:
                return not_applicable(expected)
            if not met:
                missed.append(f"{part.label}: {n}")
        measured = f"{len(judged) - len(missed)} of {len(judged)} {check.per}s met"
        return Outcome("fail" if missed else "pass", measured, f"{expected} every {check.per}", missed)

    return evaluate


def deadline_(check, subject_collection: str) -> Evaluate:
    def extension(subject) -> Extension | None:
        if not check.extension:
            return None
        e = check.extension
        notified = getattr(subject, e.notified_at)
        if notified is None:
            return None
        return Extension(notified, getattr(subject, e.reason), getattr(subject, e.until))

    def end_of(subject, ctx):
        if isinstance(check.end, str):
            return getattr(subject, check.end)
        events = [getattr(r, check.end.field) for r in ctx.index.related(check.end.of, check.end.via, subject.id)]
        events = [e for e in events if e is not None]
        return min(events) if events else None

    def evaluate(subject, ctx) -> Outcome:
        start = getattr(subject, check.start)
        if start is None:
            return not_applicable(f"{check.start} not recorded: the clock has not started")
        amount = check.within.in_force(ctx.reference_date)
        if amount is None:
            return not_applicable("no value in force")
        try:
            due = deadline(start, int(amount), check.within.unit, ctx.calendar)
        except CalendarUnavailable as exc:
            return not_assessable(exc.message)
        due, note = effective_deadline(due, extension(subject))
        end = end_of(subject, ctx)
        if end is not None and end > ctx.as_of:
            end = None
        status = judge_deadline(start, end, due, ctx.as_of)
        probe.instant("check.within", check.within, end or ctx.as_of, due, ctx.reference_date)
        expected = f"by {due.isoformat()} ({int(amount)} {check.within.unit} after {check.start})"
        measured = end.isoformat() if end else f"none by {ctx.as_of.isoformat()}"
        return Outcome(status, measured, expected, [subject.id], note=note, due=due)

    return evaluate


def document(check, subject_collection: str) -> Evaluate:
    via = f"{COLLECTIONS[subject_collection].kind}_id"

    def evaluate(subject, ctx) -> Outcome:
        docs = [d for d in ctx.index.related("evidence", via, subject.id) if d.kind == check.document]
        if not docs:
            return Outcome("fail", "none", check.document, note="no record of this kind")
        day = ctx.reference_date
        valid = [d for d in docs if (d.issued_on is None or d.issued_on <= day)
                 and (d.valid_until is None or d.valid_until >= day)]
        if check.must_be_valid and not valid:
            return Outcome("fail", "not valid on " + day.isoformat(), check.document, [d.id for d in docs],
                           note="the document is expired or not yet issued")
        return Outcome("pass", check.document, check.document, [d.id for d in valid or docs])

    return evaluate


def rank_within(check, subject_collection: str) -> Evaluate:
    records_of = select(check, subject_collection)
    model = COLLECTIONS[check.of].model
    get = _field(check.score, model, "check.score")[0]
    is_target = compile_condition(check.target, model, "check.target")

    def evaluate(subject, ctx) -> Outcome:
        group = records_of(subject, ctx)
        targets = [r for r in group if is_target(r, ctx) is True]
        if not targets:
            return not_applicable(f"no {check.of} matching the target")
        limit = check.top.in_force(ctx.reference_date)
        if limit is None:
            return not_applicable("no value in force")
        allowed = int(limit) if check.top.unit == "rank" else max(1, math.ceil(len(group) * limit / 100))
        scores = sorted((get(r, ctx) or 0 for r in group), reverse=True)
        ranks = {r.id: 1 + sum(1 for s in scores if s > (get(r, ctx) or 0)) for r in targets}
        late = [rid for rid, rank in ranks.items() if rank > allowed]
        measured = ", ".join(f"{rid} rank {rank} of {len(group)}" for rid, rank in ranks.items())
        return Outcome("fail" if late else "pass", measured, f"rank ≤ {allowed}", late or list(ranks))

    return evaluate


def levels(check, subject_collection: str) -> Evaluate:
    records_of = select(check, subject_collection)
    get = _field(check.amount, COLLECTIONS[check.of].model, "check.amount")[0]
    time_field = COLLECTIONS[check.of].time_field
    tables: dict[date, tuple[list[Step], list[float]]] = {}

    def table(on: date) -> tuple[list[Step], list[float]]:
        """The steps in force on a day and their thresholds: the same for every member, built once a day."""
        if on not in tables:
            steps = check.steps(on)
            tables[on] = steps, [s.at_least for s in steps]
        return tables[on]

    def derive(subject, ctx) -> MemberLevel:
        on = ctx.reference_date
        steps, limits = table(on)
        entries = [r for r in records_of(subject, ctx) if _on_or_before(getattr(r, time_field), on)] \
            if time_field else []
        amounts = [get(r, ctx) or 0 for r in entries]
        total = sum(amounts)
        reached = bisect_right(limits, total)  # the levels rise strictly: those reached are a prefix
        ahead = steps[reached] if reached < len(steps) else None
        team_id = getattr(subject, "team_id", None)
        team = ctx.index.by_id("teams").get(team_id) if team_id else None
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


def ranking(check, subject_collection: str) -> Evaluate:
    run_of = check.upgrades[0].of if check.upgrades else None

    def derive(team, ctx) -> TeamTitle | None:
        scope = team.association_id if check.scope == "association" else check.scope
        teams = _scope_teams(scope, ctx)
        if team.id not in teams:
            return None  # outside the scope: no result
        today = ctx.reference_date
        year = today.year
        table = _table(check, year, scope, teams, ctx)
        base = _base(check, team.id, table, today)
        out = TeamTitle(rule_id="", clause="", team_id=team.id, association_id=team.association_id, year=year,
                        scope=scope, ties=check.ties, score=table.scores.get(team.id), rank=table.rank.get(team.id),
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
        longest = max(int(u.consecutive.in_force(today) or 0) for u in check.upgrades)
        for back in range(1, longest):
            prior = _prior(check, team.id, year - back, scope, teams, ctx)
            out.prior_years.append(prior)
            if not prior.counts:
                break
            out.run += 1
        earned = [u for u in check.upgrades if u.consecutive.in_force(today) and out.run >= u.consecutive.in_force(today)]
        if earned:
            out.title = max(earned, key=lambda u: u.consecutive.in_force(today)).title
        return out

    return derive


def _table(check, year: int, scope: str, teams: set[str], ctx) -> YearTable:
    def build() -> YearTable:
        rows = [r for r in ctx.index.records(check.of) or [] if r.year == year and r.team_id in teams]
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

    return ctx.memo(f"ranking:{id(check)}:{scope}:{year}", build)


def _base(check, team_id: str, table: YearTable, on: date) -> Name | None:
    """The band title a team's rank earns, before upgrades."""
    if team_id not in table.rank:
        return None
    position = table.rank[team_id] if check.ties == "better" else table.last[team_id]
    for band in check.bands:
        limit = band.up_to.in_force(on)
        if limit is not None and position <= limit:
            return band.title
    return None


def _prior(check, team_id: str, year: int, scope: str, teams: set[str], ctx) -> PriorYear:
    """Did the team hold the upgradeable title in a prior year? Its stored title wins over a recomputation."""
    run_of = check.upgrades[0].of
    table = _table(check, year, scope, teams, ctx)
    score, rank = table.scores.get(team_id), table.rank.get(team_id)
    stored = table.stored.get(team_id)
    if stored is not None:
        holding = [b.title for b in check.bands if b.title.key == run_of] + [u.title for u in check.upgrades]
        return PriorYear(year=year, source="stored", title=stored, counts=any(n.matches(stored) for n in holding),
                         score=score, rank=rank)
    if rank is None:
        return PriorYear(year=year, source="none", counts=False)
    base = _base(check, team_id, table, date(year, 12, 31))
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


KINDS = {"count": count, "share": share, "mean": mean, "every": every, "frequency": frequency,
         "deadline": deadline_, "document": document, "rank_within": rank_within, "levels": levels,
         "ranking": ranking}
