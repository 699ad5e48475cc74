"""What one check says about one subject."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any



@dataclass
class Outcome:
    status: str
    measured: Any = None
    expected: Any = None
    evidence: list[str] = field(default_factory=list)
    note: str | None = None  # why not assessable / not applicable / pending, in English
    due: datetime | None = None  # for deadlines: the last on-time instant


def not_assessable(note: str, evidence: list[str] | None = None, **kw) -> Outcome:
    return Outcome("not_assessable", note=note, evidence=evidence or [], **kw)


def not_applicable(note: str, **kw) -> Outcome:
    return Outcome("not_applicable", note=note, **kw)
