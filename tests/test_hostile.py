"""Broken and hostile input (issue #10): a clear one-line error every time, nothing passes silently.

The corpus lives in tests/hostile/ (expected.yaml says what each file must produce); every case runs
through the command line.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
import yaml

from hongfeng_rules import cli
from hongfeng_rules.limit_names import limit_named
from hongfeng_rules.checks.where import compile_condition
from hongfeng_rules.cli import main
from hongfeng_rules.models import Member
from hongfeng_rules.rulebook.locate import load_packs
from helpers import REPO

HOSTILE = Path(__file__).resolve().parent / "hostile"
PACK = HOSTILE / "_pack"
VALID = HOSTILE / "valid.json"
EXPECTED = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
FILE_LIMIT = " " + limit_named("max_file_bytes")


def run(capsys, *argv: str) -> tuple[int, str, list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def test_the_corpus_is_large_and_every_file_has_its_expected_error():
    cases = {f"{kind}/{p.name}" for kind in ("datasets", "rules") for p in (HOSTILE / kind).iterdir()}
    assert cases == set(EXPECTED)
    assert len(cases) >= 40
    assert sum(k.startswith("rules/") for k in cases) >= 15 and sum(k.startswith("datasets/") for k in cases) >= 15


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hostile_input_gives_its_one_line_error(case, tmp_path, capsys):
    spec = EXPECTED[case] if isinstance(EXPECTED[case], dict) else {"error": EXPECTED[case]}
    path = HOSTILE / case
    before = {p: p.read_bytes() for p in ([path] if path.is_file() else sorted(path.rglob("*"))) if p.is_file()}
    if case.startswith("rules/"):
        pack = tmp_path / "pack"
        pack.mkdir()
        shutil.copy(PACK / "pack.yaml", pack)
        shutil.copy(path, pack)
        argv = ["check", str(VALID), "--rules", str(pack), *WHEN]
    else:
        argv = ["check", str(path), "--rules", str(PACK), *WHEN]
    code, out, err = run(capsys, *argv, *spec.get("args", []))
    assert code == 2, err
    assert out == ""  # no half report
    assert len(err) == spec.get("lines", 1), err
    assert all(line.startswith("error: ") for line in err), err
    assert spec["error"] in err[0]
    if "last" in spec:
        assert err[-1] == f"error: {spec['last']}"
    assert not any("Traceback" in line for line in err)
    assert before == {p: p.read_bytes() for p in before}  # reading never modifies the input


def test_the_valid_dataset_of_the_corpus_is_valid(capsys):
    code, out, err = run(capsys, "check", str(VALID), "--rules", str(PACK), *WHEN)
    assert (code, err) == (0, []) and "CONFORMANT" in out


def test_limits_options_are_checked(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", str(VALID), "--rules", str(PACK), "--max-records", "0"])
    assert exc.value.code == 2
    assert "--max-records: must be a whole number of at least 1" in capsys.readouterr().err


def test_raising_a_limit_lets_the_file_through(capsys):
    big = HOSTILE / "datasets" / "too-big.json"
    code, _, err = run(capsys, "check", str(big), "--rules", str(PACK), *WHEN, "--max-file-bytes", "4000")
    assert code == 0 and err == []


def test_rules_lint_takes_the_limits_too(capsys):
    code, _, err = run(capsys, "rules", "lint", str(PACK), "--max-file-bytes", "50")
    assert code == 2 and len(err) == 3 and all(FILE_LIMIT in line for line in err)


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(cli, "audit", broken)
    code, out, err = run(capsys, "check", str(VALID), "--rules", str(PACK), *WHEN)
    assert code == 2 and out == ""
    assert err == ["error: internal error: RuntimeError: boom (run with --debug for a traceback)"]
    code, _, err = run(capsys, "--debug", "check", str(VALID), "--rules", str(PACK), *WHEN)
    assert code == 2 and err[0].startswith("Traceback") and err[-1] == "RuntimeError: boom"


# ---------------------------------------------------------------- the run time of hostile rules

def test_alias_bomb_is_rejected_well_under_a_second(capsys):
    start = time.perf_counter()
    code, _, err = run(capsys, "check", str(HOSTILE / "datasets" / "alias-bomb.yaml"), "--rules", str(PACK), *WHEN)
    assert code == 2 and "max_alias_expansions" in err[0]
    assert time.perf_counter() - start < 1.0  # generous: the rejection itself takes milliseconds


def test_a_catastrophic_pattern_runs_in_linear_time():
    matches = compile_condition({"name": {"matches": "(a+)+$"}}, Member)
    record = Member(id="m", team_id="t", name="a" * 100_000 + "!", join_date="2020-01-01")
    start = time.perf_counter()
    assert matches(record, None) is False
    assert time.perf_counter() - start < 1.0  # a backtracking engine would not finish at all


# ---------------------------------------------------------------- missing is not passing

def without(tmp_path: Path, collection: str) -> Path:
    data = json.loads(VALID.read_text(encoding="utf-8"))
    del data[collection]
    path = tmp_path / f"no-{collection}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_missing_collection_is_not_assessable_and_exits_1(tmp_path, capsys):
    path = without(tmp_path, "trainings")
    code, out, err = run(capsys, "check", str(path), "--rules", str(PACK), *WHEN, "--format", "json")
    report = json.loads(out)
    status = {f["rule_id"]: f["status"] for f in report["findings"]}
    assert status == {"hf-5.2.6-core-members": "pass", "hf-5.3.1-trainings": "not_assessable"}
    assert report["teams"][0]["conformant"] and not report["teams"][0]["complete"]
    assert code == 1 and err == []
    assert run(capsys, "check", str(path), "--rules", str(PACK), *WHEN, "--allow-incomplete")[0] == 0
    assert run(capsys, "check", str(path), "--rules", str(PACK), *WHEN, "--fail-on", "never")[0] == 0


def test_the_example_without_trainings_never_passes_a_training_rule(tmp_path, capsys):
    folder = tmp_path / "example"
    shutil.copytree(REPO / "examples" / "hongfeng", folder)
    (folder / "trainings.json").unlink()
    code, out, err = run(capsys, "check", str(folder), "--period", "2025", "--as-of", "2026-01-15",
                         "--format", "json")
    assert code == 1 and err == []
    report = json.loads(out)
    needing = {r.rule.id for pack in load_packs(["hongfeng"]) for r in pack.rules if "trainings" in r.needs}
    assert needing
    statuses = {f["status"] for f in report["findings"] if f["rule_id"] in needing}
    assert statuses == {"not_assessable"}
    assert not any(t["complete"] for t in report["teams"])


# ---------------------------------------------------------------- dated after as-of: flagged, not counted

def test_a_record_dated_after_as_of_is_flagged_and_not_counted(tmp_path, capsys):
    data = json.loads(VALID.read_text(encoding="utf-8"))
    data["trainings"][0].update(start="2026-01-20T09:00:00", end="2026-01-20T11:00:00")
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    argv = ["check", str(path), "--rules", str(PACK), "--period", "2026-01", "--as-of", "2026-01-15"]
    code, out, _ = run(capsys, *argv, "--format", "json")
    report = json.loads(out)
    flagged = [r for r in report["future_records"] if r.startswith("trainings[0] (id=tr1): start 2026-01-20")]
    assert len(flagged) == 1 and "after as-of 2026-01-15" in flagged[0]
    assert {f["rule_id"]: f["status"] for f in report["findings"]}["hf-5.3.1-trainings"] == "fail"  # not counted
    assert code == 1
    _, text, _ = run(capsys, *argv)
    assert "Records dated after as-of (flagged, not counted)" in text and "trainings[0] (id=tr1): start" in text


def test_nothing_is_flagged_when_everything_is_before_as_of(capsys):
    _, out, _ = run(capsys, "check", str(VALID), "--rules", str(PACK), *WHEN, "--format", "json")
    assert json.loads(out)["future_records"] == []
