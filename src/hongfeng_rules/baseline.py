"""What changed since a baseline report: findings matched by a stable key, sorted into new, fixed,
still failing and changed measurements (docs/baselines.md).

A finding's key is `<rule_id>:<subject kind>:<subject id>` (`hf-5.2.6-core-members:team:hf-t02`), the same
string as SARIF's `partialFingerprints["hongfengRuleSubject/v1"]`. A finding is *open* when it fails or is not
assessable (missing evidence is never a pass); a waived finding is not open.
"""
from __future__ import annotations

import os
from typing import Any

from pydantic import ValidationError

from .errors import InputError, Problem, fail, validation_reason
from .invisible import escape_hidden
from .models.base import OutputModel
from .report.model import ComplianceReport, Finding
from .safe_load import DEFAULT_LIMITS, Limits, field_path, read_document

OPEN = ("fail", "not_assessable")


def finding_key(f: Finding) -> str:
    """The stable key of a finding across runs: rule and subject."""
    return f"{f.rule_id}:{f.subject.kind}:{f.subject.id}"


class Change(OutputModel):
    """One key and what it was in the baseline and is now (None where the finding does not exist)."""

    key: str
    rule_id: str
    subject_id: str
    strength: str
    team_id: str | None = None
    association_id: str | None = None
    old_status: str | None = None
    new_status: str | None = None
    old_measured: Any = None
    new_measured: Any = None


class BaselineDiff(OutputModel):
    """The four lists, each in the newer report's order (the baseline's for keys that are gone)."""

    new: list[Change]            # open now, and not open in the baseline (absent, passing, pending, …)
    fixed: list[Change]          # open in the baseline, and not open now (or gone)
    still_failing: list[Change]  # open in both
    changed: list[Change]        # in both, with a different measured value (whatever the status)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def load_report(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> ComplianceReport:
    """A JSON report written by `check --format json`; a file that is not one is an input error."""
    doc = read_document(path, limits)
    if not isinstance(doc.data, dict):
        raise fail(doc.file, "not a hongfeng-rules JSON report (check --format json)")
    try:
        return ComplianceReport.model_validate(doc.data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        keys = tuple(err["loc"])
        raise InputError([Problem(doc.file, "not a hongfeng-rules JSON report: " +
                                  validation_reason(err, keys[-1] if keys else None),
                                  line=doc.line_of(keys), field=field_path(keys))]) from None


def compare(old: ComplianceReport, new: ComplianceReport) -> BaselineDiff:
    """Match the findings of two reports by key and sort them into the four lists."""
    before = {finding_key(f): f for f in old.findings}
    now = {finding_key(f): f for f in new.findings}
    out: dict[str, list[Change]] = {"new": [], "fixed": [], "still_failing": [], "changed": []}
    for key, f in now.items():
        o = before.get(key)
        change = _change(key, o, f)
        was, is_ = o is not None and o.status in OPEN, f.status in OPEN
        if is_:
            out["still_failing" if was else "new"].append(change)
        elif was:
            out["fixed"].append(change)
        if o is not None and o.measured != f.measured:
            out["changed"].append(change)
    for key, o in before.items():
        if key not in now and o.status in OPEN:
            out["fixed"].append(_change(key, o, None))
    return BaselineDiff(**out)


def _change(key: str, old: Finding | None, new: Finding | None) -> Change:
    f = new or old
    return Change(key=key, rule_id=f.rule_id, subject_id=f.subject.id, strength=f.strength,
                  team_id=f.subject.team_id, association_id=f.subject.association_id,
                  old_status=old.status if old else None, new_status=new.status if new else None,
                  old_measured=old.measured if old else None, new_measured=new.measured if new else None)


def render_text(diff: BaselineDiff) -> str:
    """The diff for a person: a count line, then one line per entry, grouped by list."""
    lines = [f"{len(diff.new)} new, {len(diff.fixed)} fixed, {len(diff.still_failing)} still failing, "
             f"{len(diff.changed)} changed measurements"]
    for name, entries in (("new", diff.new), ("fixed", diff.fixed), ("still failing", diff.still_failing),
                          ("changed", diff.changed)):
        for c in entries:
            where = "/".join(x for x in (c.association_id, c.team_id) if x)
            if name == "changed":
                what = f"measured {c.old_measured!r} → {c.new_measured!r}"
            else:
                what = f"{c.old_status or 'absent'} → {c.new_status or 'absent'}"
            lines.append(f"  {name:<13} {c.key}  {what}" + (f"  ({where})" if where else ""))
    return escape_hidden("\n".join(lines) + "\n")  # a report file is input: its text may hide characters
