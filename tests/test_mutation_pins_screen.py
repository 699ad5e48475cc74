"""Pins of the column screen (`validation.screen`) found by mutation testing (issue 24, docs/testing.md): each test
fails on a mutant the differential tests (test_load_tables) let through. The oracle is the model of each record
(the per-record validation the screen stands in for): its problem text, or the row it builds."""
from __future__ import annotations

import json

import pytest

from hongfeng_rules import InputError
from hongfeng_rules.models import COLLECTIONS
from hongfeng_rules.tables import tables_from_data

from helpers import VALID, load_problems, valid_with

BASE = VALID
TEAM = BASE["teams"][0]["id"]
MEMBER = BASE["members"][0]["id"]


data, problems = valid_with, load_problems


def modelled(collection: str, record: dict) -> dict:
    """The record as its model builds it (the per-record validation)."""
    return COLLECTIONS[collection].model.model_validate(record).model_dump()


@pytest.mark.parametrize("number", [10 ** 400, -(2 ** 1030)], ids=["10**400", "-2**1030"])
def test_an_integer_too_large_for_a_decimal_goes_to_its_model_not_read_as_null(number):
    """A decimal field (a team's score, a participant's hours) given an integer no float holds: Polars would read it
    as null, so the screen sends its record to the model, which refuses it."""
    activity = {"id": "a1", "team_id": TEAM, "kind": "patrol", "start": "2025-03-01T09:00:00",
                "end": "2025-03-01T10:00:00", "participants": [{"member_id": MEMBER, "hours": 1},
                                                               {"member_id": MEMBER, "hours": number}]}
    scores = [{"team_id": TEAM, "year": 2025, "score": 90}, {"team_id": TEAM, "year": 2024, "score": number}]
    assert problems(data(activities=[activity], team_scores=scores)) == [
        "data: activities[0] (id=a1): participants[1].hours: Input should be a valid number",
        "data: team_scores[1]: score: Input should be a valid number"]


def test_a_record_missing_its_whole_number_is_named_beside_records_that_have_one():
    """A required whole number (a points entry's amount) missing in one record, given in the others: the missing one
    is the model's problem (the screen looks for too large numbers among the values given only)."""
    points = [{"id": "p1", "member_id": MEMBER, "on": "2025-01-01", "amount": 3},
              {"id": "p2", "member_id": MEMBER, "on": "2025-01-01"},
              {"id": "p3", "member_id": MEMBER, "on": "2025-01-01", "amount": -2}]
    assert problems(data(points=points)) == ["data: points[1] (id=p2): amount: required field 'amount' is missing"]
    del points[1]
    assert tables_from_data(data(points=points)).get("points")["amount"].to_list() == [3, -2]


def test_a_missing_or_null_required_text_is_the_models_problem_not_a_null_cell():
    """A required text (an association's name) missing or null is refused by its model, in a record whose nullable
    fields are all given (so that nothing else sends it to the model); a nullable one (its parent) may be null."""
    associations = [*BASE["associations"], {"id": "a2", "level": "county", "parent_id": "a1"},
                    {"id": "a3", "name": None, "level": "county", "parent_id": "a1"}]
    assert problems(data(associations=associations)) == [
        "data: associations[1] (id=a2): name: required field 'name' is missing",
        "data: associations[2] (id=a3): name: Input should be a valid string"]
    associations[1]["name"] = associations[2]["name"] = "A2"
    found = tables_from_data(data(associations=associations)).get("associations")
    assert found.rows() == [tuple(modelled("associations", a).values()) for a in associations]


def test_a_suspect_record_among_absent_ones_is_sent_to_its_model_at_its_own_row():
    """A nullable record field (a team's party branch) null in some teams: a present branch the screen doubts (a
    secretary or brand with edge spaces, which the model strips) is validated at its own team's row, and one the
    model refuses is named there."""
    teams = [{**BASE["teams"][0]},
             {"id": "t2", "association_id": "a1", "name": "T2", "party_branch": None},
             {"id": "t3", "association_id": "a1", "name": "T3",
              "party_branch": {"secretary": "王五", "secretary_role": "other"}},
             {"id": "t4", "association_id": "a1", "name": "T4"},
             {"id": "t5", "association_id": "a1", "name": "T5",
              "party_branch": {"secretary": " 赵六 ", "secretary_role": "other", "brands": [" 红枫 "]}}]
    found = tables_from_data(data(teams=teams)).get("teams")
    assert found["party_branch"].to_list() == [modelled("teams", t)["party_branch"] for t in teams] == [
        None, None, {"secretary": "王五", "secretary_role": "other", "brands": []}, None,
        {"secretary": "赵六", "secretary_role": "other", "brands": ["红枫"]}]
    teams[4]["party_branch"]["secretary_role"] = "chief"
    assert problems(data(teams=teams)) == [
        "data: teams[4] (id=t5): party_branch.secretary_role: Input should be 'community_police_officer' or 'other'"]


def test_a_list_item_the_screen_doubts_is_validated_when_another_row_has_no_item():
    """A list of texts (a member's skills) empty in one row: an item with edge spaces in another is still sent to
    the model, which strips it; the lists come back in row order, empty where empty."""
    records = data()
    for member, skills in zip(records["members"], ([], [" 急救 ", "驾驶"], ["游泳"])):
        member["skills"] = skills
    found = tables_from_data(records).get("members")
    assert found["skills"].to_list() == [modelled("members", m)["skills"] for m in records["members"]] == [
        [], ["急救", "驾驶"], ["游泳"]]


@pytest.mark.parametrize("amount", [2 ** 63, -(2 ** 63) - 1, 10 ** 30], ids=["2**63", "-2**63-1", "10**30"])
def test_a_whole_number_a_table_cannot_hold_is_refused_not_a_crash(amount, tmp_path):
    """A points entry's amount beyond Int64 (what a whole-number column holds): the screen sends its record to the
    model, which refuses it, in a dataset file as in a host's data. It was a Polars ComputeError building the
    table from the model's row (the model took any integer); 2**63 - 1 and -2**63 are read."""
    from hongfeng_rules.tables import load_tables

    points = [{"id": "p1", "member_id": MEMBER, "on": "2025-01-01", "amount": 2 ** 63 - 1},
              {"id": "p2", "member_id": MEMBER, "on": "2025-01-01", "amount": amount},
              {"id": "p3", "member_id": MEMBER, "on": "2025-01-01", "amount": -(2 ** 63)}]
    why = "amount: whole number out of range (at least -2**63 and below 2**63, what a table holds)"
    assert problems(data(points=points)) == [f"data: points[1] (id=p2): {why}"]
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data(points=points)), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_tables(path)
    assert [str(p).split(": ", 1)[1] for p in exc.value.problems] == [f"points[1] (id=p2): {why}"]
    del points[1]
    assert tables_from_data(data(points=points)).get("points")["amount"].to_list() == [2 ** 63 - 1, -(2 ** 63)]


def test_a_lone_surrogate_as_the_only_value_of_its_pool_is_the_models_problem():
    """A training's topic with a lone surrogate, every other text of that spec (a nullable free text: topics,
    titles, police stations, …) null, in this upload and in another screened with it: the pool's texts are all None
    once the surrogate is set aside, and its column is still text (no Polars error); the other upload is read."""
    from hongfeng_rules.tables.load import tables_from_files_each
    from hongfeng_rules.tables.schema import table_schema

    bad = data()
    bad["trainings"][0]["topic"] = "\ud800"
    why = "topic: Input should be a valid string, unable to parse raw data as a unicode string"
    assert problems(bad) == [f"data: trainings[0] (id=tr1): {why}"]
    uploads = [[("dataset.json", json.dumps(records).encode())] for records in (bad, data())]
    refused, (tables, _) = tables_from_files_each(uploads)
    assert [str(p) for p in refused.problems] == [f"dataset.json:1: trainings[0] (id=tr1): {why}"]
    for name in ("teams", "trainings"):
        assert tables.get(name).schema == table_schema(COLLECTIONS[name].model)
    assert tables.get("trainings")["topic"].to_list() == [None]


def test_a_wrong_item_or_a_null_list_is_named_at_its_own_row():
    """A list item of the wrong type (a skill 5, after a member with no skills), a null record in a list of records
    (a certificate) and a null list that may not be null (roles): each is its own member's problem, in the model's
    words (a list item's position is mapped back to its row)."""
    records = data()
    for member, skills in zip(records["members"], ([], [5], ["x", "y"])):
        member["skills"] = skills
    records["members"][2]["certificates"] = [None]
    records["members"][0]["roles"] = None
    assert problems(records) == [
        "data: members[0] (id=m0): roles: Input should be a valid list",
        "data: members[1] (id=m1): skills[0]: Input should be a valid string",
        "data: members[2] (id=m2): certificates[0]: Input should be a valid dictionary or instance of Certificate"]


def test_a_missing_whole_number_with_a_default_reads_as_its_default():
    """An inspection without major_issues reads 0 (its default), as its model builds it, beside one that gives 4;
    the first gives every other field (nothing else sends it to its model)."""
    given = dict.fromkeys(("checklist_used", "written_report", "rectification_ordered", "archived"), True)
    inspections = [{"id": "i1", "team_id": TEAM, "kind": "random", "at": "2025-03-01T09:00:00", **given},
                   {"id": "i2", "team_id": TEAM, "kind": "periodic", "at": "2025-03-01T09:00:00", "major_issues": 4}]
    found = tables_from_data(data(inspections=inspections)).get("inspections")
    assert found["major_issues"].to_list() == [modelled("inspections", i)["major_issues"] for i in inspections] == [0, 4]


@pytest.mark.parametrize("score", [float("nan"), float("inf"), float("-inf")], ids=["nan", "inf", "-inf"])
def test_a_decimal_that_is_not_finite_is_refused_by_its_model(score):
    """A team's score NaN or infinite (a Python host's data; the models refuse non-finite numbers): the screen sends
    its record to the model, which names it, instead of reading it into the float column beside a finite score."""
    scores = [{"team_id": TEAM, "year": 2025, "score": 90.5}, {"team_id": TEAM, "year": 2024, "score": score}]
    assert problems(data(team_scores=scores)) == ["data: team_scores[1]: score: Input should be a finite number"]
    del scores[1]
    assert tables_from_data(data(team_scores=scores)).get("team_scores")["score"].to_list() == [90.5]


@pytest.mark.parametrize("start", ["2025-03-01T9:0:0", "2025-03-01T09:00:00 +08:00"], ids=["one-digit", "spaced-offset"])
def test_an_instant_polars_reads_but_not_iso_is_the_models_problem(start):
    """An instant text not in ISO 8601 form (one-digit hour/minute/second, a space before the offset) that Polars'
    lenient parser still reads as a time: the screen's pattern doubts it, so its model refuses it, as per record."""
    records = data()
    records["trainings"][0]["start"] = start
    assert problems(records) == ["data: trainings[0] (id=tr1): start: Input should be a valid datetime or date, "
                                 "unexpected extra characters at the end of the input"]


def test_a_wall_time_skipped_by_shanghai_summer_time_does_not_stop_the_screen():
    """A naive instant in the hour Shanghai's 1986 summer time skipped (1986-05-04 02:30 did not exist there): the
    screen reads it as null (doubted, not a Polars error over the whole column), so the record's problems (its
    kind, and the instant no Shanghai clock read: `timecalc.zone.supported_instant`) are named as per record."""
    records = data()
    records["trainings"][0].update(start="1986-05-04T02:30:00", kind="bogus")
    assert problems(records) == ["data: trainings[0] (id=tr1): kind: Input should be 'pre_job', 'regular', "
                                 "'professional', 'drill' or 'counselling'",
                                 "data: trainings[0] (id=tr1): start: 1986-05-04T02:30:00 did not exist in Shanghai: its "
                                 "clocks were put forward an hour that day (summer time); give the instant with its offset"]
