"""Hostile input, round two, own cases beyond the issue's examples (issue #17), where the file corpus
(tests/hostile/, expected.yaml) cannot hold them: waiver files, `--out` naming an input, options whose empty value
meant "the default", text that hides in `rules list` and JUnit."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hongfeng_rules.cli import main
from hongfeng_rules.invisible import _SHOWN, escape_hidden, refuse_hidden
from hongfeng_rules.timecalc.deadlines import LONGEST, amount_problem, deadline
from hongfeng_rules.timecalc import LAST_DAY, day_end

HOSTILE = Path(__file__).resolve().parent / "hostile"
VALID = HOSTILE / "valid.json"
PACK = HOSTILE / "_pack"
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]


def run(capsys, *argv: str) -> tuple[int, str, list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not any("Traceback" in line or "internal error" in line for line in err.splitlines()), err
    return code, out, err.splitlines()


def waiver_file(tmp_path: Path, **changes) -> Path:
    entry = {"rule_id": "hf-5.3.1-trainings", "subject_id": "t1", "justification": "new team", "approved_by": "County",
             "approved_on": "2025-11-20", "expires_on": "2026-03-31", **changes}
    path = tmp_path / "waivers.json"
    path.write_text(json.dumps({"waivers": [entry]}, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- class 2 and 5: waiver dates and ids

@pytest.mark.parametrize("changes, error", [
    ({"expires_on": "9999-12-31"}, "waivers[0]: expires_on: 9999-12-31 is outside the supported dates"),
    ({"approved_on": "0001-01-01"}, "waivers[0]: approved_on: 0001-01-01 is outside the supported dates"),
    ({"approved_on": 1732060800}, "expected an ISO 8601 date or date-time as text, not the number 1732060800"),
    ({"subject_id": "t1\u200b"}, "identifier contains the invisible character U+200B"),
])
def test_a_waiver_is_read_as_strictly_as_the_dataset(tmp_path, capsys, changes, error):
    path = waiver_file(tmp_path, **changes)
    code, out, err = run(capsys, "check", str(VALID), "--rules", str(PACK), *WHEN, "--waivers", str(path))
    assert code == 2 and out == "" and len(err) == 1 and error in err[0], err
    assert err[0].startswith(f"error: {path}:")


def test_the_last_supported_day_is_a_valid_expiry(tmp_path, capsys):
    data = json.loads(VALID.read_text(encoding="utf-8"))
    data["trainings"] = []
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    waivers = waiver_file(tmp_path, expires_on=LAST_DAY.isoformat())
    code, out, err = run(capsys, "check", str(path), "--rules", str(PACK), *WHEN, "--waivers", str(waivers),
                         "--format", "json")
    assert (code, err) == (0, [])
    assert {f["rule_id"]: f["status"] for f in json.loads(out)["findings"]}["hf-5.3.1-trainings"] == "waived"


# ---------------------------------------------------------------- class 5: an empty option is not the default

@pytest.mark.parametrize("argv, error", [
    (["stars", str(VALID), "--rules", str(PACK), "--year", "0"], "--period: invalid period '0'"),
    (["levels", str(VALID), "--rules", str(PACK), "--as-of", ""], "--as-of: invalid as-of '': no date given"),
    (["check", str(VALID), "--rules", str(PACK), "--as-of", " "], "--as-of: invalid as-of ' ': no date given"),
])
def test_an_empty_or_zero_option_is_an_error(capsys, argv, error):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and len(err) == 1 and error in err[0], err


# ---------------------------------------------------------------- class 1: a report never replaces an input

@pytest.fixture
def data(tmp_path) -> Path:
    path = tmp_path / "data.json"
    shutil.copy(VALID, path)
    return path


@pytest.mark.parametrize("target", ["data.json", "link.json", "hard.json"])
def test_out_naming_the_dataset_is_refused_and_the_dataset_kept(data, tmp_path, capsys, monkeypatch, target):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link.json").symlink_to("data.json")
    (tmp_path / "hard.json").hardlink_to(data)
    before = data.read_bytes()
    code, out, err = run(capsys, "check", "data.json", "--rules", str(PACK), *WHEN, "--out", target)
    assert code == 2 and out == ""
    assert err == [f"error: {target}: --out: is the dataset, which the report would replace; the report is not written"]
    assert data.read_bytes() == before


@pytest.mark.parametrize("option, what", [("--waivers", "the waiver file"), ("--baseline", "the baseline"),
                                          ("--compare", "a --compare report")])
def test_a_format_file_naming_another_input_is_refused(data, tmp_path, capsys, option, what):
    other = tmp_path / "other.json"
    other.write_text('{"waivers": []}', encoding="utf-8")
    before = other.read_bytes()
    code, _, err = run(capsys, "check", str(data), "--rules", str(PACK), *WHEN, option, str(other),
                       "--format", f"sarif:{other}")
    assert code == 2 and err == [f"error: {other}: --out: is {what}, which the report would replace; the report is "
                                 "not written"]
    assert other.read_bytes() == before


def test_two_reports_to_one_file_are_refused_and_devices_are_not(data, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check", str(data), "--rules", str(PACK), *WHEN, "--format", "json:r.json",
                       "--format", "sarif:./r.json")
    assert code == 2 and err == ["error: ./r.json: --out: two reports would go to this file (also given as r.json); "
                                 "give each its own"]
    assert not (tmp_path / "r.json").exists()
    code, _, err = run(capsys, "check", str(data), "--rules", str(PACK), *WHEN, "--format", "json:/dev/null",
                       "--format", "sarif:/dev/null")
    assert (code, err) == (0, [])  # written through, twice: nothing is replaced


def test_a_report_inside_the_dataset_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "export"
    shutil.copytree(HOSTILE / "datasets" / "r2-folder-upper-case-extension", folder)
    (folder / "members.JSON").write_bytes((folder / "members.JSON").read_bytes().replace(b'"chief"', b'"core"'))
    code, _, err = run(capsys, "check", str(folder), "--rules", str(PACK), *WHEN, "--out", str(folder / "r.txt"))
    assert code == 2 and err[0].startswith(f"error: {folder / 'r.txt'}: --out: is inside the dataset")
    assert not (folder / "r.txt").exists()
    assert run(capsys, "check", str(folder), "--rules", str(PACK), *WHEN, "--out", str(tmp_path / "r.txt"))[0] != 2


# ---------------------------------------------------------------- class 2 and 6: time limits stay inside datetime

@pytest.mark.parametrize("unit", sorted(LONGEST))
def test_the_longest_time_limit_from_the_last_supported_day_is_a_date(unit):
    assert amount_problem(LONGEST[unit], unit) is None
    assert "at most" in amount_problem(LONGEST[unit] + 1, unit)
    assert "at least 1" in amount_problem(0, unit) and "whole" in amount_problem(1.5, unit)
    if unit not in ("year", "working_day"):  # (years are only ages in conditions; working days need a calendar)
        due = deadline(day_end(LAST_DAY), LONGEST[unit], unit)
        assert LAST_DAY.year + 100 <= due.year <= LAST_DAY.year + 101


# ---------------------------------------------------------------- class 7: every text for people escapes

def test_ids_refuse_invisible_characters_that_are_not_format_characters():
    for char in ("\ufe0f", "\ufe00", "\u3164", "\uffa0", "\u115f", "\u034f", "\u180b", "\U000e0100"):
        with pytest.raises(ValueError, match=f"U\\+{ord(char):04X}"):
            refuse_hidden(f"t{char}1")
        assert escape_hidden(char) == f"<U+{ord(char):04X}>"
    assert refuse_hidden("t\u00e91") == "t\u00e91"  # a visible accent is a different, visible id


def test_rules_list_and_junit_escape_hidden_characters(tmp_path, capsys):
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    rule = pack / "hf-5.3.1-trainings.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("en: Holds trainings}", "en: Holds \u202etrainings}"),
                    encoding="utf-8")
    code, out, _ = run(capsys, "rules", "list", str(pack))
    assert code == 0 and "Holds <U+202E>trainings" in out and not _SHOWN.search(out)
    data = json.loads(VALID.read_text(encoding="utf-8"))
    data["trainings"] = []
    data["teams"][0]["name"] = "T\u202e1"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path), "--rules", str(pack), *WHEN, "--format", "junit")
    assert code == 1 and "&lt;U+202E&gt;" in out and not _SHOWN.search(out)
