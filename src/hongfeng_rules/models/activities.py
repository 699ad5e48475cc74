"""Trainings, meetings and service activities (5.2.7, 5.3.1, 6.1)."""
from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .base import Id, Instant, NonNegative, Record


class Training(Record):
    """A training session (5.3.1): pre-job, regular, professional, or a drill (模拟演练/应急演练)."""

    id: Id
    team_id: Id | None = None
    patrol_team_id: Id | None = None  # a patrol team's drill (community.py), instead of a team's training
    kind: Literal["pre_job", "regular", "professional", "drill", "counselling"]
    topic: str | None = None
    start: Instant
    end: Instant
    attendee_ids: list[Id] = []

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
    team_id: Id
    kind: Literal["weekly", "quarterly_review", "other"]
    held_at: Instant
    topics: list[str] = []


class Participation(Record):
    """One member's part in an activity, with the service hours credited."""

    member_id: Id
    hours: NonNegative


class Activity(Record):
    """A service activity (义警活动)."""

    id: Id
    team_id: Id
    kind: Literal[
        "special", "patrol", "risk_check", "mediation", "assistance", "publicity", "joint_response",
        "school_guard",  # 护校岗
        "online_watch",  # 关注网上动态: watching online activity
        "other",
    ]
    title: str | None = None
    start: Instant
    end: Instant
    participants: list[Participation] = []
    high_risk: bool = False
    protective_gear_issued: bool | None = None
    risk_assessment_done: bool | None = None
    media_kept: bool | None = None
    ledger_recorded: bool | None = None
    published_on_platform: bool | None = None
    evaluation_recorded: bool | None = None

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.end < self.start:
            raise ValueError("end is before start")
        return self
