"""Associations (协会), teams (总队) and their sub-teams (分队) and groups (小组). Clauses 5.1–5.2."""
from __future__ import annotations

from typing import Literal

from .base import Day, Id, Lifecycle, Record


class Association(Record):
    """A province, city or county volunteer-police association (5.1.2)."""

    id: Id
    """协会编号 / the association's id"""
    name: str
    """协会名称 / the association's name"""
    level: Literal["province", "city", "county"]
    """层级：province 省级、city 市级、county 县级 / level: province, city or county"""
    parent_id: Id | None = None
    """上级协会编号（省级不填） / the id of the association above it (none for a province)"""


class CoreService(Record):
    """A team's core service content with its plan, process and checklist (6.1.1)."""

    name: str
    """核心服务内容名称 / the core service's name"""
    plan: bool = False
    """有服务方案 / has a service plan"""
    process: bool = False
    """有服务流程 / has a service process"""
    checklist: bool = False
    """有服务清单 / has a service checklist"""


class PartyBranch(Record):
    """The team's party branch (5.4.2)."""

    secretary: str
    """党支部书记姓名 / the party branch secretary's name"""
    secretary_role: Literal["community_police_officer", "other"]
    """书记的身份：community_police_officer 社区民警或 other 其他 / the secretary's role: community police officer or other"""
    brands: list[str] = []
    """党建品牌 / the branch's party-building brands"""


class Team(Record):
    """A volunteer-police team (总队)."""

    id: Id
    """总队编号 / the team's id"""
    association_id: Id
    """所属协会编号 / the id of the association the team belongs to"""
    name: str
    """总队名称 / the team's name"""
    founded_on: Day | None = None
    """成立日期 / the day the team was founded"""
    police_station: str | None = None
    """联系的派出所 / the police station the team works with"""
    specialty: str | None = None
    """特色专长 / the team's specialty"""
    core_services: list[CoreService] | None = None
    """核心服务内容（不填：未记录） / the team's core services (absent: not recorded)"""
    party_branch: PartyBranch | None = None
    """总队党支部（不填：未记录） / the team's party branch (absent: not recorded)"""
    platform_functions: list[str] | None = None  # digital-platform functions in use (5.2.3, 5.4.5)
    """在用的数字化平台功能（不填：未记录） / the digital-platform functions in use (absent: not recorded)"""
    recruits_students_retirees_gig_workers: bool | None = None
    """是否吸纳学生、退休人员、新就业形态劳动者（不填：未记录） / whether it recruits students, retirees and gig workers (absent: not recorded)"""


class Unit(Record):
    """A sub-team (分队) or group (小组) inside a team (5.1.3)."""

    id: Id
    """分队或小组编号 / the sub-team's or group's id"""
    team_id: Id
    """所属总队编号 / the id of its team"""
    parent_id: Id | None = None
    """上级分队编号（小组所属的分队） / the id of the sub-team a group belongs to"""
    level: Literal["sub_team", "group"]
    """层级：sub_team 分队、group 小组 / level: sub_team or group"""
    name: str
    """名称 / name"""
    party_vanguard: bool = False  # a 党员先锋岗 special group
    """是否为党员先锋岗特色小组 / whether it is a Party-member vanguard post (党员先锋岗)"""
    status: Lifecycle = "active"
    """状态：active 在册、demoted 降级、exited 退出 / standing: active, demoted or exited"""
    status_since: Day | None = None
    """状态起始日期 / the day its standing began"""
    last_active_on: Day | None = None
    """最近一次开展活动的日期 / the day it was last active"""
