"""Members (队员) with roles, skills, certificates, insurance, equipment and their file (一人一档)."""
from __future__ import annotations

from typing import Literal

from .base import Day, Id, Lifecycle, Record

Role = Literal["captain", "vice_captain", "core", "member", "sub_team_leader", "group_leader"]
Equipment = Literal["uniform", "shoulder_light", "radio", "protective_gear", "other"]


class Certificate(Record):
    """A professional certificate (持证) with its validity."""

    name: str
    """证书名称 / the certificate's name"""
    valid_from: Day | None = None
    """生效日期 / valid from this day"""
    valid_until: Day | None = None
    """有效期至（含当日） / valid until this day (inclusive)"""


class InsuranceCover(Record):
    """An insurance policy covering the member over [start, end] (5.4.3, 5.4.7)."""

    kind: Literal["accident", "liability", "other"] = "accident"
    """险种：accident 意外险、liability 责任险、other 其他 / kind: accident, liability or other"""
    start: Day
    """保险起始日期 / the first day covered"""
    end: Day
    """保险终止日期（含当日） / the last day covered (inclusive)"""


class EquipmentIssue(Record):
    """An item of equipment issued to the member (6.1.3)."""

    item: Equipment
    """装备：uniform 服装、shoulder_light 肩灯、radio 对讲机、protective_gear 防护装备、other 其他 / item: uniform, shoulder light, radio, protective gear or other"""
    issued_on: Day | None = None
    """发放日期 / the day it was issued"""


class MemberFile(Record):
    """What the member's personal file (一人一档) records (5.2.7)."""

    personal_info: bool = False
    """档案含个人信息 / the file holds personal information"""
    contact: bool = False
    """档案含联系方式 / the file holds contact details"""
    skills: bool = False
    """档案含技能特长 / the file holds skills"""
    service_record: bool = False
    """档案含服务记录 / the file holds the service record"""


class Member(Record):
    """A registered volunteer (队员)."""

    id: Id
    """队员编号 / the member's id"""
    team_id: Id
    """所属总队编号 / the id of the member's team"""
    unit_id: Id | None = None
    """所属分队或小组编号 / the id of the member's sub-team or group"""
    name: str
    """姓名 / name"""
    birth_date: Day | None = None
    """出生日期（不填：未记录） / date of birth (absent: not recorded)"""
    join_date: Day
    """入队日期 / the day the member joined"""
    status: Lifecycle = "active"
    """状态：active 在册、demoted 降级、exited 退出 / standing: active, demoted or exited"""
    status_since: Day | None = None
    """状态起始日期 / the day the standing began"""
    roles: list[Role] = ["member"]
    """职务：captain 总队长、vice_captain 副总队长、core 核心队员、member 队员、sub_team_leader 分队长、group_leader 小组长 / roles: captain, vice captain, core member, member, sub-team leader, group leader"""
    party_member: bool = False
    """是否为党员 / whether the member is a Party member"""
    real_name_verified: bool | None = None
    """是否已实名认证（不填：未记录） / whether the real name is verified (absent: not recorded)"""
    skills: list[str] = []
    """专业技能 / professional skills"""
    certificates: list[Certificate] = []
    """所持证书 / certificates held"""
    insurance: list[InsuranceCover] | None = None
    """保险（不填：未记录） / insurance cover (absent: not recorded)"""
    equipment: list[EquipmentIssue] | None = None
    """已发放装备（不填：未记录） / equipment issued (absent: not recorded)"""
    mentor_id: Id | None = None  # the experienced partner of a new member (1+1, 5.4.6)
    """结对带教的老队员编号（1+1） / the id of the experienced member paired with a new one (1+1)"""
    file: MemberFile | None = None
    """一人一档的内容（不填：未记录） / what the member's file (一人一档) records (absent: not recorded)"""
