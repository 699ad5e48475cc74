"""Members (队员) with roles, skills, certificates, insurance, equipment and their file (一人一档)."""
from __future__ import annotations

from typing import Literal

from .base import Day, Id, Lifecycle, Record

Role = Literal["captain", "vice_captain", "core", "member", "sub_team_leader", "group_leader"]
Equipment = Literal["uniform", "shoulder_light", "radio", "protective_gear", "other"]


class Certificate(Record):
    """A professional certificate (持证) with its validity."""

    name: str
    valid_from: Day | None = None
    valid_until: Day | None = None


class InsuranceCover(Record):
    """An insurance policy covering the member over [start, end] (5.4.3, 5.4.7)."""

    kind: Literal["accident", "liability", "other"] = "accident"
    start: Day
    end: Day


class EquipmentIssue(Record):
    """An item of equipment issued to the member (6.1.3)."""

    item: Equipment
    issued_on: Day | None = None


class MemberFile(Record):
    """What the member's personal file (一人一档) records (5.2.7)."""

    personal_info: bool = False
    contact: bool = False
    skills: bool = False
    service_record: bool = False


class Member(Record):
    """A registered volunteer (队员)."""

    id: Id
    team_id: Id
    unit_id: Id | None = None
    name: str
    birth_date: Day | None = None
    join_date: Day
    status: Lifecycle = "active"
    status_since: Day | None = None
    roles: list[Role] = ["member"]
    party_member: bool = False
    real_name_verified: bool | None = None
    skills: list[str] = []
    certificates: list[Certificate] = []
    insurance: list[InsuranceCover] | None = None
    equipment: list[EquipmentIssue] | None = None
    mentor_id: Id | None = None  # the experienced partner of a new member (1+1, 5.4.6)
    file: MemberFile | None = None
