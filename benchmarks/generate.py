"""Seeded synthetic datasets for the province-scale benchmark (issue #8) and for smoke tests.

    from benchmarks.generate import generate, write
    data = generate(3, seed=1)             # plain JSON-ready collections, valid as a Dataset
    write(data, "out/")                    # one <collection>.json per collection

    python benchmarks/generate.py 100 out/ --seed 1 --violation-rate 0.1

One province association, eleven city associations, a county association for about every ten
teams. Each team has 30–300 members (median ≈ 95), core members, skills and certificates,
insurance, equipment, a year (2025) of trainings, weekly meetings and quarterly reviews, activities
with 5–40 participants (≈ 1,100 participations a team), hazards, disputes with follow-ups,
complaints, patrol sign-ins and monthly patrol reports, assistance cases, inspections, improvements,
evidence documents, points and three years of team scores.

Violations are planted in a controlled share: every team draws each flaw of `FLAWS` (keyed by the
clause it breaks) independently with probability `violation_rate`, and per-record lapses (a major
hazard reported late, a follow-up after a month, late complaint feedback…) happen with the same
probability. Records are also left open at the end of the year so that deadlines are `pending` on
the as-of date `AS_OF`, and some values are left unrecorded so that findings are `not_assessable`.
The generator does not read the rule packs: the data describes teams, the rules judge them.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, Iterator

YEAR = 2025
PERIOD = "2025"
AS_OF = "2026-01-15T12:00:00+08:00"
TZ = "+08:00"
_AS_OF_NAIVE = datetime(2026, 1, 15, 12)  # AS_OF as Shanghai wall-clock time

# flaw -> the clause it breaks (every team draws each with probability violation_rate)
FLAWS: dict[str, str] = {
    "no_vanguard_group": "5.1.3",
    "no_workstation": "5.2.1",
    "no_charter": "5.2.2",
    "unverified_names": "5.2.2",
    "few_platform_functions": "5.2.3",
    "no_captain": "5.2.4",
    "captain_low_hours": "5.2.4",
    "small_team": "5.2.6",
    "old_team": "5.2.6",
    "few_core": "5.2.6",
    "core_without_skill": "5.2.6",
    "few_certificates": "5.2.6",
    "no_civil_registration": "5.2.7",
    "incomplete_member_files": "5.2.7",
    "missed_weekly_meetings": "5.2.7",
    "dormant_members": "5.2.7",
    "dormant_unit": "5.2.7",
    "no_culture_wall": "5.2.8",
    "no_attendance_publicity": "5.2.9",
    "one_pre_job_training": "5.3.1",
    "missed_regular_training": "5.3.1",
    "missed_professional_training": "5.3.1",
    "one_drill": "5.3.1",
    "short_training": "5.3.1",
    "no_party_branch_officer": "5.4.2",
    "no_party_brand": "5.4.2",
    "missed_counselling": "5.4.3",
    "uninsured_members": "5.4.3",
    "new_member_without_mentor": "5.4.6",
    "no_diverse_recruiting": "5.4.6",
    "no_risk_assessment_plan": "5.4.7",
    "no_core_service_checklist": "6.1.1",
    "few_special_activities": "6.1.2",
    "core_member_few_activities": "6.1.2",
    "missing_radio": "6.1.3",
    "high_risk_without_gear": "6.1.3",
    "activities_not_on_platform": "6.1.4",
    "hazard_without_suggestion": "6.2.3",
    "hazard_loop_open": "6.2.4",
    "mediation_not_recorded": "6.3.3",
    "missed_patrol_report": "6.4.3",
    "no_home_visit": "6.5.2",
    "one_kind_of_help": "6.5.3",
    "referral_missing": "6.5.4",
    "publicity_without_media": "6.6.4",
    "inspection_without_checklist": "7.1.2",
    "inspection_without_report": "7.1.3",
    "inspection_not_archived": "7.1.4",
    "few_complaint_channels": "7.3.1",
    "complaint_not_registered": "7.3.2",
    "complaint_file_incomplete": "7.3.4",
    "missed_quarterly_review": "7.4.1",
    "improvement_without_owner": "7.4.1",
}
# per-record lapses, each with probability violation_rate on the records it can touch
RECORD_LAPSES: dict[str, str] = {
    "major hazard reported after 24 hours": "6.2.3",
    "major dispute followed up after a month": "6.3.3",
    "complaint feedback after 7 working days": "7.3.3",
}

SKILLS = ["first_aid", "rescue", "mediation", "law", "fire_safety", "swimming", "driving", "psychology",
          "it", "photography"]
CERTIFICATES = ["red_cross_first_aid", "lifeguard", "people_mediator", "legal_practice", "psych_counsellor",
                "fire_safety_operator"]
PLATFORM_FUNCTIONS = ["task_dispatch", "information_reporting", "learning", "service_records", "points",
                      "personnel_files", "tiered_organisation", "member_review", "sign_in", "auto_scoring",
                      "points_exchange"]
TEAM_EVIDENCE = {  # kind (as the hongfeng pack's manifest names them) -> flaw that removes it or lets it lapse
    "workstation": "no_workstation", "signage": None, "charter": "no_charter", "code_of_conduct": None,
    "civil_registration": "no_civil_registration", "recruitment_standard": None, "rules_system": None,
    "culture_wall": "no_culture_wall", "safety_education_base": None, "points_rules": None,
    "risk_assessment_plan": "no_risk_assessment_plan", "improvement_ledger": None, "patrol_plan": None,
}
ASSOCIATION_EVIDENCE = ["charter", "civil_registration", "development_plan"]
SPECIALTIES = ["mediation", "rescue", "patrol", "anti_fraud", "traffic", "care", "water_rescue"]
DISPUTE_CATEGORIES = ["marriage_family", "neighbours", "property", "labour", "consumer", "legal"]
HELP_KINDS = ["life_care", "counselling", "legal_aid"]
GROUPS = ["elderly_alone", "left_behind_children", "disabled"]
CHANNELS = ["phone", "mailbox", "online", "in_person", "other"]
ACTIVITY_KINDS = ["patrol", "risk_check", "mediation", "assistance", "publicity", "joint_response", "other"]
ACTIVITY_WEIGHTS = [30, 15, 10, 10, 15, 8, 12]
_YEAR_START = date(YEAR, 1, 1)
_DAYS = [(_YEAR_START + timedelta(days=i)) for i in range(365)]


def _at(d: date, hour: float = 9.0) -> str:
    """An instant on a day, `hour` hours after midnight (may roll over days), Shanghai time."""
    t = datetime(d.year, d.month, d.day) + timedelta(hours=hour)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + TZ


def _month_days(month: int) -> list[date]:
    return [d for d in _DAYS if d.month == month]


def _quarter_days(q: int) -> list[date]:
    return [d for d in _DAYS if (d.month - 1) // 3 == q]


COLLECTION_NAMES = ("associations", "teams", "units", "members", "trainings", "meetings", "activities", "hazards",
                    "disputes", "follow_ups", "patrol_sign_ins", "patrol_reports", "assistance_cases", "complaints",
                    "inspections", "improvements", "points", "team_scores", "evidence")


def generate(n_teams: int, seed: int = 0, violation_rate: float = 0.1,
             planted: dict[str, set[str]] | None = None) -> dict[str, list[dict[str, Any]]]:
    """A dataset of `n_teams` teams as plain JSON-ready collections (valid as `hongfeng_rules.models.Dataset`).

    `planted`, when given, receives team id -> the set of flaws planted in that team.
    """
    (data,) = parts(n_teams, seed, violation_rate, planted)
    return data


def parts(n_teams: int, seed: int = 0, violation_rate: float = 0.1, planted: dict[str, set[str]] | None = None,
          every: int | None = None) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """`generate`'s dataset in parts of `every` teams (all in one part without it): the records of each part follow
    those of the one before, so that a large province can be written without holding it (`write_parts`)."""
    if n_teams < 1:
        raise ValueError("n_teams must be at least 1")
    if not 0 <= violation_rate <= 1:
        raise ValueError("violation_rate is a probability between 0 and 1")
    rng = random.Random(seed)
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in COLLECTION_NAMES}
    out["associations"].append({"id": "zj", "name": "浙江省义警协会", "level": "province"})
    n_cities = min(11, n_teams)
    for c in range(n_cities):
        out["associations"].append({"id": f"zj-c{c + 1:02d}", "name": f"市义警协会{c + 1}", "level": "city",
                                    "parent_id": "zj"})
    n_counties = max(1, math.ceil(n_teams / 10))
    counties = []
    for k in range(n_counties):
        cid = f"zj-c{k % n_cities + 1:02d}-k{k + 1:03d}"
        counties.append(cid)
        out["associations"].append({"id": cid, "name": f"县义警协会{k + 1}", "level": "county",
                                    "parent_id": f"zj-c{k % n_cities + 1:02d}"})
    for a in out["associations"]:
        for kind in ASSOCIATION_EVIDENCE:
            out["evidence"].append({"id": f"{a['id']}-e-{kind}", "kind": kind, "association_id": a["id"],
                                    "issued_on": "2020-06-01"})
    team_ids = []
    for t in range(n_teams):
        flaws = {f for f in FLAWS if rng.random() < violation_rate}
        tid = f"t{t + 1:04d}"
        if planted is not None:
            planted[tid] = flaws
        team_ids.append(tid)
        _Team(rng, tid, counties[t % n_counties], flaws, violation_rate, out).build()
        if every and (t + 1) % every == 0 and t + 1 < n_teams:
            yield out
            out = {name: [] for name in COLLECTION_NAMES}
    _team_scores(rng, team_ids, out)
    yield out


class _Team:
    """Builds one team's records into `out`."""

    def __init__(self, rng: random.Random, tid: str, association_id: str, flaws: set[str], rate: float,
                 out: dict[str, list]):
        self.rng, self.tid, self.association_id, self.flaws, self.rate, self.out = rng, tid, association_id, flaws, rate, out

    def lapse(self) -> bool:
        return self.rng.random() < self.rate

    def build(self) -> None:
        self.team()
        self.units()
        self.members()
        self.trainings()
        self.meetings()
        self.activities()
        self.casework()
        self.evidence()
        self.points()

    # ----------------------------------------------------------------- organisation
    def team(self) -> None:
        rng, f = self.rng, self.flaws
        services = [{"name": s, "plan": True, "process": True, "checklist": "no_core_service_checklist" not in f}
                    for s in rng.sample(SPECIALTIES, rng.randint(1, 2))]
        functions = PLATFORM_FUNCTIONS if "few_platform_functions" not in f else rng.sample(PLATFORM_FUNCTIONS, 4)
        self.out["teams"].append({
            "id": self.tid, "association_id": self.association_id, "name": f"红枫义警队{self.tid[1:]}",
            "founded_on": date(rng.randint(2015, 2023), rng.randint(1, 12), 1).isoformat(),
            "police_station": f"派出所{self.tid[1:]}", "specialty": services[0]["name"], "core_services": services,
            "party_branch": {
                "secretary": f"社区民警{self.tid[1:]}",
                "secretary_role": "other" if "no_party_branch_officer" in f else "community_police_officer",
                "brands": [] if "no_party_brand" in f else [f"红枫先锋{self.tid[1:]}"],
            },
            "platform_functions": list(functions),
            "recruits_students_retirees_gig_workers": "no_diverse_recruiting" not in f,
        })

    def units(self) -> None:
        rng, tid = self.rng, self.tid
        if "small_team" in self.flaws:
            self.size = rng.randint(30, 49)
        else:
            self.size = min(300, max(50, int(rng.lognormvariate(math.log(88), 0.5))))
        n_sub = max(1, self.size // 40)
        self.unit_ids: list[str] = []
        for s in range(n_sub):
            sid = f"{tid}-s{s + 1}"
            self.out["units"].append({"id": sid, "team_id": tid, "level": "sub_team", "name": f"第{s + 1}分队",
                                      "last_active_on": "2025-12-28"})
            for g in range(2):
                gid = f"{sid}g{g + 1}"
                self.unit_ids.append(gid)
                unit = {"id": gid, "team_id": tid, "parent_id": sid, "level": "group", "name": f"第{g + 1}小组",
                        "last_active_on": "2025-12-20"}
                if s == 0 and g == 0 and "no_vanguard_group" not in self.flaws:
                    unit["party_vanguard"] = True
                    unit["name"] = "党员先锋岗"
                if s == n_sub - 1 and g == 1 and "dormant_unit" in self.flaws:
                    unit["last_active_on"] = "2025-10-02"  # inactive for over a month, not demoted
                self.out["units"].append(unit)
        if rng.random() < 0.3:  # a properly demoted unit
            self.out["units"].append({"id": f"{tid}-x1", "team_id": tid, "level": "group", "name": "原第三小组",
                                      "status": "demoted", "status_since": "2025-05-01",
                                      "last_active_on": "2025-03-20"})

    # ----------------------------------------------------------------- members
    def members(self) -> None:
        rng, tid, f = self.rng, self.tid, self.flaws
        n = self.size
        n_core = rng.randint(5, 9) if "few_core" in f else rng.randint(10, min(20, n // 3))
        cert_share = rng.uniform(0.0, 0.03) if "few_certificates" in f else rng.uniform(0.07, 0.2)
        mean_age = 58 if "old_team" in f else rng.uniform(36, 46)
        members, self.active, self.core = [], [], []
        self.exits: dict[str, date] = {}
        self.new_members: list[str] = []
        self.dormant: set[str] = set()
        for j in range(n):
            mid = f"{tid}-m{j + 1:03d}"
            roles = ["member"]
            if j == 0:
                roles = ["core"] if "no_captain" in f else ["captain", "core"]
            elif j == 1:
                roles = ["vice_captain", "core"]
            elif j < n_core:
                roles = ["core"]
            elif j < n_core + 3:
                roles = ["sub_team_leader"]
            age = min(72, max(18, int(rng.gauss(mean_age, 9))))
            joined = date(rng.randint(2016, 2024), rng.randint(1, 12), rng.randint(1, 28))
            new = j >= n_core and rng.random() < 0.12
            if new:
                joined = _DAYS[rng.randint(0, 300)]
            m: dict[str, Any] = {
                "id": mid, "team_id": tid, "unit_id": rng.choice(self.unit_ids), "name": f"队员{mid[1:]}",
                "birth_date": date(YEAR - age, rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
                "join_date": joined.isoformat(), "roles": roles, "party_member": rng.random() < 0.25,
                "real_name_verified": True,
            }
            core = "core" in roles
            n_skills = rng.randint(1, 3) if core else (rng.randint(1, 2) if rng.random() < 0.4 else 0)
            if core and j == n_core - 1 and "core_without_skill" in f:
                n_skills = 0
            if n_skills:
                m["skills"] = rng.sample(SKILLS, n_skills)
            if rng.random() < cert_share:
                m["certificates"] = [{"name": rng.choice(CERTIFICATES), "valid_from": "2023-03-01",
                                      "valid_until": "2028-02-28" if rng.random() < 0.9 else "2024-12-31"}]
            m["insurance"] = [{"kind": "accident", "start": "2025-01-01", "end": "2025-12-31"}]
            m["equipment"] = [{"item": item, "issued_on": joined.isoformat()}
                              for item in ("uniform", "shoulder_light", "radio")]
            m["file"] = {"personal_info": True, "contact": True, "skills": True, "service_record": True}
            if "incomplete_member_files" in f and rng.random() < 0.1:
                m["file"]["service_record"] = False
            if "uninsured_members" in f and rng.random() < 0.05:
                m["insurance"] = [] if rng.random() < 0.5 else [{"kind": "accident", "start": "2025-01-01",
                                                                  "end": "2025-06-30"}]
            if "missing_radio" in f and rng.random() < 0.1:
                m["equipment"] = m["equipment"][:2]
            if "unverified_names" in f and rng.random() < 0.05:
                m["real_name_verified"] = False
            if rng.random() < 0.004:  # unrecorded values: findings that are not assessable
                del m["birth_date"]
                m["real_name_verified"] = None
            if new:
                self.new_members.append(mid)
                if self.core and not ("new_member_without_mentor" in f and rng.random() < 0.3):
                    m["mentor_id"] = rng.choice(self.core)
            if not core and rng.random() < 0.04:
                since = _DAYS[rng.randint(max(0, (joined - _YEAR_START).days + 1), 330)]
                m["status"] = "exited" if rng.random() < 0.6 else "demoted"
                m["status_since"] = since.isoformat()
                self.exits[mid] = since
            else:
                self.active.append(mid)
            if core:
                self.core.append(mid)
            members.append(m)
        if "dormant_members" in f:
            plain = [m for m in self.active if m not in self.core]
            self.dormant = set(rng.sample(plain, min(len(plain), rng.randint(1, 4))))
        self.captain = f"{tid}-m001"
        self.out["members"].extend(members)

    def available(self, day: date) -> list[str]:
        """Members who may take part on a day: active (or not yet exited), and not dormant late in the year."""
        late = day >= date(YEAR, 11, 10)
        ids = [m for m in self.active if not (late and m in self.dormant)]
        ids += [m for m, since in self.exits.items() if day < since]
        return ids

    # ----------------------------------------------------------------- trainings and meetings
    def trainings(self) -> None:
        rng, f = self.rng, self.flaws
        plan: list[tuple[str, date]] = []
        pre_job = 1 if "one_pre_job_training" in f else rng.randint(2, 3)
        plan += [("pre_job", _DAYS[rng.randint(10, 300)]) for _ in range(pre_job)]
        skip_month = rng.randint(1, 11) if "missed_regular_training" in f else None
        plan += [("regular", rng.choice(_month_days(m)[:25] if m < 12 else _month_days(12)[14:22]))
                 for m in range(1, 13) if m != skip_month]
        skip_q = rng.randint(0, 3) if "missed_professional_training" in f else None
        plan += [("professional", rng.choice(_quarter_days(q))) for q in range(4) if q != skip_q]
        drills = [rng.choice(_quarter_days(q)) for q in range(4)]
        plan += [("drill", d) for d in (drills[:1] if "one_drill" in f else drills)]
        skip_c = rng.randint(0, 3) if "missed_counselling" in f else None
        plan += [("counselling", rng.choice(_quarter_days(q))) for q in range(4) if q != skip_c]
        plan.sort(key=lambda p: p[1])
        short = rng.randrange(len(plan)) if "short_training" in f else None
        for k, (kind, day) in enumerate(plan):
            pool = self.available(day)
            if kind == "regular" and day.month == 12:
                attendees = pool  # the year-end training: everyone active takes part
            elif kind == "pre_job":
                attendees = [m for m in self.new_members if m in pool] or rng.sample(pool, min(len(pool), 5))
            else:
                share = {"regular": (0.3, 0.6), "professional": (0.1, 0.3), "drill": (0.2, 0.4),
                         "counselling": (0.05, 0.15)}[kind]
                attendees = rng.sample(pool, max(3, int(len(pool) * rng.uniform(*share))))
            hours = 2.0 if k == short else rng.choice([4.0, 4.0, 4.5, 6.0, 8.0])
            self.out["trainings"].append({
                "id": f"{self.tid}-tr{k + 1:02d}", "team_id": self.tid, "kind": kind, "topic": f"{kind} training",
                "start": _at(day, 8.5), "end": _at(day, 8.5 + hours), "attendee_ids": attendees})

    def meetings(self) -> None:
        rng, f = self.rng, self.flaws
        skipped = set(rng.sample(range(2, 50), rng.randint(1, 3))) if "missed_weekly_meetings" in f else set()
        first_monday = 6  # 2025-01-06
        k = 0
        for w in range(52):
            if w in skipped:
                continue
            k += 1
            day = _DAYS[min(364, first_monday + 7 * w + rng.randint(0, 2))]
            self.out["meetings"].append({"id": f"{self.tid}-wm{k:02d}", "team_id": self.tid, "kind": "weekly",
                                         "held_at": _at(day, 19.0),
                                         "topics": ["public order", "tasks", "lessons learnt"]})
        skip_q = rng.randint(0, 3) if "missed_quarterly_review" in f else None
        self.reviews = []
        for q in range(4):
            if q == skip_q:
                continue
            day = _quarter_days(q)[-10 + rng.randint(0, 5)]
            mid = f"{self.tid}-qr{q + 1}"
            self.reviews.append((mid, day))
            self.out["meetings"].append({"id": mid, "team_id": self.tid, "kind": "quarterly_review",
                                         "held_at": _at(day, 14.0), "topics": ["review", "improvements"]})
        for i, (mid, day) in enumerate(self.reviews):
            for n in range(rng.randint(1, 3)):
                item: dict[str, Any] = {"id": f"{mid}-i{n + 1}", "team_id": self.tid, "meeting_id": mid,
                                        "measure": "改进措施", "owner": "分队长", "goal": "问题销号",
                                        "due": (day + timedelta(days=rng.randint(20, 60))).isoformat()}
                if "improvement_without_owner" in f and n == 0 and i == 0:
                    del item["owner"]
                closed = day + timedelta(days=rng.randint(5, 40))
                if rng.random() < 0.8 and closed < _AS_OF_NAIVE.date():
                    item["closed_at"] = _at(closed, 10)
                self.out["improvements"].append(item)

    # ----------------------------------------------------------------- activities
    def activities(self) -> None:
        rng, f, tid = self.rng, self.flaws, self.tid
        n = max(20, round(self.size * 0.42))
        n_special = rng.randint(9, 11) if "few_special_activities" in f else rng.randint(12, 16)
        kinds = ["special"] * n_special + rng.choices(ACTIVITY_KINDS, ACTIVITY_WEIGHTS, k=max(0, n - n_special))
        days = sorted(_DAYS[rng.randint(0, 364)] for _ in kinds)
        rng.shuffle(kinds)
        acts = []
        counts: dict[str, int] = {}
        for k, (kind, day) in enumerate(zip(kinds, days)):
            pool = self.available(day)
            size = rng.randint(5, min(40, len(pool)))
            people = rng.sample(pool, size)
            hours = rng.choice([2.0, 2.5, 3.0, 4.0])
            high_risk = kind in ("joint_response", "special") and rng.random() < 0.3
            a: dict[str, Any] = {
                "id": f"{tid}-a{k + 1:03d}", "team_id": tid, "kind": kind, "title": f"{kind} {k + 1}",
                "start": _at(day, 9.0), "end": _at(day, 9.0 + hours), "high_risk": high_risk,
                "risk_assessment_done": True, "ledger_recorded": True,
                "published_on_platform": not ("activities_not_on_platform" in f and rng.random() < 0.2),
                "evaluation_recorded": True,
            }
            if high_risk:
                a["protective_gear_issued"] = not ("high_risk_without_gear" in f and rng.random() < 0.5)
            if kind == "publicity":
                a["media_kept"] = not ("publicity_without_media" in f and rng.random() < 0.5)
            if rng.random() < 0.01:
                a["evaluation_recorded"] = None  # not recorded
            acts.append((a, people, hours, set(pool)))
            for m in people:
                counts[m] = counts.get(m, 0) + 1
        # core members take part at least 9 times (the captain far more), unless a flaw says otherwise
        low_core = self.core[-1] if "core_member_few_activities" in f and len(self.core) > 2 else None
        for m in self.core:
            target = 6 if m == low_core else (rng.randint(30, 45) if m == self.captain else rng.randint(9, 20))
            if m == self.captain and "captain_low_hours" in f:
                low_core, target = m, 3
            pos = [i for i, (_, people, _, pool) in enumerate(acts) if m not in people and m in pool
                   and len(people) < 40]
            rng.shuffle(pos)
            for i in pos[:max(0, target - counts.get(m, 0))]:
                acts[i][1].append(m)
            if m == low_core:  # take the member out of all but `target` activities
                keep = target
                for _, people, _, _ in acts:
                    if m in people:
                        if keep <= 0 and len(people) > 5:
                            people.remove(m)
                        else:
                            keep -= 1
        for a, people, hours, _ in acts:
            a["participants"] = [{"member_id": m, "hours": hours + (1.0 if m == self.captain else 0.0)}
                                 for m in people]
            self.out["activities"].append(a)
            if a["kind"] == "patrol":
                for i, p in enumerate(a["participants"]):
                    self.out["patrol_sign_ins"].append({"id": f"{a['id']}-s{i + 1}", "team_id": tid,
                                                        "member_id": p["member_id"], "at": a["start"],
                                                        "place": "巡逻点", "activity_id": a["id"]})

    # ----------------------------------------------------------------- casework
    def casework(self) -> None:
        rng, f, tid, out = self.rng, self.flaws, self.tid, self.out
        for k in range(rng.randint(8, 15)):
            found = datetime.combine(_DAYS[rng.randint(0, 340)], datetime.min.time()) + timedelta(hours=rng.randint(8, 20))
            major = rng.random() < 0.2
            h: dict[str, Any] = {"id": f"{tid}-h{k + 1:02d}", "team_id": tid, "found_at": _iso(found),
                                 "place": "重点部位", "problem": "监控损坏", "suggestion": "报修", "major": major}
            if "hazard_without_suggestion" in f and k == 0:
                del h["suggestion"]
            if major:
                h["interim_control_at"] = _iso(found + timedelta(hours=1))
                late = self.lapse()
                if not (late and rng.random() < 0.3):
                    h["reported_at"] = _iso(found + timedelta(hours=rng.randint(26, 72) if late else rng.randint(2, 20)))
            h["rectified_at"] = _iso(found + timedelta(days=rng.randint(3, 20)))
            if not ("hazard_loop_open" in f and k < 2):
                h["feedback_at"] = _iso(found + timedelta(days=rng.randint(21, 25)))
            out["hazards"].append(h)
        for k in range(rng.randint(5, 12)):
            last = k == 0 and rng.random() < 0.6  # mediated late in December: its follow-up is still due
            reg = datetime.combine(_DAYS[rng.randint(355, 360)] if last else _DAYS[rng.randint(0, 320)],
                                   datetime.min.time()) + timedelta(hours=10)
            mediated = reg + timedelta(days=rng.randint(1, 4) if last else rng.randint(1, 10))
            major = last or rng.random() < 0.25
            did = f"{tid}-d{k + 1:02d}"
            out["disputes"].append({"id": did, "team_id": tid, "registered_at": _iso(reg),
                                    "category": rng.choice(DISPUTE_CATEGORIES), "major": major,
                                    "mediated_at": _iso(mediated),
                                    "record_kept": not ("mediation_not_recorded" in f and k == 1)})
            if last:
                continue
            if major:
                late = self.lapse()
                if not (late and rng.random() < 0.3):
                    at = mediated + timedelta(days=rng.randint(35, 60) if late else rng.randint(5, 25))
                    if at <= _AS_OF_NAIVE:
                        out["follow_ups"].append({"id": f"{did}-f1", "dispute_id": did, "at": _iso(at),
                                              "evaluation": "满意"})
            elif rng.random() < 0.5 and mediated + timedelta(days=50) <= _AS_OF_NAIVE:
                out["follow_ups"].append({"id": f"{did}-f1", "dispute_id": did,
                                          "at": _iso(mediated + timedelta(days=rng.randint(5, 50))),
                                          "evaluation": "满意"})
        skip = rng.randint(1, 11) if "missed_patrol_report" in f else None
        for month in range(1, 13):
            if month == skip:
                continue
            day = _month_days(month)[rng.randint(24, 27)]
            out["patrol_reports"].append({"id": f"{tid}-pr{month:02d}", "team_id": tid, "month": f"{YEAR}-{month:02d}",
                                          "submitted_at": _at(day, 16)})
        for k in range(rng.randint(3, 8)):
            start = _DAYS[rng.randint(10, 340)]
            case: dict[str, Any] = {"id": f"{tid}-c{k + 1:02d}", "team_id": tid,
                                    "beneficiary_group": rng.choice(GROUPS), "started_at": _at(start, 10),
                                    "home_visit_at": _at(start - timedelta(days=rng.randint(1, 7)), 15),
                                    "kinds": rng.sample(HELP_KINDS, rng.randint(2, 3)), "records_kept": True,
                                    "evaluated_at": _at(min(start + timedelta(days=rng.randint(20, 60)),
                                                            _AS_OF_NAIVE.date() - timedelta(days=1)), 10)}
            if k == 0 and "no_home_visit" in f:
                del case["home_visit_at"]
            if k == 0 and "one_kind_of_help" in f:
                case["kinds"] = case["kinds"][:1]
            if rng.random() < 0.2 or (k == 1 and "referral_missing" in f):
                case["needs_referral"] = True
                if not (k == 1 and "referral_missing" in f):
                    case["referred_at"] = _at(start + timedelta(days=rng.randint(1, 10)), 10)
            out["assistance_cases"].append(case)
        self.complaints()
        for k in range(rng.randint(2, 4)):
            day = _DAYS[rng.randint(0, 350)]
            issues = rng.choice([0, 0, 0, 1, 2])
            out["inspections"].append({
                "id": f"{tid}-in{k + 1}", "team_id": tid, "kind": "periodic" if k % 2 == 0 else "random",
                "at": _at(day, 10), "checklist_used": not ("inspection_without_checklist" in f and k == 0),
                "written_report": not ("inspection_without_report" in f and k == 0), "major_issues": issues,
                "rectification_ordered": True if issues else None,
                "archived": not ("inspection_not_archived" in f and k == 0)})

    def complaints(self) -> None:
        rng, f, tid = self.rng, self.flaws, self.tid
        n = rng.choice([0, 1, 1, 2, 2, 3, 4, 5])
        for k in range(n):
            open_at_year_end = k == 0 and rng.random() < 0.4
            received = datetime.combine(_DAYS[rng.randint(350, 356)] if open_at_year_end
                                        else _DAYS[rng.randint(0, 330)], datetime.min.time()) + timedelta(hours=11)
            c: dict[str, Any] = {"id": f"{tid}-cp{k + 1}", "team_id": tid, "channel": rng.choice(CHANNELS),
                                 "received_at": _iso(received),
                                 "registered": not ("complaint_not_registered" in f and k == 0),
                                 "file": {"content": True, "investigation": True,
                                          "outcome": not ("complaint_file_incomplete" in f and k == 0)}}
            if open_at_year_end:  # investigation closed on 2026-01-12: feedback still due on the as-of date
                c["investigation_closed_at"] = "2026-01-12T17:00:00" + TZ
                c["file"]["outcome"] = False
                self.out["complaints"].append(c)
                continue
            closed = received + timedelta(days=rng.randint(3, 15))
            c["investigation_closed_at"] = _iso(closed)
            if rng.random() < 0.15:  # a complicated case: extension notified, with reason
                until = closed + timedelta(days=30)
                c.update(extension_notified_at=_iso(closed + timedelta(days=2)), extension_reason="情况复杂，需补充调查",
                         extended_until=_iso(until))
                c["feedback_at"] = _iso(closed + timedelta(days=rng.randint(10, 25)))
            else:
                late = self.lapse()
                c["feedback_at"] = _iso(closed + timedelta(days=rng.randint(14, 25) if late else rng.randint(1, 5)))
            self.out["complaints"].append(c)

    # ----------------------------------------------------------------- documents, points
    def evidence(self) -> None:
        for kind, flaw in TEAM_EVIDENCE.items():
            if flaw in self.flaws:
                if self.rng.random() < 0.5:
                    continue  # missing
                valid_until = "2024-12-31"  # present but expired
            else:
                valid_until = None
            e: dict[str, Any] = {"id": f"{self.tid}-e-{kind}", "kind": kind, "team_id": self.tid,
                                 "title": kind.replace("_", " "), "issued_on": "2021-03-01"}
            if valid_until:
                e["valid_until"] = valid_until
            self.out["evidence"].append(e)
        for q in range(4):  # attendance results published every quarter (5.2.9)
            if "no_attendance_publicity" in self.flaws:
                break
            self.out["evidence"].append({"id": f"{self.tid}-e-attendance-q{q + 1}", "kind": "attendance_publication",
                                         "team_id": self.tid, "issued_on": _quarter_days(q)[-3].isoformat()})
        for channel in self.rng.sample(CHANNELS[:3], 1 if "few_complaint_channels" in self.flaws else 3):
            self.out["evidence"].append({"id": f"{self.tid}-e-channel-{channel}", "kind": "complaint_channel",
                                         "team_id": self.tid, "title": channel, "issued_on": "2022-01-01"})

    def points(self) -> None:
        rng = self.rng
        for j, m in enumerate(self.active):
            for k in range(rng.randint(1, 5)):
                self.out["points"].append({"id": f"{m}-p{k + 1}", "member_id": m,
                                           "on": _DAYS[rng.randint(0, 364)].isoformat(),
                                           "amount": rng.randint(10, 120), "reason": rng.choice(
                                               ["hours", "hours", "quality", "difficulty"])})
            if rng.random() < 0.02:
                self.out["points"].append({"id": f"{m}-p9", "member_id": m, "on": "2025-12-01", "amount": -20,
                                           "reason": "adjustment"})


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S") + TZ


def _team_scores(rng: random.Random, team_ids: list[str], out: dict[str, list]) -> None:
    """Three years of scores; titles of the two earlier years follow 7.2.3's ranking over all teams."""
    three_star_years: dict[str, int] = {}
    for year in (YEAR - 2, YEAR - 1, YEAR):
        scores = {t: round(rng.uniform(40, 100), 1) for t in team_ids}
        ranked = sorted(team_ids, key=lambda t: (-scores[t], t))
        for rank, t in enumerate(ranked, 1):
            entry: dict[str, Any] = {"team_id": t, "year": year, "score": scores[t]}
            if year < YEAR and rank <= 20:
                if rank <= 5:
                    streak = three_star_years.get(t, 0) + 1
                    three_star_years[t] = streak
                    entry["title"] = {1: "three_star", 2: "four_star"}.get(streak, "five_star")
                else:
                    three_star_years.pop(t, None)
                    entry["title"] = "two_star" if rank <= 10 else "one_star"
            elif year < YEAR:
                three_star_years.pop(t, None)
            out["team_scores"].append(entry)


def counts(data: dict[str, list]) -> dict[str, int]:
    """Records per collection, plus nested activity participations and training attendances."""
    out = {name: len(records) for name, records in data.items()}
    out["participations"] = sum(len(a["participants"]) for a in data.get("activities", []))
    out["attendances"] = sum(len(t["attendee_ids"]) for t in data.get("trainings", []))
    return out


def write(data: dict[str, list], folder: str | os.PathLike) -> int:
    """Write one compact `<collection>.json` per collection; returns the bytes written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, records in data.items():
        text = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
        raw = text.encode("utf-8")
        (folder / f"{name}.json").write_bytes(raw)
        total += len(raw)
    return total


def write_parts(chunks: Iterable[dict[str, list[dict[str, Any]]]], folder: str | os.PathLike) -> tuple[int, dict]:
    """Write `parts` as `write` writes the whole (the same bytes), one part at a time; returns the bytes written and
    the summed `counts`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: open(folder / f"{name}.json", "wb") for name in COLLECTION_NAMES}
    total, tally, started = 0, {}, set()
    try:
        for chunk in chunks:
            for name, n in counts(chunk).items():
                tally[name] = tally.get(name, 0) + n
            for name, records in chunk.items():
                for record in records:
                    raw = (b"," if name in started else b"[") + json.dumps(
                        record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                    started.add(name)
                    files[name].write(raw)
                    total += len(raw)
        for name, f in files.items():
            f.write(b"]" if name in started else b"[]")
            total += 1 if name in started else 2
    finally:
        for f in files.values():
            f.close()
    return total, tally


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("teams", type=int)
    parser.add_argument("folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violation-rate", type=float, default=0.1)
    args = parser.parse_args(argv)
    data = generate(args.teams, args.seed, args.violation_rate)
    size = write(data, args.folder)
    print(json.dumps({"bytes": size, **counts(data)}))


if __name__ == "__main__":
    main()
