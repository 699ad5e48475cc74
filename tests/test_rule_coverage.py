"""Rule coverage (`rules test --coverage`) and `rules test --format junit`."""
import xml.etree.ElementTree as ET

import yaml

from hongfeng_rules import load_pack
from hongfeng_rules.cli import main
from hongfeng_rules.rulebook.case_coverage import rule_coverage
from hongfeng_rules.rulebook.cases import run_cases
from helpers import rule, write_pack

SHIPPED_MINIMUM = 60  # percent of coverage items the shipped packs' cases must reach (they reach about 65 %)
TEAMS = {"associations": [{"id": "a1", "name": "A", "level": "county"}],
         "teams": [{"id": "t1", "association_id": "a1", "name": "T1"}]}


def members(n, **fields):
    return [{"_repeat": n, "id": "m{i}", "team_id": "t1", "name": "M{i}", "join_date": "2020-01-01", **fields}]


def pack_with_cases(tmp_path, check, cases, where=None, rid="hf-5.0.1-test"):
    extra = {"where": where} if where else {}
    folder = write_pack(tmp_path / "pack", rule(check, rid=rid, **extra))
    body = {"rule": rid, "period": "2025", "as_of": "2026-01-15T12:00:00", "base": TEAMS, "cases": cases}
    (folder / f"{rid}.cases.yaml").write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return folder


COUNT = {"kind": "count", "of": "members", "where": {"status": "active"}, "at_least": {"value": 10, "unit": "person"}}


def case(name, data, expect):
    return {"name": name, "data": data, "expect": expect}


def coverage_of(folder):
    [c] = rule_coverage([load_pack(folder)])
    assert all(r.ok for r in c.results), [r.failures for r in c.results]
    return c


def test_threshold_points_branches_and_not_assessable(tmp_path):
    cases = [case("nine", {"members": members(9)}, {"t1": "fail"}),
             case("ten", {"members": members(10)}, {"t1": "pass"})]
    c = coverage_of(pack_with_cases(tmp_path / "a", COUNT, cases))
    assert set(c.items) == {"check.at_least:below", "check.at_least:at", "check.at_least:above",
                            "check.where.status.eq:true", "check.where.status.eq:false",
                            "not_assessable:no members", "not_assessable:no teams"}
    assert set(c.missing) == {"check.at_least:above", "check.where.status.eq:false",
                              "not_assessable:no members", "not_assessable:no teams"}
    cases += [case("eleven with one exited", {"members": members(11) + [
                   {"id": "x", "team_id": "t1", "name": "X", "join_date": "2020-01-01", "status": "exited"}]},
                   {"t1": "pass"}),
              case("no members", {"members": None}, {"t1": "not_assessable"})]
    c = coverage_of(pack_with_cases(tmp_path / "b", COUNT, cases))
    assert c.missing == ["not_assessable:no teams"]


def test_twelve_is_not_n_plus_1(tmp_path):
    cases = [case("twelve", {"members": members(12)}, {"t1": "pass"})]
    assert "check.at_least:above" in coverage_of(pack_with_cases(tmp_path, COUNT, cases)).missing


def test_dated_values_are_items(tmp_path):
    check = {**COUNT, "at_least": {"unit": "person", "values": {"2024-01-01": 8, "2026-01-01": 10}}}
    cases = [case("nine in 2025", {"members": members(9)}, {"t1": "pass"})]
    c = coverage_of(pack_with_cases(tmp_path, check, cases))
    assert "check.at_least@2024-01-01" in c.reached and "check.at_least@2026-01-01" in c.missing
    assert "check.at_least:above" in c.reached  # 9 against the 8 in force in 2025


def test_deadline_instants(tmp_path):
    check = {"kind": "deadline", "start": "found_at", "end": "reported_at", "within": {"value": 24, "unit": "hour"}}

    def hazard(i, reported):
        return {"id": i, "team_id": "t1", "found_at": "2025-03-09T10:00:00", "major": True, "reported_at": reported}
    cases = [case("at and after", {"hazards": [hazard("h1", "2025-03-10T10:00:00"),
                                               hazard("h2", "2025-03-10T10:00:00.5")]},
                  {"h1": "pass", "h2": "fail"})]
    folder = pack_with_cases(tmp_path / "a", check, cases, where={"major": True}, rid="hf-6.0.1-test")
    for f in folder.glob("*.yaml"):
        f.write_text(f.read_text(encoding="utf-8").replace("subject: team", "subject: hazard"), encoding="utf-8")
    c = coverage_of(folder)
    assert {"check.within:at", "check.within:after", "where.major.eq:true"} <= c.reached
    assert {"check.within:before", "where.major.eq:false"} <= set(c.missing)


def test_coverage_runs_the_cases_as_rules_test_does(tmp_path):
    cases = [case("ten", {"members": members(10)}, {"t1": "pass"}), case("nine", {"members": members(9)}, {"t1": "pass"})]
    folder = pack_with_cases(tmp_path, COUNT, cases)
    [c] = rule_coverage([load_pack(folder)])
    assert [(r.case, r.failures) for r in c.results] == [(r.case, r.failures) for r in run_cases(load_pack(folder))]
    assert c.results[1].failures  # nine members: expected pass, got fail


def test_shipped_packs_reach_the_minimum(capsys):
    assert main(["rules", "test", "--coverage", "--min", str(SHIPPED_MINIMUM)]) == 0
    out = capsys.readouterr().out
    assert "coverage: " in out and "hf-5.2.6-core-members" in out
    assert main(["rules", "test", "--coverage", "--min", "100"]) == 1  # the gate can fail
    assert "below --min 100%" in capsys.readouterr().err


def test_min_needs_coverage(capsys):
    assert main(["rules", "test", "--min", "50"]) == 2


def test_junit_lists_every_case_and_its_failure(tmp_path, capsys):
    cases = [case("nine", {"members": members(9)}, {"t1": "fail"}),
             case("wrongly expected", {"members": members(10)}, {"t1": "fail"})]
    folder = pack_with_cases(tmp_path, COUNT, cases)
    assert main(["rules", "test", str(folder), "--format", "junit", "--coverage"]) == 1
    root = ET.fromstring(capsys.readouterr().out)
    assert root.get("tests") == "2" and root.get("failures") == "1"
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "hf-5.0.1-test"
    assert suite.find("properties/property").get("value") == "3/7"
    tcs = suite.findall("testcase")
    assert [t.get("name") for t in tcs] == ["nine", "wrongly expected"]
    assert tcs[0].find("failure") is None and "expected fail, got pass" in tcs[1].find("failure").get("message")
    assert tcs[0].get("file") == "pack/hf-5.0.1-test.cases.yaml"


def test_not_assessable_from_the_data_is_a_path_of_every(tmp_path):
    check = {"kind": "every", "of": "members", "require": {"@age_years": {"lte": 60}}}
    known = {"members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": "2020-01-01", "birth_date": "1980-01-01"}]}
    unknown = {"members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": "2020-01-01"}]}
    old = {"members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": "2020-01-01", "birth_date": "1950-01-01"}]}
    cases = [case("known", known, {"t1": "pass"}), case("too old", old, {"t1": "fail"})]
    c = coverage_of(pack_with_cases(tmp_path / "a", check, cases))
    assert "not_assessable:not recorded" in c.missing
    c = coverage_of(pack_with_cases(tmp_path / "b", check, cases + [case("unknown", unknown, {"t1": "not_assessable"})]))
    assert "not_assessable:not recorded" in c.reached


def test_a_test_not_asked_after_a_decisive_answer_is_missing(tmp_path):
    """`any` stops at the first matching item, `all_of` at the first false part: what they skip is not reached."""
    check = {"kind": "every", "of": "members", "require": {"all_of": [
        {"equipment": {"any": {"item": "uniform"}}}, {"status": "active"}]}}
    radio_first = members(1, equipment=[{"item": "radio"}, {"item": "uniform"}])
    uniform_first = members(1, equipment=[{"item": "uniform"}, {"item": "radio"}])
    none = members(1, equipment=[], status="exited")  # all_of[0] false: its status is never asked
    cases = [case("uniform first", {"members": uniform_first}, {"t1": "pass"}),
             case("no equipment", {"members": none}, {"t1": "fail"})]
    c = coverage_of(pack_with_cases(tmp_path / "a", check, cases))
    any_item = "check.require.all_of[0].equipment.any.item.eq"
    assert {f"{any_item}:true", "check.require.all_of[0].equipment.any:false",
            "check.require.all_of[1].status.eq:true"} <= c.reached
    assert {f"{any_item}:false", "check.require.all_of[1].status.eq:false"} <= set(c.missing)  # radio never asked first
    cases.append(case("radio first", {"members": radio_first}, {"t1": "pass"}))
    c = coverage_of(pack_with_cases(tmp_path / "b", check, cases))
    assert f"{any_item}:false" in c.reached and "check.require.all_of[1].status.eq:false" in c.missing


def test_a_share_at_its_threshold_and_a_related_where(tmp_path):
    """A share is measured exactly (1 of 2 is at 50 %); a `related` test's own `where` is asked about the
    records linked to the subjects it is asked for."""
    check = {"kind": "share", "of": "members", "numerator": {"party_member": True},
             "at_least": {"value": 50, "unit": "percent"}}
    where = {"related": {"of": "members", "via": "team_id", "at_least": {"value": 1, "unit": "times"},
                         "where": {"status": "active"}}}
    half = [{"id": "m1", "team_id": "t1", "name": "A", "join_date": "2020-01-01", "party_member": True},
            {"id": "m2", "team_id": "t1", "name": "B", "join_date": "2020-01-01", "party_member": False}]
    c = coverage_of(pack_with_cases(tmp_path, check, [case("half", {"members": half}, {"t1": "pass"}),
                                                      case("none", {"members": half[1:]}, {"t1": "fail"})],
                                    where=where))
    assert {"check.at_least:at", "where.related:true", "where.related.where.status.eq:true",
            "check.numerator.party_member.eq:true", "check.numerator.party_member.eq:false"} <= c.reached
    assert {"check.at_least:below", "check.at_least:above", "where.related:false",
            "where.related.where.status.eq:false"} <= set(c.missing)
