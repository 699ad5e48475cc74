"""`rules test --format junit`: each rule a test suite, each of its cases a test case, so a standards
author's CI shows rule tests in its test tab. Paths are the cases file's pack folder and name (no absolute
paths, same bytes on every machine)."""
from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from .cases import CaseResult


def render(results: list[CaseResult], coverage: dict[str, str] | None = None) -> str:
    """JUnit XML of the case results, in order; `coverage` (rule id → "reached/items") adds a property."""
    by_rule: dict[str, list[CaseResult]] = {}
    for r in results:
        by_rule.setdefault(r.rule_id, []).append(r)
    failed = sum(1 for r in results if not r.ok)
    root = ET.Element("testsuites", name="hongfeng-rules rules test", tests=str(len(results)), failures=str(failed))
    for rule_id, cases in by_rule.items():
        suite = ET.SubElement(root, "testsuite", name=rule_id, tests=str(len(cases)),
                              failures=str(sum(1 for c in cases if not c.ok)))
        if coverage and rule_id in coverage:
            ET.SubElement(ET.SubElement(suite, "properties"), "property", name="coverage", value=coverage[rule_id])
        for c in cases:
            path = Path(c.file.split("#", 1)[0])
            case = ET.SubElement(suite, "testcase", classname=rule_id, name=c.case,
                                 file=f"{path.parent.name}/{path.name}")
            if c.failures:
                failure = ET.SubElement(case, "failure", message=c.failures[0])
                failure.text = "\n".join(c.failures)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
