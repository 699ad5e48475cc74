"""The Yunge pack (DB3210/T 1190—2025): thresholds pinned from the rule files, the nickname
pattern, and an end-to-end CLI run on examples/yunge."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hongfeng_rules import audit, load_pack
from hongfeng_rules.cli import main
from hongfeng_rules.loading import load_dataset
from hongfeng_rules.models import Dataset
from hongfeng_rules.rulebook.pack import RulePack
from helpers import REPO

PACK = load_pack(REPO / "rules" / "yunge")
RULES = {r.rule.id: r for r in PACK.rules}
AS_OF = datetime(2025, 12, 31, 12)
COMPOSITION = {  # rule id -> the role it counts (the numbers come from the rule files)
    "yg-4.1-community-police-officer": "community_police_officer",
    "yg-4.1-station-police-officer": "station_police_officer",
    "yg-4.1-branch-police-officer": "branch_police_officer",
    "yg-4.1-auxiliary-police": "community_auxiliary_police",
    "yg-4.1-grid-workers-volunteers": "grid_worker",
}


def run(rule_id: str, **collections) -> dict[str, str]:
    """Status per subject id for one rule of the pack over a small dataset."""
    dataset = Dataset.model_validate(collections)
    report = audit(dataset, RulePack(PACK.manifest, PACK.directory, [RULES[rule_id]]), "2025", AS_OF)
    return {f.subject.id: f.status for f in report.findings}


def bound(rule_id: str) -> tuple[str, int]:
    name, threshold = RULES[rule_id].rule.check.bound
    return name, int(threshold.value)


def test_manifest_names_the_standard():
    m = PACK.manifest
    assert m.code == "DB3210/T 1190—2025"
    assert (m.published, m.effective) == (date(2025, 1, 7), date(2025, 2, 7))
    assert m.source_kind == "local_standard" and "扬州市行政区域内" in m.scope.zh
    assert {"4.1", "7.1.2", "7.2.1"} <= set(m.clauses)
    assert "5.2" in m.not_checkable


def test_staffing_numbers_are_minimums():
    """"1+2+2+N": every "N名" is a minimum, as keqiao-zhucun reads 一社区二辅警; N (grid workers and volunteers) is ≥ 1."""
    assert bound("yg-4.1-community-police-officer") == ("at_least", 1)
    assert bound("yg-4.1-station-police-officer") == ("at_least", 1)
    assert bound("yg-4.1-branch-police-officer") == ("at_least", 1)
    assert bound("yg-4.1-auxiliary-police") == ("at_least", 2)
    assert bound("yg-4.1-grid-workers-volunteers") == ("at_least", 1)
    keqiao = {r.rule.id: r for r in load_pack(REPO / "rules" / "keqiao-zhucun").rules}
    assert keqiao["kz-P2.2-auxiliary-community"].rule.check.bound[0] == "at_least"


def test_statements_without_a_modal_are_read_as_should():
    """GB/T 1.1-2020 Annex C: a requirement carries 应; the sentences without one are statements (should)."""
    for r in PACK.rules:
        assert (r.rule.modal, r.rule.strength) in {("应", "shall"), ("none", "should")}, r.rule.id
        if r.rule.modal == "none":
            assert "Annex C" in r.rule.reading and "应" not in r.rule.source.zh


@settings(max_examples=60, deadline=None)
@given(rule_id=st.sampled_from(sorted(COMPOSITION)), delta=st.sampled_from([-1, 0, 1]),
       others=st.integers(0, 3), left=st.integers(0, 3))
def test_composition_thresholds_at_n_minus_1_n_n_plus_1(rule_id, delta, others, left):
    kind, n = bound(rule_id)
    role = COMPOSITION[rule_id]
    count = max(n + delta, 0)
    members = [{"id": f"p{i}", "online_group_id": "g1", "role": role} for i in range(count)]
    members += [{"id": f"x{i}", "online_group_id": "g1", "role": role, "status": "left"} for i in range(left)]
    members += [{"id": f"r{i}", "online_group_id": "g1", "role": "resident"} for i in range(others)]
    got = run(rule_id, online_groups=[{"id": "g1", "name": "G"}], group_members=members)
    want = count == n if kind == "exactly" else count >= n
    assert got == {"g1": "pass" if want else "fail"}


def test_volunteers_count_towards_n():
    got = run("yg-4.1-grid-workers-volunteers", online_groups=[{"id": "g1", "name": "G"}],
              group_members=[{"id": "v1", "online_group_id": "g1", "role": "volunteer"}])
    assert got == {"g1": "pass"}


def test_group_members_missing_is_not_assessable_never_pass():
    got = run("yg-4.1-auxiliary-police", online_groups=[{"id": "g1", "name": "G"}])
    assert got == {"g1": "not_assessable"}


def nickname_status(nickname: str | None, role: str = "community_police_officer", name: str | None = None) -> str | None:
    """The finding for one member; the recorded name is the nickname's middle part unless given."""
    parts = (nickname or "").replace("—", "-").replace("－", "-").split("-")
    member = {"id": "m1", "online_group_id": "g1", "role": role,
              "name": name if name is not None else (parts[1].strip() if len(parts) > 1 else "张三")}
    if nickname is not None:
        member["nickname"] = nickname
    got = run("yg-7.2.1-nickname-format", online_groups=[{"id": "g1", "name": "G"}], group_members=[member])
    return got.get("m1")


@pytest.mark.parametrize("nickname", [
    "汶河派出所-张三-13812345678",
    "广陵分局治安大队-李四-19912345678",
    "汶河派出所-王五-0514-87654321",
    "汶河派出所-王五-051487654321",
    "北京市公安局-赵六-010-62345678",
    "东关派出所-阿依古丽·买买提-17712345678",
    "汶河派出所—张三—13812345678",  # long dashes, as a Chinese keyboard types them
    "汶河派出所－张三－13812345678",  # full-width hyphen-minus
    "汶河派出所-张三-138 1234 5678",  # spaces in the number
    "汶河派出所 - 张三 - 13812345678",  # spaces around the hyphens
    "汶河派出所-张三-+8613812345678",  # country code
    "汶河派出所-张三-+86 138-1234-5678",
    "汶河派出所-张三-１３８１２３４５６７８",  # full-width digits
])
def test_nickname_accepts(nickname):
    assert nickname_status(nickname) == "pass"


@pytest.mark.parametrize("nickname", [
    "张三-汶河派出所",  # two parts
    "汶河派出所-张三",  # no number
    "汶河派出所-张三-1381234567",  # ten digits
    "汶河派出所-张三-138123456789",  # twelve digits
    "汶河派出所-张三-12812345678",  # 12x is not a mobile prefix
    "汶河派出所-张三-0514-1234567",  # a local number does not start with 1
    "汶河派出所 张三 13812345678",  # spaces alone do not separate the parts
    "汶河派出所-张三-+8612812345678",  # a country code does not make a bad mobile good
    "汶河派出所-张三-+85213812345678",  # another country's code
    "汶河派出所--13812345678",  # no name
    "13812345678-张三-汶河派出所",  # wrong order
    "汶河派出所-张三-13812345678-1",  # trailing part
])
def test_nickname_rejects(nickname):
    assert nickname_status(nickname) == "fail"


@settings(max_examples=40, deadline=None)
@given(second=st.integers(0, 9), rest=st.text("0123456789", min_size=9, max_size=9),
       unit=st.sampled_from(["汶河派出所", "广陵分局"]), name=st.sampled_from(["张三", "李四"]))
def test_mobile_numbers_by_prefix(second, rest, unit, name):
    number = f"1{second}{rest}"
    assert nickname_status(f"{unit}-{name}-{number}") == ("pass" if second >= 3 else "fail")


@settings(max_examples=30, deadline=None)
@given(length=st.integers(8, 14).filter(lambda n: n != 11))
def test_mobile_numbers_of_the_wrong_length_fail(length):
    assert nickname_status("汶河派出所-张三-1" + "3" * (length - 1)) == "fail"


def test_the_name_part_is_the_members_name():
    assert nickname_status("汶河派出所-张三-13812345678", name="张三") == "pass"
    assert nickname_status("汶河派出所-李四-13812345678", name="张三") == "fail"
    member = {"id": "m1", "online_group_id": "g1", "role": "community_police_officer",
              "nickname": "汶河派出所-张三-13812345678"}  # no name recorded
    got = run("yg-7.2.1-nickname-format", online_groups=[{"id": "g1", "name": "G"}], group_members=[member])
    assert got == {"m1": "not_assessable"}


@pytest.mark.parametrize("nickname", ["李警官", "汶河派出所-李四-13812345678"])
def test_a_failing_nickname_is_shown_as_typed(nickname):
    member = {"id": "m1", "online_group_id": "g1", "role": "community_police_officer", "name": "张三",
              "nickname": nickname}
    dataset = Dataset.model_validate({"online_groups": [{"id": "g1", "name": "G"}], "group_members": [member]})
    rule = RULES["yg-7.2.1-nickname-format"]
    (finding,) = audit(dataset, RulePack(PACK.manifest, PACK.directory, [rule]), "2025", AS_OF).findings
    assert finding.status == "fail"
    assert f"“{nickname}”" in finding.message.zh and f"'{nickname}'" in finding.message.en
    assert finding.message.zh.startswith("张三 ")


def test_nickname_missing_is_not_assessable_and_volunteers_are_not_judged():
    assert nickname_status(None) == "not_assessable"
    assert nickname_status("热心群众", role="volunteer") is None


def test_equipment_needs_a_communication_device_not_a_camera_for_online_work():
    members = [
        {"id": "a", "online_group_id": "g1", "role": "community_auxiliary_police",
         "equipment": ["communication_device", "body_camera"]},
        {"id": "b", "online_group_id": "g1", "role": "community_auxiliary_police", "equipment": ["body_camera"]},
        {"id": "c", "online_group_id": "g1", "role": "station_police_officer"},
        {"id": "d", "online_group_id": "g1", "role": "branch_police_officer", "equipment": ["communication_device"]},
    ]
    got = run("yg-7.1.2-equipment", online_groups=[{"id": "g1", "name": "G"}], group_members=members)
    assert got == {"a": "pass", "b": "fail", "c": "not_assessable", "d": "pass"}


ARGS = ["check", str(REPO / "examples" / "yunge"), "--pack", "yunge", "--period", "2025", "--as-of", "2025-12-31"]


def test_cli_end_to_end(tmp_path):
    out = tmp_path / "report.json"
    assert main(ARGS + ["--format", "json", "--out", str(out)]) == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [p["pack"] for p in report["packs"]] == ["yunge"]
    assert {(f["pack"], f["pack_version"]) for f in report["findings"]} == {("yunge", "2025.1")}
    failing = {(f["rule_id"], f["subject"]["id"]) for f in report["findings"] if f["status"] == "fail"}
    assert failing == {
        ("yg-4.1-auxiliary-police", "yg-g2"),
        ("yg-4.2.4-station-account", "yg-g2"),
        ("yg-7.2.1-nickname-format", "g2-cp"),
        ("yg-7.2.1-nickname-format", "g2-sp"),
    }
    named = {f["subject"]["id"]: f["message"]["zh"] for f in report["findings"] if f["status"] == "fail"}
    assert named["g2-cp"].startswith("李明 ") and named["g2-sp"].startswith("王强 ")  # the member's name, not the id
    unknown = {(f["rule_id"], f["subject"]["id"]) for f in report["findings"] if f["status"] == "not_assessable"}
    assert unknown == {("yg-7.1.2-equipment", "g2-bp")}
    passing_groups = {f["subject"]["id"] for f in report["findings"]
                      if f["status"] == "pass" and f["subject"]["kind"] == "online_group"}
    assert {"yg-g1", "yg-g3"} <= passing_groups


GROUP_RULES = sorted(rid for rid, r in RULES.items() if r.rule.subject == "online_group")
RESIDENTS = [{"id": f"r{i}", "online_group_id": "g1", "role": "resident"} for i in range(3)]


@pytest.mark.parametrize("kind, judged", [("residents", False), ("other", False), ("community_grid", True), (None, True)])
def test_a_residents_group_is_not_judged_by_the_group_rules(kind, judged):
    group = {"id": "g1", "name": "G", **({"kind": kind} if kind else {})}
    dataset = Dataset.model_validate({"online_groups": [group], "group_members": RESIDENTS})
    pack = RulePack(PACK.manifest, PACK.directory, [RULES[rid] for rid in GROUP_RULES])
    report = audit(dataset, pack, "2025", AS_OF)
    assert len(GROUP_RULES) == 6
    # recorded as a grid group (the default), residents alone fail all six; recorded as residents', none judges it
    assert sorted(f.rule_id for f in report.findings if f.status == "fail") == (GROUP_RULES if judged else [])
    assert report.findings == [] or judged


def _by_group(period: str) -> tuple[dict, set]:
    report = audit(load_dataset(REPO / "examples" / "yunge"), PACK, period, datetime(2025, 12, 31, 23, 59))
    return ({t.id: (t.kind, t.conformant) for t in report.teams},
            {(f.rule_id, f.subject.id) for f in report.findings if f.status == "fail" and f.rule_id.startswith("yg-4.1")})


def test_a_verdict_per_group_and_dated_memberships_make_the_period_matter():
    verdicts, failing = _by_group("2025")
    assert verdicts == {"yg-g1": ("online_group", True), "yg-g2": ("online_group", False),
                        "yg-g3": ("online_group", True), "yg-g4": ("online_group", None)}  # residents': no verdict
    assert failing == {("yg-4.1-auxiliary-police", "yg-g2")}  # 周华 left on 1 July
    assert _by_group("2025-Q2")[1] == set()  # still in the group on 30 June
    assert _by_group("2025-01")[1] == {("yg-4.1-auxiliary-police", "yg-g3")}  # 褚亮 joined on 10 February


def test_a_member_not_yet_in_the_group_is_not_judged():
    members = [{"id": "m1", "online_group_id": "g1", "name": "张三", "role": "community_police_officer",
                "nickname": "李警官", "join_date": join} for join in ("2025-04-01",)]
    members.append(dict(members[0], id="m2", join_date="2025-03-31"))
    dataset = Dataset.model_validate({"online_groups": [{"id": "g1", "name": "G"}], "group_members": members})
    report = audit(dataset, RulePack(PACK.manifest, PACK.directory, [RULES["yg-7.2.1-nickname-format"]]), "2025-Q1",
                   AS_OF)
    assert {f.subject.id: f.status for f in report.findings} == {"m2": "fail"}


def test_cli_rules_commands_per_pack(capsys):
    assert main(["rules", "lint", "yunge"]) == 0
    assert main(["rules", "test", "yunge"]) == 0
    capsys.readouterr()
    assert main(["rules", "list", "yunge", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["pack"] for r in rows} == {"yunge"} and {r["id"] for r in rows} == set(RULES)
