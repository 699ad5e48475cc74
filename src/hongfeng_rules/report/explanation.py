"""Why a finding says what it says (`check --explain`, docs/explain.md): the part of a Finding that is only
filled when asked for."""
from __future__ import annotations

from datetime import date
from typing import Any

from ..models.base import OutputModel


class Record(OutputModel):
    """A record and why it is mentioned."""

    id: str
    reason: str


class InForce(OutputModel):
    """The threshold the finding was judged against, as in force on the reference day."""

    parameter: str  # key path in the rule file: check.at_least, check.within
    value: float | None  # None: no value in force (retired or not yet in force)
    unit: str
    since: date | None  # the date the value took effect; None for an undated value
    on: date  # the day it was read (the period's last day, or as-of if earlier)


class DerivedValue(OutputModel):
    """A value computed from the data (an age, service hours, the last activity) that the rule used."""

    record: str
    name: str
    value: Any


class MissingField(OutputModel):
    """A field the rule needed that the record does not have (record "dataset": a whole collection)."""

    record: str
    field: str


class Explanation(OutputModel):
    selection: str | None = None  # what was counted: "members via team_id where {…}"
    counted: list[str] = []  # ids of the records counted
    left_out: list[Record] = []  # linked records not counted, each with the reason
    not_met: list[Record] = []  # counted records failing the requirement, each with the reason
    threshold: InForce | None = None
    derived: list[DerivedValue] = []
    missing: list[MissingField] = []  # not assessable: exactly what is missing, on which record
    notes: list[str] = []  # deadlines: the instants; working days counted and 调休 days met


SHOWN = 10  # items of each list shown in text and HTML; JSON has them all


def lines(ex: Explanation) -> list[str]:
    """The explanation for a person, one line per part, long lists cut to SHOWN (text and HTML)."""
    out = []
    if ex.selection:
        out.append(f"selection: {ex.selection}")
    if ex.counted:
        out.append(f"counted {len(ex.counted)}: {_cut(ex.counted)}")
    if ex.left_out:
        out.append(f"left out {len(ex.left_out)}: {_cut([f'{r.id}: {r.reason}' for r in ex.left_out], '; ')}")
    if ex.not_met:
        out.append(f"not met {len(ex.not_met)}: {_cut([f'{r.id}: {r.reason}' for r in ex.not_met], '; ')}")
    if ex.threshold:
        t = ex.threshold
        value = "no value in force" if t.value is None else f"{t.value:g} {t.unit}"
        since = f"in force since {t.since.isoformat()}" if t.since else "undated"
        out.append(f"threshold {t.parameter}: {value} ({since}; read on {t.on.isoformat()})")
    if ex.derived:
        out.append(f"derived values: {_cut([f'{d.record} {d.name} = {d.value}' for d in ex.derived])}")
    if ex.missing:
        out.append(f"missing {len(ex.missing)}: {_cut([f'{m.record}: {m.field}' for m in ex.missing])}")
    out += [f"note: {n}" for n in ex.notes]
    return out


def _cut(items: list[str], sep: str = ", ") -> str:
    rest = len(items) - SHOWN
    return sep.join(items[:SHOWN]) + (f"{sep}… and {rest} more" if rest > 0 else "")
