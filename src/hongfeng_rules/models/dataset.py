"""The dataset: every collection a rule pack may need, grouped in one object.

A collection that is absent (None) means "not provided": rules that need it are
`not_assessable`. An empty list means "provided, and there are none".
"""
from __future__ import annotations

from dataclasses import dataclass

from .activities import Activity, Meeting, Training
from .base import Record
from .community import (AuxiliaryPost, CommitteeMember, GroupMember, OnlineGroup, Patrol, PatrolMember,
                        PatrolTeam, PatrolTeamCheck, Place, SecurityCommittee)
from .casework import (AssistanceCase, Complaint, Dispute, FollowUp, Hazard, ImprovementItem,
                       Inspection, PatrolReport, PatrolSignIn)
from .emergency import EmergencyUnit, Incident, PoliticalReview, Workstation
from .members import Member
from .organisation import Association, Team, Unit
from .scoring import Evidence, PointsEntry, TeamScore


FUTURE_BY_NATURE = frozenset({"due", "valid_until", "extended_until", "end"})
"""Fields that name a deadline or an expiry: a value after the as-of date is normal, not a future record."""


@dataclass(frozen=True)
class Collection:
    """What the engine knows of a collection: its record type and its time field."""

    name: str
    kind: str  # the subject kind of one record ("member" for "members")
    model: type[Record]
    time_field: str | None = None  # the instant/date that places a record in a period
    event: bool = False  # records are events: only those inside the evaluation period are subjects


class Dataset(Record):
    """All records of one export. Every collection is optional."""

    associations: list[Association] | None = None
    teams: list[Team] | None = None
    units: list[Unit] | None = None
    members: list[Member] | None = None
    trainings: list[Training] | None = None
    meetings: list[Meeting] | None = None
    activities: list[Activity] | None = None
    hazards: list[Hazard] | None = None
    disputes: list[Dispute] | None = None
    follow_ups: list[FollowUp] | None = None
    patrol_sign_ins: list[PatrolSignIn] | None = None
    patrol_reports: list[PatrolReport] | None = None
    assistance_cases: list[AssistanceCase] | None = None
    complaints: list[Complaint] | None = None
    inspections: list[Inspection] | None = None
    improvements: list[ImprovementItem] | None = None
    points: list[PointsEntry] | None = None
    team_scores: list[TeamScore] | None = None
    evidence: list[Evidence] | None = None
    places: list[Place] | None = None
    online_groups: list[OnlineGroup] | None = None
    group_members: list[GroupMember] | None = None
    security_committees: list[SecurityCommittee] | None = None
    committee_members: list[CommitteeMember] | None = None
    patrol_teams: list[PatrolTeam] | None = None
    patrol_members: list[PatrolMember] | None = None
    patrols: list[Patrol] | None = None
    patrol_team_checks: list[PatrolTeamCheck] | None = None
    auxiliary_posts: list[AuxiliaryPost] | None = None
    workstations: list[Workstation] | None = None
    emergency_units: list[EmergencyUnit] | None = None
    incidents: list[Incident] | None = None
    political_reviews: list[PoliticalReview] | None = None


COLLECTIONS: dict[str, Collection] = {
    c.name: c
    for c in [
        Collection("associations", "association", Association),
        Collection("teams", "team", Team, "founded_on"),
        Collection("units", "unit", Unit),
        Collection("members", "member", Member, "join_date"),
        Collection("trainings", "training", Training, "start", event=True),
        Collection("meetings", "meeting", Meeting, "held_at", event=True),
        Collection("activities", "activity", Activity, "start", event=True),
        Collection("hazards", "hazard", Hazard, "found_at", event=True),
        Collection("disputes", "dispute", Dispute, "registered_at", event=True),
        Collection("follow_ups", "follow_up", FollowUp, "at", event=True),
        Collection("patrol_sign_ins", "patrol_sign_in", PatrolSignIn, "at", event=True),
        Collection("patrol_reports", "patrol_report", PatrolReport, "submitted_at", event=True),
        Collection("assistance_cases", "assistance_case", AssistanceCase, "started_at", event=True),
        Collection("complaints", "complaint", Complaint, "received_at", event=True),
        Collection("inspections", "inspection", Inspection, "at", event=True),
        Collection("improvements", "improvement", ImprovementItem, "due"),
        Collection("points", "points_entry", PointsEntry, "on"),
        Collection("team_scores", "team_score", TeamScore),
        Collection("evidence", "evidence", Evidence, "issued_on"),
        Collection("places", "place", Place),
        Collection("online_groups", "online_group", OnlineGroup),
        Collection("group_members", "group_member", GroupMember),
        Collection("security_committees", "security_committee", SecurityCommittee),
        Collection("committee_members", "committee_member", CommitteeMember),
        Collection("patrol_teams", "patrol_team", PatrolTeam, "founded_on"),
        Collection("patrol_members", "patrol_member", PatrolMember),
        Collection("patrols", "patrol", Patrol, "start", event=True),
        Collection("patrol_team_checks", "patrol_team_check", PatrolTeamCheck, "at", event=True),
        Collection("auxiliary_posts", "auxiliary_post", AuxiliaryPost, "since"),
        Collection("workstations", "workstation", Workstation),
        Collection("emergency_units", "emergency_unit", EmergencyUnit),
        Collection("incidents", "incident", Incident, "alerted_at", event=True),
        Collection("political_reviews", "political_review", PoliticalReview, "completed_on"),
    ]
}
KIND_TO_COLLECTION = {c.kind: c.name for c in COLLECTIONS.values()}
