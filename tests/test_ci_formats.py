"""CI formats that match the gate (issue 16), on the four shipped examples: JUnit's test tab is red exactly when
the check exits 1, SARIF points at the data file and line of each record and validates against the official
schema, several reports come from one audit, and rule files are named relative to the packs' root."""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hongfeng_rules.cli import main
from helpers import REPO
from test_report_formats import sarif_validator

EXAMPLES = {
    "hongfeng": ["--period", "2025", "--as-of", "2026-01-15"],
    "yunge": ["--period", "2025", "--as-of", "2025-12-31"],
    "keqiao-zhucun": ["--period", "2025-Q1", "--as-of", "2025-04-01"],
    "gucheng": ["--period", "2025-Q2", "--as-of", "2025-07-01"],
}


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)  # relative dataset paths, as a CI job gives them


def check(pack: str, tmp_path: Path, *extra: str) -> tuple[int, dict[str, str]]:
    """One audit of the example, every format written to a file; (exit code, {format: text})."""
    files = {fmt: tmp_path / f"report.{fmt}" for fmt in ("json", "junit", "sarif", "html", "markdown")}
    code = main(["check", f"examples/{pack}", "--pack", pack, *EXAMPLES[pack], *extra,
                 *(a for fmt, path in files.items() for a in ("--format", f"{fmt}:{path}"))])
    return code, {fmt: path.read_text(encoding="utf-8") for fmt, path in files.items()}


@pytest.mark.parametrize("extra", [[], ["--allow-incomplete"], ["--fail-on", "should"]])
@pytest.mark.parametrize("pack", EXAMPLES)
def test_junit_is_red_exactly_when_the_check_fails(pack, extra, tmp_path, capsys):
    code, out = check(pack, tmp_path, *extra)
    root = ET.fromstring(out["junit"])
    report = json.loads(out["json"])
    red = int(root.get("failures")) + int(root.get("errors"))
    gated = {"shall"} | ({"should"} if "should" in extra else set())
    gating_fails = [f for f in report["findings"] if f["status"] == "fail" and f["strength"] in gated]
    if code == 1:
        assert red > 0
    if gating_fails or (code == 1 and "--allow-incomplete" not in extra):
        assert red > 0 and code == 1
    for case in root.iter("testcase"):
        status = {(f["pack"] + "." + f["rule_id"], f["subject"]["kind"] + " " + f["subject"]["id"]): f
                  for f in report["findings"]}.get((case.get("classname"), case.get("name")))
        if status and status["status"] == "not_assessable" and status["strength"] in gated and not (
                "--allow-incomplete" in extra):
            assert case.find("error") is not None and case.find("skipped") is None
        file = case.get("file")
        if file is not None:
            assert not Path(file).is_absolute() and ".." not in file and (REPO / "rules" / file).is_file()


def test_a_gating_not_assessable_is_an_error_not_skipped(tmp_path, capsys):
    code, out = check("hongfeng", tmp_path)
    report = json.loads(out["json"])
    unknown = [f for f in report["findings"] if f["status"] == "not_assessable" and f["strength"] == "shall"]
    assert unknown and code == 1
    root = ET.fromstring(out["junit"])
    assert int(root.get("errors")) == len(unknown)
    code, out = check("hongfeng", tmp_path, "--allow-incomplete")
    assert int(ET.fromstring(out["junit"]).get("errors")) == 0  # accepted: reported, not gating


@pytest.mark.parametrize("pack", EXAMPLES)
def test_sarif_points_at_the_record_and_validates(pack, tmp_path, capsys):
    code, out = check(pack, tmp_path)
    log = json.loads(out["sarif"])
    sarif_validator().validate(log)
    run = log["runs"][0]
    report = json.loads(out["json"])
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": code}]
    rules = run["tool"]["driver"]["rules"]
    assert sorted(r["id"] for r in rules) == sorted(r["rule_id"] for r in report["rules"])
    for r in rules:
        assert r["helpUri"].startswith("https://") and r["helpUri"].endswith(r["properties"]["rule_file"])
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["results"], "every example has something to report"
    for result in run["results"]:
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        uri, line = physical["artifactLocation"]["uri"], physical["region"]["startLine"]
        assert physical["artifactLocation"]["uriBaseId"] == "DATASETROOT"
        assert run["artifacts"][physical["artifactLocation"]["index"]]["location"]["uri"] == uri
        subject = location["logicalLocations"][0]["name"]
        data = REPO / uri
        if subject != "*":  # a record: its file and the line it starts on
            assert data.is_file() and data.parent == REPO / "examples" / pack
            text = data.read_text(encoding="utf-8").splitlines()
            assert any(subject in l for l in text[line - 1:line + 2]), (uri, line, subject)
        (related,) = result["relatedLocations"]
        assert (REPO / "rules" / related["physicalLocation"]["artifactLocation"]["uri"]).is_file()


def test_every_rule_has_a_descriptor_levels_and_stars_included(tmp_path, capsys):
    _, out = check("hongfeng", tmp_path)
    kinds = {r["properties"]["kind"] for r in json.loads(out["sarif"])["runs"][0]["tool"]["driver"]["rules"]}
    assert {"levels", "ranking"} <= kinds


def test_several_reports_from_one_audit_are_the_separate_runs_bytes(tmp_path, capsys):
    _, together = check("gucheng", tmp_path)
    for fmt, text in together.items():
        alone = tmp_path / f"alone.{fmt}"
        main(["check", "examples/gucheng", "--pack", "gucheng", *EXAMPLES["gucheng"], "--format", fmt,
              "--out", str(alone)])
        assert alone.read_text(encoding="utf-8") == text, fmt


def test_two_reports_for_standard_output_is_an_error_line(capsys):
    assert main(["check", "examples/gucheng", "--pack", "gucheng", *EXAMPLES["gucheng"],
                 "--format", "json", "--format", "text"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--format" in err[0] and "Traceback" not in err[0]


def test_rule_files_are_relative_so_two_installs_give_the_same_bytes(tmp_path, capsys):
    reports = []
    for place in ("one", "two/deeper"):
        packs = tmp_path / place
        shutil.copytree(REPO / "rules" / "gucheng", packs / "gucheng")
        out = tmp_path / f"{place.replace('/', '-')}.json"
        main(["check", "examples/gucheng", "--pack", str(packs / "gucheng"), *EXAMPLES["gucheng"],
              "--format", f"json:{out}"])
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]
    assert str(tmp_path).encode() not in reports[0]
    assert json.loads(reports[0])["findings"][0]["rule_file"].startswith("gucheng/")


def test_the_report_records_what_its_verdicts_depend_on(tmp_path, capsys):
    import holidays
    _, out = check("gucheng", tmp_path)
    report = json.loads(out["json"])
    assert report["calendar"]["source"] == "holidays" and report["calendar"]["version"] == holidays.__version__
    assert report["calendar"]["last_year"] >= 2026
    (pack,) = report["packs"]
    assert pack["version"] and pack["digest"].startswith("sha256:") and len(pack["digest"]) == 71
    changed = tmp_path / "changed"
    shutil.copytree(REPO / "rules" / "gucheng", changed / "gucheng")
    rule = changed / "gucheng" / "P1.2-management-centre.yaml"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a comment changes the digest\n", encoding="utf-8")
    again = tmp_path / "again.json"
    main(["check", "examples/gucheng", "--pack", str(changed / "gucheng"), *EXAMPLES["gucheng"],
          "--format", f"json:{again}"])
    assert json.loads(again.read_text(encoding="utf-8"))["packs"][0]["digest"] != pack["digest"]


def test_junit_of_a_run_with_nothing_assessed_is_red(tmp_path, capsys):
    from test_verdicts import unknowable
    pack, data = unknowable(tmp_path)
    out = tmp_path / "r.xml"
    code = main(["check", str(data), "--rules", str(pack), "--period", "2025", "--as-of", "2026-01-15",
                 "--allow-incomplete", "--format", f"junit:{out}"])
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert code == 1 and int(root.get("errors")) == 1
    (case,) = [c for c in root.iter("testcase") if c.find("error") is not None]
    assert case.get("name") == "overall verdict" and "no shall rule" in case.find("error").get("message")


def test_the_holidays_bound_is_deliberate_and_documented():
    """A runtime range, not a pin and not open-ended: docs/time.md says why (issue 16)."""
    import tomllib
    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    (spec,) = [d for d in deps if d.startswith("holidays")]
    assert ">=0.109" in spec and "<1" in spec
    doc = (REPO / "docs" / "time.md").read_text(encoding="utf-8")
    assert "The bound on holidays" in doc and "holidays>=0.109,<1" in doc


def test_a_pack_digest_is_that_of_the_files_it_was_loaded_from(tmp_path):
    """A service audits all day with the packs it loaded at start: its reports name those rules, not a
    rule file edited since (which a new load reads, with another digest)."""
    from hongfeng_rules.rulebook.pack import RulePack, load_pack, pack_digest
    shutil.copytree(REPO / "rules" / "gucheng", tmp_path / "gucheng")
    pack = load_pack(tmp_path / "gucheng")
    first = pack_digest(pack)
    assert first == pack_digest(RulePack(pack.manifest, pack.directory, pack.rules))  # the files' digest
    rule = tmp_path / "gucheng" / "P1.2-management-centre.yaml"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# edited in place\n", encoding="utf-8")
    assert pack_digest(pack) == first
    assert pack_digest(load_pack(tmp_path / "gucheng")) != first
