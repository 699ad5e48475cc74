"""The columns of a collection: each field as one cell, with its kind, and its Chinese header.

A scalar field is one column; a nested record (a member's `file`) is one column per sub-field
(`file.personal_info`); a list of scalars is one cell (`core; captain`); a list of records is one
cell holding JSON. Readers, the template writer and the exporter all use this one description.
"""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from pydantic import BaseModel

from ..models import COLLECTIONS

SHEET_NAMES = {
    "associations": "协会", "teams": "队伍", "units": "分队小组", "members": "队员", "trainings": "培训",
    "meetings": "会议", "activities": "活动", "hazards": "隐患", "disputes": "矛盾纠纷", "follow_ups": "回访",
    "patrol_sign_ins": "巡逻签到", "patrol_reports": "巡逻报告", "assistance_cases": "帮扶", "complaints": "投诉",
    "inspections": "督查", "improvements": "整改", "points": "积分", "team_scores": "队伍评分", "evidence": "证明材料",
    "places": "场所", "online_groups": "网上群组", "group_members": "群组成员", "security_committees": "治保会",
    "committee_members": "治保会成员", "patrol_teams": "巡防队", "patrol_members": "巡防队员", "patrols": "巡防",
    "patrol_team_checks": "巡防队检查", "auxiliary_posts": "辅警岗位", "workstations": "工作站",
    "emergency_units": "应急队伍", "incidents": "警情", "political_reviews": "政审",
}
"""The template's sheet name per collection (a sheet or file may also be named by the collection)."""

HEADERS = {
    "activity_id": "活动编号", "alerted_at": "报警时间", "amount": "数额", "archived": "已归档", "arrived_at": "到场时间",
    "association_id": "所属协会", "at": "时间", "attendee_ids": "参加人员", "beneficiary_group": "受益群体",
    "birth_date": "出生日期", "brands": "品牌", "category": "类别", "certificates": "证书", "channel": "渠道",
    "checklist": "清单", "checklist_used": "使用清单", "closed_at": "办结时间", "completed_on": "完成日期",
    "contact": "联系方式", "content": "内容", "core_services": "核心服务", "dispute_id": "纠纷编号",
    "due": "期限", "emergency_unit_id": "应急队伍编号", "end": "结束时间", "equipment": "装备",
    "evaluated_at": "评价时间", "evaluation": "评价", "evaluation_recorded": "已记录评价", "extended_until": "延期至",
    "extension_notified_at": "延期告知时间", "extension_reason": "延期理由", "feedback_at": "反馈时间", "file": "档案",
    "findings": "发现问题", "found_at": "发现时间", "founded_on": "成立日期", "full_time": "专职", "goal": "目标",
    "held_at": "召开时间", "high_risk": "高风险", "home_visit_at": "上门时间", "hours": "时长", "id": "编号",
    "inspector": "督查人", "inspector_role": "督查人身份", "insurance": "保险", "interim_control_at": "临时管控时间",
    "investigation": "调查", "investigation_closed_at": "调查结束时间", "issued_on": "发放日期", "item": "物品",
    "join_date": "入队日期", "kind": "类型", "kinds": "类型列表", "last_active_on": "最近活动日期",
    "ledger_recorded": "已登记台账", "level": "级别", "linked_stations": "联系警务站", "major": "重大",
    "major_issues": "重大问题", "measure": "措施", "media_kept": "留存影像", "mediated_at": "调解时间",
    "meeting_id": "会议编号", "member_id": "队员编号", "member_ids": "成员", "mentor_id": "结对师傅", "month": "月份",
    "name": "名称", "needs_referral": "需转办", "nickname": "昵称", "on": "日期", "online_group_id": "群组编号",
    "outcome": "结果", "owner": "负责人", "parent_id": "上级编号", "participants": "参与人员", "party_branch": "党支部",
    "party_member": "党员", "party_vanguard": "党员先锋岗", "patrol_team_id": "巡防队编号", "personal_info": "个人信息",
    "place": "地点", "place_id": "场所编号", "place_ids": "场所", "plan": "方案", "platform": "平台",
    "platform_functions": "平台功能", "police_station": "派出所", "problem": "问题", "process": "流程",
    "protective_gear_issued": "已发防护装备", "published_on_platform": "已在平台发布", "real_name_verified": "已实名认证",
    "reason": "原因", "received_at": "受理时间", "record_kept": "已留记录", "records_kept": "记录留存",
    "recruits_students_retirees_gig_workers": "吸纳学生退休人员新就业群体", "rectification_ordered": "已责令整改",
    "rectified_at": "整改时间", "reference": "文号", "referred_at": "转办时间", "registered": "已登记",
    "registered_at": "登记时间", "reported_at": "上报时间", "result": "结论", "reviewer": "审查人",
    "risk_assessment_done": "已做风险评估", "role": "身份", "roles": "角色", "route": "路线", "score": "分数",
    "secretary": "书记", "secretary_role": "书记身份", "security_committee_id": "治保会编号", "service_record": "服务记录",
    "since": "起始日期", "skills": "技能", "specialty": "特色", "start": "开始时间", "started_at": "开始时间",
    "status": "状态", "status_since": "状态起始日期", "submitted_at": "提交时间", "suggestion": "建议", "team_id": "所属队伍",
    "team_ids": "队伍", "tier": "档次", "title": "标题", "topic": "主题", "topics": "议题", "township": "乡镇街道",
    "unit_id": "所属分队", "valid_from": "有效期起", "valid_until": "有效期至", "wartime": "战时", "written_report": "书面报告",
    "year": "年度",
}
"""The Chinese header of each field name (a column may also be headed by the field's own name)."""

PERSON_COLLECTIONS = {"members", "group_members", "committee_members", "patrol_members"}  # their `name` is 姓名

BOOL_WORDS = {"是": True, "否": False, "true": True, "false": False, "yes": True, "no": False, "y": True, "n": False,
              "1": True, "0": False, "有": True, "无": False, "√": True, "×": False, "✓": True, "✗": False}
"""Cell text read as a yes/no without a mapping (lower-cased first)."""


@dataclass(frozen=True)
class Field:
    """One column of a collection."""

    path: str  # "birth_date", "file.personal_info"
    kind: str  # text, whole, number, yes_no, date, instant, choice, list, json
    header: str  # the template's Chinese header
    required: bool = False
    item: str | None = None  # a list's item kind
    choices: tuple[str, ...] = ()  # a choice's (or a list of choices') allowed values


@cache
def fields_of(collection: str) -> dict[str, Field]:
    """The columns of a collection, keyed by field path, in model order."""
    person = collection in PERSON_COLLECTIONS
    return {f.path: f for f in _fields(COLLECTIONS[collection].model, "", "", person)}


def _fields(model: type[BaseModel], prefix: str, header_prefix: str, person: bool = False):
    for name, info in model.model_fields.items():
        word = "姓名" if person and name == "name" else HEADERS.get(name, name)
        path, header = prefix + name, header_prefix + word
        kind, item, choices, nested = _describe(info.annotation)
        if nested is not None:
            yield from _fields(nested, path + ".", header + "-")
        else:
            yield Field(path, kind, header, info.is_required() and not prefix, item, choices)


def _describe(annotation) -> tuple[str, str | None, tuple[str, ...], type[BaseModel] | None]:
    """(kind, item kind, choices, nested model) of a field's type."""
    annotation = _strip(annotation)
    if typing.get_origin(annotation) is list:
        kind, _, choices, nested = _describe(typing.get_args(annotation)[0])
        return ("json", None, (), None) if nested is not None else ("list", kind, choices, None)
    if typing.get_origin(annotation) is typing.Literal:
        return "choice", None, tuple(str(a) for a in typing.get_args(annotation)), None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "nested", None, (), annotation
    for t, kind in ((bool, "yes_no"), (int, "whole"), (float, "number"), (datetime, "instant"), (date, "date")):
        if annotation is t:
            return kind, None, (), None
    return "text", None, (), None


def _strip(annotation):
    """Drop Optional and Annotated."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _strip(inner[0]) if len(inner) == 1 else annotation
    if origin is typing.Annotated:
        return _strip(typing.get_args(annotation)[0])
    return annotation
