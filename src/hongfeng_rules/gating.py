"""The exit code of an audit: which findings gate (`--fail-on`), and what 0, 1 and 2 mean.

Used by the command line and the HTTP service alike, so both answer the same code for the same report.
"""
from __future__ import annotations

from .baseline import OPEN, BaselineDiff
from .report.model import ComplianceReport
from .summaries import ASSESSED

EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2
GATED = {"shall": ("shall",), "should": ("shall", "should")}  # --fail-on → the strengths that gate


def gate(report: ComplianceReport, fail_on: str, allow_incomplete: bool = False) -> int:
    """Exit 1 if a gated rule fails, or (unless allowed) is not assessable, or none was assessed at all: missing
    evidence is never a pass."""
    if fail_on == "never":
        return EXIT_OK
    failing = report.overall.counts.failures_by_strength
    strengths = GATED[fail_on]
    if any(failing[s] for s in strengths):
        return EXIT_FAIL
    tally = report.finding_rows().tally()  # (status, strength) -> findings
    if not any(tally[status, s] for status in ASSESSED for s in strengths):
        return EXIT_FAIL  # nothing gated was assessed: --allow-incomplete accepts some missing evidence, never all
    unknown = not allow_incomplete and any(tally["not_assessable", s] for s in strengths)
    return EXIT_FAIL if unknown else EXIT_OK


def gate_new(diff: BaselineDiff, allow_incomplete: bool = False) -> int:
    """`--fail-on new`: exit 1 only for a shall finding newly failing (or newly not assessable) since the baseline."""
    gated = ("fail",) if allow_incomplete else OPEN
    return EXIT_FAIL if any(c.strength == "shall" and c.new_status in gated for c in diff.new) else EXIT_OK
