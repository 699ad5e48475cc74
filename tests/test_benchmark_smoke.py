"""The benchmark's generator and the whole pipeline at a tiny size (issue #8). No timing here:
speed and memory are measured by benchmarks/run.py."""
from __future__ import annotations

import importlib.util
import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from hongfeng_rules import audit, load_dataset
from hongfeng_rules.models import Dataset
from hongfeng_rules.rulebook.locate import load_packs

ROOT = Path(__file__).resolve().parents[1]


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def planted() -> dict[str, set[str]]:
    return {}


@pytest.fixture(scope="module")
def data(planted):
    return gen.generate(3, seed=7, violation_rate=0.5, planted=planted)


@pytest.fixture(scope="module")
def report(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench3")
    gen.write(data, folder)
    dataset = load_dataset(folder)
    return audit(dataset, load_packs(["hongfeng"]), gen.PERIOD, datetime.fromisoformat(gen.AS_OF))


def test_same_seed_same_data_other_seed_other_data(data):
    assert gen.generate(3, seed=7, violation_rate=0.5) == data
    assert gen.generate(3, seed=8, violation_rate=0.5) != data


def test_data_is_plain_json_and_a_valid_dataset(data):
    assert json.loads(json.dumps(data)) == data
    Dataset.model_validate(data)


def test_distributions(data):
    per_team = Counter(m["team_id"] for m in data["members"])
    assert len(per_team) == 3 and all(30 <= n <= 300 for n in per_team.values())
    assert all(5 <= len(a["participants"]) <= 40 for a in data["activities"])
    kinds = Counter(t["kind"] for t in data["trainings"])
    assert set(kinds) == {"pre_job", "regular", "professional", "drill", "counselling"}
    meetings = Counter(m["kind"] for m in data["meetings"])
    assert meetings["weekly"] >= 3 * 49 and meetings["quarterly_review"] >= 3 * 3
    assert {s["year"] for s in data["team_scores"]} == {2023, 2024, 2025}
    assert any(h["major"] for h in data["hazards"]) and data["follow_ups"] and data["patrol_sign_ins"]
    assert any("extension_notified_at" in c for c in data["complaints"]) or len(data["complaints"]) < 5


def test_violation_rate_controls_the_flaws():
    none: dict[str, set[str]] = {}
    gen.generate(20, seed=1, violation_rate=0.0, planted=none)
    assert all(not flaws for flaws in none.values())
    every: dict[str, set[str]] = {}
    gen.generate(2, seed=1, violation_rate=1.0, planted=every)
    assert all(flaws == set(gen.FLAWS) for flaws in every.values())
    with pytest.raises(ValueError, match="^violation_rate is a probability between 0 and 1$"):
        gen.generate(1, seed=1, violation_rate=1.5)


def test_write_makes_one_file_per_collection(data, tmp_path):
    size = gen.write(data, tmp_path)
    files = sorted(p.stem for p in tmp_path.glob("*.json"))
    assert files == sorted(data) and size == sum(p.stat().st_size for p in tmp_path.glob("*.json"))
    assert len(load_dataset(tmp_path).members) == len(data["members"])


def test_audit_finds_every_planted_status(report):
    statuses = Counter(f.status for f in report.findings)
    for status in ("pass", "fail", "pending", "not_assessable"):
        assert statuses[status] > 0, (status, statuses)


def test_fails_span_many_clauses(report):
    clauses = {f.clause for f in report.findings if f.status == "fail"}
    assert len(clauses) >= 8, sorted(clauses)


def test_planted_flaws_fail_their_rules(report, planted):
    failing = {(f.subject.team_id, f.rule_id) for f in report.findings if f.status == "fail"}
    checked = 0
    for team, flaws in planted.items():
        for flaw, rule_id in (("few_core", "hf-5.2.6-core-members"), ("missed_weekly_meetings", "hf-5.2.7-weekly-meeting"),
                              ("no_charter", "hf-5.2.2-charter")):
            if flaw in flaws and any(r.rule.id == rule_id for p in load_packs(["hongfeng"]) for r in p.rules):
                assert (team, rule_id) in failing, (team, flaw)
                checked += 1
    assert checked > 0


def test_parts_written_one_at_a_time_are_the_whole_dataset_written(data, tmp_path):
    whole, parted = tmp_path / "whole", tmp_path / "parted"
    size = gen.write(data, whole)
    assert gen.write_parts(gen.parts(3, seed=7, violation_rate=0.5, every=1), parted) == (size, gen.counts(data))
    assert sorted(p.name for p in parted.iterdir()) == sorted(p.name for p in whole.iterdir())
    assert all((parted / p.name).read_bytes() == p.read_bytes() for p in whole.iterdir())
    assert len(list(gen.parts(3, seed=7, violation_rate=0.5, every=1))) == 3
