"""SARIF 2.1.0 for code-scanning panels.

One rule descriptor per rule the audit ran (`report.rules`: derived levels and titles too; clause,
strength, clause sentence, help text, `helpUri` = the rule file in the repository). Results, in report order:

- `fail` → kind `fail`, level `error` / `warning` / `note` for shall / should / may;
- `waived` → the same, with an accepted external suppression carrying the waiver;
- `not_assessable` → kind `review`, level `none` (someone must look: the data cannot say);
- `not_used` (a may rule whose permission is unused) → kind `informational`, level `none`;
- `pass`, `pending`, `not_applicable` → no result.

Every result has a physical location with a region: the data file and line of the subject's record (from
the loader's `RecordLocator`), or the dataset and line 1 when the record is not in the data (a collection the
export lacks); the record's logical location `<collection>/<id>`; and the rule file as a related location.
`partialFingerprints` key it by rule and subject so a CI tracks the same finding across runs; `invocations`
carries the exit code the check returned.

Given a baseline report (`check --baseline OLD.json`), each result carries `baselineState`: `new` (not
reported in the baseline), `unchanged`, or `updated` (status, measured, expected or message differ); and
each result the baseline reported that is no longer reported is added with `absent`.
"""
from __future__ import annotations

import json
import os
from pathlib import PurePath
from typing import Callable
from urllib.parse import quote

from ..baseline import finding_key
from ..models import KIND_TO_COLLECTION
from ..rulebook.spec import clause_key
from .labels import READ_AS_WORDS
from .model import ComplianceReport, Finding, RuleInfo

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
REPOSITORY = "https://github.com/hongfeng-rules/hongfeng-rules"  # also [project.urls] in pyproject.toml
RULES_URL = REPOSITORY + "/blob/main/rules/"  # a rule's file is its documentation: clause, sentence, reading
LEVEL = {"shall": "error", "should": "warning", "may": "note"}
REPORTED = ("fail", "waived", "not_assessable", "not_used")
_KIND = {"not_assessable": "review", "not_used": "informational"}  # every other reported status: fail
# The descriptors' and results' words in the report's language (a zh rule shows the kind of provision, 〔要求〕
# 〔推荐〕 〔允许〕: RuleInfo does not say whether its sentence has 应/宜/可).
WORDS = {
    "en": {"short": "{clause} ({strength}) {title}",
           "help": "Clause {clause} of {standard} ({strength}): {source}\n中文：{zh}\n"
                   "Rule {rule} in pack {pack} {version}, file {file}.",
           "rule": "rule {rule}", "dataset_root": "the folder the check ran in",
           "rules_root": "the folder of the rule packs (each pack a folder in it)",
           "waiver": "{why} (approved by {by} on {on}, expires {until})"},
    "zh": {"short": "{clause} {strength} {title}",
           "help": "{standard} 第 {clause} 条 {strength}：{source}\n规则 {rule}，规则包 {pack} {version}，文件 {file}。",
           "rule": "规则 {rule}", "dataset_root": "运行检查时所在的文件夹",
           "rules_root": "规则包所在的文件夹（每个规则包是其中的一个文件夹）",
           "waiver": "{why}（批准人 {by}，批准日期 {on}，有效期至 {until}）"},
}
Locate = Callable[[str, str], "tuple[str, int | None] | None"]  # (collection, id) -> (file, line)


def render(report: ComplianceReport, lang: str = "en", baseline: ComplianceReport | None = None, *,
           locate: Locate | None = None, exit_code: int | None = None) -> str:
    gone = _absent(report, baseline) if baseline is not None else []
    known = {r.rule_id: r for r in report.rules}
    for f in gone:  # a rule the baseline reported that this audit no longer has still needs its descriptor
        known.setdefault(f.rule_id, _rule_of(f))
    rules = sorted(known.values(), key=lambda r: (r.pack, clause_key(r.clause), r.rule_id))
    index = {r.rule_id: i for i, r in enumerate(rules)}
    packs = {p.pack: p for p in report.packs}
    dataset = dataset_uri(report.dataset)
    artifacts: dict[str, int] = {}
    reported = [f for f in report.findings if f.status in REPORTED]
    results = [_result(f, index[f.rule_id], _place(f, dataset, locate), artifacts, lang) for f in reported]
    if baseline is not None:
        old = {finding_key(f): f for f in baseline.findings}
        for result, f in zip(results, reported):
            result["baselineState"] = baseline_state(f, old)
        results += [{**_result(f, index[f.rule_id], _place(f, dataset, None), artifacts, lang),
                     "baselineState": "absent"} for f in gone]
    invocation = {"executionSuccessful": True}
    if exit_code is not None:
        invocation["exitCode"] = exit_code
    run = {
        "tool": {"driver": {
            "name": "hongfeng-rules", "version": report.tool_version, "informationUri": REPOSITORY,
            "rules": [_descriptor(r, packs.get(r.pack), lang) for r in rules],
        }},
        "invocations": [invocation],
        "originalUriBaseIds": {
            "DATASETROOT": {"description": {"text": WORDS[lang]["dataset_root"]}},
            "RULESROOT": {"description": {"text": WORDS[lang]["rules_root"]}},
        },
        "artifacts": [{"location": _artifact(uri)} for uri in artifacts],
        "results": results,
        "properties": {"dataset": report.dataset, "period": report.period,
                       "as_of": report.as_of.isoformat(), "conformant": report.overall.conformant,
                       "complete": report.overall.complete, "expired_waivers": report.expired_waivers},
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2, default=str) + "\n"


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


def _place(f: Finding, dataset: str, locate: Locate | None) -> tuple[str, int]:
    """The data file (as a URI) and line of the finding's record; the dataset and line 1 when unknown."""
    found = locate(KIND_TO_COLLECTION.get(f.subject.kind, f.subject.kind), f.subject.id) if locate else None
    if found is None:
        return dataset, 1
    file, line = found
    return dataset_uri(file), line or 1


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


def _rule_of(f: Finding) -> RuleInfo:
    return RuleInfo(rule_id=f.rule_id, pack=f.pack, clause=f.clause, strength=f.strength, kind="",
                    title=f.title, source=f.source, rule_file=f.rule_file or "")


def _descriptor(r: RuleInfo, pack, lang: str) -> dict:
    source = getattr(r.source, lang)
    standard = getattr(pack.title, lang) if pack else r.pack
    version = pack.version if pack else ""
    w = WORDS[lang]
    strength = r.strength if lang == "en" else READ_AS_WORDS[lang][r.strength]
    help_text = w["help"].format(clause=r.clause, standard=standard, strength=strength, source=source,
                                 zh=r.source.zh, rule=r.rule_id, pack=r.pack, version=version, file=r.rule_file)
    return {
        "id": r.rule_id,
        "name": r.rule_id,
        "shortDescription": {"text": w["short"].format(clause=r.clause, strength=strength,
                                                       title=getattr(r.title, lang))},
        "fullDescription": {"text": source},
        "help": {"text": help_text},
        "helpUri": RULES_URL + quote(r.rule_file),
        "defaultConfiguration": {"level": LEVEL[r.strength]},
        "properties": {"clause": r.clause, "strength": r.strength, "pack": r.pack, "pack_version": version,
                       "kind": r.kind, "rule_file": r.rule_file, "source_zh": r.source.zh,
                       "source_en": r.source.en, "tags": ["compliance", f"clause-{r.clause}", r.strength]},
    }


def _result(f: Finding, rule_index: int, place: tuple[str, int], artifacts: dict[str, int], lang: str) -> dict:
    collection = KIND_TO_COLLECTION.get(f.subject.kind, f.subject.kind)
    uri, line = place
    artifact = artifacts.setdefault(uri, len(artifacts))
    status = f.waiver.get("waived_status", "fail") if f.status == "waived" and f.waiver else f.status
    result = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "kind": _KIND.get(status, "fail"),
        "level": "none" if status in _KIND else LEVEL[f.strength],
        "message": {"text": getattr(f.message, lang)},
        "locations": [{
            "physicalLocation": {"artifactLocation": {**_artifact(uri), "index": artifact},
                                 "region": {"startLine": line}},
            "logicalLocations": [{"name": f.subject.id, "fullyQualifiedName": f"{collection}/{f.subject.id}",
                                  "kind": f.subject.kind}],
        }],
        "relatedLocations": [{"id": 1, "message": {"text": WORDS[lang]["rule"].format(rule=f.rule_id)}, "physicalLocation": {
            "artifactLocation": {"uri": quote(f.rule_file or f.rule_id), "uriBaseId": "RULESROOT"},
            "region": {"startLine": 1}}}],
        "partialFingerprints": {"hongfengRuleSubject/v1": f"{f.rule_id}:{f.subject.kind}:{f.subject.id}"},
        "properties": {"status": f.status, "clause": f.clause, "strength": f.strength,
                       "measured": f.measured, "expected": f.expected, "evidence_ids": f.evidence_ids,
                       "team_id": f.subject.team_id, "association_id": f.subject.association_id},
    }
    if f.status == "waived" and f.waiver:
        w = f.waiver
        result["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": WORDS[lang]["waiver"].format(why=w["justification"], by=w["approved_by"],
                                                          on=w["approved_on"], until=w["expires_on"]),
        }]
    return result
