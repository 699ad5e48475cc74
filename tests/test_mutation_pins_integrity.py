"""Pins of the dataset checks (`validation.integrity`, `validation.integrity_look`) found by mutation testing
(issue 24, docs/testing.md): each test fails on a mutant the differential tests (test_load_tables) let through.
No Polars at collection: the tables are built inside each test (mutation testing forks the collected session)."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from unittest import mock

import pytest

from hongfeng_rules import InputError
from hongfeng_rules.tables import tables_from_data

BASE = json.loads((Path(__file__).resolve().parent / "hostile" / "valid.json").read_text(encoding="utf-8"))
TEAM = BASE["teams"][0]["id"]


def data(**collections) -> dict:
    return {**copy.deepcopy(BASE), **collections}


def problems(records: dict) -> list[str]:
    with pytest.raises(InputError) as exc:
        tables_from_data(records)
    return [str(p) for p in exc.value.problems]


def unchecked(records: dict):
    """The tables of records valid one by one, the dataset checks not run: what `Look` is given."""
    from hongfeng_rules.tables import load
    with mock.patch.object(load, "check_tables", lambda tables: []):
        return tables_from_data(records)


DISPUTES = [{"id": "d1", "team_id": TEAM, "registered_at": "2025-03-01T10:00:00", "mediated_at": "2025-03-05T10:00:00"},
            {"id": "d2", "team_id": TEAM, "registered_at": "2025-03-02T10:00:00"}]
IN_ORDER = [{"id": "f1", "dispute_id": "d1", "at": "2025-03-05T10:00:00"},  # at the mediation itself
            {"id": "f2", "dispute_id": "d1", "at": "2025-03-06T09:00:00"},
            {"id": "f3", "dispute_id": "d2", "at": "2025-03-02T10:00:00"},  # at the registration itself
            {"id": "f4", "dispute_id": "d2", "at": "2025-03-03T09:00:00"}]


def test_a_follow_up_before_the_registration_of_an_unmediated_dispute_is_found():
    """The first look falls back on the registration when a dispute was not mediated: a follow-up before it alone
    (no other follow-up out of order to send the check to its query) is reported, naming the registration."""
    follow_ups = [*IN_ORDER, {"id": "f5", "dispute_id": "d2", "at": "2025-03-02T09:59:59"}]
    assert problems(data(disputes=DISPUTES, follow_ups=follow_ups)) == [
        "data: follow_ups[4] (id=f5): at: follow-up at 2025-03-02T09:59:59+08:00 is before its dispute 'd2' was "
        "registered (2025-03-02T10:00:00+08:00)"]


def test_the_first_look_is_sure_that_follow_ups_at_or_after_their_dispute_are_in_order():
    """Small clean tables: the look answers True (the query is not built), a follow-up at the very instant of the
    mediation or registration included; and the dataset loads."""
    from hongfeng_rules.validation.integrity_look import Look

    records = data(disputes=DISPUTES, follow_ups=IN_ORDER)
    assert Look(unchecked(records)).follow_ups_in_order() is True
    assert tables_from_data(records).get("follow_ups").height == 4


@pytest.mark.parametrize("large", ["follow_ups", "disputes"])
def test_the_first_look_leaves_follow_ups_to_the_query_when_either_table_is_above_small(large, monkeypatch):
    """Above `SMALL` rows (in follow_ups or in disputes) a table is not looked at: the look is not sure (False)
    and the query decides, even of clean tables."""
    from hongfeng_rules.validation import integrity_look

    tables = unchecked(data(disputes=DISPUTES, follow_ups=IN_ORDER if large == "follow_ups" else IN_ORDER[:1]))
    monkeypatch.setattr(integrity_look, "SMALL", 3 if large == "follow_ups" else 1)
    assert tables.get(large).height > integrity_look.SMALL
    assert integrity_look.Look(tables).follow_ups_in_order() is False
