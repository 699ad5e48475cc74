"""SARIF 2.1.0 for code-scanning panels.

One rule descriptor per rule that produced a finding (clause, strength, clause sentence,
help text). Results, in report order:

- `fail` → kind `fail`, level `error` / `warning` / `note` for shall / should / may;
- `waived` → the same, with an accepted external suppression carrying the waiver;
- `not_assessable` → kind `review`, level `none` (someone must look: the data cannot say);
- `not_used` (a may rule whose permission is unused) → kind `informational`, level `none`;
- `pass`, `pending`, `not_applicable` → no result.

Every result points at the dataset file (artifactLocation) and the record (a logical location
`<collection>/<id>` of the subject's kind); `partialFingerprints` key it by rule and subject so
a CI tracks the same finding across runs.

Given a baseline report (`check --baseline OLD.json`), each result carries `baselineState`: `new` (not
reported in the baseline), `unchanged`, or `updated` (status, measured, expected or message differ); and
each result the baseline reported that is no longer reported is added with `absent`.
"""
from __future__ import annotations

import json
import os
from pathlib import PurePath
from urllib.parse import quote

from ..baseline import finding_key
from ..rulebook.spec import clause_key
from ..models import KIND_TO_COLLECTION
from .model import ComplianceReport, Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"shall": "error", "should": "warning", "may": "note"}
REPORTED = ("fail", "waived", "not_assessable", "not_used")
_KIND = {"not_assessable": "review", "not_used": "informational"}  # every other reported status: fail


def render(report: ComplianceReport, lang: str = "en", baseline: ComplianceReport | None = None) -> str:
    gone = _absent(report, baseline) if baseline is not None else []
    first: dict[str, Finding] = {}
    for f in [*report.findings, *gone]:
        first.setdefault(f.rule_id, f)
    rules = sorted(first.values(), key=lambda f: (f.pack, clause_key(f.clause), f.rule_id))
    index = {f.rule_id: i for i, f in enumerate(rules)}
    packs = {p.pack: p for p in report.packs}
    uri = dataset_uri(report.dataset)
    run = {
        "tool": {"driver": {
            "name": "hongfeng-rules", "version": report.tool_version,
            "rules": [_descriptor(f, packs.get(f.pack), lang) for f in rules],
        }},
        "originalUriBaseIds": {"DATASETROOT": {"description": {"text": "the folder the check ran in"}}},
        "artifacts": [{"location": _artifact(uri)}],
        "results": [_result(f, index[f.rule_id], uri, lang) for f in report.findings if f.status in REPORTED],
        "properties": {"dataset": report.dataset, "period": report.period,
                       "as_of": report.as_of.isoformat(), "conformant": report.overall.conformant,
                       "complete": report.overall.complete, "expired_waivers": report.expired_waivers},
    }
    if baseline is not None:
        old = {finding_key(f): f for f in baseline.findings}
        for result, f in zip(run["results"], [f for f in report.findings if f.status in REPORTED]):
            result["baselineState"] = baseline_state(f, old)
        run["results"] += [{**_result(f, index[f.rule_id], uri, lang), "baselineState": "absent"} for f in gone]
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2, default=str) + "\n"


def baseline_state(f: Finding, old: dict[str, Finding]) -> str:
    """new, unchanged or updated: how a reported result compares with the baseline's finding of its key."""
    o = old.get(finding_key(f))
    if o is None or o.status not in REPORTED:
        return "new"
    same = (o.status, o.measured, o.expected, o.message) == (f.status, f.measured, f.expected, f.message)
    return "unchanged" if same else "updated"


def _absent(report: ComplianceReport, baseline: ComplianceReport) -> list[Finding]:
    """The baseline's reported findings that this report no longer reports, in the baseline's order."""
    now = {finding_key(f) for f in report.findings if f.status in REPORTED}
    return [f for f in baseline.findings if f.status in REPORTED and finding_key(f) not in now]


def dataset_uri(path: str) -> str:
    """A relative path stays relative (to DATASETROOT); an absolute one becomes a file: URI."""
    if os.path.isabs(path):
        return PurePath(path).as_uri()
    return quote(PurePath(path).as_posix())


def _artifact(uri: str) -> dict:
    location = {"uri": uri}
    if not uri.startswith("file:"):
        location["uriBaseId"] = "DATASETROOT"
    return location


def _descriptor(f: Finding, pack, lang: str) -> dict:
    source = getattr(f.source, lang)
    standard = getattr(pack.title, lang) if pack else f.pack
    help_text = (f"Clause {f.clause} of {standard} ({f.strength}): {source}\n"
                 f"中文：{f.source.zh}\n"
                 f"Rule {f.rule_id} in pack {f.pack} {f.pack_version}"
                 + (f", file {f.rule_file}" if f.rule_file else "") + ".")
    return {
        "id": f.rule_id,
        "name": f.rule_id,
        "shortDescription": {"text": f"{f.clause} ({f.strength}) {getattr(f.title, lang)}"},
        "fullDescription": {"text": source},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVEL[f.strength]},
        "properties": {"clause": f.clause, "strength": f.strength, "pack": f.pack,
                       "pack_version": f.pack_version, "source_zh": f.source.zh, "source_en": f.source.en,
                       "tags": ["compliance", f"clause-{f.clause}", f.strength]},
    }


def _result(f: Finding, rule_index: int, uri: str, lang: str) -> dict:
    collection = KIND_TO_COLLECTION.get(f.subject.kind, f.subject.kind)
    status = f.waiver.get("waived_status", "fail") if f.status == "waived" and f.waiver else f.status
    result = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "kind": _KIND.get(status, "fail"),
        "level": "none" if status in _KIND else LEVEL[f.strength],
        "message": {"text": getattr(f.message, lang)},
        "locations": [{
            "physicalLocation": {"artifactLocation": {**_artifact(uri), "index": 0}},
            "logicalLocations": [{"name": f.subject.id, "fullyQualifiedName": f"{collection}/{f.subject.id}",
                                  "kind": f.subject.kind}],
        }],
        "partialFingerprints": {"hongfengRuleSubject/v1": f"{f.rule_id}:{f.subject.kind}:{f.subject.id}"},
        "properties": {"status": f.status, "clause": f.clause, "strength": f.strength,
                       "measured": f.measured, "expected": f.expected, "evidence_ids": f.evidence_ids,
                       "team_id": f.subject.team_id, "association_id": f.subject.association_id},
    }
    if f.status == "waived" and f.waiver:
        w = f.waiver
        result["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": f"{w['justification']} (approved by {w['approved_by']} on {w['approved_on']}, "
                             f"expires {w['expires_on']})",
        }]
    return result
