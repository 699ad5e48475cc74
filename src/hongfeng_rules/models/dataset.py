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
    """义警协会（省、市、县级） / volunteer-police associations (province, city, county)"""
    teams: list[Team] | None = None
    """义警总队 / volunteer-police teams (总队)"""
    units: list[Unit] | None = None
    """分队和小组 / sub-teams (分队) and groups (小组) inside teams"""
    members: list[Member] | None = None
    """队员 / registered volunteers (队员)"""
    trainings: list[Training] | None = None
    """培训和演练 / training sessions and drills"""
    meetings: list[Meeting] | None = None
    """例会和季度复盘会 / weekly meetings and quarterly reviews"""
    activities: list[Activity] | None = None
    """义警活动 / service activities"""
    hazards: list[Hazard] | None = None
    """排查发现的隐患 / risks found during checks"""
    disputes: list[Dispute] | None = None
    """受理的矛盾纠纷 / disputes registered and mediated"""
    follow_ups: list[FollowUp] | None = None
    """调解后的回访评估 / return visits after a mediation"""
    patrol_sign_ins: list[PatrolSignIn] | None = None
    """巡逻签到 / members' sign-ins on patrols"""
    patrol_reports: list[PatrolReport] | None = None
    """向公安机关报送的巡逻月报 / monthly patrol reports to the police"""
    assistance_cases: list[AssistanceCase] | None = None
    """对困难群体的帮扶 / help given to vulnerable people"""
    complaints: list[Complaint] | None = None
    """群众投诉 / complaints from the public"""
    inspections: list[Inspection] | None = None
    """监督检查 / supervisory inspections of teams"""
    improvements: list[ImprovementItem] | None = None
    """改进工作台账条目 / items of the improvement ledger"""
    points: list[PointsEntry] | None = None
    """队员积分台账 / entries of the members' points ledger"""
    team_scores: list[TeamScore] | None = None
    """总队年度得分 / teams' yearly scores"""
    evidence: list[Evidence] | None = None
    """证明材料（章程、登记证书、工作站等） / documents and things shown as evidence (charter, registration, workstation…)"""
    places: list[Place] | None = None
    """村、社区、单位和企业 / villages, communities, units and enterprises"""
    online_groups: list[OnlineGroup] | None = None
    """社区网格群 / community grid groups on a messaging platform"""
    group_members: list[GroupMember] | None = None
    """网格群成员 / members of the online groups"""
    security_committees: list[SecurityCommittee] | None = None
    """治保会 / village and community security committees"""
    committee_members: list[CommitteeMember] | None = None
    """治保会成员 / members of the security committees"""
    patrol_teams: list[PatrolTeam] | None = None
    """专兼职巡防队伍 / full- and part-time patrol teams"""
    patrol_members: list[PatrolMember] | None = None
    """巡防队员 / members of the patrol teams"""
    patrols: list[Patrol] | None = None
    """巡防记录 / patrols made by the patrol teams"""
    patrol_team_checks: list[PatrolTeamCheck] | None = None
    """对巡防队伍运行的检查 / checks of the patrol teams' running"""
    auxiliary_posts: list[AuxiliaryPost] | None = None
    """驻村（社区）辅警 / auxiliary police officers assigned to villages and communities"""
    workstations: list[Workstation] | None = None
    """义警工作站 / volunteer-police workstations"""
    emergency_units: list[EmergencyUnit] | None = None
    """最小应急单元 / smallest emergency units"""
    incidents: list[Incident] | None = None
    """应急单元的出警记录 / dispatches of emergency units to incidents"""
    political_reviews: list[PoliticalReview] | None = None
    """队员政审记录 / political reviews of members"""


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
