"""Pins of column-wise validation (`validation.*`) found by mutation testing (issue 24, docs/testing.md): each
test fails on a mutant the differential tests (test_load_tables) let through."""
from __future__ import annotations

import copy
import json
from pathlib import Path

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


def test_a_follow_up_before_its_dispute_names_the_registration_when_it_was_not_mediated():
    disputes = [{"id": "d1", "team_id": TEAM, "registered_at": "2025-03-02T10:00:00"},
                {"id": "d2", "team_id": TEAM, "registered_at": "2025-03-01T10:00:00", "mediated_at": "2025-03-05T10:00:00"}]
    follow_ups = [{"id": "f1", "dispute_id": "d1", "at": "2025-03-01T09:00:00"},
                  {"id": "f2", "dispute_id": "d2", "at": "2025-03-04T09:00:00"}]
    assert problems(data(disputes=disputes, follow_ups=follow_ups)) == [
        "data: follow_ups[0] (id=f1): at: follow-up at 2025-03-01T09:00:00+08:00 is before its dispute 'd1' was "
        "registered (2025-03-02T10:00:00+08:00)",
        "data: follow_ups[1] (id=f2): at: follow-up at 2025-03-04T09:00:00+08:00 is before its dispute 'd2' was "
        "mediated (2025-03-05T10:00:00+08:00)"]


def test_a_lone_surrogate_in_a_text_sends_only_its_record_to_the_model():
    """A host's text may hold a lone surrogate (JSON allows the escape), which Polars cannot hold: its record is
    refused by its model, in the model's words; the records beside it are read."""
    records = data()
    records["members"][0]["name"], records["members"][2]["name"] = "张\ud800三", "李\udfff"
    assert problems(records) == [
        f"data: members[{i}] (id={records['members'][i]['id']}): name: Input should be a valid string, unable to parse "
        "raw data as a unicode string" for i in (0, 2)]
    records["members"][0]["name"] = records["members"][2]["name"] = "张三"
    assert tables_from_data(records).get("members")["name"].to_list()[:3] == ["张三", records["members"][1]["name"], "张三"]
