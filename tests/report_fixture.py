"""A small rule pack and dataset for the report, waiver and gating tests (built in a tmp folder)."""
from __future__ import annotations

import json
from pathlib import Path

PACK = {
    "pack.yaml": """\
pack: tpack
id_prefix: tp
title: {zh: 测试规范, en: Test standard}
version: "1"
source_kind: practice
source_document: none
""",
    "core.yaml": """\
id: tp-5.2.6-core-members
clause: "5.2.6"
strength: shall
modal: 应
title: {zh: 核心队员不少于3人, en: At least 3 core members}
source: {zh: "核心队员应不少于 3 人 <b>&", en: "A team shall have no fewer than 3 core members <b>&"}
subject: team
check:
  kind: count
  of: members
  where: {roles: {contains: core}, status: active}
  at_least: {value: 3, unit: person}
message:
  zh: "核心队员 {measured} 人，少于 {expected}"
  en: "{measured} active core members; expected {expected}"
""",
    "skills.yaml": """\
id: tp-5.2.7-member-skills
clause: "5.2.7"
strength: should
modal: 宜
title: {zh: 队员登记技能, en: Members record skills}
source: {zh: 队员宜登记技能, en: A member should record skills.}
subject: member
check:
  kind: every
  require: {skills: {min_items: 1}}
message:
  zh: "{subject} 未登记技能"
  en: "{subject} has no skills recorded"
""",
    "training.yaml": """\
id: tp-5.3.1-trainings
clause: "5.3.1"
strength: shall
modal: 应
title: {zh: 开展培训, en: Holds trainings}
source: {zh: 应开展培训, en: A team shall hold trainings.}
subject: team
check:
  kind: count
  of: trainings
  at_least: {value: 1, unit: times}
message:
  zh: "培训 {measured} 次"
  en: "{measured} trainings"
""",
}


def member(i: int, team: str, core: bool, skills: bool) -> dict:
    return {"id": f"{team}-m{i}", "team_id": team, "name": f"M{i}", "join_date": "2024-01-01",
            "roles": ["core"] if core else ["member"], "skills": ["first aid"] if skills else []}


def dataset() -> dict:
    """Team t1: 3 core members, one member without skills. Team t2 <x>: 1 core member. No trainings."""
    return {
        "associations": [{"id": "a1", "name": "County", "level": "county"}],
        "teams": [{"id": "t1", "association_id": "a1", "name": "Team one"},
                  {"id": "t2", "association_id": "a1", "name": "Team <two> & \"co\""}],
        "members": [member(i, "t1", True, i != 0) for i in range(3)] + [member(0, "t2", True, True)],
    }


def make(tmp: Path) -> tuple[Path, Path]:
    """Write the pack and the dataset under tmp; return (pack dir, dataset file)."""
    pack = tmp / "tpack"
    pack.mkdir()
    for name, text in PACK.items():
        (pack / name).write_text(text, encoding="utf-8")
    data = tmp / "export.json"
    data.write_text(json.dumps(dataset()), encoding="utf-8")
    return pack, data


def check_args(pack: Path, data: Path, *extra: str) -> list[str]:
    return ["check", str(data), "--rules", str(pack), "--period", "2025", "--as-of", "2025-12-31", *extra]
