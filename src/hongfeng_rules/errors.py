"""Input errors that name the place: file, line, record, field and reason.

Every problem found while reading rule files, datasets or waivers becomes a
`Problem`; a failed load raises one `InputError` carrying all of them (capped,
with the count of the rest), so a user fixes a file in one pass.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .invisible import escape_hidden

MAX_PROBLEMS_SHOWN = 50


def record_label(collection: str, index: int | None, record_id: str | None = None) -> str:
    """How a problem names a record: "members[3] (id=m-004)", or the collection when no record is meant."""
    if index is None:
        return collection
    return f"{collection}[{index}]" + (f" (id={record_id})" if record_id is not None else "")


@dataclass(frozen=True)
class Issue:
    """A dataset check's finding before the loader places it (validation.problems.from_issue adds file and line)."""

    collection: str
    index: int | None
    record_id: str | None
    field: str | None
    reason: str


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and where it is."""

    file: str
    reason: str
    line: int | None = None
    column: int | None = None
    record: str | None = None  # e.g. "members[3] (id=m-004)"
    field: str | None = None  # e.g. "birth_date" or "check.at_least.unit"
    part: str | None = None  # tabular sources: "sheet 队员", "table members", "query members"
    row: str | None = None  # tabular sources: "17" (a sheet's row), "id=m-004" (a table's row key)
    cell: str | None = None  # tabular sources: "C17 出生日期", "column birth_date"

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        if self.part:
            place += f", {self.part}"
        if self.row:
            place += f", row {self.row}"
        if self.cell:
            place += f" ({self.cell})"
        parts = [place]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(self.field)
        return escape_hidden(": ".join(parts) + f": {self.reason}")  # a bidi control cannot reorder the line


@dataclass
class InputError(Exception):
    """Bad input (dataset, rule file, waiver file): one or more problems."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self) -> str:
        return str(self.problems[0]) if self.problems else "invalid input"

    def lines(self, limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
        """One line per problem, capped, with '… and N more' at the end."""
        shown = [str(p) for p in self.problems[:limit]]
        rest = len(self.problems) - limit
        if rest > 0:
            shown.append(f"… and {rest} more")
        return shown

    def __str__(self) -> str:
        return "\n".join(self.lines())


def fail(file: str, reason: str, **where) -> InputError:
    """Shorthand: an InputError with a single problem."""
    return InputError([Problem(file=file, reason=reason, **where)])


def validation_reason(err: dict, key: object, noun: str = "field", allowed: str = "") -> str:
    """A pydantic error in the input's own words: an unknown or missing `key`, or the validator's message."""
    if err["type"] == "extra_forbidden":
        return f"unknown {noun} {key!r}" + (f" (allowed: {allowed})" if allowed else "")
    if err["type"] == "missing":
        return f"required {noun} {key!r} is missing"
    return err["msg"].removeprefix("Value error, ")
