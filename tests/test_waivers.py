"""Waivers and --fail-on, through the command line and its exit codes."""
from __future__ import annotations

import json

import pytest

from hongfeng_rules.cli import main
from hongfeng_rules.report.labels import STATUS_MARKS

import report_fixture as rf

CORE = "tp-5.2.6-core-members"
SKILLS = "tp-5.2.7-member-skills"


def waiver(rule=CORE, subject="t2", expires="2026-03-31", **extra) -> str:
    fields = {"rule_id": rule, "subject_id": subject, "justification": "Re-founded in November; recruiting",
              "approved_by": "County association", "approved_on": "2025-11-20", "expires_on": expires, **extra}
    return "  - " + "\n    ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()) + "\n"


@pytest.fixture
def check(tmp_path, capsys):
    """check(*args, waivers=text) -> (exit code, JSON report or None, stderr)."""
    pack, data = rf.make(tmp_path)

    def go(*extra: str, waivers: str | None = None, as_of: str = "2025-12-31"):
        args = rf.check_args(pack, data, "--format", "json", *extra)
        args[args.index("--as-of") + 1] = as_of
        if waivers is not None:
            path = tmp_path / "waivers.yaml"
            path.write_text(waivers, encoding="utf-8")
            args += ["--waivers", str(path)]
        code = main(args)
        out, err = capsys.readouterr()
        return code, json.loads(out) if out else None, err
    return go


def finding(report, rule, subject):
    return next(f for f in report["findings"] if f["rule_id"] == rule and f["subject"]["id"] == subject)


def test_without_waivers_a_shall_failure_exits_1(check):
    code, report, _ = check()
    assert code == 1
    assert finding(report, CORE, "t2")["status"] == "fail"


def test_a_waiver_in_force_waives_and_keeps_the_measured_values(check):
    code, report, _ = check("--allow-incomplete", waivers="waivers:\n" + waiver())
    f = finding(report, CORE, "t2")
    assert f["status"] == "waived" and f["measured"] == 1 and f["evidence_ids"] == ["t2-m0"]
    assert f["waiver"]["approved_by"] == "County association" and f["waiver"]["waived_status"] == "fail"
    team = next(t for t in report["teams"] if t["id"] == "t2")
    assert team["conformant"] and team["counts"]["by_status"]["waived"] == 1
    assert report["overall"]["counts"]["failures_by_strength"]["shall"] == 0
    assert report["expired_waivers"] == []
    assert code == 0  # only the should failure is left, and the gate is `shall`


def test_an_expired_waiver_fails_again_and_is_listed(check):
    code, report, _ = check(waivers="waivers:\n" + waiver(expires="2025-12-30"))
    assert code == 1
    assert finding(report, CORE, "t2")["status"] == "fail"
    assert finding(report, CORE, "t2")["waiver"] is None
    [expired] = report["expired_waivers"]
    assert (expired["rule_id"], expired["subject_id"], expired["expires_on"]) == (CORE, "t2", "2025-12-30")


def test_a_waiver_is_in_force_on_its_expiry_day(check):
    code, report, _ = check("--allow-incomplete", waivers="waivers:\n" + waiver(expires="2025-12-31"))
    assert finding(report, CORE, "t2")["status"] == "waived" and code == 0


@pytest.mark.parametrize("entry, words", [
    (waiver(rule="tp-9.9.9-nothing"), ["waivers[0]", "rule_id", "unknown rule 'tp-9.9.9-nothing'"]),
    (waiver(subject="t9"), ["waivers[0]", "subject_id", "no finding for subject 't9'"]),
    (waiver(colour="red"), ["waivers[0]", "unknown field 'colour'"]),
    (waiver(expires="2025-01-01"), ["waivers[0]", "expires_on is before approved_on"]),
    (waiver(expires="soon"), ["waivers[0]", "expires_on"]),
])
def test_a_bad_waiver_is_an_input_error_naming_file_and_entry(check, entry, words):
    code, report, err = check(waivers="waivers:\n" + entry)
    assert code == 2 and report is None
    assert "waivers.yaml" in err and "Traceback" not in err
    for word in words:
        assert word in err


def test_a_missing_waiver_field_and_a_duplicate_are_reported(check):
    code, _, err = check(waivers="waivers:\n" + waiver().replace('    approved_by: "County association"\n', ""))
    assert code == 2 and "required field 'approved_by' is missing" in err
    code, _, err = check(waivers="waivers:\n" + waiver() + waiver())
    assert code == 2 and "waivers[1]" in err and "duplicate" in err


def test_a_waiver_file_that_is_not_a_list_of_waivers(check):
    code, _, err = check(waivers="- just a list\n")
    assert code == 2 and "waivers.yaml" in err and "'waivers' list" in err


def test_fail_on_sets_the_exit_code(check):
    assert check("--fail-on", "shall")[0] == 1
    assert check("--fail-on", "never")[0] == 0
    both = "waivers:\n" + waiver()
    assert check("--fail-on", "shall", waivers=both)[0] == 1  # no trainings: 5.3.1 not assessable, not a pass
    assert check("--fail-on", "shall", "--allow-incomplete", waivers=both)[0] == 0
    assert check("--fail-on", "should", "--allow-incomplete", waivers=both)[0] == 1  # the member without skills
    both += waiver(rule=SKILLS, subject="t1-m0")
    assert check("--fail-on", "should", "--allow-incomplete", waivers=both)[0] == 0


def test_waived_findings_render_in_every_format(check, tmp_path, capsys):
    waivers = "waivers:\n" + waiver()
    for fmt in ("text", "junit", "sarif", "markdown", "html"):
        pack, data = tmp_path / "tpack", tmp_path / "export.json"
        path = tmp_path / "waivers.yaml"
        path.write_text(waivers, encoding="utf-8")
        main(rf.check_args(pack, data, "--format", fmt, "--waivers", str(path)))
        out = capsys.readouterr().out
        if fmt == "text":  # the text report shows the waived finding by its mark, not the justification
            assert any(line.lstrip().startswith(STATUS_MARKS["waived"]) and CORE in line for line in out.splitlines())
        else:
            assert "Re-founded in November" in out, fmt
    sarif = json.loads((main(rf.check_args(pack, data, "--format", "sarif", "--waivers", str(path))),
                        capsys.readouterr().out)[1])
    [waived] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == CORE]
    assert waived["suppressions"][0]["status"] == "accepted"


def test_waiving_a_not_assessable_shall_rule_lifts_the_gate(check):
    waivers = "waivers:\n" + waiver() + "".join(waiver(rule="tp-5.3.1-trainings", subject=t) for t in ("t1", "t2"))
    code, report, _ = check(waivers=waivers)
    assert finding(report, "tp-5.3.1-trainings", "t1")["waiver"]["waived_status"] == "not_assessable"
    assert report["overall"]["complete"] and code == 0


def test_expired_waivers_are_shown_in_markdown_and_html(check, tmp_path, capsys):
    check(waivers="waivers:\n" + waiver(expires="2025-12-01"))
    pack, data, path = tmp_path / "tpack", tmp_path / "export.json", tmp_path / "waivers.yaml"
    main(rf.check_args(pack, data, "--format", "markdown", "--waivers", str(path)))
    assert "### Expired waivers (1)" in capsys.readouterr().out
    main(rf.check_args(pack, data, "--format", "html", "--waivers", str(path)))
    html = capsys.readouterr().out
    assert 'id="expired"' in html and "2025-12-01" in html
