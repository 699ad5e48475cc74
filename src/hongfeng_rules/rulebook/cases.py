"""Rule tests beside the rules: `<rule>.cases.yaml` holds named cases with the status expected per subject.

A case's data is a dataset fragment merged over the file's `base`; a record with `_repeat: N`
stands for N records, `{i}` in its strings numbered 1..N (so boundary cases stay short).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from pydantic import Field, ValidationError, model_validator

from ..errors import InputError, Problem, fail
from ..models.base import StrictModel
from ..report.model import Status
from ..derived_results import is_derived
from ..safe_load import read_document
from ..timecalc import Period
from .pack import CASES_SUFFIX, CompiledRule, RulePack, validation_problems

MAX_REPEAT = 10_000


class Case(StrictModel):
    name: str
    data: dict[str, Any] = {}
    period: str | None = None
    as_of: datetime | None = None
    expect: dict[str, Status] = {}
    expect_derived: dict[str, str | None] = {}  # derived rules: subject -> level/title (zh, en or key), null for none

    @model_validator(mode="after")
    def _expects_something(self):
        if not self.expect and not self.expect_derived:
            raise ValueError("a case needs 'expect' (or 'expect_derived' for a derived rule)")
        return self


class CaseFile(StrictModel):
    rule: str
    period: str
    as_of: datetime
    base: dict[str, Any] = {}
    cases: list[Case] = Field(min_length=1)


@dataclass
class CaseResult:
    rule_id: str
    case: str
    file: str
    failures: list[str]
    malformed: list[Problem] = field(default_factory=list)  # the cases file or the case's data is bad input

    @property
    def ok(self) -> bool:
        return not self.failures


def cases_path(rule: CompiledRule) -> Path:
    return Path(rule.file[: -len(".yaml")] + CASES_SUFFIX)


def read_cases(rule: CompiledRule) -> CaseFile:
    path = cases_path(rule)
    if not path.is_file():
        raise fail(rule.file, f"rule {rule.rule.id} has no test cases file {path.name}")
    doc = read_document(path)
    try:
        cases = CaseFile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, doc)) from None
    if cases.rule != rule.rule.id:
        raise fail(str(path), f"cases are for {cases.rule}, not {rule.rule.id}", field="rule")
    return cases


def lint_cases(rule: CompiledRule) -> list[Problem]:
    """A rule needs a case file with at least one passing and one failing expectation."""
    try:
        cases = read_cases(rule)
    except InputError as exc:
        return exc.problems
    if is_derived(rule):
        values = {v for c in cases.cases for v in c.expect_derived.values()}
        if len(values) < 2:
            return [Problem(str(cases_path(rule)), "a derived rule needs cases expecting at least two different "
                                                   "results in 'expect_derived'", field="cases")]
        return []
    expected = {s for c in cases.cases for s in c.expect.values()}
    failing = "not_used" if rule.rule.strength == "may" else "fail"  # a may rule never fails (可)
    missing = [s for s in ("pass", failing) if s not in expected]
    if missing:
        return [Problem(str(cases_path(rule)), f"no case expects {' or '.join(missing)}: every rule needs a passing "
                                               "and a failing case", field="cases")]
    return []


def run_cases(pack: RulePack, observe: Callable[[CompiledRule, Any, Any], None] | None = None) -> list[CaseResult]:
    """Every case of every rule of the pack, each read into tables as a dataset file is and audited as `check`
    audits; `observe(rule, tables, report)` sees each case's audit (rule coverage reads it)."""
    from ..auditing import audit  # the audit imports the rule pack; import late to keep layers one-way
    from ..tables import tables_from_data

    results = []
    for rule in pack.rules:
        try:
            cases = read_cases(rule)
        except InputError as exc:
            results.append(CaseResult(rule.rule.id, "(cases file)", rule.file, [str(p) for p in exc.problems],
                                      exc.problems))
            continue
        for case in cases.cases:
            file = f"{cases_path(rule)}#{case.name}"
            try:
                data = expand(merge(cases.base, case.data))
                dataset = tables_from_data(data, file)
            except InputError as exc:
                results.append(CaseResult(rule.rule.id, case.name, file, [str(exc)], exc.problems))
                continue
            except ValueError as exc:
                results.append(CaseResult(rule.rule.id, case.name, file, [str(exc)], [Problem(file, str(exc))]))
                continue
            one = RulePack(pack.manifest, pack.directory, [rule])
            report = audit(dataset, one, Period.parse(case.period or cases.period), case.as_of or cases.as_of)
            if observe is not None:
                observe(rule, dataset, report)
            got = {f.subject.id: f for f in report.findings}
            failures = []
            for subject, status in case.expect.items():
                f = got.get(subject)
                if f is None:
                    failures.append(f"{subject}: expected {status}, got no finding")
                elif f.status != status:
                    failures.append(f"{subject}: expected {status}, got {f.status} "
                                    f"(measured {f.measured}, expected {f.expected}; {f.note or f.message.en})")
            failures += derived_failures(report, rule.rule.id, case.expect_derived)
            results.append(CaseResult(rule.rule.id, case.name, file, failures))
    return results


def derived_failures(report, rule_id: str, expect: dict[str, str | None]) -> list[str]:
    """Compare a derived rule's level/title per subject (by zh, en or key; null: none)."""
    got = report.derived.by_subject(rule_id) if report.derived else {}
    failures = []
    for subject, want in expect.items():
        result = got.get(subject)
        if result is None:
            failures.append(f"{subject}: expected {want}, got no result")
            continue
        name = getattr(result, "level", None) if hasattr(result, "level") else result.title
        ok = name is None if want is None else (name is not None and name.matches(want))
        if not ok:
            failures.append(f"{subject}: expected {want}, got {name.zh if name else None} "
                            f"({result.model_dump_json(exclude={'crossed', 'evidence_ids', 'prior_years'})})")
    return failures


def merge(base: dict, data: dict) -> dict:
    """The case's collections replace the base's; `+name` appends to the base's list."""
    out = copy.deepcopy(base)
    for key, value in data.items():
        if key.startswith("+"):
            out[key[1:]] = out.get(key[1:], []) + copy.deepcopy(value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def expand(data: dict) -> dict:
    """Unfold `_repeat: N` records."""
    out = {}
    for name, records in data.items():
        if not isinstance(records, list):
            out[name] = records
            continue
        unfolded = []
        for record in records:
            if isinstance(record, dict) and "_repeat" in record:
                n = record["_repeat"]
                if not isinstance(n, int) or not 0 <= n <= MAX_REPEAT:
                    raise ValueError(f"{name}: _repeat takes a whole number from 0 to {MAX_REPEAT}")
                template = {k: v for k, v in record.items() if k != "_repeat"}
                unfolded += [_number(template, i) for i in range(1, n + 1)]
            else:
                unfolded.append(record)
        out[name] = unfolded
    return out


def _number(value: Any, i: int) -> Any:
    if isinstance(value, str):
        return value.replace("{i}", str(i))
    if isinstance(value, list):
        return [_number(v, i) for v in value]
    if isinstance(value, dict):
        return {k: _number(v, i) for k, v in value.items()}
    return value
