"""The report JSON written in pieces (report.json_stream, issue 18): the same bytes as pydantic writing the whole
report, and `check` streams it to its file or standard output without ever holding it whole."""
from __future__ import annotations

import os
import sys
from datetime import datetime

import pydantic_core
import pytest

from hongfeng_rules import auditing, load_pack, output
from oracle import engine as object_engine
from hongfeng_rules.cli import main
from hongfeng_rules.derived_results import Derived
from hongfeng_rules.models import Dataset
from hongfeng_rules.report import json_stream
from hongfeng_rules.report.finding_rows import FindingRows
from hongfeng_rules.report.model import ComplianceReport
from hongfeng_rules.rulebook.locate import load_packs, pack_dirs
from hongfeng_rules.tables import load_tables
from hongfeng_rules.when import period_and_as_of
from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import AS_OF, PERIOD, generate  # noqa: E402

EXAMPLE = REPO / "examples" / "hongfeng"
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]


def whole(report: ComplianceReport) -> bytes:
    """What pydantic writes for the whole report (its Finding objects made): the bytes every piece must add up to."""
    report.findings  # noqa: B018
    return pydantic_core.to_json(report, indent=2) + b"\n"


@pytest.fixture(scope="module")
def province():
    dataset = Dataset.model_validate(generate(4, 3, 0.3))
    packs = [load_pack(d) for d in pack_dirs()]
    return dataset, packs


@pytest.mark.parametrize("engine", ["columns", "objects"])
@pytest.mark.parametrize("slice_", [1, 7, json_stream.SLICE])
def test_the_pieces_are_the_whole_report(monkeypatch, province, engine, slice_):
    dataset, packs = province
    monkeypatch.setattr(json_stream, "SLICE", slice_)
    audit = auditing.audit if engine == "columns" else object_engine.audit
    report = audit(dataset, packs, PERIOD, datetime.fromisoformat(AS_OF))
    assert len(report.derived.levels) > 7 and len(report.finding_rows()) > 7  # several slices of both
    pieces = list(json_stream.pieces(report))
    assert len(pieces) > 5 and all(isinstance(p, bytes) for p in pieces)
    assert b"".join(pieces) == report.to_json_bytes() == whole(report)


def test_the_findings_are_made_a_chunk_at_a_time(monkeypatch, province):
    dataset, packs = province
    made, real = [], FindingRows.json_chunks

    def counted(self, size=0):
        for chunk in real(self, 5):
            made.append(chunk)
            yield chunk
    monkeypatch.setattr(FindingRows, "json_chunks", counted)
    report = auditing.audit(dataset, packs, PERIOD, datetime.fromisoformat(AS_OF))
    written = 0
    for piece in json_stream.pieces(report):
        written += any(piece is chunk for chunk in made)
        assert len(made) - written <= 1  # at most the next chunk is made before the last one is written
    assert written > 3 and written == len(made)


@pytest.mark.parametrize("derived", [None, "no levels", "no stars"])
def test_a_report_without_findings_or_levels(province, derived):
    dataset, packs = province
    report = object_engine.audit(dataset, packs, PERIOD, datetime.fromisoformat(AS_OF))
    if derived is None:
        report = report.model_copy(update={"findings": [], "derived": None})
    else:
        emptied = "levels" if derived == "no levels" else "stars"
        report = report.model_copy(update={"findings": [],
                                           "derived": report.derived.model_copy(update={emptied: []})})
        assert isinstance(report.derived, Derived)
    assert b"".join(json_stream.pieces(report)) == whole(report)


def test_check_streams_the_json_to_its_file_and_to_standard_output(monkeypatch, tmp_path, capsysbinary):
    period, as_of = period_and_as_of("2025", "2026-01-15")
    expected = auditing.audit(load_tables(EXAMPLE), load_packs(["hongfeng"]), period, as_of,
                              dataset_label=str(EXAMPLE)).to_json_bytes()
    written = []
    real = output.write_atomic

    def counting(path, text):
        written.append(type(text))
        return real(path, text)

    monkeypatch.setattr("hongfeng_rules.cli.write_atomic", counting)
    monkeypatch.setattr(ComplianceReport, "to_json_bytes", lambda self: pytest.fail("the whole report was built"))
    out = tmp_path / "report.json"
    assert main(["check", str(EXAMPLE), *WHEN, "--format", "json", "--out", str(out)]) in (0, 1)
    assert written and all(t not in (bytes, str) for t in written)  # pieces, not one object
    capsysbinary.readouterr()
    assert main(["check", str(EXAMPLE), *WHEN, "--format", "json"]) in (0, 1)
    printed = capsysbinary.readouterr().out
    assert out.read_bytes() == printed
    assert printed == expected


def test_a_stream_that_breaks_keeps_the_previous_report(tmp_path):
    out = tmp_path / "report.json"
    out.write_bytes(b"old\n")

    def pieces():
        yield b"{\n"
        raise RuntimeError("a renderer's bug")

    with pytest.raises(RuntimeError):
        output.write_atomic(out, pieces())
    assert out.read_bytes() == b"old\n" and os.listdir(tmp_path) == ["report.json"]
    output.write_atomic(out, iter([b"new", b" ", b"report\n"]))
    assert out.read_bytes() == b"new report\n"


def test_reports_written_together_are_each_the_bytes_written_alone(monkeypatch, province):
    """`json_stream.each` (a service worker's batch) writes the findings and member levels of several reports by one
    query each, and each report is the bytes pydantic writes for it alone: reports of one run of the rules (one
    parts tuple), of other runs and packs (parts apart; levels rules of equal value), one with no levels, one
    with no findings, and, written alone, one whose findings and one whose levels are objects."""
    from hongfeng_rules.audit_each import audit_each
    from hongfeng_rules.report.level_rows import LevelRows

    dataset, packs = province
    period, as_of = PERIOD, datetime.fromisoformat(AS_OF)
    small = [load_tables_of(generate(1, seed=s, violation_rate=0.3)) for s in range(3)]
    batch = audit_each(small, packs, period, as_of)
    hongfeng = auditing.audit(dataset, [p for p in packs if p.name == "hongfeng"], period, as_of)
    no_levels = auditing.audit(dataset, [p for p in packs if p.name != "hongfeng"], period, as_of)
    no_findings = hongfeng.with_rows(FindingRows.concat([]))
    objects = auditing.audit(small[0], packs, period, as_of)
    objects.findings  # noqa: B018  (made objects: written alone)
    level_objects = auditing.audit(small[1], packs, period, as_of)
    level_objects.derived.levels  # noqa: B018
    reports = [*batch, hongfeng, objects, no_levels, no_findings, level_objects]
    assert no_levels.derived is None or not no_levels.derived.levels
    calls = []
    for rows in (FindingRows, LevelRows):
        real = rows.json_arrays
        monkeypatch.setattr(rows, "json_arrays", lambda many, *a, real=real, rows=rows: calls.append(
            (rows.__name__, len(many))) or real(many, *a))
    written = json_stream.each(reports)
    assert calls == [("FindingRows", 6), ("LevelRows", 5)]  # the batch, hongfeng, no_levels, no_findings
    assert written == [whole(r) for r in reports]


def load_tables_of(data: dict):
    from hongfeng_rules.tables import tables_from_data
    return tables_from_data(data)
