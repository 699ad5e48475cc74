"""Member levels kept as columns (report.level_rows, issue 18): the report JSON written from the columns, the
renderers' level counts and the MemberLevel objects made on first read are what the objects give."""
from __future__ import annotations

import sys
from datetime import datetime

import pydantic_core
import pytest

from hongfeng_rules import auditing
from hongfeng_rules.derived_results import Derived
from hongfeng_rules.report.json_stream import _array
from hongfeng_rules.report.level_rows import LevelRows, level_counts_of
from hongfeng_rules.rulebook.locate import load_packs
from hongfeng_rules.tables.load import tables_from_data
from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import PERIOD, generate  # noqa: E402


@pytest.fixture(scope="module")
def province():
    return tables_from_data(generate(3, 5, 0.3)), load_packs(["hongfeng"])


@pytest.fixture(params=["2026-01-15T12:00:00+08:00", "2025-06-30T23:59:00+08:00"])
def report(request, province):
    """A fresh report: its levels not read yet."""
    tables, packs = province
    return auditing.audit(tables, packs, PERIOD, datetime.fromisoformat(request.param))


def test_the_audit_keeps_the_levels_as_columns_until_read(report):
    rows = report.derived.level_rows()
    assert isinstance(rows, LevelRows) and len(rows) > 100
    assert "levels" not in report.derived.__dict__
    text = report.to_json_bytes()
    assert report.derived.level_rows() is rows  # writing the JSON made no objects
    made = report.derived.levels
    assert len(made) == len(rows) and report.derived.level_rows() is None
    assert [m.member_id for m in made] == sorted(m.member_id for m in made)
    assert report.to_json_bytes() == text == pydantic_core.to_json(report, indent=2) + b"\n"


@pytest.mark.parametrize("size", [1, 7, 20_000])
def test_the_json_of_the_columns_is_pydantic_s(report, size):
    rows = report.derived.level_rows()
    assert b"".join(rows.json_array(2, size)) == b"".join(_array(rows.materialise(), 2))
    assert b"".join(rows.json_array(0, size)) == b"".join(_array(rows.materialise(), 0))


@pytest.mark.parametrize("lang, none", [("zh", "无"), ("en", "no level")])
def test_the_level_counts_of_the_columns_are_the_objects(report, lang, none):
    rows = report.derived.level_rows()
    counts = rows.counts(lang, none)
    assert counts == level_counts_of(rows.materialise(), lang, none)
    assert sum(n for _, n in counts) == len(rows) and len(counts) > 2


def test_levels_read_from_a_serialised_report_compare_equal(report):
    back = type(report).model_validate_json(report.to_json_bytes())
    assert back.derived == report.derived and isinstance(back.derived, Derived)
    assert back.derived.level_rows() is None and back.derived.model_dump() == report.derived.model_dump()
