"""Explanations (`check --explain`, `audit(..., explain=...)`, `Finding.explanation`) on the shipped example and
small datasets; the HTML "why" in headless Chromium."""
import json
import subprocess
import sys
from datetime import date

import jsonschema
import pytest

from hongfeng_rules import InputError, audit, load_dataset, load_pack, load_packs
from hongfeng_rules.cli import main
from helpers import REPO, member, rule, team_data, write_pack

import report_fixture as rf
from test_html_chromium import Dom, browse, chromium

EXAMPLE = REPO / "examples" / "hongfeng"
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
AS_OF = date(2026, 1, 15)
CORE = "hf-5.2.6-core-members"


@pytest.fixture(scope="module")
def example():
    return load_dataset(EXAMPLE), load_packs(["hongfeng"])


def one(report, rule_id, subject):
    [f] = [f for f in report.findings if f.rule_id == rule_id and f.subject.id == subject]
    return f


def test_failing_count_counted_left_out_and_threshold(example):
    dataset, packs = example
    f = one(audit(dataset, packs, "2025", AS_OF, explain=f"{CORE}:hf-t02"), CORE, "hf-t02")
    ex = f.explanation
    assert f.status == "fail" and ex.counted == f.evidence_ids and len(ex.counted) == f.measured
    team = [m.id for m in dataset.members if m.team_id == "hf-t02"]
    assert sorted(ex.counted + [r.id for r in ex.left_out]) == sorted(team)
    left = {r.id: r.reason for r in ex.left_out}
    assert left["hf-t02-m010"] == 'roles ["member"] (needs {"contains": "core"})'
    assert (ex.threshold.parameter, ex.threshold.value, ex.threshold.unit, ex.threshold.since) == \
        ("check.at_least", 10, "person", None)
    assert ex.selection.startswith("members via team_id where")


def test_only_the_named_finding_is_explained(example):
    dataset, packs = example
    report = audit(dataset, packs, "2025", AS_OF, explain=f"{CORE}:hf-t02")
    assert [(f.rule_id, f.subject.id) for f in report.findings if f.explanation] == [(CORE, "hf-t02")]
    assert all(f.explanation is None for f in audit(dataset, packs, "2025", AS_OF).findings)


def test_not_assessable_names_the_missing_fields(example):
    dataset, packs = example
    f = one(audit(dataset, packs, "2025", AS_OF, explain="hf-5.2.6-average-age"), "hf-5.2.6-average-age", "hf-t04")
    assert f.status == "not_assessable"
    missing = f.explanation.missing
    assert {m.field for m in missing} == {"birth_date"}
    assert sorted(m.record for m in missing) == sorted(f.evidence_ids)
    assert all(getattr(next(x for x in dataset.members if x.id == m.record), "birth_date") is None for m in missing)
    ages = {d.record: d.value for d in f.explanation.derived if d.name == "@age_years"}
    assert len(ages) + len(missing) == len(f.explanation.counted)


def test_working_days_and_makeup_days(example):
    dataset, packs = example
    f = one(audit(dataset, packs, "2025", AS_OF, explain="hf-7.3.3-feedback:hf-t03-cp001"),
            "hf-7.3.3-feedback", "hf-t03-cp001")
    notes = "\n".join(f.explanation.notes)
    assert f.status == "fail" and f.explanation.threshold.unit == "working_day"
    assert "working days counted: 7 " in notes and "调休 make-up working days met: 2025-09-28, 2025-10-11" in notes
    assert "2025-10-01" in notes.split("public holidays skipped: ")[1]


def test_exited_member_left_out_with_since_and_dated_threshold(tmp_path):
    check = {"kind": "count", "of": "members", "where": {"status": "active"},
             "at_least": {"unit": "person", "values": {"2024-01-01": 2, "2025-07-01": 3}}}
    pack = load_pack(write_pack(tmp_path / "p", rule(check)))
    data = team_data(members=[member(1), member(2), member(3, status="exited", status_since="2025-06-01")])
    [f] = audit(data, pack, "2025", AS_OF, explain="all").findings
    assert f.status == "fail"
    assert [(r.id, r.reason) for r in f.explanation.left_out] == [("m3", 'status "exited" since 2025-06-01 (needs "active")')]
    t = f.explanation.threshold
    assert (t.value, t.since, t.on) == (3, date(2025, 7, 1), date(2025, 12, 31))


def test_missing_collection(tmp_path):
    check = {"kind": "count", "of": "members", "at_least": {"value": 1, "unit": "person"}}
    pack = load_pack(write_pack(tmp_path / "p", rule(check)))
    [f] = audit(team_data(), pack, "2025", AS_OF, explain="all").findings
    assert f.status == "not_assessable"
    assert [(m.record, m.field) for m in f.explanation.missing] == [("dataset", "members")]


def test_json_without_explain_has_no_explanation_and_with_it_validates(tmp_path, capsys):
    plain, explained = tmp_path / "a.json", tmp_path / "b.json"
    main(["check", str(EXAMPLE), *WHEN, "--format", "json", "--out", str(plain)])
    main(["check", str(EXAMPLE), *WHEN, "--format", "json", "--out", str(explained), "--explain", CORE])
    assert b"explanation" not in plain.read_bytes()
    report = json.loads(explained.read_text(encoding="utf-8"))
    explained_findings = [f for f in report["findings"] if "explanation" in f]
    assert {f["rule_id"] for f in explained_findings} == {CORE} and len(explained_findings) == 24
    main(["schema", "report"])
    jsonschema.validate(report, json.loads(capsys.readouterr().out))


def test_text_shows_the_why(capsys):
    main(["check", str(EXAMPLE), *WHEN, "--explain", f"{CORE}:hf-t02"])
    out = capsys.readouterr().out
    assert "      why: selection: members via team_id" in out
    assert "left out 55: hf-t02-m010: roles" in out and "… and 45 more" in out
    assert "threshold check.at_least: 10 person (undated; read on 2025-12-31)" in out


def test_explaining_nothing_does_not_load_the_explainer():
    code = ("import sys; from hongfeng_rules.cli import main; "
            f"main(['check', {str(EXAMPLE)!r}, '--period', '2025', '--as-of', '2026-01-15', '--out', '/dev/null']); "
            "print('hongfeng_rules.explain' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("selector, words", [("hf-9.9.9-nothing", "no loaded rule"), (f"{CORE}:hf-t99", "no finding")])
def test_bad_selector_is_one_input_error(selector, words, capsys, example):
    assert main(["check", str(EXAMPLE), *WHEN, "--explain", selector]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and "--explain" in err[0]
    with pytest.raises(InputError, match=words):
        audit(*example, "2025", AS_OF, explain=selector)


def test_html_why_in_headless_chromium(tmp_path):
    chromium()
    pack, data = rf.make(tmp_path)
    page = tmp_path / "report.html"
    main(rf.check_args(pack, data, "--format", "html", "--out", str(page), "--explain", "tp-5.2.6-core-members"))
    dumped = browse(page, tmp_path / "profile", "--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = Dom(dumped.stdout)
    whys = dom.having("details", **{"class": "why"})
    assert whys and all("open" not in w for w in whys)  # collapsed until opened
    text = " ".join(dom.text)
    assert "counted 1:" in text and "threshold check.at_least: 3 person" in text
    plain = tmp_path / "plain.html"
    main(rf.check_args(pack, data, "--format", "html", "--out", str(plain)))
    assert 'class="why"' not in plain.read_text(encoding="utf-8")
