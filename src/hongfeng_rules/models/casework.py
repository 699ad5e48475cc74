"""Service casework: hazards (6.2), disputes (6.3), patrols (6.4), assistance (6.5), complaints (7.3)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Day, Id, Instant, Record, Whole


class Hazard(Record):
    """A risk found during a check (排查), and what was done about it (6.2.3, 6.2.4)."""

    id: Id
    """隐患编号 / the hazard's id"""
    team_id: Id
    """总队编号 / the team's id"""
    found_at: Instant
    """发现时间 / when it was found"""
    place: str | None = None
    """地点 / place"""
    problem: str | None = None
    """问题描述 / the problem"""
    suggestion: str | None = None
    """整改建议 / the suggested remedy"""
    major: bool = False
    """是否为重大隐患 / whether it is a major hazard"""
    interim_control_at: Instant | None = None
    """采取临时管控措施的时间 / when interim control measures were taken"""
    reported_at: Instant | None = None
    """上报时间 / when it was reported"""
    rectified_at: Instant | None = None
    """整改完成时间 / when it was rectified"""
    feedback_at: Instant | None = None
    """反馈时间 / when feedback was given"""


class Dispute(Record):
    """A dispute registered (受理登记) and mediated (调解) (6.3)."""

    id: Id
    """纠纷编号 / the dispute's id"""
    team_id: Id
    """总队编号 / the team's id"""
    registered_at: Instant
    """受理登记时间 / when it was registered"""
    category: str | None = None
    """纠纷类别 / category"""
    major: bool = False
    """是否为重大纠纷 / whether it is a major dispute"""
    mediated_at: Instant | None = None
    """调解时间 / when it was mediated"""
    record_kept: bool | None = None
    """是否留存调解记录（不填：未记录） / whether a mediation record was kept (absent: not recorded)"""


class FollowUp(Record):
    """A return visit and evaluation (回访评估) after a mediation (6.3.1, 6.3.3)."""

    id: Id
    """回访编号 / the follow-up's id"""
    dispute_id: Id
    """所回访纠纷的编号 / the id of the dispute followed up"""
    at: Instant
    """回访时间 / when the visit was made"""
    evaluation: str | None = None
    """评估意见 / the evaluation"""


class PatrolSignIn(Record):
    """A member's sign-in on a patrol (6.4.3)."""

    id: Id
    """签到编号 / the sign-in's id"""
    team_id: Id
    """总队编号 / the team's id"""
    member_id: Id
    """签到队员编号 / the id of the member who signed in"""
    at: Instant
    """签到时间 / when"""
    place: str | None = None
    """签到地点 / where"""
    activity_id: Id | None = None  # the patrol (activity of kind patrol) signed in to
    """所签到巡逻活动（patrol 类活动）的编号 / the id of the patrol (an activity of kind patrol) signed in to"""


class PatrolReport(Record):
    """The monthly report of patrol work to the police (6.4.3)."""

    id: Id
    """月报编号 / the report's id"""
    team_id: Id
    """总队编号 / the team's id"""
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    """所报月份，格式 YYYY-MM / the month reported, YYYY-MM"""
    submitted_at: Instant
    """报送时间 / when it was submitted"""


class AssistanceCase(Record):
    """Help given to a vulnerable person (6.5)."""

    id: Id
    """帮扶编号 / the case's id"""
    team_id: Id
    """总队编号 / the team's id"""
    beneficiary_group: str | None = None
    """帮扶对象群体 / the group the person belongs to"""
    started_at: Instant
    """开始帮扶时间 / when the help began"""
    home_visit_at: Instant | None = None
    """上门走访时间 / when the home visit was made"""
    kinds: list[str] = []
    """帮扶方式 / kinds of help given"""
    records_kept: bool | None = None
    """是否留存帮扶记录（不填：未记录） / whether records were kept (absent: not recorded)"""
    evaluated_at: Instant | None = None
    """效果评估时间 / when the help was evaluated"""
    needs_referral: bool = False
    """是否需要转介 / whether the case needs a referral"""
    referred_at: Instant | None = None
    """转介时间 / when it was referred"""


class ComplaintFile(Record):
    """What the complaint's archive holds (7.3.4)."""

    content: bool = False
    """档案含投诉内容 / the archive holds the complaint"""
    investigation: bool = False
    """档案含调查材料 / the archive holds the investigation"""
    outcome: bool = False
    """档案含处理结果 / the archive holds the outcome"""


class Complaint(Record):
    """A complaint from the public (7.3)."""

    id: Id
    """投诉编号 / the complaint's id"""
    team_id: Id
    """被投诉总队编号 / the id of the team complained about"""
    channel: Literal["phone", "mailbox", "online", "in_person", "other"]
    """渠道：phone 电话、mailbox 意见箱、online 网络、in_person 当面、other 其他 / channel: phone, mailbox, online, in person or other"""
    received_at: Instant
    """收到时间 / when it was received"""
    registered: bool | None = None
    """是否登记（不填：未记录） / whether it was registered (absent: not recorded)"""
    investigation_closed_at: Instant | None = None
    """调查办结时间 / when the investigation was closed"""
    extension_notified_at: Instant | None = None
    """告知延期的时间 / when the complainant was told of an extension"""
    extension_reason: str | None = None
    """延期理由 / why the time limit was extended"""
    extended_until: Instant | None = None
    """延期至 / extended until"""
    feedback_at: Instant | None = None
    """向投诉人反馈的时间 / when the complainant was given feedback"""
    file: ComplaintFile | None = None
    """投诉档案的内容（不填：未记录） / what the complaint's archive holds (absent: not recorded)"""


class Inspection(Record):
    """A supervisory inspection of a team (7.1)."""

    id: Id
    """检查编号 / the inspection's id"""
    team_id: Id
    """被检查总队编号 / the id of the team inspected"""
    kind: Literal["periodic", "random"]
    """类型：periodic 定期、random 随机 / kind: periodic or random"""
    at: Instant
    """检查时间 / when"""
    checklist_used: bool | None = None
    """是否使用检查清单（不填：未记录） / whether a checklist was used (absent: not recorded)"""
    written_report: bool | None = None
    """是否形成书面报告（不填：未记录） / whether a written report was made (absent: not recorded)"""
    major_issues: Whole = Field(default=0, ge=0)
    """发现的重大问题数 / the number of major issues found"""
    rectification_ordered: bool | None = None
    """是否责令整改（不填：未记录） / whether rectification was ordered (absent: not recorded)"""
    archived: bool | None = None
    """是否归档（不填：未记录） / whether it was archived (absent: not recorded)"""


class ImprovementItem(Record):
    """An item of the improvement ledger (改进工作台账, 7.4)."""

    id: Id
    """台账条目编号 / the item's id"""
    team_id: Id
    """总队编号 / the team's id"""
    meeting_id: Id | None = None
    """提出该项的会议编号 / the id of the meeting that raised it"""
    measure: str
    """改进措施 / the measure"""
    owner: str | None = None
    """责任人 / who is responsible"""
    goal: str | None = None
    """目标 / the goal"""
    due: Day | None = None
    """完成期限 / due date"""
    closed_at: Instant | None = None
    """完成时间 / when it was closed"""
