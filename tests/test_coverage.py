"""The coverage matrix and the interpretations page: current in docs/, and complete for clauses 5.1.1–7.4.2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from hongfeng_rules.cli import main
from hongfeng_rules.rulebook import coverage
from hongfeng_rules.rulebook.locate import load_packs

DOCS = Path(__file__).resolve().parents[1] / "docs"
# Every clause of chapters 5–7 of 红枫式义警建设与服务规范 (numbering, not thresholds).
SECTIONS = {"5.1": 3, "5.2": 10, "5.3": 2, "5.4": 7, "6.1": 4, "6.2": 4, "6.3": 3, "6.4": 3, "6.5": 4, "6.6": 4,
            "6.7": 2, "7.1": 4, "7.2": 4, "7.3": 4, "7.4": 2}
CLAUSES = [f"{s}.{i}" for s, n in SECTIONS.items() for i in range(1, n + 1)]
REGENERATE = ("regenerate: .venv/bin/python -m hongfeng_rules.cli rules {} > docs/{}.md")


@pytest.fixture(scope="module")
def packs():
    return load_packs()


@pytest.fixture(scope="module")
def hongfeng(packs):
    return next(p for p in packs if p.name == "hongfeng")


def test_coverage_doc_is_current(packs):
    assert (DOCS / "coverage.md").read_text(encoding="utf-8") == coverage.matrix_markdown(packs), \
        REGENERATE.format("matrix", "coverage")


def test_interpretations_doc_is_current(packs):
    assert (DOCS / "interpretations.md").read_text(encoding="utf-8") == coverage.interpretations_markdown(packs), \
        REGENERATE.format("interpretations", "interpretations")


def test_manifest_lists_every_clause(hongfeng):
    assert sorted(hongfeng.manifest.clauses, key=CLAUSES.index) == CLAUSES


def test_no_clause_is_missing(hongfeng):
    """Each clause has rules or a stated reason. The assertion lists what is still missing."""
    missing = coverage.missing(hongfeng)
    assert not missing, f"clauses with neither rules nor a not_checkable reason: {missing}"


def test_every_rule_names_a_listed_clause(hongfeng):
    assert [r.clause for r in coverage.matrix(hongfeng) if not r.listed] == []


def test_partly_checkable_clauses_name_their_rules(hongfeng):
    """A clause can have rules and a not-checkable part; the reason then names the rules covering the rest."""
    ids_by_clause: dict[str, set[str]] = {}
    for r in hongfeng.rules:
        ids_by_clause.setdefault(r.rule.clause, set()).add(r.rule.id)
    unexplained = [clause for clause, reason in hongfeng.manifest.not_checkable.items()
                   if clause in ids_by_clause and not any(i in reason for i in ids_by_clause[clause])]
    assert unexplained == []


def test_every_evidence_kind_is_defined(hongfeng):
    undefined = coverage.undefined_evidence_kinds(hongfeng)
    assert not undefined, f"evidence kinds used by rules but not defined in pack.yaml evidence_kinds: {undefined}"


@pytest.mark.parametrize("phrase", ["半天", "居于队伍前列", "1个月以上不活跃", "持证率", "岗前培训不少于2次", "每季度", "周例会"])
def test_required_readings_are_written_down(hongfeng, phrase):
    phrases = [i.phrase for r in hongfeng.rules for i in r.rule.interpretations]
    assert any(phrase in p for p in phrases), f"no interpretation for {phrase}"


def test_matrix_flags_missing_clauses(hongfeng):
    """A clause with neither rules nor a reason shows as MISSING (so the completeness test can fail)."""
    from dataclasses import replace
    manifest = hongfeng.manifest.model_copy(update={"not_checkable": {}})
    stripped = replace(hongfeng, manifest=manifest, rules=[r for r in hongfeng.rules if r.rule.clause != "5.2.6"])
    rows = {r.clause: r.status for r in coverage.matrix(stripped)}
    assert rows["5.2.6"] == coverage.MISSING and rows["5.1.1"] == coverage.MISSING
    assert rows["5.2.7"] == "rules"


def test_cli_matrix_json(capsys, hongfeng):
    assert main(["rules", "matrix", str(hongfeng.directory), "--format", "json"]) == 0
    rows = {r["clause"]: r for r in json.loads(capsys.readouterr().out)["hongfeng"]}
    assert set(CLAUSES) <= set(rows)
    assert "hf-5.2.6-core-members (shall)" in rows["5.2.6"]["rules"]
    assert rows["5.1.1"]["status"] == "not_checkable"
