"""Verdicts never overstate (issue 16): no assessed shall rule → no verdict; --allow-incomplete never accepts
nothing assessed; a pack matching no collection is an error; a date-only as-of means the end of that day in the
CLI and the library alike; an as-of inside the period, or a future period, is stated."""
import json
from datetime import date, datetime

import pytest

from hongfeng_rules import audit, load_pack
from hongfeng_rules.cli import main
from hongfeng_rules.timecalc import day_end
from helpers import REPO, member, rule, team_data, write_pack

EXAMPLE = str(REPO / "examples" / "hongfeng")
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
TRAININGS = rule({"kind": "count", "of": "trainings", "in_period": True, "at_least": {"value": 1, "unit": "times"}},
                 rid="hf-5.3.1-trainings")


def unknowable(tmp_path):
    """A pack whose only shall rule needs trainings, and a dataset with teams but no trainings."""
    pack = write_pack(tmp_path / "pack", TRAININGS)
    data = tmp_path / "d.json"
    data.write_text(team_data().model_dump_json(), encoding="utf-8")
    return pack, data


def test_nothing_assessed_has_no_verdict_and_a_reason(tmp_path):
    pack, data = unknowable(tmp_path)
    report = audit(team_data(), load_pack(pack), "2025", date(2026, 1, 15))
    assert [f.status for f in report.findings] == ["not_assessable"]
    for summary in [report.overall, *report.teams, *report.associations]:
        assert summary.conformant is None and summary.complete is False
        assert "no shall rule" in summary.reason.en and "应" in summary.reason.zh
    assert report.conformant is None


def test_an_assessed_subject_keeps_its_verdict(tmp_path):
    pack = load_pack(write_pack(tmp_path / "pack", TRAININGS))
    report = audit(team_data(trainings=[]), pack, "2025", date(2026, 1, 15))
    assert report.overall.conformant is False and report.overall.reason is None


@pytest.mark.parametrize("fmt, word", [("text", "NO VERDICT"), ("markdown", "no verdict"), ("html", "no verdict")])
def test_renderers_say_no_verdict(tmp_path, capsys, fmt, word):
    pack, data = unknowable(tmp_path)
    main(["check", str(data), "--rules", str(pack), *WHEN, "--format", fmt])
    out = capsys.readouterr().out
    assert word in out and "CONFORMANT" not in out.replace("NON-CONFORMANT", "")


def test_allow_incomplete_never_accepts_nothing_assessed(tmp_path):
    pack, data = unknowable(tmp_path)
    assert main(["check", str(data), "--rules", str(pack), *WHEN, "--allow-incomplete"]) == 1
    assert main(["check", str(data), "--rules", str(pack), *WHEN, "--fail-on", "never"]) == 0


def test_allow_incomplete_still_accepts_some_missing_evidence(tmp_path):
    pack = write_pack(tmp_path / "pack", TRAININGS, rule(
        {"kind": "count", "of": "members", "at_least": {"value": 1, "unit": "person"}}, rid="hf-5.2.6-members"))
    data = tmp_path / "d.json"
    data.write_text(team_data(members=[member(1)]).model_dump_json(), encoding="utf-8")
    assert main(["check", str(data), "--rules", str(pack), *WHEN]) == 1
    assert main(["check", str(data), "--rules", str(pack), *WHEN, "--allow-incomplete"]) == 0


def test_a_pack_matching_no_collection_is_an_error_line(capsys):
    assert main(["check", EXAMPLE, "--pack", "yunge", *WHEN, "--allow-incomplete"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "yunge" in err[0] and "online_groups" in err[0] and "Traceback" not in err[0]


def test_a_date_as_of_means_the_end_of_that_day_in_the_library_and_the_cli(tmp_path):
    pack, data = unknowable(tmp_path)
    report = audit(team_data(), load_pack(pack), "2025", date(2026, 1, 15))
    assert report.as_of == day_end(date(2026, 1, 15))
    out = tmp_path / "r.json"
    main(["check", str(data), "--rules", str(pack), *WHEN, "--format", "json", "--out", str(out)])
    assert json.loads(out.read_text(encoding="utf-8"))["as_of"] == report.as_of.isoformat()
    assert audit(team_data(), load_pack(pack), "2025", datetime(2026, 1, 15)).as_of.hour == 0  # an instant stays one


@pytest.mark.parametrize("as_of, expected", [("2025-12-30", "before the period"), ("2025-12-31", None),
                                             ("2024-12-31", "has not begun"), ("2026-01-15", None)])
def test_an_as_of_before_the_period_ends_is_stated_in_the_report_and_on_stderr(tmp_path, capsys, as_of, expected):
    pack, data = unknowable(tmp_path)
    out = tmp_path / "r.json"
    main(["check", str(data), "--rules", str(pack), "--period", "2025", "--as-of", as_of, "--format", "json",
          "--out", str(out)])
    notices = json.loads(out.read_text(encoding="utf-8"))["notices"]
    err = capsys.readouterr().err
    if expected is None:
        assert notices == [] and "warning" not in err
    else:
        assert len(notices) == 1 and expected in notices[0]["en"] and expected in err


@pytest.mark.parametrize("pattern", [5, 1.5, True])
def test_a_pattern_that_is_not_text_is_refused_at_its_place_when_the_pack_is_loaded(tmp_path, pattern):
    """`matches: 5` in a rule file is not a pattern: the pack is refused with an error naming the rule's line and
    the condition's place, not a crash inside the compile, and not RE2's own complaint (its C++ signature and an
    object's address: a message that differs from one run to the next)."""
    from hongfeng_rules.checks.where import ConditionError, compile_condition
    from hongfeng_rules.errors import InputError
    from hongfeng_rules.models import Member

    with pytest.raises(ConditionError, match=r"^where\.name\.matches: matches takes a pattern: a text \(RE2 syntax\)$"):
        compile_condition({"name": {"matches": pattern}}, Member)
    pack = write_pack(tmp_path / "pack", rule({"kind": "count", "of": "members", "where": {"name": {"matches": pattern}},
                                                "at_least": {"value": 1, "unit": "person"}}, subject="team"))
    with pytest.raises(InputError, match=r"hf-5\.0\.1-test\.yaml:\d+: check\.where\.name\.matches: matches takes a pattern: a text \(RE2 syntax\)"):
        load_pack(pack)
