"""A whole number in a decimal field (`hours: 4`, `score: 96`) and a decimal in a whole field (`amount: 60.0`) give
the same Dataset, the same report bytes and the same levels and stars whether the dataset is read through the
tables (`load_dataset`, the CLI) or validated per object by pydantic (rule test cases, `Dataset.model_validate`):
pydantic itself makes `4` a float 4.0 in a float field and `60.0` the int 60 in a whole one, and the tables do the
same. Pinned here so that a loader keeping `4` an int, or `60.0` a float, shows."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hongfeng_rules import audit, load_dataset, load_packs
from hongfeng_rules.models import Dataset
from hongfeng_rules.report import derived_text, markdown, text

REPO = Path(__file__).resolve().parents[1]


def numbers_as_typed(tmp_path: Path) -> tuple[Path, dict]:
    """examples/hongfeng with every team score written as a whole number where it is one, and every points amount
    as a decimal (`60.0`); participation hours are whole numbers already."""
    raw = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (REPO / "examples" / "hongfeng").glob("*.json")}
    for score in raw["team_scores"]:
        if score.get("score") is not None and float(score["score"]).is_integer():
            score["score"] = int(score["score"])
    for entry in raw["points"]:
        entry["amount"] = float(entry["amount"])
    folder = tmp_path / "data"
    folder.mkdir()
    for name, records in raw.items():
        (folder / f"{name}.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert any(isinstance(s.get("score"), int) for s in raw["team_scores"])
    assert any(isinstance(p["hours"], int) for a in raw["activities"] for p in a.get("participants", []))
    return folder, raw


def test_both_loaders_hold_the_same_values_of_the_same_types(tmp_path):
    folder, raw = numbers_as_typed(tmp_path)
    tables, objects = load_dataset(folder), Dataset.model_validate(raw)
    assert tables.model_dump_json() == objects.model_dump_json()
    whole = next(s for s in objects.team_scores if isinstance(next(r["score"] for r in raw["team_scores"]
                                                                       if r["team_id"] == s.team_id
                                                                       and r["year"] == s.year), int))
    same = next(s for s in tables.team_scores if (s.team_id, s.year) == (whole.team_id, whole.year))
    assert type(whole.score) is type(same.score) is float  # what pydantic gives for a float field
    assert {type(p.amount) for p in tables.points} == {type(p.amount) for p in objects.points} == {int}
    hours = [(type(p.hours), p.hours) for a in tables.activities for p in a.participants]
    assert hours == [(type(p.hours), p.hours) for a in objects.activities for p in a.participants]


def test_what_users_see_is_the_same_bytes(tmp_path):
    folder, raw = numbers_as_typed(tmp_path)
    packs = load_packs(["hongfeng"])
    as_of = date(2026, 1, 15)
    via_tables = audit(load_dataset(folder), packs, "2025", as_of)
    per_object = audit(Dataset.model_validate(raw), packs, "2025", as_of)
    assert via_tables.to_json() == per_object.to_json()
    for render in (text.render, markdown.render):
        assert render(via_tables) == render(per_object)
    assert derived_text.render(via_tables.derived) == derived_text.render(per_object.derived)  # levels and stars
    assert via_tables.derived is not None and via_tables.derived.stars
