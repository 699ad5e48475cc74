"""The report JSON in pieces, written as they are made (issue 18): a province's report is hundreds of MB at
1,000 teams and GBs at 10,000, so it is never held whole. The fields around the findings and the member levels
are written by pydantic (the report's serialiser), the findings from their columns (`FindingRows.json_array`)
or, when they are Finding objects, a slice at a time, the member levels from their columns
(`LevelRows.json_array`) or a slice of objects at a time. `pieces` is what
`ComplianceReport.to_json_bytes()` joins, so a streamed report is the same bytes."""
from __future__ import annotations

from typing import Iterable, Iterator

import pydantic_core

SLICE = 20_000  # Finding objects or member levels serialised at once

_FINDINGS = b'\n  "findings": [],\n'  # a top-level key: the only line with this indent and text
_LEVELS = b'\n  "derived": {\n    "levels": [],\n'  # the levels, the derived section's first key (the last field)


def pieces(report, written: tuple[bytes, bytes | None] | None = None) -> Iterator[bytes]:
    """The report's JSON (indent 2, a newline at the end), as consecutive pieces. `written`: its findings' and
    member levels' arrays already written (`each`)."""
    from .model import _put_findings

    rows = report.finding_rows() if "findings" not in report.__dict__ else None
    findings = report.__dict__.get("findings", [])
    level_rows = report.derived.level_rows() if report.derived is not None else None
    levels = level_rows if level_rows is not None else report.derived.levels if report.derived is not None else []
    shell = report.model_copy()
    _put_findings(shell, [])
    if levels or level_rows is not None:  # the shell's levels empty: none made as objects
        shell.__dict__["derived"] = report.derived.without_levels()
    text = memoryview(pydantic_core.to_json(shell, indent=2))
    at = text.obj.index(_FINDINGS)
    yield text[:at].tobytes()
    yield b'\n  "findings": '
    if written is not None:
        yield written[0]
    else:
        yield from rows.json_array() if rows is not None else _array(findings, 1)
    yield b",\n"
    if not levels:
        yield text[at + len(_FINDINGS):].tobytes() + b"\n"
        return
    after = text.obj.rindex(_LEVELS)
    yield text[at + len(_FINDINGS):after].tobytes()
    yield _LEVELS[:-4]
    if written is not None and written[1] is not None:
        yield written[1]
    else:
        yield from _array(levels, 2) if level_rows is None else level_rows.json_array(2)
    yield b",\n"
    yield text[after + len(_LEVELS):].tobytes() + b"\n"


def each(reports: list) -> list[bytes]:
    """Each report's `to_json_bytes()`, the findings and member levels of all of them kept as columns written by
    one query each (`FindingRows.json_arrays`, `LevelRows.json_arrays`): a small report's cost is mostly per
    query, not per row. A report whose findings or levels are objects already is written alone."""
    from .finding_rows import FindingRows
    from .level_rows import LevelRows

    levels = [r.derived.level_rows() if r.derived is not None else None for r in reports]
    together = [k for k, r in enumerate(reports) if "findings" not in r.__dict__
                and (levels[k] is not None or r.derived is None or not r.derived.levels)]
    findings = FindingRows.json_arrays([reports[k].finding_rows() for k in together]) if together else []
    leveled = [k for k in together if levels[k] is not None and len(levels[k])]
    written = dict(zip(leveled, LevelRows.json_arrays([levels[k] for k in leveled], 2) if leveled else []))
    out = [r.to_json_bytes() if k not in together else None for k, r in enumerate(reports)]
    for k, text in zip(together, findings):
        out[k] = b"".join(pieces(reports[k], (text, written.get(k))))
    return out


def _array(items: list, depth: int) -> Iterable[bytes]:
    """A list's JSON as the value of a key `depth` objects deep, a slice of items at a time."""
    if not items:
        yield b"[]"
        return
    indent = b"  " * depth
    yield b"[\n"
    for start in range(0, len(items), SLICE):
        text = pydantic_core.to_json(items[start:start + SLICE], indent=2)  # "[\n  {…},\n  {…}\n]"
        yield (b",\n" if start else b"") + indent + text[2:-2].replace(b"\n", b"\n" + indent)
    yield b"\n" + indent + b"]"
