"""`audit_each` (several datasets, one run of the rules) gives each dataset exactly the report `audit` gives it alone:
the JSON and Markdown bytes, for every shipped pack, over generated teams (the same ids in every dataset: the
generator numbers them alike), the four shipped examples, datasets with collections emptied or absent, with values
unrecorded, the same dataset twice, and a dataset whose text holds the key characters (audited alone)."""
from __future__ import annotations

import argparse
import copy
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hongfeng_rules import audit_each as each_module
from hongfeng_rules.audit_each import audit_each, provable
from hongfeng_rules.auditing import audit
from hongfeng_rules.report.formats import RENDERERS
from hongfeng_rules.rulebook.locate import load_packs
from hongfeng_rules.tables import load_tables, tables_from_data
from hongfeng_rules.when import period_and_as_of
from helpers import rule, write_pack

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate  # noqa: E402

PACKS = ["hongfeng", "yunge", "keqiao-zhucun", "gucheng"]
EXAMPLES = ["hongfeng", "yunge", "keqiao-zhucun", "gucheng"]
LEAVES = ["points", "hazards", "complaints", "evidence", "team_scores", "inspections", "improvements",
          "patrol_reports", "assistance_cases", "meetings"]  # collections no other refers to


@cache
def pack(name: str):
    return load_packs([name])[0]


@cache
def example(name: str):
    return load_tables(ROOT / "examples" / name)


@cache
def generated(teams: int, seed: int, rate: float) -> dict:
    return generate(teams, seed=seed, violation_rate=rate)


def rendered(report) -> tuple[bytes, bytes]:
    def one(fmt):
        body = RENDERERS[fmt](report, argparse.Namespace(lang="zh" if fmt == "markdown" else "en", format=fmt,
                                                         exit_code=1, locate=None, gated=()))
        return body.encode() if isinstance(body, str) else body
    return one("json"), one("markdown")


@st.composite
def dataset(draw):
    if draw(st.booleans()) and draw(st.booleans()):
        name = draw(st.sampled_from(EXAMPLES))
        return name, example(name)
    teams, seed, rate = draw(st.integers(1, 2)), draw(st.integers(0, 5)), draw(st.sampled_from([0.0, 0.1, 0.6]))
    data = copy.deepcopy(generated(teams, seed, rate))
    for leaf in draw(st.sets(st.sampled_from(LEAVES), max_size=3)):
        if draw(st.booleans()):
            data[leaf] = []
        else:
            del data[leaf]
    for member in data["members"][: draw(st.integers(0, 5))]:  # unrecorded values
        for key in ("birth_date", "skills", "mentor_id", "roles"):
            member.pop(key, None)
    if draw(st.integers(0, 9)) == 0:
        data["teams"][0]["name"] += "\ue000"  # the key's character in a text: this one is audited alone
    return f"g{teams}-{seed}-{rate}", tables_from_data(data)


def assert_same_as_alone(datasets, packs):
    period, as_of = period_and_as_of("2025", "2026-01-15")
    labels = [f"{name}#{i}" for i, (name, _) in enumerate(datasets)]
    tables = [t for _, t in datasets]
    together = audit_each(tables, packs, period, as_of, labels=labels)
    assert len(together) == len(tables)
    for label, t, report in zip(labels, tables, together):
        assert rendered(report) == rendered(audit(t, packs, period, as_of, dataset_label=label)), label


@pytest.mark.parametrize("name", PACKS)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_audit_each_is_each_audit_alone(name, data):
    datasets = data.draw(st.lists(dataset(), min_size=2, max_size=4))
    if data.draw(st.booleans()):
        datasets.append(datasets[0])  # the same dataset twice
    assert_same_as_alone(datasets, [pack(name)])


def test_the_shipped_examples_together_with_every_pack():
    """The four examples in one batch (each pack judges some and finds the others' subject collections missing:
    the subject "*"), with the packs alone and all together."""
    datasets = [(n, example(n)) for n in EXAMPLES]
    for packs in [[pack(n)] for n in PACKS] + [[pack(n) for n in PACKS]]:
        assert_same_as_alone(datasets, packs)


def test_the_shipped_packs_are_provable_and_a_rule_reading_an_id_is_not(tmp_path):
    assert all(provable([pack(n)]) for n in PACKS)
    assert each_module._reads_ids({"where": {"mentor_id": {"is_set": True}}, "check": {"via": "team_id"}}) is False
    assert each_module._reads_ids({"where": {"team_id": "t0001"}}) is True
    assert each_module._reads_ids({"check": {"require": {"name": {"eq_field": "mentor_id"}}}}) is True
    reading = write_pack(tmp_path / "p", rule({"kind": "count", "of": "members", "where": {"team_id": "t0001"},
                                              "at_least": {"value": 1, "unit": "person"}}))
    assert provable(load_packs([str(reading)])) is False


def test_a_pack_reading_ids_is_audited_alone_and_still_exact(tmp_path):
    """Two teams with the same ids: a rule comparing an id with a literal sees "t0001" only unprefixed."""
    reading = load_packs([str(write_pack(tmp_path / "p", rule(
        {"kind": "count", "of": "members", "where": {"team_id": "t0001"}, "at_least": {"value": 100, "unit": "person"}})))])
    datasets = [("a", tables_from_data(generated(1, 0, 0.1))), ("b", tables_from_data(generated(1, 1, 0.6)))]
    assert_same_as_alone(datasets, reading)


def test_no_datasets_and_one_dataset():
    assert audit_each([], [pack("hongfeng")], *period_and_as_of("2025", "2026-01-15")) == []
    assert_same_as_alone([("one", tables_from_data(generated(1, 2, 0.1)))], [pack("hongfeng")])


def test_member_levels_are_derived_together_unless_the_rule_reads_an_id(tmp_path, monkeypatch):
    """A levels rule reading no id is run once over the batch's prefixed tables (a member's level is its own
    ledger's), each dataset's levels split from it; one whose `where` names an id ("t0001", which the prefix would
    hide) is run per dataset, as alone. Every report is the one `audit` gives alone."""
    from hongfeng_rules import derived_results

    levels = {"kind": "levels", "of": "points", "amount": "amount",
              "levels": [{"at_least": {"value": v, "unit": "point"}, "name": {"key": f"l{v}", "zh": f"级{v}", "en": f"L{v}"}}
                         for v in (100, 300)]}
    packs = load_packs([str(write_pack(tmp_path / "p", rule(levels, "member", "hf-7.2.2-a"),
                                       rule(levels, "member", "hf-7.2.2-b", where={"team_id": "t0001"}),
                                       rule({"kind": "count", "of": "members", "at_least": {"value": 5, "unit": "person"}})))])
    assert provable(packs)
    together, alone = [], []
    for module, calls in ((each_module, together), (derived_results, alone)):
        real = module.results_of
        monkeypatch.setattr(module, "results_of", lambda r, ctx, real=real, calls=calls: calls.append(r.rule.id) or real(r, ctx))
    datasets = [(f"g{s}", tables_from_data(generated(1, s, 0.3))) for s in range(3)]
    assert all(t.get("points").height for _, t in datasets)
    period, as_of = period_and_as_of("2025", "2026-01-15")
    reports = audit_each([t for _, t in datasets], packs, period, as_of)
    calls = (list(together), list(alone))
    for (_, t), report in zip(datasets, reports):
        assert rendered(report) == rendered(audit(t, packs, period, as_of))
        assert {m.rule_id for m in report.derived.levels} == {"hf-7.2.2-a", "hf-7.2.2-b"}
    assert calls == (["hf-7.2.2-a"], ["hf-7.2.2-b"] * 3)
