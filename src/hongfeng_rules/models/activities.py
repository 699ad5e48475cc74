"""Trainings, meetings and service activities (5.2.7, 5.3.1, 6.1)."""
from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .base import Id, Instant, NonNegative, Record


class Training(Record):
    """A training session (5.3.1): pre-job, regular, professional, or a drill (模拟演练/应急演练)."""

    id: Id
    """培训编号 / the training's id"""
    team_id: Id | None = None
    """组织培训的总队编号 / the id of the team that held it"""
    patrol_team_id: Id | None = None  # a patrol team's drill (community.py), instead of a team's training
    """组织演练的巡防队伍编号（代替 team_id） / the id of the patrol team whose drill it is (instead of team_id)"""
    kind: Literal["pre_job", "regular", "professional", "drill", "counselling"]
    """类型：pre_job 岗前、regular 常规、professional 专训、drill 演练、counselling 辅导 / kind: pre-job, regular, professional, drill or counselling"""
    topic: str | None = None
    """主题 / topic"""
    start: Instant
    """开始时间 / start"""
    end: Instant
    """结束时间 / end"""
    attendee_ids: list[Id] = []
    """参加队员编号 / the ids of the members who attended"""

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.end < self.start:
            raise ValueError("end is before start")
        if (self.team_id is None) == (self.patrol_team_id is None):
            raise ValueError("give exactly one of team_id (a team's training) or patrol_team_id (a patrol team's)")
        return self

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


class Meeting(Record):
    """A team meeting: the weekly meeting (5.2.7) or the quarterly review (7.4.1)."""

    id: Id
    """会议编号 / the meeting's id"""
    team_id: Id
    """总队编号 / the team's id"""
    kind: Literal["weekly", "quarterly_review", "other"]
    """类型：weekly 例会、quarterly_review 季度复盘、other 其他 / kind: weekly, quarterly review or other"""
    held_at: Instant
    """召开时间 / when it was held"""
    topics: list[str] = []
    """议题 / topics"""


class Participation(Record):
    """One member's part in an activity, with the service hours credited."""

    member_id: Id
    """队员编号 / the member's id"""
    hours: NonNegative
    """计入的服务时长（小时） / service hours credited"""


class Activity(Record):
    """A service activity (义警活动)."""

    id: Id
    """活动编号 / the activity's id"""
    team_id: Id
    """总队编号 / the team's id"""
    kind: Literal[
        "special", "patrol", "risk_check", "mediation", "assistance", "publicity", "joint_response",
        "school_guard",  # 护校岗
        "online_watch",  # 关注网上动态: watching online activity
        "other",
    ]
    """类型：special 专项、patrol 巡逻、risk_check 隐患排查、mediation 调解、assistance 帮扶、publicity 宣传、joint_response 联勤、school_guard 护校岗、online_watch 关注网上动态、other 其他 / kind of activity"""
    title: str | None = None
    """活动名称 / title"""
    start: Instant
    """开始时间 / start"""
    end: Instant
    """结束时间 / end"""
    participants: list[Participation] = []
    """参加队员及服务时长 / the members who took part, with their hours"""
    high_risk: bool = False
    """是否为高风险活动 / whether the activity is high-risk"""
    protective_gear_issued: bool | None = None
    """是否发放防护装备（不填：未记录） / whether protective gear was issued (absent: not recorded)"""
    risk_assessment_done: bool | None = None
    """是否开展风险评估（不填：未记录） / whether a risk assessment was made (absent: not recorded)"""
    media_kept: bool | None = None
    """是否留存影像资料（不填：未记录） / whether photos or video were kept (absent: not recorded)"""
    ledger_recorded: bool | None = None
    """是否记入台账（不填：未记录） / whether it was entered in the ledger (absent: not recorded)"""
    published_on_platform: bool | None = None
    """是否在平台发布（不填：未记录） / whether it was published on the platform (absent: not recorded)"""
    evaluation_recorded: bool | None = None
    """是否记录评价（不填：未记录） / whether an evaluation was recorded (absent: not recorded)"""

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.end < self.start:
            raise ValueError("end is before start")
        return self
