"""Points ledger (7.2.2), team scores (7.2.3) and documentary evidence."""
from __future__ import annotations

from datetime import date

from pydantic import Field

from .base import Id, StrictModel


class PointsEntry(StrictModel):
    """One entry of a member's points ledger; a negative amount is an adjustment down."""

    id: Id
    member_id: Id
    on: date
    amount: int
    reason: str = "hours"  # hours, quality, difficulty, adjustment, …


class TeamScore(StrictModel):
    """A team's score for a year (7.2.3); `title` records a title already awarded (prior years)."""

    team_id: Id
    year: int = Field(ge=2000, le=2100)
    score: float | None = None
    title: str | None = None


class Evidence(StrictModel):
    """A document or thing shown as evidence: charter, civil registration, workstation, culture wall…"""

    id: Id
    kind: str
    team_id: Id | None = None
    association_id: Id | None = None
    title: str | None = None
    issued_on: date | None = None
    valid_until: date | None = None
    reference: str | None = None
