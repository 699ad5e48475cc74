"""Every number of the Hongfeng rules, pinned.

(a) Property tests (hypothesis) through the public API: each test reads its threshold n from the
    shipped rule file, builds a Dataset in code and audits it at n-1, n and n+1 (or the boundary
    instant), so moving the number in the YAML moves the test's boundary with it.
(b) Golden table: `tests/golden/hongfeng-*.yaml` says, per rule, the number, unit and strength the
    standard states; one test per row, so changing one number in a rule file fails exactly that row.
    To add rows for other clauses, add a file `tests/golden/hongfeng-<chapter>.yaml` in the same format.
"""
from __future__ import annotations

import calendar
import math
import shutil
import tempfile
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import pytest
import yaml
from dateutil.relativedelta import relativedelta
from hypothesis import assume, example, given, settings, strategies as st

from hongfeng_rules import audit, load_pack
from hongfeng_rules.models import Dataset
from hongfeng_rules.rulebook.pack import MANIFEST, rule_files
from hongfeng_rules.rulebook.spec import Rule
from hongfeng_rules.safe_load import read_document
from hongfeng_rules.timecalc import Period, as_shanghai, day_start, whole_periods

PACK = Path(__file__).resolve().parents[1] / "rules" / "hongfeng"
GOLDEN = Path(__file__).resolve().parent / "golden"
PERIOD = "2025"
AS_OF = as_shanghai(datetime(2026, 1, 15, 12, 0))
REFERENCE = date(2025, 12, 31)  # the period's last day: earlier than as-of
FEW = settings(max_examples=12, deadline=None)


# ---------------------------------------------------------------- reading the rule files

@cache
def rule_file(rule_id: str) -> Path:
    for path in rule_files(PACK):
        data = read_document(path).data
        if isinstance(data, dict) and data.get("id") == rule_id:
            return path
    raise LookupError(f"no rule file with id {rule_id} in {PACK}")


def rule_spec(rule_id: str) -> Rule:
    return Rule.model_validate(read_document(rule_file(rule_id)).data)


def numbers(rule: Rule) -> list[tuple[float, str]]:
    """Every number a rule carries: thresholds `{value, unit}` and `min_items` counts."""
    found: list[tuple[float, str]] = []

    def walk(node):
        if isinstance(node, dict):
            if "value" in node and "unit" in node:
                found.append((node["value"], node["unit"]))
            if isinstance(node.get("min_items"), int):
                found.append((node["min_items"], "item"))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(rule.check.model_dump(mode="json", exclude_none=True))
    return found


def threshold(rule_id: str) -> int:
    (value, _unit), = numbers(rule_spec(rule_id))
    assert float(value).is_integer(), f"{rule_id}: the property tests expect a whole-number threshold"
    return int(value)


@cache
def pack_of(rule_id: str):
    """The pack's manifest with this one rule, loaded through load_pack (other rules do not interfere)."""
    folder = Path(tempfile.mkdtemp(prefix="hf-threshold-"))
    shutil.copy(PACK / MANIFEST, folder / MANIFEST)
    shutil.copy(rule_file(rule_id), folder / rule_file(rule_id).name)
    return load_pack(folder)


BASE = {"associations": [{"id": "a1", "name": "A", "level": "county"}],
        "teams": [{"id": "t1", "association_id": "a1", "name": "T", "founded_on": "2020-01-01"}]}


def status(rule_id: str, data: dict, as_of: datetime = AS_OF, subject: str = "t1") -> str:
    report = audit(Dataset.model_validate(BASE | data), pack_of(rule_id), PERIOD, as_of)
    found = [f.status for f in report.findings if f.subject.id == subject]
    assert len(found) == 1, found
    return found[0]


def member(i, **kw) -> dict:
    return {"id": f"m{i}", "team_id": "t1", "name": f"M{i}", "join_date": "2024-01-01", **kw}


def session(id_, start: datetime, kind: str, attendees=(), hours: float = 4) -> dict:
    return {"id": id_, "team_id": "t1", "kind": kind, "start": start.isoformat(),
            "end": (start + timedelta(hours=hours)).isoformat(), "attendee_ids": list(attendees)}


offsets = st.sampled_from([-1, 0, 1])


# ---------------------------------------------------------------- (a) counts: at least / exactly

def _count_expect(rule_id: str, k: int, n: int) -> bool:
    check = rule_spec(rule_id).check
    return k == n if check.exactly is not None else k >= n


COUNT_RULES = {
    # rule id -> (collection, factory(i) of a record the rule counts, factory(i) of one it must ignore)
    "hf-5.2.6-core-members": ("members", lambda i: member(i, roles=["core"]),
                              lambda i: member(f"x{i}", roles=["core"], status="exited")),
    "hf-5.2.6-team-size": ("members", lambda i: member(i), lambda i: member(f"x{i}", status="demoted")),
    "hf-5.2.4-one-captain": ("members", lambda i: member(i, roles=["captain"]), lambda i: member(f"x{i}")),
    "hf-5.1.3-party-vanguard": ("units", lambda i: {"id": f"u{i}", "team_id": "t1", "level": "group", "name": "G",
                                                    "party_vanguard": True},
                                lambda i: {"id": f"x{i}", "team_id": "t1", "level": "group", "name": "G"}),
    "hf-5.2.9-attendance-published": ("evidence", lambda i: {"id": f"e{i}", "kind": "attendance_publication",
                                                             "team_id": "t1", "issued_on": "2025-06-01"},
                                      lambda i: {"id": f"x{i}", "kind": "attendance_publication", "team_id": "t1",
                                                 "issued_on": "2024-06-01"}),
}


@pytest.mark.parametrize("rule_id", sorted(COUNT_RULES))
@FEW
@given(d=offsets, noise=st.integers(0, 3))
def test_count_boundary(rule_id, d, noise):
    n = threshold(rule_id)
    collection, counted, ignored = COUNT_RULES[rule_id]
    k = max(0, n + d)
    data = {collection: [counted(i) for i in range(k)] + [ignored(i) for i in range(noise)]}
    if collection == "units":
        data["units"] += [{"id": "s0", "team_id": "t1", "level": "sub_team", "name": "S"}]
    assert status(rule_id, data) == ("pass" if _count_expect(rule_id, k, n) else "fail")


@FEW
@given(d=offsets)
def test_three_tier_needs_groups_under_a_sub_team(d):
    n = threshold("hf-5.1.3-three-tier")
    units = [{"id": "s0", "team_id": "t1", "level": "sub_team", "name": "S"}]
    units += [{"id": f"g{i}", "team_id": "t1", "level": "group", "name": "G", "parent_id": "s0"} for i in range(n + d)]
    assert status("hf-5.1.3-three-tier", {"units": units}) == ("pass" if n + d >= n else "not_used")  # 可: never fail


# ---------------------------------------------------------------- (a) average age, share, items

@FEW
@given(d=offsets, size=st.integers(1, 5), days=st.integers(0, 364))
def test_average_age_boundary(d, size, days):
    n = threshold("hf-5.2.6-average-age")  # at most n years
    born = REFERENCE - relativedelta(years=n + d) - timedelta(days=days)  # exactly n+d whole years old
    data = {"members": [member(i, birth_date=born.isoformat()) for i in range(size)]}
    assert status("hf-5.2.6-average-age", data) == ("pass" if d <= 0 else "fail")


@FEW
@given(d=offsets, scale=st.integers(1, 3))
def test_certified_share_boundary(d, scale):
    p = threshold("hf-5.2.6-certified-share")  # percent
    total, certified = 100 * scale, (p + d) * scale
    cert = [{"name": "救护员证", "valid_until": REFERENCE.isoformat()}]
    data = {"members": [member(i, certificates=cert if i < certified else []) for i in range(total)]}
    assert status("hf-5.2.6-certified-share", data) == ("pass" if d >= 0 else "fail")


def test_a_share_just_under_the_threshold_fails_though_it_rounds_up_to_it():
    p = threshold("hf-5.2.6-certified-share")  # percent
    total = 20 * 100 + 1  # p % of total is not a whole number: one member short of it is just under p %
    certified = math.ceil(total * p / 100) - 1
    assert 100 * certified / total < p and round(100 * certified / total, 2) >= p - 0.005
    cert = [{"name": "救护员证", "valid_until": REFERENCE.isoformat()}]
    data = {"members": [member(i, certificates=cert if i < certified else []) for i in range(total)]}
    assert status("hf-5.2.6-certified-share", data) == "fail"


def test_an_average_age_just_over_the_limit_fails_though_it_rounds_down_to_it():
    n = threshold("hf-5.2.6-average-age")  # at most n years
    size = 250  # one member a year older: the average is n + 1/250 = n + 0.004, shown as n
    data = {"members": [member(i, birth_date=(REFERENCE - relativedelta(years=n + (i == 0))).isoformat())
                        for i in range(size)]}
    assert status("hf-5.2.6-average-age", data) == "fail"


@FEW
@given(d=offsets)
def test_certificate_validity_boundary(d):
    p = threshold("hf-5.2.6-certified-share")
    cert = [{"name": "证", "valid_until": (REFERENCE + timedelta(days=d)).isoformat()}]
    data = {"members": [member(i, certificates=cert if i < p else []) for i in range(100)]}
    assert status("hf-5.2.6-certified-share", data) == ("pass" if d >= 0 else "fail")


@FEW
@given(d=offsets)
def test_core_skill_boundary(d):
    n = threshold("hf-5.2.6-core-skill")
    data = {"members": [member(1, roles=["core"], skills=[f"s{j}" for j in range(n + d)])]}
    assert status("hf-5.2.6-core-skill", data) == ("pass" if d >= 0 else "fail")


@FEW
@given(d=offsets)
def test_party_brand_boundary(d):
    n = threshold("hf-5.4.2-party-brand")
    team = {"id": "t1", "association_id": "a1", "name": "T", "party_branch": {
        "secretary": "L", "secretary_role": "community_police_officer", "brands": [f"b{j}" for j in range(n + d)]}}
    data = {"teams": [team]}
    assert status("hf-5.4.2-party-brand", data) == ("pass" if d >= 0 else "fail")


@FEW
@given(size=st.integers(3, 30), where=st.sampled_from(["above", "at", "below"]))
def test_captain_rank_boundary(size, where):
    p = threshold("hf-5.2.4-captain-service-hours")  # top p percent
    allowed = max(1, math.ceil(size * p / 100))
    rank = {"above": allowed - 1, "at": allowed, "below": allowed + 1}[where]
    assume(1 <= rank <= size)
    members = [member(i) for i in range(size - 1)] + [member("c", roles=["captain"])]
    hours = {f"m{i}": float(size - i) for i in range(size - 1)}  # distinct: m0 has the most
    hours["mc"] = size - (rank - 1) + 0.5  # beats exactly rank-1 members
    activity = {"id": "a", "team_id": "t1", "kind": "patrol", "start": "2025-05-01T09:00", "end": "2025-05-01T17:00",
                "participants": [{"member_id": m, "hours": h} for m, h in hours.items()]}
    got = status("hf-5.2.4-captain-service-hours", {"members": members, "activities": [activity]})
    assert got == ("pass" if rank <= allowed else "fail")


# ---------------------------------------------------------------- (a) frequencies

FREQUENCY_RULES = ["hf-5.2.7-weekly-meeting", "hf-5.3.1-regular-monthly", "hf-5.3.1-professional-quarterly",
                   "hf-5.3.1-drills-yearly", "hf-5.4.3-quarterly-drill", "hf-5.4.3-quarterly-counselling"]


@pytest.mark.parametrize("rule_id", FREQUENCY_RULES)
@FEW
@given(d=offsets, spread=st.integers(0, 6), hour=st.integers(0, 19))
def test_frequency_boundary(rule_id, d, spread, hour):
    """n-1 / n / n+1 records in every judged unit; with n-1 in just one unit the rule fails."""
    check = rule_spec(rule_id).check
    n = threshold(rule_id)
    judged, _ = whole_periods(Period.parse(PERIOD), check.per, AS_OF)
    # by hand: 2025 holds 51 whole Monday-to-Sunday weeks (6 Jan - 28 Dec), 12 months, 4 quarters, 1 year
    assert len(judged) == {"week": 51, "month": 12, "quarter": 4, "year": 1}[check.per]
    short = judged[spread % len(judged)]
    records = []
    for part in judged:
        k = n + d if part is short else n
        span = (part.end - part.start).days
        for j in range(max(0, k)):
            when = day_start(part.start + timedelta(days=(spread + j) % (span + 1))) + timedelta(hours=hour)
            if check.of == "meetings":
                records.append({"id": f"w{part.label}-{j}", "team_id": "t1", "kind": check.where["kind"],
                                "held_at": when.isoformat()})
            else:
                records.append(session(f"s{part.label}-{j}", when, check.where["kind"]))
    assert status(rule_id, {check.of: records}) == ("pass" if d >= 0 else "fail")


# ---------------------------------------------------------------- (a) per-record numbers

@FEW
@given(d=offsets, extra=st.integers(0, 2))
def test_pre_job_boundary(d, extra):
    n = threshold("hf-5.3.1-pre-job")
    new = member("n", join_date="2025-03-01")
    trainings = [session(f"p{j}", as_shanghai(datetime(2025, 3, 2 + j, 9)), "pre_job", ["mn"]) for j in range(n + d)]
    trainings += [session(f"r{j}", as_shanghai(datetime(2025, 4, 2 + j, 9)), "regular", ["mn"]) for j in range(extra)]
    assert status("hf-5.3.1-pre-job", {"members": [new], "trainings": trainings}) == ("pass" if d >= 0 else "fail")


@FEW
@given(minutes=st.sampled_from([-60, -1, 0, 1, 60]), day=st.integers(1, 28))
def test_half_day_boundary(minutes, day):
    n = threshold("hf-5.3.1-half-day")  # hours
    start = as_shanghai(datetime(2025, 3, day, 8))
    full = session("full", as_shanghai(datetime(2025, 4, day, 8)), "regular", hours=n)
    data = {"trainings": [session("s", start, "regular", hours=n + minutes / 60), full]}
    report = audit(Dataset.model_validate(BASE | data), pack_of("hf-5.3.1-half-day"), PERIOD, AS_OF)
    (found,) = [f for f in report.findings if f.subject.id == "t1"]  # one team-level finding
    assert found.status == ("pass" if minutes >= 0 else "fail")
    assert found.evidence_ids == ([] if minutes >= 0 else ["s"])  # the short session is named


def _month_end(d: date, months: int) -> datetime:
    """24:00 of the corresponding day `months` after `d`, or of that month's last day (民法典 §201–203)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return as_shanghai(datetime.combine(date(year, month, min(d.day, calendar.monthrange(year, month)[1])), time.max))


# last activity anywhere in 2025, weighted to month ends (29–31) and to the year end
_last_days = st.one_of(st.dates(date(2025, 1, 1), date(2025, 12, 31)),
                       st.builds(lambda m, back: date(2025, m, calendar.monthrange(2025, m)[1]) - timedelta(days=back),
                                 st.integers(1, 12), st.integers(0, 2)))


@FEW
@given(d=offsets, micro=offsets, last=_last_days, at=st.times())
@example(d=0, micro=0, last=date(2025, 12, 31), at=time(0, 0))  # as-of after the period: measured to its end, fresh
@example(d=1, micro=0, last=date(2025, 11, 30), at=time(12, 0))  # ... a month before its end: inactive
@example(d=1, micro=0, last=date(2025, 12, 1), at=time(12, 0))  # ... a day less: active, though as-of is 2 months on
def test_inactive_member_boundary(d, micro, last, at):
    """Inactive n-1 / n / n+1 months, counted forward from the last activity; at n months, the instant
    before / at / after 24:00 of the corresponding day decides (1个月以上 includes exactly n months). The months
    are measured to the reference instant: as-of, or 24:00 of the period's last day when as-of is later."""
    n = threshold("hf-5.2.7-inactive-members")  # months
    seen = as_shanghai(datetime.combine(last, at))
    as_of = _month_end(last, n + d) + timedelta(microseconds=micro if d == 0 else 0)
    data = {"members": [member(1, join_date="2020-01-01")], "activities": [], "patrol_sign_ins": [],
            "trainings": [{"id": "t", "team_id": "t1", "kind": "regular", "start": (seen - timedelta(hours=1)).isoformat(),
                           "end": seen.isoformat(), "attendee_ids": ["m1"]}]}
    period_end = as_shanghai(datetime.combine(Period.parse(PERIOD).end, time.max))
    if as_of <= period_end:  # measured to as-of: the offsets say it
        fresh = d < 0 or (d == 0 and micro < 0)
    else:  # measured to the period's end, which lies before the month's end when the activity was late in the year
        fresh = period_end < _month_end(last, n)
    assert status("hf-5.2.7-inactive-members", data, as_of=as_of) == ("pass" if fresh else "fail")


@FEW
@given(d=offsets, micro=offsets, last=_last_days)
@example(d=1, micro=0, last=date(2025, 12, 1))  # as-of after the period: measured to its end, still active
@example(d=1, micro=0, last=date(2025, 11, 30))  # ... a month before its end: inactive
def test_inactive_sub_team_boundary(d, micro, last):
    """As test_inactive_member_boundary, for a sub-team's last_active_on: measured to the reference instant (as-of,
    or 24:00 of the period's last day when as-of is later)."""
    n = threshold("hf-5.2.7-inactive-sub-teams")
    as_of = _month_end(last, n + d) + timedelta(microseconds=micro if d == 0 else 0)
    data = {"units": [{"id": "s1", "team_id": "t1", "level": "sub_team", "name": "S", "last_active_on": last.isoformat()}]}
    period_end = as_shanghai(datetime.combine(Period.parse(PERIOD).end, time.max))
    if as_of <= period_end:
        fresh = d < 0 or (d == 0 and micro < 0)
    else:
        fresh = period_end < _month_end(last, n)
    assert status("hf-5.2.7-inactive-sub-teams", data, as_of=as_of) == ("pass" if fresh else "fail")


@pytest.mark.parametrize("joined, judged", [("2024-12-31", True), ("2025-01-01", True), ("2025-01-02", False),
                                            ("2025-07-01", False)])
def test_core_member_who_joined_mid_year_is_not_judged_for_that_year(joined, judged):
    """6.1.2's 9 a year judge a member of the team for the whole year only (joined by the period's first day)."""
    data = {"members": [member(1, join_date=joined, roles=["core"])],
            "activities": [{"id": f"a{i}", "team_id": "t1", "kind": "patrol", "start": "2025-09-01T09:00:00",
                            "end": "2025-09-01T11:00:00", "participants": [{"member_id": "m1", "hours": 2}]}
                           for i in range(3)]}
    report = audit(Dataset.model_validate(BASE | data), pack_of("hf-6.1.2-core-member-activities"), PERIOD, AS_OF)
    assert [(f.subject.id, f.status) for f in report.findings] == ([("m1", "fail")] if judged else [])


# ---------------------------------------------------------------- (b) golden table

def golden_rows() -> list:
    rows = []
    for path in sorted(GOLDEN.glob("hongfeng-*.yaml")):
        for rule_id, row in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            rows.append(pytest.param(rule_id, row, id=rule_id))
    return rows


@pytest.mark.parametrize("rule_id, row", golden_rows())
def test_golden(rule_id, row):
    rule = rule_spec(rule_id)
    expected = [] if row["number"] is None else [(row["number"], row["unit"])]
    if "numbers" in row:  # a table rule (7.2.2 levels, 7.2.3 bands): every number in order
        expected = [tuple(n) for n in row["numbers"]]
    assert [(v, u) for v, u in numbers(rule)] == expected, f"{rule_id}: number/unit differ from the standard"
    assert rule.strength == row["strength"], f"{rule_id}: strength differs from the standard"


def test_every_shipped_rule_has_a_golden_row():
    """Lists the rules of the pack with no golden row; passes once every chapter has its table."""
    golden = {p.values[0] for p in golden_rows()}
    shipped = {read_document(p).data.get("id") for p in rule_files(PACK)}
    assert sorted(shipped - golden) == [], "rules without a golden row in tests/golden/"
