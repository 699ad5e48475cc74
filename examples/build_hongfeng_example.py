"""Build the example dataset in examples/hongfeng/ (seeded, reproducible): one city association,
two county associations, 24 teams with a year (2025) of records.

Team hf-t01 is fully conformant; hf-t02 misses `shall` clauses (core members, captain, regular
training, special activities); hf-t03 has a late major-hazard report, a missing charter, a late
complaint feedback and too few members (a `should` miss); hf-t04 lacks birth dates and insurance
records, so those rules are not assessable. The other teams are ordinary, mostly conformant teams.

    python examples/build_hongfeng_example.py   # rewrites examples/hongfeng/*.json except points and scores
"""
from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).parent / "hongfeng"
YEAR = 2025
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玲建国红梅志强晓东海燕春生文斌立新"
SKILLS = ["first_aid", "mediation", "water_rescue", "fire_safety", "legal_aid", "psychology", "drone", "driving"]
EVIDENCE = ["civil_registration", "charter", "code_of_conduct", "workstation", "signage", "culture_wall",
            "recruitment_standard", "rules_system", "points_rules", "risk_assessment_plan", "safety_education_base",
            "improvement_ledger", "inspection_archive"]
PLATFORM = ["task_dispatch", "info_reporting", "learning", "service_records", "points", "personnel_files",
            "tiered_organisation", "member_review", "classification", "dynamic_update", "online_tasks", "sign_in",
            "auto_points", "points_exchange", "awards_statistics"]


def at(d: date, hour: int = 9, minute: int = 0) -> str:
    return datetime(d.year, d.month, d.day, hour, minute).isoformat() + "+08:00"


def mondays(year: int):
    d = date(year, 1, 1)
    d += timedelta(days=(7 - d.weekday()) % 7)
    while d.year == year:
        yield d
        d += timedelta(days=7)


class TeamBuilder:
    def __init__(self, n: int, association: str, rng: random.Random):
        self.n, self.rng = n, rng
        self.tid = f"hf-t{n:02d}"
        self.association = association
        self.out: dict[str, list] = {}
        self.seq: dict[str, int] = {}

    def add(self, collection: str, record: dict) -> dict:
        self.out.setdefault(collection, []).append(record)
        return record

    def next_id(self, short: str) -> str:
        self.seq[short] = self.seq.get(short, 0) + 1
        return f"{self.tid}-{short}{self.seq[short]:03d}"

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice([1, 2])))

    def build(self, members: int = 56, core: int = 12) -> "TeamBuilder":
        rng, tid = self.rng, self.tid
        self.add("teams", {
            "id": tid, "association_id": self.association, "name": f"红枫义警第{self.n}总队",
            "founded_on": "2019-03-01", "police_station": f"第{self.n}派出所", "specialty": "综合",
            "core_services": [{"name": "矛盾纠纷化解", "plan": True, "process": True, "checklist": True}],
            "party_branch": {"secretary": self.name(), "secretary_role": "community_police_officer",
                             "brands": [f"红枫先锋{self.n}"]},
            "platform_functions": PLATFORM, "recruits_students_retirees_gig_workers": True,
        })
        units = []
        for s in range(2):
            sub = self.add("units", {"id": f"{tid}-u{s + 1}", "team_id": tid, "level": "sub_team",
                                     "name": f"第{s + 1}分队", "last_active_on": "2025-12-20"})
            units.append(sub["id"])
            for g in range(2):
                self.add("units", {"id": f"{sub['id']}g{g + 1}", "team_id": tid, "parent_id": sub["id"],
                                   "level": "group", "name": f"第{s + 1}分队第{g + 1}小组",
                                   "party_vanguard": s == 0 and g == 0, "last_active_on": "2025-12-20"})
        self.members = []
        for i in range(members):
            mid = f"{tid}-m{i + 1:03d}"
            roles = ["captain", "core"] if i == 0 else (["core"] if i < core else ["member"])
            joined = date(2025, 3, 1) if i >= members - 3 else date(2019 + i % 5, 1 + i % 12, 1)
            m = {
                "id": mid, "team_id": tid, "unit_id": units[i % 2], "name": self.name(),
                "birth_date": date(1965 + rng.randrange(0, 35), 1 + rng.randrange(12), 1 + rng.randrange(28)).isoformat(),
                "join_date": joined.isoformat(), "roles": roles, "party_member": i % 3 == 0,
                "real_name_verified": True,
                "skills": [SKILLS[i % len(SKILLS)]] if i < core or i % 4 == 0 else [],
                "certificates": ([{"name": "红十字救护员证", "valid_from": "2024-01-01", "valid_until": "2027-12-31"}]
                                 if i % 10 == 0 else []),
                "insurance": [{"kind": "accident", "start": "2025-01-01", "end": "2025-12-31"},
                              {"kind": "accident", "start": "2026-01-01", "end": "2026-12-31"}],
                "equipment": [{"item": e, "issued_on": joined.isoformat()} for e in ("uniform", "shoulder_light", "radio")],
                "file": {"personal_info": True, "contact": True, "skills": True, "service_record": True},
            }
            if joined.year == YEAR:
                m["mentor_id"] = f"{tid}-m{core + 1:03d}"
            self.members.append(self.add("members", m))
        self._trainings()
        self._meetings()
        self._activities(special=14)
        self._casework()
        for kind in EVIDENCE:
            self.add("evidence", {"id": self.next_id("e"), "kind": kind, "team_id": tid, "issued_on": "2024-06-01"})
        for channel in ("投诉电话", "意见箱", "网络平台"):
            self.add("evidence", {"id": self.next_id("e"), "kind": "complaint_channel", "team_id": tid,
                                  "title": channel, "issued_on": "2024-06-01"})
        for q in range(4):
            self.add("evidence", {"id": self.next_id("e"), "kind": "attendance_publication", "team_id": tid,
                                  "issued_on": date(YEAR, 3 * q + 3, 28).isoformat()})
        return self

    def ids(self, who="all"):
        if who == "core":
            return [m["id"] for m in self.members if "core" in m["roles"]]
        return [m["id"] for m in self.members]

    def training(self, kind: str, day: date, hours: float = 4, attendees=None):
        start = datetime(day.year, day.month, day.day, 8, 30)
        self.add("trainings", {"id": self.next_id("tr"), "team_id": self.tid, "kind": kind, "topic": kind,
                               "start": start.isoformat() + "+08:00",
                               "end": (start + timedelta(hours=hours)).isoformat() + "+08:00",
                               "attendee_ids": attendees if attendees is not None else self.ids()})

    def _trainings(self):
        self.training("pre_job", date(YEAR, 3, 8))
        self.training("pre_job", date(YEAR, 3, 15))
        for month in range(1, 13):
            self.training("regular", date(YEAR, month, 10))
        for q in range(4):
            self.training("professional", date(YEAR, 3 * q + 2, 20))
            self.training("drill", date(YEAR, 3 * q + 3, 12))
            self.training("counselling", date(YEAR, 3 * q + 3, 18))

    def _meetings(self):
        for d in mondays(YEAR):
            self.add("meetings", {"id": self.next_id("mt"), "team_id": self.tid, "kind": "weekly", "held_at": at(d, 19),
                                  "topics": ["security_situation", "task_assignment", "experience_summary"]})
        for q in range(4):
            meeting = self.add("meetings", {"id": self.next_id("mt"), "team_id": self.tid, "kind": "quarterly_review",
                                            "held_at": at(date(YEAR, 3 * q + 3, 25), 14)})
            self.add("improvements", {"id": self.next_id("im"), "team_id": self.tid, "meeting_id": meeting["id"],
                                      "measure": "加强夜间巡逻签到", "owner": "第1分队", "goal": "签到率100%",
                                      "due": date(YEAR, 3 * q + 3, 28).isoformat() if q < 3 else "2026-02-28",
                                      **({"closed_at": at(date(YEAR, 3 * q + 3, 27))} if q < 3 else {})})

    def activity(self, kind: str, day: date, people, hours: float = 4, **flags):
        start = datetime(day.year, day.month, day.day, 9)
        record = {"id": self.next_id("ac"), "team_id": self.tid, "kind": kind, "title": kind,
                  "start": start.isoformat() + "+08:00", "end": (start + timedelta(hours=hours)).isoformat() + "+08:00",
                  "participants": [{"member_id": p, "hours": hours} for p in people],
                  "published_on_platform": True, "evaluation_recorded": True, "ledger_recorded": True}
        record.update(flags)
        return self.add("activities", record)

    def _activities(self, special: int):
        core, others = self.ids("core"), [m for m in self.ids() if m not in self.ids("core")]
        for i in range(special):
            extra = self.rng.sample(others, min(len(others), 8))
            self.activity("special", date(YEAR, 1 + i % 12, 5 + i // 12 * 10), core + extra,
                          risk_assessment_done=True)
        for q in range(4):
            self.activity("publicity", date(YEAR, 3 * q + 2, 8), self.rng.sample(self.ids(), 10), media_kept=True)
        self.activity("joint_response", date(YEAR, 7, 19), core, hours=6, high_risk=True,
                      protective_gear_issued=True, risk_assessment_done=True)
        for month in range(1, 13):
            d = date(YEAR, month, 16)
            for p in self.rng.sample(self.ids(), 5):
                self.add("patrol_sign_ins", {"id": self.next_id("ps"), "team_id": self.tid, "member_id": p,
                                             "at": at(d, 20), "place": "商业街区"})
            report_day = date(YEAR + (month == 12), month % 12 + 1, 3)
            self.add("patrol_reports", {"id": self.next_id("pr"), "team_id": self.tid, "month": f"{YEAR}-{month:02d}",
                                        "submitted_at": at(report_day, 10)})

    def _casework(self):
        for i, major in enumerate([True, False, False]):
            found = datetime(YEAR, 4 + i, 11, 15)
            self.add("hazards", {"id": self.next_id("hz"), "team_id": self.tid, "found_at": found.isoformat() + "+08:00",
                                 "place": "菜市场", "problem": "消防通道堵塞", "suggestion": "清理通道", "major": major,
                                 "interim_control_at": (found + timedelta(hours=1)).isoformat() + "+08:00",
                                 "reported_at": (found + timedelta(hours=5)).isoformat() + "+08:00",
                                 "rectified_at": (found + timedelta(days=3)).isoformat() + "+08:00",
                                 "feedback_at": (found + timedelta(days=4)).isoformat() + "+08:00"})
        for i, major in enumerate([True, False]):
            registered = datetime(YEAR, 5 + i, 6, 10)
            dispute = self.add("disputes", {"id": self.next_id("dp"), "team_id": self.tid,
                                            "registered_at": registered.isoformat() + "+08:00", "category": "邻里关系",
                                            "major": major, "record_kept": True,
                                            "mediated_at": (registered + timedelta(days=2)).isoformat() + "+08:00"})
            self.add("follow_ups", {"id": self.next_id("fu"), "dispute_id": dispute["id"], "evaluation": "满意",
                                    "at": (registered + timedelta(days=20)).isoformat() + "+08:00"})
        started = datetime(YEAR, 6, 10, 9)
        self.add("assistance_cases", {"id": self.next_id("as"), "team_id": self.tid, "beneficiary_group": "独居老人",
                                      "home_visit_at": (started - timedelta(days=3)).isoformat() + "+08:00",
                                      "started_at": started.isoformat() + "+08:00",
                                      "kinds": ["life_care", "counselling", "legal_aid"], "records_kept": True,
                                      "evaluated_at": (started + timedelta(days=60)).isoformat() + "+08:00"})
        # A complaint closed on Friday 2025-09-26: 7 working days run to 2025-10-11 (调休: 9-28 and 10-11 work).
        self.add("complaints", {"id": self.next_id("cp"), "team_id": self.tid, "channel": "phone",
                                "received_at": at(date(YEAR, 9, 15)), "registered": True,
                                "investigation_closed_at": at(date(YEAR, 9, 26), 17),
                                "feedback_at": at(date(YEAR, 10, 10), 10),
                                "file": {"content": True, "investigation": True, "outcome": True}})
        for kind, month in (("periodic", 6), ("periodic", 12), ("random", 9)):
            self.add("inspections", {"id": self.next_id("in"), "team_id": self.tid, "kind": kind,
                                     "at": at(date(YEAR, month, 2)), "checklist_used": True, "written_report": True,
                                     "major_issues": 0, "archived": True})


def break_t02(b: TeamBuilder) -> None:
    """Shall misses: 8 core members, two captains, a core member without a skill, regular training
    missing in two months, only 10 special activities."""
    for m in b.members:
        if m["id"] in (f"{b.tid}-m010", f"{b.tid}-m011", f"{b.tid}-m012"):
            m["roles"] = ["member"]
    b.members[1]["roles"] = ["captain", "core"]
    b.members[2]["skills"] = []
    b.out["trainings"] = [t for t in b.out["trainings"] if not (t["kind"] == "regular" and t["start"][5:7] in ("07", "08"))]
    special = [a for a in b.out["activities"] if a["kind"] == "special"]
    for a in special[10:]:
        b.out["activities"].remove(a)


def break_t03(b: TeamBuilder) -> None:
    """A major hazard reported after 30 hours, no charter, a complaint answered late, 45 members."""
    hazard = b.out["hazards"][0]
    found = datetime.fromisoformat(hazard["found_at"])
    hazard["reported_at"] = (found + timedelta(hours=30)).isoformat()
    b.out["evidence"] = [e for e in b.out["evidence"] if e["kind"] != "charter"]
    b.out["complaints"][0]["feedback_at"] = at(date(YEAR, 10, 14), 10)


def break_t04(b: TeamBuilder) -> None:
    """Birth dates and insurance not recorded for some members: those rules are not assessable."""
    for m in b.members[5:9]:
        del m["birth_date"]
        del m["insurance"]


def build() -> dict[str, list]:
    rng = random.Random(20251)
    data: dict[str, list] = {"associations": [
        {"id": "zj-shaoxing", "name": "绍兴市义警协会", "level": "city"},
        {"id": "zj-zhuji", "name": "诸暨市义警协会", "level": "county", "parent_id": "zj-shaoxing"},
        {"id": "zj-shangyu", "name": "上虞区义警协会", "level": "county", "parent_id": "zj-shaoxing"},
    ]}
    for n in range(1, 25):
        b = TeamBuilder(n, "zj-zhuji" if n <= 12 else "zj-shangyu", rng)
        b.build(members=45 if n == 3 else 50 + (n * 7) % 30)
        {2: break_t02, 3: break_t03, 4: break_t04}.get(n, lambda _: None)(b)
        for collection, records in b.out.items():
            data.setdefault(collection, []).extend(records)
    return data


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for collection, records in build().items():
        lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records)
        (OUT / f"{collection}.json").write_text(f"[\n{lines}\n]\n", encoding="utf-8")  # one record a line


if __name__ == "__main__":
    main()
