"""A check that names records as evidence cannot read a collection whose records carry no id (`team_scores`):
lint refuses it, naming the rule file and the field, where both engines used to crash in the audit."""
from __future__ import annotations

import subprocess
import sys

import pytest

from hongfeng_rules import InputError, load_pack
from helpers import rule, write_pack

SCORES = {"of": "team_scores"}
NAMING = {
    "count": {"kind": "count", **SCORES, "at_least": {"value": 1, "unit": "item"}},
    "share": {"kind": "share", **SCORES, "numerator": {"year": 2025}, "at_least": {"value": 50, "unit": "percent"}},
    "mean": {"kind": "mean", **SCORES, "value": "score", "at_least": {"value": 50, "unit": "point"}},
    "every": {"kind": "every", **SCORES, "require": {"year": 2025}},
    "rank_within": {"kind": "rank_within", **SCORES, "score": "score", "target": {"year": 2025},
                    "top": {"value": 1, "unit": "rank"}},
}


@pytest.mark.parametrize("kind", sorted(NAMING))
def test_a_check_naming_records_of_team_scores_fails_lint(tmp_path, kind):
    folder = write_pack(tmp_path / "p", rule(NAMING[kind]))
    with pytest.raises(InputError) as caught:
        load_pack(folder)
    [line] = caught.value.lines()
    assert line.startswith(f"{folder / 'hf-5.0.1-test.yaml'}:")
    assert "check.of: team_scores records have no id" in line
    assert f"a {kind} check names the records it judges by id" in line


def test_rank_within_names_the_ranking_kind(tmp_path):
    folder = write_pack(tmp_path / "p", rule(NAMING["rank_within"]))
    with pytest.raises(InputError) as caught:
        load_pack(folder)
    assert "rank teams by their scores with kind: ranking" in caught.value.lines()[0]


def test_a_subject_without_ids_fails_lint(tmp_path):
    folder = write_pack(tmp_path / "p", rule({"kind": "every", "require": {"year": 2025}}, subject="team_score"))
    with pytest.raises(InputError) as caught:
        load_pack(folder)
    [line] = caught.value.lines()
    assert "subject: team_scores records have no id, and a finding names its subject by id" in line


def test_frequency_of_team_scores_still_lints(tmp_path):
    check = {"kind": "frequency", **SCORES, "per": "year", "at_least": {"value": 1, "unit": "times"}}
    assert len(load_pack(write_pack(tmp_path / "p", rule(check))).rules) == 1


def test_rules_lint_exits_2_with_one_line(tmp_path):
    folder = write_pack(tmp_path / "p", rule(NAMING["rank_within"]))
    done = subprocess.run([sys.executable, "-m", "hongfeng_rules.cli", "rules", "lint", str(folder)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "check.of: team_scores records have no id" in done.stderr
