"""Points ledger (7.2.2), team scores (7.2.3) and documentary evidence."""
from __future__ import annotations


from pydantic import Field

from .base import Day, Id, Record, Whole


class PointsEntry(Record):
    """One entry of a member's points ledger; a negative amount is an adjustment down."""

    id: Id
    member_id: Id
    on: Day
    amount: Whole
    reason: str = "hours"  # hours, quality, difficulty, adjustment, …


class TeamScore(Record):
    """A team's score for a year (7.2.3); `title` records a title already awarded (prior years)."""

    team_id: Id
    year: Whole = Field(ge=2000, le=2100)
    score: float | None = None
    title: str | None = None


class Evidence(Record):
    """A document or thing shown as evidence: charter, civil registration, workstation, culture wall…"""

    id: Id
    kind: str
    team_id: Id | None = None
    association_id: Id | None = None
    title: str | None = None
    issued_on: Day | None = None
    valid_until: Day | None = None
    reference: str | None = None
