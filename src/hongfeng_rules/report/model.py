"""The compliance report: findings and summaries, a pydantic model any host can embed."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_serializer

from ..derived_results import Derived
from ..models.base import OutputModel
from .explanation import Explanation

# not_used: a `may` (可) rule whose permission the data shows unused — information, never a failure: no summary
# counts it as one, no gate fails on it, every renderer shows it as information.
Status = Literal["pass", "fail", "pending", "not_assessable", "not_applicable", "waived", "not_used"]
STATUS_ORDER = ["fail", "not_assessable", "pending", "waived", "pass", "not_used", "not_applicable"]


ReportModel = OutputModel  # the base of every part of the report


class Text(ReportModel):
    zh: str
    en: str


class Subject(ReportModel):
    kind: str
    id: str
    name: str | None = None
    team_id: str | None = None
    association_id: str | None = None


class Finding(ReportModel):
    rule_id: str
    title: Text
    pack: str
    pack_version: str
    clause: str
    strength: Literal["shall", "should", "may"]
    modal: Literal["应", "宜", "可", "none"]  # the source's own word; "none": a sentence without one, read as `strength`
    status: Status = Field(description="pass, fail, pending (a time limit still runs), not_assessable (evidence missing), "
                           "not_applicable, waived, or not_used: a may (可) rule whose permission is unused, "
                           "which is information and never a failure")
    subject: Subject
    measured: Any = None
    expected: Any = None
    evidence_ids: list[str] = []
    note: str | None = None
    due: datetime | None = None
    time_left_hours: float | None = None
    message: Text
    source: Text
    rule_file: str | None = None
    waiver: dict[str, Any] | None = None
    explanation: Explanation | None = Field(default=None, exclude_if=lambda v: v is None)  # only with --explain


class Counts(ReportModel):
    """Findings by status, and failures by strength."""

    by_status: dict[str, int]
    failures_by_strength: dict[str, int]


class SubjectSummary(ReportModel):
    kind: str
    id: str
    name: str | None = None
    parent_id: str | None = None  # an association's parent, or a team's association: hosts can draw the tree
    conformant: bool | None  # no `shall` rule fails; None: no `shall` rule was assessed, so there is no verdict
    complete: bool  # no `shall` rule is not assessable
    reason: Text | None = None  # why `conformant` is None
    counts: Counts


class PackInfo(ReportModel):
    pack: str
    version: str
    title: Text
    code: str | None = None
    rules: int
    digest: str  # sha256 of the pack's manifest and rule files (rulebook.pack.pack_digest): which rules judged


class RuleInfo(ReportModel):
    """One rule the audit ran, findings or not (derived levels and titles included), for CI descriptors."""

    rule_id: str
    pack: str
    clause: str
    strength: Literal["shall", "should", "may"]
    kind: str  # the check kind
    title: Text
    source: Text
    rule_file: str  # relative to the packs' root: `<pack folder>/<file>`


class CalendarInfo(ReportModel):
    """The working-day calendar the deadlines were counted with: a newer release can change verdicts."""

    source: str  # the package
    version: str
    first_year: int
    last_year: int  # the last year with a published State Council arrangement


class ComplianceReport(ReportModel):
    tool: str
    tool_version: str
    dataset: str
    period: str
    period_start: date
    period_end: date
    as_of: datetime
    packs: list[PackInfo]
    rules: list[RuleInfo] = []
    calendar: CalendarInfo | None = None
    overall: SubjectSummary
    associations: list[SubjectSummary]
    teams: list[SubjectSummary]
    findings: list[Finding]
    expired_waivers: list[dict[str, Any]] = []
    notices: list[Text] = []  # what limits the verdicts' reach: an as-of before the period's end, a future period
    future_records: list[str] = []  # records dated after as-of: flagged, not counted (integrity.records_after)
    derived: Derived | None = None  # levels and titles (derived results, not pass/fail)

    _rows: Any = PrivateAttr(default=None)  # report.finding_rows.FindingRows while `findings` is not materialised

    @property
    def conformant(self) -> bool | None:
        return self.overall.conformant

    def with_rows(self, rows) -> "ComplianceReport":
        """A copy whose findings are the rows (`report.finding_rows.FindingRows`, in report order), kept as
        columns: `findings` makes the Finding objects on first use, the JSON is written from the columns."""
        copy = self.model_copy()
        copy.__dict__.pop("findings", None)
        copy._rows = rows
        return copy

    def finding_rows(self):
        """The findings as columns (`report.finding_rows.FindingRows`), without making Finding objects if
        they are not made yet."""
        if "findings" not in self.__dict__:
            return self._rows
        from .finding_rows import FindingRows
        return FindingRows.of_findings(self.findings)

    def __getattr__(self, name: str):
        if name == "findings" and self.__pydantic_private__ and self.__pydantic_private__.get("_rows") is not None:
            found = self.__pydantic_private__["_rows"].materialise()
            _put_findings(self, found)
            self._rows = None  # the Finding objects are the findings from now on (a host may change them)
            return found
        return super().__getattr__(name)

    def _whole(self) -> "ComplianceReport":
        self.findings  # noqa: B018  (made, if kept as columns)
        if self.derived is not None:
            self.derived.whole()
        return self

    @model_serializer(mode="wrap")
    def _serialise(self, write):  # made first, however it is written (a host's pydantic_core.to_json too)
        return write(self._whole())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ComplianceReport):
            other._whole()
        return super(ComplianceReport, self._whole()).__eq__(other)

    def __iter__(self):
        return super(ComplianceReport, self._whole()).__iter__()

    def __repr_args__(self):
        return super(ComplianceReport, self._whole()).__repr_args__()

    def findings_by_team(self) -> tuple[list[tuple[SubjectSummary, list[Finding]]], list[Finding]]:
        """Each team's summary with its findings, in report order, and the findings outside any team."""
        by_team: dict[str | None, list[Finding]] = {}
        for f in self.findings:
            by_team.setdefault(f.subject.team_id, []).append(f)
        teams = [(team, by_team.pop(team.id, [])) for team in self.teams]
        return teams, [f for findings in by_team.values() for f in findings]

    def to_json(self) -> str:
        """Deterministic JSON (same input, same bytes)."""
        return self.to_json_bytes().decode("utf-8")

    def to_json_bytes(self) -> bytes:
        """The same JSON as UTF-8 bytes, without an intermediate str; findings kept as columns are written from
        them, without making Finding objects. `report.json_stream.pieces` gives it in pieces, for writing a
        large report as it is made."""
        from .json_stream import pieces
        return b"".join(pieces(self))


def _put_findings(report: ComplianceReport, findings: list[Finding]) -> None:
    """Set `findings` in its place among the fields (the serialiser writes the fields in the order held)."""
    values = {**report.__dict__, "findings": findings}
    object.__setattr__(report, "__dict__", {k: values[k] for k in type(report).model_fields if k in values})
