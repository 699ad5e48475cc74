"""Points ledger (7.2.2), team scores (7.2.3) and documentary evidence."""
from __future__ import annotations


from pydantic import Field

from .base import Day, Id, Record, Whole


class PointsEntry(Record):
    """One entry of a member's points ledger; a negative amount is an adjustment down."""

    id: Id
    """积分条目编号 / the entry's id"""
    member_id: Id
    """队员编号 / the member's id"""
    on: Day
    """记分日期 / the day the points were credited"""
    amount: Whole
    """分值（负数为扣减） / points (negative: an adjustment down)"""
    reason: str = "hours"  # hours, quality, difficulty, adjustment, …
    """记分事由：hours 时长、quality 质量、difficulty 难度、adjustment 调整等 / reason: hours, quality, difficulty, adjustment, …"""


class TeamScore(Record):
    """A team's score for a year (7.2.3); `title` records a title already awarded (prior years)."""

    team_id: Id
    """总队编号 / the team's id"""
    year: Whole = Field(ge=2000, le=2100)
    """年度 / the year"""
    score: float | None = None
    """年度得分（不填：未评分） / the year's score (absent: not scored)"""
    title: str | None = None
    """已授予的星级称号（往年） / the star title already awarded (prior years)"""


class Evidence(Record):
    """A document or thing shown as evidence: charter, civil registration, workstation, culture wall…"""

    id: Id
    """材料编号 / the evidence's id"""
    kind: str
    """材料类别（规则包 evidence_kinds 所列之一） / kind (one of the pack's evidence_kinds)"""
    team_id: Id | None = None
    """相关总队编号 / the id of the team it concerns"""
    association_id: Id | None = None
    """相关协会编号 / the id of the association it concerns"""
    title: str | None = None
    """标题 / title"""
    issued_on: Day | None = None
    """出具日期 / the day it was issued"""
    valid_until: Day | None = None
    """有效期至（含当日） / valid until this day (inclusive)"""
    reference: str | None = None
    """文号或出处 / reference number or source"""
