"""Findings kept as columns (report.finding_rows, issue 18): the same report bytes as the Finding objects
written by pydantic, the same objects when a host asks, the same order, summaries and exit codes."""
from __future__ import annotations

import pickle
import random
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import polars as pl
import pydantic_core
import pytest

from hongfeng_rules import auditing, load_dataset, load_pack
from oracle import engine as object_engine
from hongfeng_rules.auditing import finding_order
from hongfeng_rules.gating import gate
from hongfeng_rules.models import Dataset
from hongfeng_rules.report.finding_rows import FindingRows, json_text
from hongfeng_rules.report.model import Finding, Subject, Text
from hongfeng_rules.rulebook.locate import pack_dirs
from hongfeng_rules.summaries import summaries
from hongfeng_rules.waivers import Waiver, apply_waivers
from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import AS_OF, PERIOD, generate  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
HARD = ["plain", 'a "quoted" word', "back\\slash", "tab\there", "new\nline", "\x00\x1f\x7f", "义警 ✓ é",
        "\u2028\u2029", "</script>", "", " "]


def hard_findings(seed: int, n: int = 300) -> list[Finding]:
    """Findings whose every field takes awkward values: escapes, non-ASCII, floats, nulls, lists, waivers."""
    rnd = random.Random(seed)
    text = lambda: rnd.choice(HARD) + rnd.choice(HARD)  # noqa: E731
    rules = [dict(rule_id=f"r-{i}", title=Text(zh=text(), en=text()), pack=rnd.choice(["p", "q"]),
                  pack_version="1", clause=rnd.choice(["5.2.9", "5.2.10", "5.2.10", "P1.2", "6"]),
                  strength=rnd.choice(["shall", "should", "may"]), modal=rnd.choice(["应", "宜", "可", "none"]),
                  source=Text(zh=text(), en=text()), rule_file=rnd.choice([None, f"p/{text()}.yaml"]))
             for i in range(6)]
    values = [None, 0, 7, 2 ** 70, 57.9, 0.1, 1e16, 1e-7, -0.0, True, "x", "a\"b", "多", [1, "a"], {"k": [None]}]
    out = []
    for i in range(n):
        due = rnd.choice([None, datetime(2026, 1, 25, 23, 59, 59, rnd.choice([0, 5, 999999]), tzinfo=SHANGHAI)])
        out.append(Finding(
            **rnd.choice(rules), status=rnd.choice(["pass", "fail", "pending", "not_assessable", "not_applicable",
                                                    "waived", "not_used"]),
            subject=Subject(kind=rnd.choice(["team", "member"]), id=f"s{rnd.randrange(40)}{rnd.choice(HARD)}",
                            name=rnd.choice([None, text()]), team_id=rnd.choice([None, "t1", "t2", ""]),
                            association_id=rnd.choice([None, "a1", "a2"])),
            measured=rnd.choice(values), expected=rnd.choice(values),
            evidence_ids=rnd.sample(["e1", "e\"2", "证3", "e\\4"], rnd.randrange(5)), note=rnd.choice([None, text()]),
            due=due, time_left_hours=rnd.choice([None, 252.0, 0.25, -3.5]),
            message=Text(zh=text(), en=text()),
            waiver=rnd.choice([None, {"rule_id": "r-1", "approved_on": "2025-11-20", "why": text(), "n": [1, 2.5]}])))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_the_columns_write_the_same_json_and_give_back_the_same_findings(seed):
    findings = hard_findings(seed)
    rows = FindingRows.of_findings(findings)
    assert b"".join(rows.json_array()) == pydantic_core.to_json(findings, indent=2).replace(b"\n", b"\n  ")
    assert rows.materialise() == findings


def test_a_string_column_is_quoted_and_escaped_as_the_serialiser_writes_it():
    # every ASCII character, alone and between others, and a few beyond: only the serde_json set is escaped
    texts = [chr(i) for i in range(128)] + [f"a{chr(i)}b{chr(i)}" for i in range(128)] + HARD + [
        "\u0080\u00ff\ud7ff\ue000\uffff\U0010ffff", "义警", None]
    got = pl.select(json_text(pl.lit(pl.Series(texts, dtype=pl.String)))).to_series().to_list()
    assert got == [None if t is None else pydantic_core.to_json(t).decode() for t in texts]


def test_no_findings_are_an_empty_list():
    rows = FindingRows.of_findings([])
    assert list(rows.json_array()) == [b"[]"] and rows.materialise() == [] and len(FindingRows.concat([])) == 0


@pytest.mark.parametrize("seed", range(3))
def test_the_order_on_columns_is_finding_order(seed):
    findings = hard_findings(seed)
    random.Random(seed).shuffle(findings)
    assert FindingRows.of_findings(findings).sorted().materialise() == sorted(findings, key=finding_order)


def test_summaries_count_each_finding_once_for_its_team_and_up_its_associations():
    findings = hard_findings(7)
    teams, associations = [("t1", "T1", "a1"), ("t2", "T2", "a2")], [("a1", "A1", "a2"), ("a2", "A2", None)]
    rolled = summaries(FindingRows.of_findings(findings), teams, associations)
    assert rolled == summaries(findings, teams, associations)
    by_id = {s.id: s for s in rolled["associations"] + rolled["teams"]}
    for status in ("fail", "pass", "not_used"):
        assert rolled["overall"].counts.by_status[status] == sum(f.status == status for f in findings)
        assert by_id["t1"].counts.by_status[status] == sum(f.status == status and f.subject.team_id == "t1"
                                                           for f in findings)
        assert by_id["a2"].counts.by_status[status] == sum(f.status == status and f.subject.association_id
                                                           in ("a1", "a2") for f in findings)
    assert by_id["a1"].counts.failures_by_strength["shall"] == sum(
        f.status == "fail" and f.strength == "shall" and f.subject.association_id == "a1" for f in findings)


def both_reports(monkeypatch, dataset, packs, period, as_of):
    """The per-object engine's report (Finding objects) and the column-wise one (findings as columns)."""
    objects = object_engine.audit(dataset, packs, period, as_of)
    columns = auditing.audit(dataset, packs, period, as_of)
    assert "findings" in objects.__dict__ and "findings" not in columns.__dict__  # kept as columns
    return objects, columns


@pytest.mark.parametrize("seed,rate", [(1, 0.1), (2, 0.5)])
def test_a_generated_province_is_the_same_bytes_from_the_columns(monkeypatch, seed, rate):
    dataset, packs = Dataset.model_validate(generate(6, seed, rate)), [load_pack(d) for d in pack_dirs()]
    objects, columns = both_reports(monkeypatch, dataset, packs, PERIOD, datetime.fromisoformat(AS_OF))
    assert columns.to_json_bytes() == objects.to_json_bytes()
    for fail_on in ("shall", "should"):
        for allow in (False, True):
            assert gate(columns, fail_on, allow) == gate(objects, fail_on, allow)
    assert "findings" not in columns.__dict__  # neither the JSON nor the exit code made Finding objects
    assert columns.findings == objects.findings and columns == objects


def test_a_host_sees_the_findings_in_place(monkeypatch):
    dataset, pack = load_dataset(REPO / "examples" / "hongfeng"), load_pack(REPO / "rules" / "hongfeng")
    objects, columns = both_reports(monkeypatch, dataset, pack, "2025", date(2026, 1, 15))
    copied = pickle.loads(pickle.dumps(columns))
    assert copied.to_json_bytes() == objects.to_json_bytes()
    assert list(columns.model_dump()) == list(objects.model_dump())  # `findings` keeps its place among the keys
    assert columns.model_dump_json(indent=2) == objects.model_dump_json(indent=2)
    assert columns.findings is columns.findings and "findings" in columns.__dict__
    columns.findings[0] = columns.findings[0].model_copy(update={"note": "changed by a host"})
    assert b"changed by a host" in columns.to_json_bytes()  # made objects are the findings from then on


def test_a_pending_finding_keeps_its_time_left_and_a_missing_collection_its_star(monkeypatch):
    dataset = Dataset.model_validate({k: v for k, v in generate(6, 1, 0.3).items() if k != "complaints"})
    packs = [load_pack(d) for d in pack_dirs()]
    objects, columns = both_reports(monkeypatch, dataset, packs, PERIOD, datetime.fromisoformat(AS_OF))
    assert columns.to_json_bytes() == objects.to_json_bytes()
    made = columns.findings
    assert any(f.subject.id == "*" for f in made)
    assert any(f.time_left_hours is not None for f in made)


def test_waivers_on_the_columns_are_those_on_the_objects(monkeypatch):
    dataset, pack = load_dataset(REPO / "examples" / "hongfeng"), load_pack(REPO / "rules" / "hongfeng")
    objects, columns = both_reports(monkeypatch, dataset, pack, "2025", date(2026, 1, 15))
    before = columns.to_json_bytes()
    failing = [f for f in objects.findings if f.status in ("fail", "not_assessable")][:3]
    waivers = [Waiver(rule_id=f.rule_id, subject_id=f.subject.id, justification="j", approved_by="a",
                      approved_on=date(2025, 11, 20), expires_on=expires, entry=i)
               for i, (f, expires) in enumerate(zip(failing, [date(2026, 3, 31), date(2026, 1, 1), date(2027, 1, 1)]))]
    waived = apply_waivers(columns, waivers)
    assert "findings" not in waived.__dict__ and columns.to_json_bytes() == before  # a new report; the old unchanged
    assert waived.to_json_bytes() == apply_waivers(objects, waivers).to_json_bytes()
    assert sum(f.status == "waived" for f in waived.findings) == 2 and len(waived.expired_waivers) == 1


def test_explained_findings_keep_their_explanation_as_columns(monkeypatch):
    dataset, pack = load_dataset(REPO / "examples" / "hongfeng"), load_pack(REPO / "rules" / "hongfeng")
    report = auditing.audit(dataset, pack, "2025", date(2026, 1, 15), explain="all")
    explained = [f for f in report.findings if f.explanation is not None]
    rows = FindingRows.of_findings(report.findings)
    assert explained and rows.materialise() == report.findings
    assert report.with_rows(rows).to_json_bytes() == report.to_json_bytes()
