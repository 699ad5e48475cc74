"""JUnit, SARIF, Markdown and HTML renderings of one small report, checked against their readers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from hongfeng_rules.cli import main
from hongfeng_rules.report.model import ComplianceReport

import report_fixture as rf

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO.parent / "shared" / "schemas"
EXAMPLE = REPO / "examples" / "hongfeng"
SKIPPED = ("not_applicable", "not_assessable", "pending", "waived")


@pytest.fixture
def run(tmp_path):
    """run(format, *extra) -> (exit code, rendered text, ComplianceReport) for the fixture dataset."""
    pack, data = rf.make(tmp_path)

    def go(fmt: str, *extra: str, path: Path = data, packs: Path | None = pack):
        out = tmp_path / f"out.{fmt}"
        args = rf.check_args(packs, path, "--format", fmt, "--out", str(out), *extra)
        if packs is None:
            args[args.index("--rules"):args.index("--rules") + 2] = []
        code = main(args)
        text = out.read_text(encoding="utf-8")
        main([a if a != fmt else "json" for a in args])
        report = ComplianceReport.model_validate_json(out.read_text(encoding="utf-8"))
        return code, text, report
    return go


def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = SCHEMAS / "sarif-schema-2.1.0.json"
    if not schema_file.is_file():
        pytest.skip(f"SARIF schema not found at {schema_file} (the shared schemas folder is absent)")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


# --------------------------------------------------------------------------- SARIF

def test_sarif_validates_against_the_official_schema(run):
    code, text, report = run("sarif")
    log = json.loads(text)
    sarif_validator().validate(log)
    assert code == 1
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["tp-5.2.6-core-members", "tp-5.2.7-member-skills", "tp-5.3.1-trainings"]
    core = rules[0]
    assert core["properties"]["clause"] == "5.2.6" and core["properties"]["strength"] == "shall"
    assert core["fullDescription"]["text"].startswith("A team shall have no fewer than 3 core members")
    assert core["defaultConfiguration"]["level"] == "error" and core["help"]["text"]
    results = {(r["ruleId"], r["locations"][0]["logicalLocations"][0]["name"]): r for r in run_["results"]}
    assert set(results) == {("tp-5.2.6-core-members", "t2"), ("tp-5.2.7-member-skills", "t1-m0"),
                            ("tp-5.3.1-trainings", "t1"), ("tp-5.3.1-trainings", "t2")}
    assert results["tp-5.2.6-core-members", "t2"]["level"] == "error"
    assert results["tp-5.2.7-member-skills", "t1-m0"]["level"] == "warning"
    unknown = results["tp-5.3.1-trainings", "t1"]
    assert (unknown["kind"], unknown["level"]) == ("review", "none")
    where = results["tp-5.2.7-member-skills", "t1-m0"]["locations"][0]
    assert where["physicalLocation"]["artifactLocation"]["uri"].endswith("export.json")
    assert where["logicalLocations"][0]["fullyQualifiedName"] == "members/t1-m0"
    for r in run_["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


def test_sarif_schema_check_can_fail(run):
    _, text, _ = run("sarif")
    log = json.loads(text)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(Exception, match="fatal"):
        sarif_validator().validate(log)


def test_sarif_unused_may_is_informational_and_output_is_stable(run, tmp_path):
    (tmp_path / "tpack" / "skills.yaml").write_text(
        rf.PACK["skills.yaml"].replace("strength: should", "strength: may").replace("modal: 宜", "modal: 可"),
        encoding="utf-8")
    _, first, _ = run("sarif")
    _, second, _ = run("sarif")
    assert first == second
    results = {r["ruleId"]: r for r in json.loads(first)["runs"][0]["results"]}
    may = results["tp-5.2.7-member-skills"]  # 可: an unused permission is information, never a failure
    assert (may["kind"], may["level"], may["properties"]["status"]) == ("informational", "none", "not_used")


# --------------------------------------------------------------------------- JUnit

def test_junit_parses_and_counts_match_the_report(run):
    _, text, report = run("junit")
    xml = JUnitXml.fromstring(text)
    suites = list(xml)
    assert [s.name for s in suites] == ["team t1 Team one", 'team t2 Team <two> & "co"']
    cases = [c for s in suites for c in s]
    assert len(cases) == len(report.findings) == xml.tests
    failures = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    skipped = [c for c in cases if any(isinstance(r, Skipped) for r in c.result)]
    errors = [c for c in cases if any(isinstance(r, Error) for r in c.result)]
    assert len(failures) == report.overall.counts.by_status["fail"] == xml.failures == 2
    gating = [f for f in report.findings if f.status == "not_assessable" and f.strength == "shall"]
    assert len(errors) == len(gating) == xml.errors  # a not-assessable shall exits 1: never a green <skipped>
    assert len(skipped) + len(errors) == sum(report.overall.counts.by_status[s] for s in SKIPPED) == 2
    for suite, team in zip(suites, report.teams):
        assert suite.tests == sum(team.counts.by_status.values())
        assert suite.failures == team.counts.by_status["fail"]
    core = next(c for c in failures if c.classname == "tpack.tp-5.2.6-core-members")
    assert core.name == "team t2"
    assert "1 active core members" in core.result[0].message
    assert "evidence: t2-m0" in core.result[0].text
    reason = next(c for c in skipped + errors if c.name == "team t1").result[0].message
    assert reason == "not_assessable: the dataset has no trainings"


# --------------------------------------------------------------------------- Markdown

def test_markdown_summary_escapes_and_lists_failures(run):
    _, text, report = run("markdown")
    assert "**❌ non-conformant**" in text
    assert r"Team \<two\> \& \"co\"" in text or r"Team \<two\> \& " in text
    assert "<two>" not in text
    assert "`tp-5.2.6-core-members` — team t2" in text
    assert "### Failures (2)" in text and "### Not assessable (2)" in text
    _, zh, _ = run("markdown", "--lang", "zh")
    assert "不符合项" in zh


# --------------------------------------------------------------------------- HTML (static checks)

def test_html_is_self_contained_and_escaped(run):
    _, text, _ = run("html")
    assert text.startswith("<!DOCTYPE html>")
    assert "Team &lt;two&gt; &amp; &quot;co&quot;" in text and "<two>" not in text
    assert "3 core members \\u003cb\\u003e\\u0026" in text and "<b>" not in text  # card data cannot close its <script>
    assert "default-src 'none'" in text and "connect-src" not in text
    for needle in ("<link", "src=", "@import", "url(", "http://", "https://", "fetch(", "XMLHttpRequest"):
        assert needle not in text, needle
    scripts = text.count("<script")
    assert text.count('<script type="application/json"') == scripts - 1  # data, and the one inline script
    assert 'id="tree"' in text and 'id="grid"' in text and 'data-chart="conformance"' in text
    assert '<details class="node nc" data-kind="association" data-id="a1" data-rate="0.5000" open>' in text
    _, zh, _ = run("html", "--lang", "zh")
    assert '<html lang="zh-CN">' in zh and "协会与队伍" in zh


# --------------------------------------------------------------------------- the example data

@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "markdown", "html"])
def test_each_format_from_the_example(run, fmt):
    if not (EXAMPLE / "teams.json").is_file():
        pytest.skip("examples/hongfeng is not there yet")
    code, text, report = run(fmt, path=EXAMPLE, packs=None)
    assert code in (0, 1) and text.strip()
    if fmt == "sarif":
        sarif_validator().validate(json.loads(text))
    if fmt == "junit":
        assert JUnitXml.fromstring(text).tests == len(report.findings)


# --------------------------------------------------------------------------- may (可): not_used

@pytest.mark.parametrize("fmt, shown", [
    ("text", "○ 5.2.7 may tp-5.2.7-member-skills [member t1-m0]"),
    ("markdown", "### May permissions not used (information) (1)"),
    ("html", '"not_used","member","t1-m0"'),  # a card's row in the page's data (its script builds the card)
    ("junit", "not_used"),
])
def test_an_unused_may_permission_is_information_in_every_renderer(run, tmp_path, fmt, shown):
    """The may rule finds t1's member m0 without skills: `not_used`, shown as information, never a failure."""
    (tmp_path / "tpack" / "skills.yaml").write_text(
        rf.PACK["skills.yaml"].replace("strength: should", "strength: may").replace("modal: 宜", "modal: 可"),
        encoding="utf-8")
    _, text, report = run(fmt)
    may = [f for f in report.findings if f.rule_id == "tp-5.2.7-member-skills" and f.subject.id == "t1-m0"]
    assert [f.status for f in may] == ["not_used"]
    assert shown in text
    for summary in [report.overall, *report.teams, *report.associations]:
        assert summary.counts.failures_by_strength["may"] == 0
    assert report.overall.counts.by_status["not_used"] == 1
    if fmt == "junit":
        case = next(c for s in JUnitXml.fromstring(text) for c in s if c.classname.endswith("member-skills")
                    and c.name == "member t1-m0")
        assert [type(r) for r in case.result] == [Skipped]


def test_no_gate_fails_on_an_unused_may_permission(run, tmp_path):
    """The skills rule finds a member without skills; every other rule passes. As `should` it fails the
    should gate; as `may` it says not_used, and no gate fails."""
    pack = tmp_path / "tpack"
    (pack / "training.yaml").unlink()
    (pack / "core.yaml").write_text(rf.PACK["core.yaml"].replace("value: 3,", "value: 1,"), encoding="utf-8")
    assert [run("json", "--fail-on", gate)[0] for gate in ("shall", "should")] == [0, 1]
    (pack / "skills.yaml").write_text(
        rf.PACK["skills.yaml"].replace("strength: should", "strength: may").replace("modal: 宜", "modal: 可"),
        encoding="utf-8")
    runs = [run("json", "--fail-on", gate) for gate in ("shall", "should")]
    assert [code for code, _, _ in runs] == [0, 0]
    assert "not_used" in {f.status for f in runs[1][2].findings}
