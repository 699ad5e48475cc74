"""Associations (协会), teams (总队) and their sub-teams (分队) and groups (小组). Clauses 5.1–5.2."""
from __future__ import annotations

from typing import Literal

from .base import Day, Id, Lifecycle, Record


class Association(Record):
    """A province, city or county volunteer-police association (5.1.2)."""

    id: Id
    name: str
    level: Literal["province", "city", "county"]
    parent_id: Id | None = None


class CoreService(Record):
    """A team's core service content with its plan, process and checklist (6.1.1)."""

    name: str
    plan: bool = False
    process: bool = False
    checklist: bool = False


class PartyBranch(Record):
    """The team's party branch (5.4.2)."""

    secretary: str
    secretary_role: Literal["community_police_officer", "other"]
    brands: list[str] = []


class Team(Record):
    """A volunteer-police team (总队)."""

    id: Id
    association_id: Id
    name: str
    founded_on: Day | None = None
    police_station: str | None = None
    specialty: str | None = None
    core_services: list[CoreService] | None = None
    party_branch: PartyBranch | None = None
    platform_functions: list[str] | None = None  # digital-platform functions in use (5.2.3, 5.4.5)
    recruits_students_retirees_gig_workers: bool | None = None


class Unit(Record):
    """A sub-team (分队) or group (小组) inside a team (5.1.3)."""

    id: Id
    team_id: Id
    parent_id: Id | None = None
    level: Literal["sub_team", "group"]
    name: str
    party_vanguard: bool = False  # a 党员先锋岗 special group
    status: Lifecycle = "active"
    status_since: Day | None = None
    last_active_on: Day | None = None
