"""Explanations of findings (`check --explain [RULE[:SUBJECT]]`, `audit(..., explain=...)`, docs/explain.md).

Run after the audit and only for the findings asked for, from the same rule and context: nothing here runs,
and no finding changes, when no explanation is asked for. Conditions are the rule's own, compiled by
checks.where (one key at a time, so each reason names the test that failed).
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from .checks.context import Context
from .checks.deadline import DeadlineCheck
from .checks.mean import MeanCheck
from .checks.where import _field, compile_condition
from .errors import fail
from .models import COLLECTIONS
from .report.explanation import DerivedValue, Explanation, InForce, MissingField, Record
from .report.model import Finding
from .rulebook.pack import CompiledRule
from .timecalc import local_date

COMBINATORS = ("all_of", "any_of", "not", "related")


def select(findings: list[Finding], rules: dict[str, CompiledRule], selector: str) -> set[int]:
    """Positions of the findings a selector names: "all", "RULE" or "RULE:SUBJECT" (an unknown one is an
    input error)."""
    if selector == "all":
        return set(range(len(findings)))
    rule_id, _, subject = selector.partition(":")
    if rule_id not in rules:
        raise fail("command line", f"no loaded rule has the id {rule_id!r}", field="--explain")
    chosen = {i for i, f in enumerate(findings) if f.rule_id == rule_id and (not subject or f.subject.id == subject)}
    if not chosen:
        raise fail("command line", f"rule {rule_id} has no finding for {subject!r}", field="--explain")
    return chosen


def explain_findings(findings: list[Finding], rules: dict[str, CompiledRule], ctx: Context,
                     selector: str) -> list[Finding]:
    """The findings, those the selector names with their explanation."""
    chosen = select(findings, rules, selector)
    return [f.model_copy(update={"explanation": explain(rules[f.rule_id], f, ctx)}) if i in chosen else f
            for i, f in enumerate(findings)]


def explain(rule: CompiledRule, finding: Finding, ctx: Context) -> Explanation:
    """Why this finding of this rule says what it says."""
    missing = rule.missing(ctx.index)
    if missing or finding.subject.id == "*":
        return Explanation(missing=[MissingField(record="dataset", field=c) for c in missing],
                           notes=[finding.note] if finding.note else [])
    check = rule.rule.check
    subject = ctx.index.by_id(rule.subject_collection).get(finding.subject.id)
    ex = Explanation(threshold=_in_force(check, ctx), notes=[finding.note] if finding.note else [])
    if subject is None:
        return ex
    of = getattr(check, "of", None)
    if of:
        model = COLLECTIONS[of].model
        counted = _selection(check, rule.subject_collection, subject, ctx, ex)
    else:
        model, counted = COLLECTIONS[rule.subject_collection].model, [subject]
    ex.counted = [r.id for r in counted]
    requirement = getattr(check, "require", None) or getattr(check, "numerator", None)
    if requirement:
        at = "check.require" if getattr(check, "require", None) else "check.numerator"
        why = _Reasons(requirement, model, at)
        for r in counted:
            reason, unknown = why(r, ctx)
            if unknown:
                ex.missing += [MissingField(record=r.id, field=k) for k in unknown]
            elif reason:
                ex.not_met.append(Record(id=r.id, reason=reason))
    if isinstance(check, MeanCheck):
        get = _field(check.value, model, "check.value")[0]
        for r in counted:
            value = get(r, ctx)
            if value is None:
                ex.missing += [MissingField(record=r.id, field=f) for f in _fields_behind(check.value, r)]
            elif check.value.startswith("@"):
                ex.derived.append(DerivedValue(record=r.id, name=check.value, value=value))
    for cond in (getattr(check, "where", None), requirement):
        ex.derived += _derived_used(cond, model, counted, ctx)
    ex.derived += _derived_used(rule.rule.where, COLLECTIONS[rule.subject_collection].model, [subject], ctx)
    if isinstance(check, DeadlineCheck) and finding.due is not None:
        ex.notes += _deadline_notes(check, subject, finding, ctx)
    return ex


def _in_force(check, ctx: Context) -> InForce | None:
    from .rulebook.case_coverage import thresholds  # the thresholds a check judges, in one place
    found = thresholds(check)
    if not found:
        return None
    path, _, threshold = found[0]
    day = ctx.reference_date
    since = max((d for d in threshold.values or {} if d <= day), default=None) if threshold.dated() else None
    return InForce(parameter=path, value=threshold.in_force(day), unit=threshold.unit, since=since, on=day)


def _selection(check, subject_collection: str, subject, ctx: Context, ex: Explanation) -> list[Any]:
    """The records linked to the subject, sorted into counted and left out (with the reason)."""
    of, kind = check.of, COLLECTIONS[subject_collection].kind
    via = check.via or f"{kind}_id"
    ex.selection = f"{of} via {via}" + (f" where {_show(check.where)}" if check.where else "") + \
        (f", in the period {ctx.period.label}" if check.in_period else "")
    why = _Reasons(check.where, COLLECTIONS[of].model, "check.where") if check.where else None
    counted = []
    for r in ctx.index.related(of, via, subject.id):
        reason = _time_reason(of, r, check.in_period, ctx)
        if reason is None and why is not None:
            text, unknown = why(r, ctx)
            reason = text or (f"{', '.join(unknown)} not recorded" if unknown else None)
        if reason:
            ex.left_out.append(Record(id=r.id, reason=reason))
        else:
            counted.append(r)
    return counted


def _time_reason(collection: str, record, in_period: bool, ctx: Context) -> str | None:
    field = COLLECTIONS[collection].time_field
    when = getattr(record, field, None) if field else None
    if not ctx.not_after_as_of(collection, record):
        return f"{field} {_show(when)} is after as-of {ctx.as_of.isoformat()}"
    if in_period and not ctx.in_period(collection, record):
        return f"{field} {_show(when)} is outside the period {ctx.period.label}" if when is not None \
            else f"no {field}: not placed in the period"
    return None


class _Reasons:
    """Each top-level test of a condition, compiled once: why a record does not meet it."""

    def __init__(self, cond: dict, model, at: str):
        self.tests = [(key, value, compile_condition({key: value}, model, at),
                       None if key in COMBINATORS else _field(key, model, at)[0]) for key, value in cond.items()]

    def __call__(self, record, ctx) -> tuple[str | None, list[str]]:
        """(the reasons it fails, joined; the keys whose value is not recorded)."""
        reasons, unknown = [], []
        for key, value, test, get in self.tests:
            result = test(record, ctx)
            if result is None:
                unknown.append(key)
            elif result is False:
                reasons.append(_reason(key, value, get(record, ctx) if get else None, record, get is None))
        return ("; ".join(reasons) or None), unknown


def _reason(key: str, wanted, actual, record, combinator: bool) -> str:
    if combinator:
        return f"does not meet {key} {_show(wanted)}"
    since = getattr(record, f"{key}_since", None)
    return f"{key} {_show(actual)}" + (f" since {since.isoformat()}" if since else "") + f" (needs {_show(wanted)})"


def _derived_used(cond: dict | None, model, records: list[Any], ctx: Context) -> list[DerivedValue]:
    out = []
    for key in (cond or {}):
        if key.startswith("@"):
            get = _field(key, model, "where")[0]
            out += [DerivedValue(record=r.id, name=key, value=_plain(get(r, ctx))) for r in records]
    return out


def _deadline_notes(check: DeadlineCheck, subject, finding: Finding, ctx: Context) -> list[str]:
    start = getattr(subject, check.start)
    notes = [f"clock starts at {check.start} {_show(_plain(start))}; due {finding.due.isoformat()}"]
    if check.within.unit == "working_day" and start is not None:
        counted, makeup, skipped = [], [], []
        day, last = local_date(start), local_date(finding.due)
        while day < last:
            day += timedelta(days=1)
            if ctx.calendar.is_working_day(day):
                counted.append(day)
                if day.weekday() >= 5:
                    makeup.append(day)
            elif day.weekday() < 5:
                skipped.append(day)
        notes.append(f"working days counted: {len(counted)} ({', '.join(d.isoformat() for d in counted)})")
        if makeup:
            notes.append("调休 make-up working days met: " + ", ".join(d.isoformat() for d in makeup))
        if skipped:
            notes.append("public holidays skipped: " + ", ".join(d.isoformat() for d in skipped))
    return notes


def _fields_behind(name: str, record) -> list[str]:
    """The unrecorded fields a value comes from: `@age_years` → birth_date; a plain field is itself."""
    if not name.startswith("@"):
        return [name]
    from .derived import DERIVED
    reads = [f for f in DERIVED[name[1:]].reads if getattr(record, f, None) is None]
    return reads or [name]


def _plain(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _show(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
