"""Values computed from the data rather than stored: a member's age, service hours, last activity.

Rules name them with an `@` prefix (`@age_years`). Each has the unit it is measured in, so a
threshold in another unit is a lint error.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Callable


from . import nicknames
from .checks.context import Context
from .timecalc import day_start


@dataclass(frozen=True)
class Derived:
    applies_to: str | tuple[str, ...]  # collection name(s)
    unit: str
    compute: Callable[[Any, Context], Any]
    doc: str
    needs: tuple[str, ...] = ()  # collections it reads: absent → the finding is not assessable
    reads: tuple[str, ...] = ()  # fields of the record it is computed from (None when one is not recorded)


def _age_years(member, ctx: Context):
    if member.birth_date is None:
        return None
    day, born = ctx.reference_date, member.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))  # whole years, as relativedelta


def status_on(record, day) -> str:
    """A member's, unit's or group membership's status as the records stood on `day`: `status_since` decides,
    whatever happened after.

    A change dated after `day` did not hold on it; the status before a change is not recorded, so a
    record demoted, exited or left after `day` is taken as active on it, and one active only since after
    `day` as not active ("demoted"). A member who joined (a post assigned) after `day` was not yet one ("not_joined").
    """
    joined = getattr(record, "join_date", None) or getattr(record, "since", None)  # an auxiliary post's assignment
    if joined is not None and joined > day:
        return "not_joined"
    if record.status_since is None or record.status_since <= day:
        return record.status
    return "active" if record.status != "active" else "demoted"


def _hours_by_member(ctx: Context) -> dict[str, float]:
    hours: dict[str, float] = defaultdict(float)
    for activity in ctx.counted("activities", in_period=True)[0]:
        for p in activity.participants:
            hours[p.member_id] += p.hours
    return hours


# What shows a member active (5.2.7), the one definition the audit's @last_active_at and the live monitor
# (monitor.events: Event.active_at) share: collection -> the field holding the instant of activity, and the
# members the record names. Meetings are not activity; a member never active counts from the join date.
LAST_ACTIVE_SOURCES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "activities": ("end", lambda a: [p.member_id for p in a.participants]),
    "trainings": ("end", lambda t: t.attendee_ids),
    "patrol_sign_ins": ("at", lambda s: (s.member_id,)),
}


def _last_active(ctx: Context) -> dict[str, datetime]:
    """Latest activity, training or patrol sign-in of each member, not after the reference instant (the end of
    the period's last day, or as-of if earlier; on a tie, the first seen). One call per record, not per
    participant: the instant's test is the record's."""
    until, latest = ctx.reference_instant, {}

    def note(when: datetime, member_ids) -> None:
        if when <= until:
            for member_id in member_ids:
                prev = latest.get(member_id)
                if prev is None or when > prev:
                    latest[member_id] = when

    for collection, (field, members) in LAST_ACTIVE_SOURCES.items():
        for r in ctx.index.records(collection) or []:
            note(getattr(r, field), members(r))
    return latest


def _pre_job_by_member(ctx: Context) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for t in ctx.index.records("trainings") or []:
        if t.kind == "pre_job" and t.end <= ctx.as_of:
            for member_id in set(t.attendee_ids):
                counts[member_id] += 1
    return counts


def _passed_review_on(ctx: Context) -> dict[str, Any]:
    """The day each member's earliest passed political review (政审) was completed."""
    first: dict[str, Any] = {}
    for r in ctx.index.records("political_reviews") or []:
        if r.result == "passed" and r.completed_on is not None:
            first[r.member_id] = min(first.get(r.member_id, r.completed_on), r.completed_on)
    return first


def _last_active_at(member, ctx: Context):
    last = ctx.memo("last_active", lambda: _last_active(ctx)).get(member.id)
    found = [t for t in (last, day_start(member.join_date)) if t is not None and t <= ctx.reference_instant]
    return max(found) if found else None  # joined after the reference instant: nothing by then


def _per_member(key: str, build: Callable[[Context], dict], default: Any, member, ctx: Context):
    """A derived value read from a per-member map that is built once per audit (DERIVED binds the first three
    with functools.partial: no code of its own runs at import, where mutation testing could not see it)."""
    return ctx.memo(key, lambda: build(ctx)).get(member.id, default)


DERIVED: dict[str, Derived] = {
    "status_on_reference_date": Derived(
        ("members", "units", "group_members", "committee_members", "patrol_members", "auxiliary_posts",
         "emergency_units"), "status", lambda r, ctx: status_on(r, ctx.reference_date),
        "the status of a member, unit, membership or post on the reference date, by status_since (a later change "
        "does not count) and join_date (not yet joined)",
    ),
    "age_years": Derived("members", "year", _age_years, "whole years of age on the reference date",
                         reads=("birth_date",)),
    "service_hours": Derived(
        "members", "hour",
        partial(_per_member, "service_hours", _hours_by_member, 0.0),
        "hours credited in activities of the evaluation period", ("activities",),
    ),
    "activity_count": Derived(
        "members", "times",
        lambda m, ctx: len(ctx.related("activities", "participants.member_id", m.id, in_period=True)),
        "activities of the evaluation period the member took part in", ("activities",),
    ),
    "last_active_at": Derived(
        "members", "day", _last_active_at,
        "latest activity, training or patrol sign-in (or the join date), not after the reference instant (the "
        "end of the period's last day, or as-of if earlier)",
        tuple(LAST_ACTIVE_SOURCES),  # every collection it reads: without sign-ins a patroller's activity is unknown
    ),
    "pre_job_trainings": Derived(
        "members", "times",
        partial(_per_member, "pre_job_trainings", _pre_job_by_member, 0),
        "pre-job trainings the member attended, any date up to as-of (not limited to the period)", ("trainings",),
    ),
    "political_review_passed_on": Derived(
        "members", "day",
        partial(_per_member, "political_review_passed_on", _passed_review_on, None),
        "the day the member's earliest passed political review was completed (None: none passed)",
        ("political_reviews",),
    ),
    "nickname": Derived(
        "group_members", "text", lambda m, ctx: nicknames.normalise(m.nickname),
        "the group nickname as typed, normalised: dashes to '-', spaces and a +86 country code dropped",
    ),
    "nickname_name": Derived(
        "group_members", "text", lambda m, ctx: nicknames.name_part(m.nickname),
        "the name part of a 'unit-name-number' nickname (None: not three parts)",
    ),
    "duration_hours": Derived(
        "trainings", "hour", lambda t, ctx: (t.end - t.start).total_seconds() / 3600,
        "length of a session in hours",
    ),
    "activity_duration_hours": Derived(
        "activities", "hour", lambda a, ctx: (a.end - a.start).total_seconds() / 3600,
        "length of an activity in hours",
    ),
}


def derived_needs(*specs: Any) -> set[str]:
    """The collections read by every `@name` found anywhere in rule parts (keys or values)."""
    found: set[str] = set()
    for spec in specs:
        if isinstance(spec, dict):
            found |= derived_needs(*spec.keys(), *spec.values())
        elif isinstance(spec, (list, tuple)):
            found |= derived_needs(*spec)
        elif isinstance(spec, str) and spec.startswith("@") and spec[1:] in DERIVED:
            found |= set(DERIVED[spec[1:]].needs)
    return found
