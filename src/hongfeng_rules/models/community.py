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
    """地点编号 / the place's id"""
    name: str
    """名称 / name"""
    kind: PlaceKind
    """类型：village 行政村、community 社区、unit 单位、enterprise 企业 / kind: village, community, unit or enterprise"""
    township: str | None = None  # 镇街
    """所在镇街 / the township (镇街)"""


class OnlineGroup(Record):
    """A group on a messaging platform: a community grid group (社区网格微信群组), unless recorded as a residents'
    own or another group, which DB3210/T 1190—2025's group composition (4.1, 4.2.4) does not govern."""

    id: Id
    """群组编号 / the group's id"""
    name: str
    """群名称 / the group's name"""
    kind: Literal["community_grid", "residents", "other"] = "community_grid"
    """群组类型：community_grid 社区网格群、residents 居民自建群、other 其他 / kind: a community grid group, a residents' own group or other"""
    place_id: Id | None = None
    """对应地点编号 / the id of the place it serves"""
    platform: str | None = None  # wechat, wecom, …
    """平台：wechat 微信、wecom 企业微信等 / platform: wechat, wecom, …"""


class GroupMember(Record):
    """One person's (or account's) membership of an online group, with the nickname shown there."""

    id: Id
    """群成员编号 / the membership's id"""
    online_group_id: Id
    """群组编号 / the group's id"""
    name: str | None = None
    """姓名 / name"""
    role: GroupRole
    """身份：community_police_officer 社区民警、station_police_officer 派出所民警、branch_police_officer 分局机关民警、community_auxiliary_police 社区专职辅警、station_account 派出所企业微信号、grid_worker 网格员、volunteer 志愿者、resident 居民、other 其他 / role in the group"""
    nickname: str | None = None  # None: not recorded
    """群内昵称（不填：未记录） / the nickname shown in the group (absent: not recorded)"""
    join_date: Day | None = None  # joined the group (None: not recorded, taken as a member throughout)
    """入群日期（不填：未记录，视为始终在群） / the day the person joined (absent: not recorded, taken as a member throughout)"""
    status: Status = "active"
    """状态：active 在群、left 已退出 / standing: active or left"""
    status_since: Day | None = None  # the day `status` took effect (left the group); None: not recorded
    """状态生效日期，即退群日期（不填：未记录） / the day the standing took effect: left the group (absent: not recorded)"""
    equipment: list[PoliceEquipment] | None = None  # what the person is equipped with (None: not recorded)
    """配备的装备（不填：未记录） / equipment the person has (absent: not recorded)"""


class SecurityCommittee(Record):
    """A village or community security committee (治安保卫委员会, 治保会)."""

    id: Id
    """治保会编号 / the committee's id"""
    place_id: Id
    """所在村或社区编号 / the id of its village or community"""
    name: str | None = None
    """名称 / name"""


class CommitteeMember(Record):
    """A member of a security committee."""

    id: Id
    """成员编号 / the member's id"""
    security_committee_id: Id
    """治保会编号 / the committee's id"""
    name: str
    """姓名 / name"""
    role: Literal["director", "deputy_director", "member"] = "member"
    """职务：director 主任、deputy_director 副主任、member 委员 / role: director, deputy director or member"""
    status: Status = "active"
    """状态：active 在任、left 已离任 / standing: active or left"""
    status_since: Day | None = None  # the day `status` took effect (left); None: not recorded
    """状态生效日期，即离任日期（不填：未记录） / the day the standing took effect: left (absent: not recorded)"""


class PatrolTeam(Record):
    """A full- or part-time patrol team (专兼职巡防队伍).

    `kind` is the kind of place the team is organised for (a village team, a community team, …);
    `place_ids` are the places it patrols (several for 多村共巡).
    """

    id: Id
    """巡防队伍编号 / the patrol team's id"""
    name: str
    """名称 / name"""
    kind: PlaceKind
    """组建所依托的地点类型 / the kind of place the team is organised for"""
    place_ids: list[Id] = []
    """巡防的地点编号（多村共巡可有多个） / the ids of the places it patrols (several for 多村共巡)"""
    founded_on: Day | None = None
    """组建日期 / the day it was founded"""


class PatrolMember(Record):
    """A member of a patrol team."""

    id: Id
    """巡防队员编号 / the member's id"""
    patrol_team_id: Id
    """巡防队伍编号 / the patrol team's id"""
    name: str
    """姓名 / name"""
    full_time: bool | None = None
    """是否专职（不填：未记录） / whether full-time (absent: not recorded)"""
    status: Status = "active"
    """状态：active 在队、left 已离队 / standing: active or left"""
    status_since: Day | None = None  # the day `status` took effect (left); None: not recorded
    """状态生效日期，即离任日期（不填：未记录） / the day the standing took effect: left (absent: not recorded)"""


class Patrol(Record):
    """One patrol (巡防) by a patrol team."""

    id: Id
    """巡防编号 / the patrol's id"""
    patrol_team_id: Id
    """巡防队伍编号 / the patrol team's id"""
    start: Instant
    """开始时间 / start"""
    end: Instant | None = None
    """结束时间 / end"""
    wartime: bool = False  # 战时 (heightened period) rather than 平时
    """是否为战时（而非平时）巡防 / whether in wartime (a heightened period) rather than normal times"""
    route: str | None = None
    """巡防路线 / route"""


class PatrolTeamCheck(Record):
    """A check of a patrol team's running (检查队伍运行), by whom it was made."""

    id: Id
    """检查编号 / the check's id"""
    patrol_team_id: Id
    """被检查巡防队伍编号 / the id of the patrol team checked"""
    at: Instant
    """检查时间 / when"""
    inspector_role: Literal["community_police_officer", "other"]
    """检查人身份：community_police_officer 社区民警、other 其他 / the inspector's role: community police officer or other"""
    inspector: str | None = None
    """检查人 / the inspector"""
    findings: str | None = None
    """检查发现 / findings"""


class AuxiliaryPost(Record):
    """An auxiliary police officer (辅警) assigned to a village or community."""

    id: Id
    """编号 / the post's id"""
    place_id: Id
    """驻点村或社区编号 / the id of the village or community"""
    name: str
    """辅警姓名 / the auxiliary officer's name"""
    since: Day | None = None
    """到岗日期 / the day the post began"""
    status: Status = "active"
    """状态：active 在岗、left 已离岗 / standing: active or left"""
    status_since: Day | None = None  # the day `status` took effect (left); None: not recorded
    """状态生效日期，即离任日期（不填：未记录） / the day the standing took effect: left (absent: not recorded)"""
