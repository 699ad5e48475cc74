"""Town-level workstations (工作站), smallest emergency units (最小应急单元), the incidents they are alerted
to, and political reviews (政审) of members.

First used by the Gucheng practice pack; nothing here is specific to it. The response tier of a unit or of
a dispatch is a label (`ring1`, …) whose meaning and time limit live in the rule files, not here.
"""
from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .base import Day, Id, Instant, Record


class Workstation(Record):
    """A volunteer-police workstation (义警工作站) of an association, usually one per town or community,
    with the teams it manages (`team_ids`)."""

    id: Id
    """工作站编号 / the workstation's id"""
    association_id: Id
    """所属协会编号 / the id of its association"""
    name: str
    """名称 / name"""
    township: str | None = None  # 乡镇 / 社区 it serves
    """服务的乡镇或社区 / the township or community it serves"""
    team_ids: list[Id] = []
    """管理的总队编号 / the ids of the teams it manages"""


class EmergencyUnit(Record):
    """A smallest emergency unit (最小应急单元): a few members on call, linked with a police station or post."""

    id: Id
    """应急单元编号 / the unit's id"""
    association_id: Id
    """所属协会编号 / the id of its association"""
    team_id: Id | None = None
    """所属总队编号 / the id of its team"""
    name: str
    """名称 / name"""
    tier: str | None = None  # the ring of the response circle it is assigned to (a label the rules name)
    """所属响应圈层（规则文件所用的标签，如 ring1） / the response ring it is assigned to (a label the rules name, e.g. ring1)"""
    linked_stations: list[str] | None = None  # 警务站 / 派出所 it works with (None: not recorded; []: none)
    """联动的警务站或派出所（不填：未记录；空列表：没有） / the police posts or stations it works with (absent: not recorded; []: none)"""
    member_ids: list[Id] = []
    """成员队员编号 / the ids of its members"""
    status: Literal["active", "disbanded"] = "active"
    """状态：active 在用、disbanded 已撤销 / standing: active or disbanded"""
    status_since: Day | None = None  # the day `status` took effect (disbanded); None: not recorded
    """状态生效日期，即撤销日期（不填：未记录） / the day the standing took effect: disbanded (absent: not recorded)"""


class Incident(Record):
    """One dispatch of an emergency unit to an incident (突发事件/警情): when the unit was alerted and when it
    arrived on the scene. `tier` is the ring the dispatch was made under (recorded by the command system);
    `arrived_at` None means no arrival is recorded."""

    id: Id
    """出警编号 / the dispatch's id"""
    emergency_unit_id: Id
    """出警的应急单元编号 / the id of the emergency unit dispatched"""
    tier: str
    """出警所依据的响应圈层 / the ring the dispatch was made under"""
    alerted_at: Instant
    """接警时间 / when the unit was alerted"""
    arrived_at: Instant | None = None
    """到场时间（不填：未记录到场） / when it arrived on the scene (absent: no arrival recorded)"""
    kind: str | None = None
    """事件类别 / kind of incident"""
    place: str | None = None
    """地点 / place"""


class PoliticalReview(Record):
    """A political review (政审) of a member: its result and the day it was completed."""

    id: Id
    """政审编号 / the review's id"""
    member_id: Id
    """队员编号 / the member's id"""
    result: Literal["passed", "failed", "pending"]
    """结果：passed 通过、failed 未通过、pending 进行中 / result: passed, failed or pending"""
    completed_on: Day | None = None  # None while pending
    """完成日期（进行中不填） / the day it was completed (absent while pending)"""
    reviewer: str | None = None
    """审查人 / the reviewer"""

    @model_validator(mode="after")
    def _completed_when_decided(self):
        if self.result != "pending" and self.completed_on is None:
            raise ValueError(f"a {self.result} review needs completed_on")
        return self
