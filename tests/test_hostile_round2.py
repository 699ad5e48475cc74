"""Hostile input, round two (issue #17): what the file corpus (tests/hostile/, expected.yaml) cannot hold —
waiver files, the Python API at the edge of the supported dates, hidden characters in text reports."""
from __future__ import annotations

import json
import sys
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from hongfeng_rules import audit, load_dataset, load_pack
from hongfeng_rules.cli import main
from hongfeng_rules.errors import InputError
from hongfeng_rules.invisible import _CONTROL, _HIDDEN, escape_hidden, refuse_hidden
from hongfeng_rules.limit_names import limit_named
from hongfeng_rules.models import Dataset, Member, Training
from hongfeng_rules.timecalc import FIRST_DAY, LAST_DAY, SHANGHAI, supported_day, supported_instant

HOSTILE = Path(__file__).resolve().parent / "hostile"
VALID = HOSTILE / "valid.json"
PACK = HOSTILE / "_pack"
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
FILE_LIMIT = " " + limit_named("max_file_bytes")
RECORDS_LIMIT = " " + limit_named("max_records")


def run(capsys, *argv: str) -> tuple[int, str, list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not any("Traceback" in line or "internal error" in line for line in err.splitlines()), err
    return code, out, err.splitlines()


def waiver(approved: str = "2025-11-20", expires: str = "2026-03-31", subject: str = "t1") -> dict:
    return {"rule_id": "hf-5.3.1-trainings", "subject_id": subject, "justification": "new team",
            "approved_by": "County", "approved_on": approved, "expires_on": expires}


def no_trainings(tmp_path: Path) -> Path:
    data = json.loads(VALID.read_text(encoding="utf-8"))
    data["trainings"] = []
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ---------------------------------------------------------------- class 4: limits cover waiver files

def test_a_waiver_file_over_max_file_bytes_is_refused(tmp_path, capsys):
    path = tmp_path / "waivers.json"
    path.write_text(json.dumps({"waivers": [waiver()] + [dict(waiver(), justification="x" * 1000)] * 400}))
    size = path.stat().st_size
    assert size > 400_000
    code, out, err = run(capsys, "check", str(VALID), "--rules", str(PACK), *WHEN, "--waivers", str(path),
                         "--max-file-bytes", "400000")
    assert code == 2 and out == ""
    assert err == [f"error: {path}: file is {size} bytes, larger than the limit of 400000" + FILE_LIMIT]


def test_a_waiver_file_over_max_records_is_refused(tmp_path, capsys):
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n" + "".join(f"  - {json.dumps(waiver(subject=f't{i}'))}\n" for i in range(11)))
    code, _, err = run(capsys, "check", str(VALID), "--rules", str(PACK), *WHEN, "--waivers", str(path),
                       "--max-records", "10")
    assert code == 2 and err == [f"error: {path}:12: waivers: more than 10 items" + RECORDS_LIMIT]
    code, _, err = run(capsys, "check", str(VALID), "--rules", str(PACK), *WHEN, "--waivers", str(path),
                       "--max-records", "11")
    assert code == 2 and any("has no finding for subject 't10'" in line for line in err)  # read, then judged


# ---------------------------------------------------------------- class 5: a waiver approved after as-of

@pytest.mark.parametrize("approved, waived", [("2026-01-14", True), ("2026-01-15", True), ("2026-01-16", False)])
def test_a_waiver_is_in_force_only_from_its_approval_day(tmp_path, capsys, approved, waived):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"waivers": [waiver(approved=approved)]}))
    code, out, _ = run(capsys, "check", str(no_trainings(tmp_path)), "--rules", str(PACK), *WHEN,
                       "--waivers", str(path), "--format", "json")
    report = json.loads(out)
    status = {f["rule_id"]: f["status"] for f in report["findings"]}["hf-5.3.1-trainings"]
    assert status == ("waived" if waived else "fail")
    flagged = [r for r in report["future_records"] if r.startswith("waivers[0]")]
    assert flagged == ([] if waived else [f"waivers[0] (hf-5.3.1-trainings / t1): approved_on {approved} is after "
                                          "as-of 2026-01-15T23:59:59.999999+08:00 (not in force)"])
    assert code == (0 if waived else 1)


# ---------------------------------------------------------------- class 2: the supported dates, in the API

@pytest.mark.parametrize("day, ok", [(FIRST_DAY - timedelta(days=1), False), (FIRST_DAY, True),
                                     (LAST_DAY, True), (LAST_DAY + timedelta(days=1), False)])
def test_the_supported_days_at_both_ends(day, ok):
    if ok:
        assert supported_day(day) == day
    else:
        with pytest.raises(ValueError, match="outside the supported dates"):
            supported_day(day)


@pytest.mark.parametrize("when, ok", [
    (datetime(1900, 1, 1, 0, 0, tzinfo=SHANGHAI), True),
    (datetime(1900, 1, 1, 0, 0, tzinfo=SHANGHAI) - timedelta(microseconds=1), False),
    (datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI), True),
    (datetime(2199, 12, 31, 16, 0, tzinfo=timezone.utc) - timedelta(microseconds=1), True),
    (datetime(2199, 12, 31, 16, 0, tzinfo=timezone.utc), False),  # 2200-01-01T00:00+08:00
    (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=9))), False),
    (datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))), False),
    (datetime.max, False), (datetime.min, False),
])
def test_the_supported_instants_at_both_ends(when, ok):
    if ok:
        assert supported_instant(when).tzinfo is SHANGHAI
    else:
        with pytest.raises(ValueError, match="outside the supported dates"):
            supported_instant(when)


def test_the_api_refuses_extreme_as_of_and_period_with_value_error():
    dataset = load_dataset(VALID)
    pack = load_pack(PACK)
    for period, as_of in [("2025", datetime(9999, 12, 31, 23, tzinfo=SHANGHAI)),
                          ("2025", datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=9)))),
                          ("9999", datetime(2025, 6, 1, tzinfo=SHANGHAI)),
                          ("1899-12", datetime(1900, 1, 1, tzinfo=SHANGHAI))]:
        with pytest.raises(ValueError, match="outside the supported dates"):
            audit(dataset, pack, period, as_of)


def test_models_refuse_extreme_instants_with_the_field_named():
    for start in ("9999-12-31T23:00Z", "0001-01-01T00:00+09:00", "2200-01-01T00:00", "1899-12-31T23:59:59"):
        with pytest.raises(ValueError) as exc:
            Training(id="tr", team_id="t", kind="regular", start=start, end="2025-01-01T10:00")
        assert exc.value.errors()[0]["loc"] == ("start",) and "supported dates" in str(exc.value)


def test_levels_as_of_and_stars_year_out_of_range_are_input_errors(capsys):
    code, _, err = run(capsys, "levels", str(VALID), "--as-of", "9999-12-31")
    assert code == 2 and err[0].startswith("error: command line: --as-of: invalid as-of '9999-12-31'")
    code, _, err = run(capsys, "stars", str(VALID), "--year", "9999")
    assert code == 2 and err[0].startswith("error: command line: --period: invalid period '9999'")


# ---------------------------------------------------------------- class 5: strict models through the API

@pytest.mark.parametrize("field, value", [("party_member", 1), ("party_member", "true"), ("party_member", "yes"),
                                          ("real_name_verified", 0), ("join_date", 20200101), ("roles", "core")])
def test_a_member_refuses_coercion(field, value):
    with pytest.raises(ValueError) as exc:
        Member(**{"id": "m", "team_id": "t", "name": "M", "join_date": "2020-01-01", field: value})
    assert exc.value.errors()[0]["loc"][0] == field


def test_a_whole_number_written_as_a_float_is_still_read():
    dataset = Dataset.model_validate({"points": [{"id": "p", "member_id": "m", "on": "2025-01-01", "amount": 3.0}]})
    assert dataset.points[0].amount == 3 and type(dataset.points[0].amount) is int
    with pytest.raises(ValueError, match="points.0.amount"):
        Dataset.model_validate({"points": [{"id": "p", "member_id": "m", "on": "2025-01-01", "amount": 3.5}]})


# ---------------------------------------------------------------- class 7: hidden characters

def test_the_hidden_set_is_unicode_format_characters():
    assert all(bool(_HIDDEN.fullmatch(chr(c))) == (unicodedata.category(chr(c)) == "Cf")
               for c in range(sys.maxunicode + 1))


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d", "\u200e",
                                  "\u2060", "\ufeff", "\u061c", "\u00ad"])
def test_ids_refuse_each_hidden_character(char):
    with pytest.raises(ValueError, match=f"U\\+{ord(char):04X}"):
        refuse_hidden(f"t{char}1")
    with pytest.raises(ValueError, match="invisible character"):
        Member(id=f"m{char}", team_id="t", name="M", join_date="2020-01-01")


def test_names_keep_hidden_characters_and_the_text_report_escapes_them(tmp_path, capsys):
    data = json.loads(VALID.read_text(encoding="utf-8"))
    data["teams"][0]["name"] = "Team \u202eevil\u202c \u200bname"
    path = tmp_path / "names.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_dataset(path).teams[0].name == "Team \u202eevil\u202c \u200bname"  # the data is kept as given
    code, out, _ = run(capsys, "check", str(path), "--rules", str(PACK), *WHEN)
    assert code == 0
    assert "Team <U+202E>evil<U+202C> <U+200B>name" in out
    assert not _HIDDEN.search(out)
    _, out, _ = run(capsys, "check", str(path), "--rules", str(PACK), *WHEN, "--format", "json")
    assert json.loads(out)["teams"][0]["name"] == "Team \u202eevil\u202c \u200bname"  # JSON keeps the data


def test_an_error_line_never_carries_a_hidden_character(tmp_path, capsys):
    path = tmp_path / "bad\u202e.json"
    path.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "check", str(path), "--rules", str(PACK), *WHEN)
    assert code == 2 and "bad<U+202E>.json" in err[0] and not _HIDDEN.search("\n".join(err))
    assert escape_hidden("plain 中文") == "plain 中文"


# ---------------------------------------------------------------- class 7b: control characters

def test_the_control_set_is_c0_but_tab_and_line_breaks_then_del_and_c1():
    expected = {c for c in range(0x20) if chr(c) not in "\t\n\r"} | set(range(0x7F, 0xA0))
    assert {c for c in range(0x110) if _CONTROL.fullmatch(chr(c))} == expected
    assert escape_hidden("a\tb\nc\rd e~\xa0") == "a\tb\nc\rd e~\xa0"  # the neighbours of each range are kept
    assert escape_hidden("\x00\x08\x0b\x0c\x0e\x1f\x7f\x9f") == ("<U+0000><U+0008><U+000B><U+000C><U+000E>"
                                                                 "<U+001F><U+007F><U+009F>")


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85"])
def test_ids_refuse_each_control_character(char):
    with pytest.raises(ValueError, match=f"invisible character U\\+{ord(char):04X} \\(control character\\)"):
        Member(id=f"m{char}1", team_id="t", name="M", join_date="2020-01-01")  # inside: U+0085 is stripped at an end


def test_a_control_character_in_an_id_of_a_file_is_exit_2_naming_the_field(tmp_path, capsys):
    data = json.loads(VALID.read_text(encoding="utf-8"))
    data["teams"][0]["id"] = "t\x001"
    path = tmp_path / "ids.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON writes it as the escape \u0000
    code, _, err = run(capsys, "check", str(path), "--rules", str(PACK), *WHEN)
    assert code == 2
    assert len(err) == 1 and err[0].endswith("ids.json:1: teams[0] (id=t<U+0000>1): id: identifier contains the "
                                             "invisible character U+0000 (control character) at position 2"), err


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_names_keep_control_characters_and_reports_for_people_escape_them(tmp_path, capsys, fmt):
    data = json.loads(VALID.read_text(encoding="utf-8"))
    data["teams"][0]["name"] = "Team\x00\x1b[2J\x07x"  # ESC [2J clears an inspector's terminal
    path = tmp_path / "names.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path), "--rules", str(PACK), *WHEN, "--format", fmt)
    assert code == 0 and not _CONTROL.search(out)
    shown = out.replace("\\", "")  # Markdown escapes < + > [ as \< \+ \> \[
    assert "Team<U+0000><U+001B>[2J<U+0007>x" in shown or "Team&lt;U+0000&gt;&lt;U+001B&gt;[2J&lt;U+0007&gt;x" in shown
    _, out, _ = run(capsys, "check", str(path), "--rules", str(PACK), *WHEN, "--format", "json")
    assert json.loads(out)["teams"][0]["name"] == "Team\x00\x1b[2J\x07x"  # JSON keeps the data


def test_an_input_error_from_the_loader_is_raised_not_printed():
    with pytest.raises(InputError, match=r"r2-id-zero-width\.json:11: teams\[0\] \(id=t1<U\+200B>\): id: identifier contains "
                       r"the invisible character U\+200B \(ZERO WIDTH SPACE\) at position 3"):
        load_dataset(HOSTILE / "datasets" / "r2-id-zero-width.json")


# ---------------------------------------------------------------- class 6: `rules test` on malformed cases

@pytest.mark.parametrize("cases, words", [
    ("rule: [\n", "invalid YAML"),
    ("rule: hf-5.2.6-core-members\nperiod: '2025'\nas_of: 2025-12-31T00:00:00\ncases: []\n", "cases"),
    ("rule: hf-5.2.6-core-members\nperiod: '2025'\nas_of: 2025-12-31T00:00:00\ncases:\n"
     "  - {name: a, data: {members: [{id: m1, join_date: soon}]}, expect: {t1: pass}}\n", "join_date"),
    ("rule: hf-5.2.6-core-members\nperiod: '2025'\nas_of: 2025-12-31T00:00:00\ncases:\n"
     "  - {name: a, data: {members: [{_repeat: -1}]}, expect: {t1: pass}}\n", "_repeat"),
])
def test_rules_test_exits_2_on_a_malformed_cases_file_as_lint_does(tmp_path, capsys, cases, words):
    pack = tmp_path / "pack"
    pack.mkdir()
    for name in ("pack.yaml", "hf-5.2.6-core-members.yaml"):  # one rule: its cases file alone decides
        (pack / name).write_bytes((PACK / name).read_bytes())
    (pack / "hf-5.2.6-core-members.cases.yaml").write_text(cases, encoding="utf-8")
    code, out, err = run(capsys, "rules", "test", str(pack))
    assert code == 2 and out == "", (out, err)
    assert err and all(line.startswith("error: ") for line in err) and any(words in line for line in err), err
    assert run(capsys, "rules", "lint", str(pack))[0] == 2
