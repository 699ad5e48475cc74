"""End to end through the CLI on the shipped example: exit codes, findings, schema, errors."""
import json

import jsonschema
import pytest

from hongfeng_rules.cli import main
from hongfeng_rules.safe_load import read_document
from helpers import REPO, rule, write_pack

EXAMPLE = str(REPO / "examples" / "hongfeng")
ARGS = ["check", EXAMPLE, "--period", "2025", "--as-of", "2026-01-15"]


@pytest.fixture(scope="module")
def example_json(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "report.json"
    code = main(ARGS + ["--format", "json", "--out", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_example_exits_1_and_names_the_shall_miss(capsys):
    assert main(ARGS) == 1
    out = capsys.readouterr().out
    assert "hf-t02" in out and "5.2.6" in out and "NON-CONFORMANT" in out


def test_json_report_validates_against_its_schema(example_json, capsys):
    code, report = example_json
    assert code == 1
    assert main(["schema", "report"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, schema)


def test_example_planted_findings(example_json):
    _, report = example_json
    failing = {(f["subject"]["team_id"], f["rule_id"]) for f in report["findings"] if f["status"] == "fail"}
    assert ("hf-t02", "hf-5.2.6-core-members") in failing
    teams = {t["id"]: t for t in report["teams"]}
    assert teams["hf-t01"]["conformant"] and not teams["hf-t02"]["conformant"]


def test_same_input_same_bytes(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    main(ARGS + ["--format", "json", "--out", str(a)])
    main(ARGS + ["--format", "json", "--out", str(b)])
    assert a.read_bytes() == b.read_bytes()


def test_dangling_reference_exits_2_with_one_clear_line(tmp_path, capsys):
    data = {"associations": [{"id": "a1", "name": "A", "level": "county"}],
            "teams": [{"id": "t1", "association_id": "a9", "name": "T"}]}
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["check", str(path), "--period", "2025", "--as-of", "2026-01-15"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "d.json" in err[0] and "teams[0] (id=t1)" in err[0] and "association_id" in err[0]
    assert "Traceback" not in err[0]


def test_rule_with_unknown_key_exits_2_with_file_and_line(tmp_path, capsys):
    body = rule({"kind": "count", "of": "members", "at_least": {"value": 1, "unit": "person"}})
    body["colour"] = "red"
    folder = write_pack(tmp_path / "p", body)
    assert main(["check", EXAMPLE, "--rules", str(folder), "--period", "2025", "--as-of", "2026-01-15"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "hf-5.0.1-test.yaml:" in line and "unknown key 'colour'" in line


def test_schema_dataset_lists_every_collection(capsys):
    assert main(["schema", "dataset"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"members", "trainings", "complaints", "team_scores"} <= set(schema["properties"])


def test_rules_list_json(capsys):
    assert main(["rules", "list", str(REPO / "rules" / "hongfeng"), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    row = next(r for r in rows if r["id"] == "hf-5.2.6-core-members")
    stated = read_document(REPO / "rules" / "hongfeng" / "5.2.6-core-members.yaml").data["check"]["at_least"]
    assert row["clause"] == "5.2.6" and row["strength"] == "shall" and row["parameters"]["at_least"] == stated


def test_bad_period_is_an_input_error(capsys):
    assert main(["check", EXAMPLE, "--period", "2025-13"]) == 2
    assert "error:" in capsys.readouterr().err
