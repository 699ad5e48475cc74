"""The rule format is strict: every mistake is a lint error naming file, line and key."""
import pytest
import yaml

from hongfeng_rules import InputError, load_pack
from helpers import rule, write_pack

COUNT = {"kind": "count", "of": "members", "at_least": {"value": 10, "unit": "person"}}


def lint_error(tmp_path, body: dict | str) -> str:
    folder = write_pack(tmp_path / "p")
    text = body if isinstance(body, str) else yaml.safe_dump(body, allow_unicode=True, sort_keys=False)
    (folder / "hf-5.0.1-x.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_pack(folder)
    return str(exc.value)


def test_unknown_key_names_file_line_and_key(tmp_path):
    body = rule(COUNT)
    body["treshold"] = 3
    message = lint_error(tmp_path, body)
    assert "hf-5.0.1-x.yaml:" in message and "unknown key 'treshold'" in message
    line = int(message.split("hf-5.0.1-x.yaml:")[1].split(":")[0])
    text = (tmp_path / "p" / "hf-5.0.1-x.yaml").read_text().splitlines()
    assert text[line - 1].startswith("treshold")


def test_threshold_without_unit(tmp_path):
    message = lint_error(tmp_path, rule({"kind": "count", "of": "members", "at_least": {"value": 10}}))
    assert "check.at_least.unit" in message and "missing" in message


def test_unknown_unit(tmp_path):
    message = lint_error(tmp_path, rule({"kind": "count", "of": "members", "at_least": {"value": 1, "unit": "furlong"}}))
    assert "check.at_least.unit" in message


def test_unknown_check_kind(tmp_path):
    message = lint_error(tmp_path, rule({"kind": "eval", "code": "1"}))
    assert "check" in message and "eval" in message


def test_unknown_field_in_condition(tmp_path):
    message = lint_error(tmp_path, rule({**COUNT, "where": {"rolez": "core"}}))
    assert "check.where.rolez" in message and "unknown field 'rolez'" in message


def test_unknown_operator(tmp_path):
    message = lint_error(tmp_path, rule({**COUNT, "where": {"roles": {"has": "core"}}}))
    assert "unknown operator" in message


def test_strength_must_match_modal_word(tmp_path):
    body = rule(COUNT)
    body["strength"] = "should"  # the sentence says 应
    assert "modal 应 means shall" in lint_error(tmp_path, body)


def test_no_modal_word_needs_a_reading(tmp_path):
    body = rule(COUNT)
    body["modal"] = "none"
    assert "reading" in lint_error(tmp_path, body)


def test_unknown_message_placeholder(tmp_path):
    body = rule(COUNT)
    body["message"]["en"] = "{measurd}"
    assert "unknown placeholder {measurd}" in lint_error(tmp_path, body)


def test_unit_must_match_derived_value(tmp_path):
    check = {"kind": "mean", "of": "members", "value": "@age_years", "at_most": {"value": 50, "unit": "hour"}}
    assert "year" in lint_error(tmp_path, rule(check))


def test_catastrophic_pattern_is_rejected_or_linear(tmp_path):
    # RE2 has no back-references: a pattern that needs backtracking cannot compile at all.
    message = lint_error(tmp_path, rule({**COUNT, "where": {"name": {"matches": r"(a+)+\1"}}}))
    assert "RE2" in message


def test_two_rules_with_one_id(tmp_path):
    folder = write_pack(tmp_path / "p", rule(COUNT))
    (folder / "copy.yaml").write_text(yaml.safe_dump(rule(COUNT)), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_pack(folder)
    assert "also used by" in str(exc.value)


def test_all_problems_reported_at_once(tmp_path):
    folder = write_pack(tmp_path / "p")
    for i in range(3):
        body = rule(COUNT, rid=f"hf-5.0.{i}-x")
        body["extra"] = 1
        (folder / f"r{i}.yaml").write_text(yaml.safe_dump(body), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_pack(folder)
    assert len(exc.value.problems) == 3
