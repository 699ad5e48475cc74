"""Service casework: hazards (6.2), disputes (6.3), patrols (6.4), assistance (6.5), complaints (7.3)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Day, Id, Instant, Record, Whole


class Hazard(Record):
    """A risk found during a check (排查), and what was done about it (6.2.3, 6.2.4)."""

    id: Id
    team_id: Id
    found_at: Instant
    place: str | None = None
    problem: str | None = None
    suggestion: str | None = None
    major: bool = False
    interim_control_at: Instant | None = None
    reported_at: Instant | None = None
    rectified_at: Instant | None = None
    feedback_at: Instant | None = None


class Dispute(Record):
    """A dispute registered (受理登记) and mediated (调解) (6.3)."""

    id: Id
    team_id: Id
    registered_at: Instant
    category: str | None = None
    major: bool = False
    mediated_at: Instant | None = None
    record_kept: bool | None = None


class FollowUp(Record):
    """A return visit and evaluation (回访评估) after a mediation (6.3.1, 6.3.3)."""

    id: Id
    dispute_id: Id
    at: Instant
    evaluation: str | None = None


class PatrolSignIn(Record):
    """A member's sign-in on a patrol (6.4.3)."""

    id: Id
    team_id: Id
    member_id: Id
    at: Instant
    place: str | None = None
    activity_id: Id | None = None  # the patrol (activity of kind patrol) signed in to


class PatrolReport(Record):
    """The monthly report of patrol work to the police (6.4.3)."""

    id: Id
    team_id: Id
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    submitted_at: Instant


class AssistanceCase(Record):
    """Help given to a vulnerable person (6.5)."""

    id: Id
    team_id: Id
    beneficiary_group: str | None = None
    started_at: Instant
    home_visit_at: Instant | None = None
    kinds: list[str] = []
    records_kept: bool | None = None
    evaluated_at: Instant | None = None
    needs_referral: bool = False
    referred_at: Instant | None = None


class ComplaintFile(Record):
    """What the complaint's archive holds (7.3.4)."""

    content: bool = False
    investigation: bool = False
    outcome: bool = False


class Complaint(Record):
    """A complaint from the public (7.3)."""

    id: Id
    team_id: Id
    channel: Literal["phone", "mailbox", "online", "in_person", "other"]
    received_at: Instant
    registered: bool | None = None
    investigation_closed_at: Instant | None = None
    extension_notified_at: Instant | None = None
    extension_reason: str | None = None
    extended_until: Instant | None = None
    feedback_at: Instant | None = None
    file: ComplaintFile | None = None


class Inspection(Record):
    """A supervisory inspection of a team (7.1)."""

    id: Id
    team_id: Id
    kind: Literal["periodic", "random"]
    at: Instant
    checklist_used: bool | None = None
    written_report: bool | None = None
    major_issues: Whole = Field(default=0, ge=0)
    rectification_ordered: bool | None = None
    archived: bool | None = None


class ImprovementItem(Record):
    """An item of the improvement ledger (改进工作台账, 7.4)."""

    id: Id
    team_id: Id
    meeting_id: Id | None = None
    measure: str
    owner: str | None = None
    goal: str | None = None
    due: Day | None = None
    closed_at: Instant | None = None
