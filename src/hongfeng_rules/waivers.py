"""Waivers: an approved, dated exception for one rule on one subject.

A waiver file (YAML or JSON, read through `safe_load.read_document`) looks like::

    waivers:
      - rule_id: hf-5.2.6-core-members
        subject_id: t-017
        justification: Team re-founded in November; recruiting.
        approved_by: County association, Wang Li
        approved_on: 2025-11-20
        expires_on: 2026-03-31

While in force (the audit's as-of date is on or after `approved_on` and on or before `expires_on`), a `fail` or
`not_assessable` finding becomes `waived`, keeps its measured values and carries the
waiver. After expiry the finding keeps its real status and the waiver is listed in
the report's `expired_waivers`. A waiver approved after the as-of date is not yet in force: the finding
keeps its status and the waiver is flagged in `future_records`, like any record dated after as-of.
Waivers on findings with any other status change nothing.
"""
from __future__ import annotations

import os
from datetime import date
from typing import Iterable

from pydantic import Field, ValidationError, model_validator

import polars as pl

from .summaries import summaries
from .errors import InputError, Problem, fail, validation_reason
from .models.base import Day, Id, StrictModel
from .report.finding_rows import FindingRows, waiver_block
from .report.model import ComplianceReport
from .safe_load import DEFAULT_LIMITS, FORMATS, Document, Limits, read_document, read_text_document

WAIVABLE = ("fail", "not_assessable")


class Waiver(StrictModel):
    """One approved exception."""

    rule_id: Id
    subject_id: Id
    justification: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    approved_on: Day
    expires_on: Day
    file: str | None = Field(default=None, exclude=True)
    entry: int | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _dates_in_order(self) -> "Waiver":
        if self.expires_on < self.approved_on:
            raise ValueError("expires_on is before approved_on")
        return self

    def where(self) -> str:
        return f"waivers[{self.entry}] ({self.rule_id} / {self.subject_id})"


class WaiverFile(StrictModel):
    waivers: list[Waiver]


def load_waivers(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> list[Waiver]:
    """Read and validate a waiver file (within `limits`, like every input); every problem is reported,
    naming file, entry and field."""
    return _parse(read_document(path, limits))


def read_waivers(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> list[Waiver]:
    """`load_waivers` for a file held in memory (an upload named `file`: .json, .yaml or .yml)."""
    fmt = FORMATS.get(os.path.splitext(file)[1].lower())
    if fmt is None:
        raise fail(file, "unsupported file type (expected .json, .yaml or .yml)")
    return _parse(read_text_document(raw, file, fmt, limits))


def _parse(doc: Document) -> list[Waiver]:
    if not isinstance(doc.data, dict) or "waivers" not in doc.data:
        raise fail(doc.file, "a waiver file is a mapping with a 'waivers' list", line=1)
    try:
        parsed = WaiverFile.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            record = f"waivers[{loc[1]}]" if len(loc) > 1 and isinstance(loc[1], int) else None
            field = ".".join(str(k) for k in loc[2:]) or None
            reason = validation_reason(err, loc[-1], allowed=", ".join(_FIELDS))
            problems.append(Problem(doc.file, reason, line=doc.line_of(loc), record=record, field=field))
        raise InputError(problems) from None
    for i, waiver in enumerate(parsed.waivers):
        waiver.file, waiver.entry = doc.file, i
    return parsed.waivers


_FIELDS = [n for n in Waiver.model_fields if n not in ("file", "entry")]


def apply_waivers(report: ComplianceReport, waivers: Iterable[Waiver],
                  rule_ids: Iterable[str] | None = None) -> ComplianceReport:
    """A new report with the waivers applied and the summaries recomputed.

    `rule_ids` are the rules that ran (default: those with findings). A waiver naming an
    unknown rule, a subject the rule has no finding for, or the same pair as an earlier
    waiver is an InputError.
    """
    waivers = list(waivers)
    rows = report.finding_rows()
    subjects = rows.subjects_by_rule()
    known_rules = set(rule_ids) if rule_ids is not None else set(subjects)
    problems, by_pair = [], {}
    for w in waivers:
        file = w.file or "waivers"
        if w.rule_id not in known_rules:
            problems.append(Problem(file, f"unknown rule {w.rule_id!r}", record=w.where(), field="rule_id"))
        elif w.subject_id not in subjects.get(w.rule_id, set()):
            problems.append(Problem(file, f"rule {w.rule_id!r} has no finding for subject {w.subject_id!r}",
                                    record=w.where(), field="subject_id"))
        elif (w.rule_id, w.subject_id) in by_pair:
            problems.append(Problem(file, f"duplicate waiver (first is waivers[{by_pair[w.rule_id, w.subject_id].entry}])",
                                    record=w.where()))
        else:
            by_pair[w.rule_id, w.subject_id] = w
    if problems:
        raise InputError(problems)

    as_of = report.as_of.date()
    early = {pair: w for pair, w in by_pair.items() if w.approved_on > as_of}
    for w in early.values():
        by_pair.pop((w.rule_id, w.subject_id))
    rows, expired = _waived(rows, list(by_pair.values()), as_of)
    flagged = [f"{w.where()}: approved_on {w.approved_on.isoformat()} is after as-of {report.as_of.isoformat()}"
               " (not in force)" for w in sorted(early.values(), key=lambda w: w.entry or 0)]
    return report.model_copy(update={
        "expired_waivers": list(report.expired_waivers) + expired,
        "future_records": list(report.future_records) + flagged,
        **summaries(rows, [(t.id, t.name, t.parent_id, t.kind) for t in report.teams],
                    [(a.id, a.name, a.parent_id) for a in report.associations]),
    }).with_rows(rows)


def _waived(rows: FindingRows, waivers: list[Waiver], as_of: date) -> tuple[FindingRows, list[dict]]:
    """The rows with the waivers in force applied (a waivable status becomes `waived`, the waiver and the
    status it waived kept), in report order; and the expired waivers, each with its finding's status, in the
    findings' order."""
    rule_ids = [p.fields["rule_id"] for p in rows.parts]
    frame = rows.frame.with_row_index("_at").with_columns(
        _rule_id=pl.col("rule").replace_strict(range(len(rule_ids)), rule_ids, return_dtype=pl.String))
    listed = pl.DataFrame({"_rule_id": [w.rule_id for w in waivers], "id": [w.subject_id for w in waivers],
                           "_waiver": range(len(waivers))}, schema={"_rule_id": pl.String, "id": pl.String,
                                                                   "_waiver": pl.Int64})
    hits = frame.join(listed, on=["_rule_id", "id"], how="inner", maintain_order="left")
    expired, at, blocks = [], [], []
    for i, status, n in hits.select("_at", "status", "_waiver").iter_rows():
        w = waivers[n]
        if as_of > w.expires_on:
            expired.append({**w.model_dump(mode="json"), "status": status})
        elif status in WAIVABLE:
            at.append(i)
            blocks.append(waiver_block({**w.model_dump(mode="json"), "waived_status": status}))
    waived = pl.DataFrame({"_at": at, "_waiver": blocks}, schema={"_at": pl.UInt32, "_waiver": pl.String})
    frame = frame.join(waived, on="_at", how="left", maintain_order="left").with_columns(
        status=pl.when(pl.col("_waiver").is_null()).then("status").otherwise(pl.lit("waived")),
        waiver=pl.coalesce("_waiver", "waiver"))
    return FindingRows(frame.select(rows.frame.columns), rows.parts).sorted(), expired
