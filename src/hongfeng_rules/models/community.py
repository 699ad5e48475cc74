"""Community policing: places, online grid groups (网格群), security committees (治保会), patrol
teams (巡防队), their patrols and checks, and auxiliary police posts (辅警配备).

Shared by the Yunge (DB3210/T 1190—2025) and Keqiao 驻村融治 packs. A drill of a patrol team is a
`Training` with kind `drill` and `patrol_team_id` (activities.py), not a model of its own.
"""
from __future__ import annotations

from typing import Literal

from .base import Day, Id, Instant, Record

PlaceKind = Literal["village", "community", "unit", "enterprise"]
Status = Literal["active", "left"]

GroupRole = Literal[
    "community_police_officer",  # 社区民警 (云格长, 4.2.1)
    "station_police_officer",  # 派出所非社区民警
    "branch_police_officer",  # 分局机关民警
    "community_auxiliary_police",  # 社区专职辅警
    "station_account",  # 派出所以单位名义设立的企业微信号 (4.2.4)
    "grid_worker",  # 网格员
    "volunteer",  # 志愿者
    "resident",
    "other",
]
PoliceEquipment = Literal["communication_device", "body_camera", "other"]


class Place(Record):
    """A village (行政村), community (社区), unit (单位: school, hospital, …) or enterprise (企业)."""

    id: Id
    name: str
    kind: PlaceKind
    township: str | None = None  # 镇街


class OnlineGroup(Record):
    """A group on a messaging platform: a community grid group (社区网格微信群组), unless recorded as a residents'
    own or another group, which DB3210/T 1190—2025's group composition (4.1, 4.2.4) does not govern."""

    id: Id
    name: str
    kind: Literal["community_grid", "residents", "other"] = "community_grid"
    place_id: Id | None = None
    platform: str | None = None  # wechat, wecom, …


class GroupMember(Record):
    """One person's (or account's) membership of an online group, with the nickname shown there."""

    id: Id
    online_group_id: Id
    name: str | None = None
    role: GroupRole
    nickname: str | None = None  # None: not recorded
    join_date: Day | None = None  # joined the group (None: not recorded, taken as a member throughout)
    status: Status = "active"
    status_since: Day | None = None  # the day `status` took effect (left the group); None: not recorded
    equipment: list[PoliceEquipment] | None = None  # what the person is equipped with (None: not recorded)


class SecurityCommittee(Record):
    """A village or community security committee (治安保卫委员会, 治保会)."""

    id: Id
    place_id: Id
    name: str | None = None


class CommitteeMember(Record):
    """A member of a security committee."""

    id: Id
    security_committee_id: Id
    name: str
    role: Literal["director", "deputy_director", "member"] = "member"
    status: Status = "active"
    status_since: Day | None = None  # the day `status` took effect (left); None: not recorded


class PatrolTeam(Record):
    """A full- or part-time patrol team (专兼职巡防队伍).

    `kind` is the kind of place the team is organised for (a village team, a community team, …);
    `place_ids` are the places it patrols (several for 多村共巡).
    """

    id: Id
    name: str
    kind: PlaceKind
    place_ids: list[Id] = []
    founded_on: Day | None = None


class PatrolMember(Record):
    """A member of a patrol team."""

    id: Id
    patrol_team_id: Id
    name: str
    full_time: bool | None = None
    status: Status = "active"
    status_since: Day | None = None  # the day `status` took effect (left); None: not recorded


class Patrol(Record):
    """One patrol (巡防) by a patrol team."""

    id: Id
    patrol_team_id: Id
    start: Instant
    end: Instant | None = None
    wartime: bool = False  # 战时 (heightened period) rather than 平时
    route: str | None = None


class PatrolTeamCheck(Record):
    """A check of a patrol team's running (检查队伍运行), by whom it was made."""

    id: Id
    patrol_team_id: Id
    at: Instant
    inspector_role: Literal["community_police_officer", "other"]
    inspector: str | None = None
    findings: str | None = None


class AuxiliaryPost(Record):
    """An auxiliary police officer (辅警) assigned to a village or community."""

    id: Id
    place_id: Id
    name: str
    since: Day | None = None
    status: Status = "active"
    status_since: Day | None = None  # the day `status` took effect (left); None: not recorded
