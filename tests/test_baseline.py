"""Baselines: `diff OLD NEW`, `check --baseline --fail-on new`, and SARIF baselineState, on the shipped example
with a changed copy (hf-t02 gains a core member, hf-t01 loses three)."""
import json
import shutil

import pytest

from hongfeng_rules.baseline import compare, finding_key, load_report
from hongfeng_rules.cli import main
from helpers import REPO

EXAMPLE = REPO / "examples" / "hongfeng"
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
CORE = "hf-5.2.6-core-members"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("baseline")
    changed = tmp / "changed"
    shutil.copytree(EXAMPLE, changed)
    members = json.loads((changed / "members.json").read_text(encoding="utf-8"))
    t01_core = [m for m in members if m["team_id"] == "hf-t01" and "core" in m["roles"] and "captain" not in m["roles"]]
    for m in t01_core[:3]:
        m["roles"].remove("core")
    extra = dict(next(m for m in members if m["team_id"] == "hf-t02"), id="hf-t02-m900", roles=["core"])
    members.append(extra)
    (changed / "members.json").write_text(json.dumps(members, ensure_ascii=False), encoding="utf-8")
    old, new = tmp / "old.json", tmp / "new.json"
    main(["check", str(EXAMPLE), *WHEN, "--format", "json", "--out", str(old)])
    main(["check", str(changed), *WHEN, "--format", "json", "--out", str(new)])
    return {"old": old, "new": new, "changed": changed, "tmp": tmp}


def keys(entries):
    return {c.key for c in entries}


def test_compare_sorts_findings_into_the_four_lists(reports):
    diff = compare(load_report(reports["old"]), load_report(reports["new"]))
    assert f"{CORE}:team:hf-t01" in keys(diff.new)
    assert f"{CORE}:team:hf-t02" in keys(diff.fixed)
    assert "hf-5.2.6-team-size:team:hf-t03" in keys(diff.still_failing)
    assert f"{CORE}:team:hf-t02" in keys(diff.changed)
    t02 = next(c for c in diff.changed if c.key == f"{CORE}:team:hf-t02")
    assert (t02.old_measured, t02.new_measured, t02.old_status, t02.new_status) == (9, 10, "fail", "pass")
    assert not keys(diff.new) & keys(diff.still_failing) and not keys(diff.new) & keys(diff.fixed)


def test_the_same_report_against_itself_has_nothing_new(reports):
    report = load_report(reports["old"])
    diff = compare(report, report)
    assert not diff.new and not diff.fixed and not diff.changed
    assert keys(diff.still_failing) == {finding_key(f) for f in report.findings if f.status in ("fail", "not_assessable")}


def test_a_finding_gone_from_the_new_report_is_fixed(reports):
    old = load_report(reports["old"])
    new = old.model_copy(update={"findings": [f for f in old.findings if f.subject.id != "hf-t03"]})
    assert "hf-5.2.6-team-size:team:hf-t03" in keys(compare(old, new).fixed)


def test_diff_command_text_and_json(reports, capsys):
    assert main(["diff", str(reports["old"]), str(reports["new"])]) == 1  # something newly open
    out = capsys.readouterr().out
    assert f"new           {CORE}:team:hf-t01  pass → fail" in out
    assert f"fixed         {CORE}:team:hf-t02  fail → pass" in out
    assert main(["diff", str(reports["old"]), str(reports["new"]), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"new", "fixed", "still_failing", "changed"}
    assert {c["key"] for c in data["new"]} == keys(compare(load_report(reports["old"]), load_report(reports["new"])).new)
    assert main(["diff", str(reports["old"]), str(reports["old"])]) == 0


def test_fail_on_new_gates_only_on_what_is_new(reports):
    assert main(["check", str(EXAMPLE), *WHEN, "--out", str(reports["tmp"] / "x.txt")]) == 1
    base = ["--baseline", str(reports["old"]), "--fail-on", "new", "--out", str(reports["tmp"] / "x.txt")]
    assert main(["check", str(EXAMPLE), *WHEN, *base]) == 0
    assert main(["check", str(reports["changed"]), *WHEN, *base]) == 1


def test_sarif_baseline_state(reports):
    out = reports["tmp"] / "r.sarif"
    main(["check", str(reports["changed"]), *WHEN, "--format", "sarif", "--baseline", str(reports["old"]),
          "--out", str(out)])
    results = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    state = {r["partialFingerprints"]["hongfengRuleSubject/v1"]: r["baselineState"] for r in results}
    assert state[f"{CORE}:team:hf-t01"] == "new"
    assert state[f"{CORE}:team:hf-t02"] == "absent"
    assert state["hf-5.2.6-team-size:team:hf-t03"] == "unchanged"
    assert set(state.values()) <= {"new", "unchanged", "updated", "absent"} and len(state) == len(results)


def test_sarif_updated_when_the_measure_moves(reports, tmp_path):
    old = load_report(reports["old"])
    moved = [f.model_copy(update={"measured": 8}) if finding_key(f) == f"{CORE}:team:hf-t02" else f
             for f in old.findings]
    path = tmp_path / "moved.json"
    path.write_text(old.model_copy(update={"findings": moved}).to_json(), encoding="utf-8")
    out = tmp_path / "r.sarif"
    main(["check", str(EXAMPLE), *WHEN, "--format", "sarif", "--baseline", str(path), "--out", str(out)])
    results = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    state = {r["partialFingerprints"]["hongfengRuleSubject/v1"]: r["baselineState"] for r in results}
    assert state[f"{CORE}:team:hf-t02"] == "updated"


def test_sarif_without_baseline_is_unchanged(reports, tmp_path):
    out = tmp_path / "r.sarif"
    main(["check", str(EXAMPLE), *WHEN, "--format", "sarif", "--out", str(out)])
    assert "baselineState" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("content, words", [
    ('{"findings": 3}', "not a hongfeng-rules JSON report"),
    ("[1, 2]", "not a hongfeng-rules JSON report"),
    ("{", "old.json"),
])
def test_a_bad_baseline_is_one_input_error(tmp_path, capsys, content, words):
    bad = tmp_path / "old.json"
    bad.write_text(content, encoding="utf-8")
    assert main(["check", str(EXAMPLE), *WHEN, "--baseline", str(bad), "--fail-on", "new"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and "old.json" in err[0] and "Traceback" not in err[0]


def test_fail_on_new_needs_a_baseline(capsys):
    assert main(["check", str(EXAMPLE), *WHEN, "--fail-on", "new"]) == 2
    assert "--baseline" in capsys.readouterr().err
