"""JUnit XML: a test suite per team, a test case per rule × subject.

`classname` is `<pack>.<rule id>`, `name` is `<subject kind> <subject id>`. A failing finding
is a `<failure>` (message, and the evidence ids in the body). A `not_assessable` finding that gates (its
strength is in `gated`: it makes the check exit 1) is an `<error>`, so a CI's test tab is never green while
the job fails; `not_applicable`, `pending`, `waived`, `not_used` (an unused may permission) and a
not-assessable finding that does not gate are `<skipped>` with the reason. A report without a verdict (no shall rule could be assessed) has one more
`<error>` case, `overall verdict`. Findings that belong to no team (association rules, collections missing
from the dataset) form one more suite. `file=` is the rule file relative to the packs' root.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Collection

from ..invisible import escape_hidden
from .labels import STATUS_NAMES, localise, strength_word
from .model import ComplianceReport, Finding

SKIPPED = ("not_applicable", "not_assessable", "pending", "waived", "not_used")
VERDICT_SUITE = {"en": "overall", "zh": "总体"}
# The words around a finding; English keeps the status and strength codes a CI greps for.
WORDS = {"en": {"team": "team", "verdict": "overall verdict", "measured": "measured: ", "expected": "expected: ",
                "evidence": "evidence: ", "colon": ": ", "waived": "waived until {until} by {by}: {why}"},
         "zh": {"team": "队伍", "verdict": "总体结论", "measured": "实测：", "expected": "要求：", "evidence": "证据：", "colon": "：",
                "waived": "豁免至 {until}，批准人 {by}：{why}"}}
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: ComplianceReport, lang: str = "en", gated: Collection[str] = ("shall",)) -> str:
    """`gated`: the strengths whose not-assessable findings fail the check (the CLI passes what
    --fail-on and --allow-incomplete gate; empty: none)."""
    root = ET.Element("testsuites", name=f"hongfeng-rules {report.dataset} {report.period}")
    teams, rest = report.findings_by_team()
    for team, findings in teams:
        _suite(root, f"{WORDS[lang]['team']} {team.id} {team.name or ''}".strip(), findings, report, lang, gated)
    if rest:
        _suite(root, "other subjects" if lang == "en" else "协会及其他", rest, report, lang, gated)
    if report.overall.conformant is None:
        suite = _suite(root, VERDICT_SUITE[lang], [], report, lang, gated)
        case = ET.SubElement(suite, "testcase", classname="hongfeng-rules.verdict", name=WORDS[lang]["verdict"],
                             time="0")
        ET.SubElement(case, "error", type="no_verdict", message=_x(getattr(report.overall.reason, lang)))
        _count(suite, suite.findall("testcase"))
    _count(root, root.findall("testsuite"))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(root: ET.Element, name: str, findings: list[Finding], report: ComplianceReport, lang: str,
           gated: Collection[str]) -> ET.Element:
    suite = ET.SubElement(root, "testsuite", name=_x(name), timestamp=report.as_of.isoformat())
    props = ET.SubElement(suite, "properties")
    for key, value in [("dataset", report.dataset), ("period", report.period), ("as_of", report.as_of.isoformat())]:
        ET.SubElement(props, "property", name=key, value=_x(value))
    for f in findings:
        case = ET.SubElement(suite, "testcase", classname=_x(f"{f.pack}.{f.rule_id}"),
                             name=_x(f"{f.subject.kind} {f.subject.id}"), time="0")
        if f.rule_file:
            case.set("file", _x(f.rule_file))
        w = WORDS[lang]
        strength = f.strength if lang == "en" else strength_word(f, lang)
        message = _x(f"{f.clause} {strength}{w['colon']}{getattr(f.message, lang)}")
        if f.status == "fail":
            failure = ET.SubElement(case, "failure", message=message, type=f.strength)
            failure.text = _x(_details(f, lang))
        elif f.status == "not_assessable" and f.strength in gated:
            reason = localise(f.note, lang) or getattr(f.message, lang)
            error = ET.SubElement(case, "error", message=_x(f"{_status(f.status, lang)}{w['colon']}{reason}"),
                                  type="not_assessable")
            error.text = _x(_details(f, lang))
        elif f.status in SKIPPED:
            reason = localise(f.note, lang) or getattr(f.message, lang)
            if f.status == "waived" and f.waiver:
                reason = w["waived"].format(until=f.waiver["expires_on"], by=f.waiver["approved_by"],
                                            why=f.waiver["justification"])
            ET.SubElement(case, "skipped", message=_x(f"{_status(f.status, lang)}{w['colon']}{reason}"))
    _count(suite, suite.findall("testcase"))
    return suite


def _status(status: str, lang: str) -> str:
    return status if lang == "en" else STATUS_NAMES[lang][status]


def _details(f: Finding, lang: str) -> str:
    w = WORDS[lang]
    lines = [getattr(f.source, lang), f"{w['measured']}{localise(f.measured, lang)}",
             f"{w['expected']}{localise(f.expected, lang)}"]
    if f.evidence_ids:
        lines.append(w["evidence"] + ", ".join(f.evidence_ids))
    return "\n".join(lines)


def _count(element: ET.Element, children: list[ET.Element]) -> None:
    """Totals on a suite (from its cases) or on the root (from its suites)."""
    if element.tag == "testsuite":
        tests = len(children)
        failures = sum(1 for c in children if c.find("failure") is not None)
        errors = sum(1 for c in children if c.find("error") is not None)
        skipped = sum(1 for c in children if c.find("skipped") is not None)
    else:
        tests, failures, errors, skipped = (sum(int(s.get(k)) for s in children)
                                            for k in ("tests", "failures", "errors", "skipped"))
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", str(errors))
    element.set("skipped", str(skipped))
    element.set("time", "0")


def _x(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (ElementTree escapes the rest); show hidden ones as `<U+202E>`."""
    return escape_hidden(_NOT_XML.sub("\ufffd", str(text)))
