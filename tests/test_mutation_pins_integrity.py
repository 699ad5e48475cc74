"""Pins of the dataset checks (`validation.integrity`, `validation.integrity_look`) found by mutation testing
(issue 24, docs/testing.md): each test fails on a mutant the differential tests (test_load_tables) let through.
No Polars at collection: the tables are built inside each test (mutation testing forks the collected session)."""
from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from hongfeng_rules.tables import tables_from_data

from helpers import VALID, load_problems, valid_with

BASE = VALID
TEAM = BASE["teams"][0]["id"]


data, problems = valid_with, load_problems


def unchecked(records: dict):
    """The tables of records valid one by one, the dataset checks not run: what `Look` is given."""
    from hongfeng_rules.tables import load
    with mock.patch.object(load, "check_tables", lambda tables: []):
        return tables_from_data(records)


DISPUTES = [{"id": "d1", "team_id": TEAM, "registered_at": "2025-03-01T10:00:00", "mediated_at": "2025-03-05T10:00:00"},
            {"id": "d2", "team_id": TEAM, "registered_at": "2025-03-02T10:00:00"}]
IN_ORDER = [{"id": "f1", "dispute_id": "d1", "at": "2025-03-05T10:00:00"},  # at the mediation itself
            {"id": "f2", "dispute_id": "d1", "at": "2025-03-06T09:00:00"},
            {"id": "f3", "dispute_id": "d2", "at": "2025-03-02T10:00:00"},  # at the registration itself
            {"id": "f4", "dispute_id": "d2", "at": "2025-03-03T09:00:00"}]


def test_a_follow_up_before_the_registration_of_an_unmediated_dispute_is_found():
    """The first look falls back on the registration when a dispute was not mediated: a follow-up before it alone
    (no other follow-up out of order to send the check to its query) is reported, naming the registration."""
    follow_ups = [*IN_ORDER, {"id": "f5", "dispute_id": "d2", "at": "2025-03-02T09:59:59"}]
    assert problems(data(disputes=DISPUTES, follow_ups=follow_ups)) == [
        "data: follow_ups[4] (id=f5): at: follow-up at 2025-03-02T09:59:59+08:00 is before its dispute 'd2' was "
        "registered (2025-03-02T10:00:00+08:00)"]


def test_the_first_look_is_sure_that_follow_ups_at_or_after_their_dispute_are_in_order():
    """Small clean tables: the look answers True (the query is not built), a follow-up at the very instant of the
    mediation or registration included; and the dataset loads."""
    from hongfeng_rules.validation.integrity_look import Look

    records = data(disputes=DISPUTES, follow_ups=IN_ORDER)
    assert Look(unchecked(records)).follow_ups_in_order() is True
    assert tables_from_data(records).get("follow_ups").height == 4


@pytest.mark.parametrize("large", ["follow_ups", "disputes"])
def test_the_first_look_leaves_follow_ups_to_the_query_when_either_table_is_above_small(large, monkeypatch):
    """Above `SMALL` rows (in follow_ups or in disputes) a table is not looked at: the look is not sure (False)
    and the query decides, even of clean tables."""
    from hongfeng_rules.validation import integrity_look

    tables = unchecked(data(disputes=DISPUTES, follow_ups=IN_ORDER if large == "follow_ups" else IN_ORDER[:1]))
    monkeypatch.setattr(integrity_look, "SMALL", 3 if large == "follow_ups" else 1)
    assert tables.get(large).height > integrity_look.SMALL
    assert integrity_look.Look(tables).follow_ups_in_order() is False


EXAMPLES = ["hongfeng", "gucheng", "keqiao-zhucun", "yunge"]


def _answers(tables) -> dict:
    """Each dataset check the tables have, and the first look's answer for it (True: surely nothing to find)."""
    from hongfeng_rules.models import COLLECTIONS
    from hongfeng_rules.models.constraints import ORDER, REFERENCES
    from hongfeng_rules.validation.integrity_look import Look

    look, has = Look(tables), lambda *names: all(tables.get(n) is not None for n in names)
    answers = {f"unique {n}": look.unique(n, "id") for n in COLLECTIONS if has(n) and "id" in tables.get(n).columns}
    if has("team_scores"):
        answers["unique team_scores team_id, year"] = look.unique("team_scores", "team_id", "year")
    answers |= {f"resolves {r.collection}.{r.path}": look.resolves(r) for r in REFERENCES if has(r.collection, r.target)}
    answers |= {f"in_order {n} {first}": look.in_order(n, first, laters) for n, first, laters in ORDER if has(n)}
    if has("follow_ups", "disputes"):
        answers["follow_ups_in_order"] = look.follow_ups_in_order()
    return answers


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_first_look_is_sure_of_every_check_a_clean_example_passes(example):
    """The examples are clean and small: the look answers True for every dataset check their tables have (no
    query is built), each table's values read once."""
    from hongfeng_rules.tables.load import load_tables

    answers = _answers(load_tables(Path(__file__).resolve().parents[1] / "examples" / example))
    assert answers and {k for k, v in answers.items() if v is not True} == set()


def test_above_small_no_table_is_looked_at(monkeypatch):
    """With `SMALL` below every table's height, the look is sure of nothing (False for every check)."""
    from hongfeng_rules.tables.load import load_tables
    from hongfeng_rules.validation import integrity_look

    tables = load_tables(Path(__file__).resolve().parents[1] / "examples" / "hongfeng")
    monkeypatch.setattr(integrity_look, "SMALL", 2)  # associations has 3 rows
    answers = _answers(tables)
    assert answers and {k for k, v in answers.items() if v is not False} == set()


MEMBERS = [{"id": "m0", "team_id": TEAM, "name": "M0", "join_date": "2020-01-01"},
           {"id": "m1", "team_id": "t2", "name": "M1", "join_date": "2020-01-01"}]
TEAMS = [*BASE["teams"], {"id": "t2", "association_id": "a1", "name": "T2"}]


CASES = [
    ("a duplicate id", {"members": [*MEMBERS, {**MEMBERS[0], "name": "again"}]}, "unique members", False),
    ("a second score of a team in a year", {"team_scores": [{"team_id": TEAM, "year": 2024, "score": 1},
                                                            {"team_id": TEAM, "year": 2024, "score": 2}]},
     "unique team_scores team_id, year", False),
    ("scores of one team in two years", {"team_scores": [{"team_id": TEAM, "year": 2024, "score": 1},
                                                         {"team_id": TEAM, "year": 2025, "score": 2}]},
     "unique team_scores team_id, year", True),
    ("a reference to no team", {"members": [*MEMBERS, {**MEMBERS[0], "id": "m9", "team_id": "ghost"}]},
     "resolves members.team_id", False),
    ("a mentor of another team", {"members": [*MEMBERS, {**MEMBERS[0], "id": "m9", "mentor_id": "m1"}]},
     "resolves members.mentor_id", False),
    ("a mentor of the same team", {"members": [*MEMBERS, {**MEMBERS[0], "id": "m9", "mentor_id": "m0"}]},
     "resolves members.mentor_id", True),
    ("a mentor who is not a member", {"members": [*MEMBERS, {**MEMBERS[0], "id": "m9", "mentor_id": "ghost"}]},
     "resolves members.mentor_id", False),
    ("an attendee of another team", {"trainings": [{**BASE["trainings"][0], "attendee_ids": ["m0", "m1"]}]},
     "resolves trainings.attendee_ids", False),
    ("attendees of a training of no team", {"trainings": [{**BASE["trainings"][0], "team_id": None,
                                                           "patrol_team_id": "p1", "attendee_ids": ["m0", "m1"]}],
                                            "patrol_teams": [{"id": "p1", "name": "P1", "kind": "village"}]},
     "resolves trainings.attendee_ids", True),
    ("an attendee who is not a member", {"trainings": [{**BASE["trainings"][0], "team_id": None,
                                                        "patrol_team_id": "p1", "attendee_ids": ["m0", "ghost"]}],
                                         "patrol_teams": [{"id": "p1", "name": "P1", "kind": "village"}]},
     "resolves trainings.attendee_ids", False),
    ("a participant of another team", {"activities": [{"id": "ac1", "team_id": TEAM, "kind": "patrol",
                                                       "start": "2025-03-01T09:00:00", "end": "2025-03-01T11:00:00",
                                                       "participants": [{"member_id": "m0", "hours": 1},
                                                                        {"member_id": "m1", "hours": 1}]}]},
     "resolves activities.participants.member_id", False),
    ("participants of the same team", {"activities": [{"id": "ac1", "team_id": TEAM, "kind": "patrol",
                                                       "start": "2025-03-01T09:00:00", "end": "2025-03-01T11:00:00",
                                                       "participants": [{"member_id": "m0", "hours": 1}]},
                                                      {"id": "ac2", "team_id": TEAM, "kind": "patrol",
                                                       "start": "2025-03-01T09:00:00", "end": "2025-03-01T11:00:00"}]},
     "resolves activities.participants.member_id", True),
    ("a join before the birth", {"members": [*MEMBERS, {**MEMBERS[0], "id": "m9", "birth_date": "2020-01-02"}]},
     "in_order members birth_date", False),
    ("a join on the birth day", {"members": [*MEMBERS, {**MEMBERS[0], "id": "m9", "birth_date": "2020-01-01"}]},
     "in_order members birth_date", True),
    ("a cover ending before it starts", {"members": [*MEMBERS, {**MEMBERS[0], "id": "m9", "insurance": [
        {"start": "2025-01-01", "end": "2025-01-01"}, {"start": "2025-03-02", "end": "2025-03-01"}]}]},
     "in_order members insurance[].start", False),
    ("covers in order", {"members": [*MEMBERS, {**MEMBERS[0], "id": "m9", "insurance": [
        {"start": "2025-01-01", "end": "2025-01-01"}, {"start": "2025-03-01", "end": "2025-03-02"}]}]},
     "in_order members insurance[].start", True),
]


@pytest.mark.parametrize("case, records, check, sure", CASES, ids=[c[0] for c in CASES])
def test_the_first_look_is_sure_only_where_there_is_nothing_to_find(case, records, check, sure):
    """Small tables with one thing wrong (or at its edge): the look answers False where the check's query has
    something to find, True where it has not."""
    answers = _answers(unchecked(data(**{"teams": TEAMS, "members": MEMBERS, **records})))
    assert answers[check] is sure


def test_a_follow_up_before_the_mediation_but_after_the_registration_is_found():
    """A mediated dispute is followed up after its mediation, not its registration: a follow-up between the two,
    alone, is reported, naming the mediation."""
    follow_ups = [*IN_ORDER, {"id": "f5", "dispute_id": "d1", "at": "2025-03-04T10:00:00"}]
    assert problems(data(disputes=DISPUTES, follow_ups=follow_ups)) == [
        "data: follow_ups[4] (id=f5): at: follow-up at 2025-03-04T10:00:00+08:00 is before its dispute 'd1' was "
        "mediated (2025-03-05T10:00:00+08:00)"]


def test_a_follow_up_of_no_dispute_is_a_dangling_reference_not_out_of_order():
    """The first look of the follow-ups' order passes over one whose dispute is not in disputes (the reference
    check reports it); the follow-ups of known disputes are still looked at."""
    follow_ups = [*IN_ORDER, {"id": "f5", "dispute_id": "ghost", "at": "2025-03-01T09:00:00"}]
    assert problems(data(disputes=DISPUTES, follow_ups=follow_ups)) == [
        "data: follow_ups[4] (id=f5): dispute_id: refers to dispute 'ghost', which is not in disputes"]


def test_a_table_of_exactly_small_rows_is_looked_at(monkeypatch):
    """`SMALL` is the most rows a looked-at table may have: at 4 follow-ups and SMALL = 4 the look is sure."""
    from hongfeng_rules.validation import integrity_look

    tables = unchecked(data(disputes=DISPUTES, follow_ups=IN_ORDER))
    monkeypatch.setattr(integrity_look, "SMALL", 4)
    assert tables.get("follow_ups").height == 4 and integrity_look.Look(tables).follow_ups_in_order() is True


@pytest.mark.parametrize("check, small, large", [("resolves members.team_id", "teams", "members"),
                                                 ("resolves trainings.attendee_ids", "trainings", "members")])
def test_a_reference_is_left_to_its_query_when_either_table_is_above_small(check, small, large, monkeypatch):
    """A reference is looked at only when both its collection and its target are at most `SMALL` rows."""
    from hongfeng_rules.validation import integrity_look

    tables = unchecked(data(teams=TEAMS, members=[*MEMBERS, {**MEMBERS[0], "id": "m9"}],
                            trainings=[{**BASE["trainings"][0], "attendee_ids": ["m0", "m9"]}]))
    assert _answers(tables)[check] is True
    monkeypatch.setattr(integrity_look, "SMALL", tables.get(small).height)
    assert tables.get(large).height > integrity_look.SMALL
    assert _answers(tables)[check] is False


def test_the_first_look_reads_each_column_id_set_team_map_and_list_once():
    """`Look` keeps what it reads: asked again, it gives the same object (a check of forty references reads
    members' ids once); a list's items are its values with their row, none for an empty list."""
    from hongfeng_rules.validation.integrity_look import Look

    trainings = [BASE["trainings"][0], {**BASE["trainings"][0], "id": "tr2", "attendee_ids": []}]
    look = Look(unchecked(data(teams=TEAMS, members=MEMBERS, trainings=trainings)))
    assert look.column("members", "team_id") is look.column("members", "team_id")
    assert look.ids("members") is look.ids("members") and look.ids("members") == {"m0", "m1"}
    assert look.teams_of("members") is look.teams_of("members") and look.teams_of("members") == {"m0": TEAM, "m1": "t2"}
    assert look.items("trainings", "attendee_ids") is look.items("trainings", "attendee_ids")
    assert look.items("trainings", "attendee_ids").rows() == [(0, "m0"), (0, "m1")]  # an empty list has no item


def test_a_reference_to_a_duplicate_id_is_checked_against_its_last_row():
    """A member id given twice (in two teams) is a duplicate, and a reference to it is judged by its last row, as
    the per-record loader keeps: a mentor of the last row's team is in order, one of the first row's is not."""
    members = [*MEMBERS, {**MEMBERS[1], "id": "m0"},  # m0 of TEAM, then m0 of t2
               {**MEMBERS[1], "id": "m8", "mentor_id": "m0"}, {**MEMBERS[0], "id": "m9", "mentor_id": "m0"}]
    assert problems(data(teams=TEAMS, members=members, trainings=[])) == [
        "data: members[2] (id=m0): id: duplicate id 'm0' (first at members[0])",
        f"data: members[4] (id=m9): mentor_id: member 'm0' belongs to team 't2', not '{TEAM}'"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_clean_small_example_builds_no_query_of_the_dataset_checks(example):
    """The checks a first look shows clean are not run: for the clean examples no probe is built (the team
    scores' (team, year) pairs among them: one team in several years, several teams in one)."""
    from hongfeng_rules.tables.load import load_tables
    from hongfeng_rules.validation import integrity
    from hongfeng_rules.validation.integrity_look import Look

    tables = load_tables(Path(__file__).resolve().parents[1] / "examples" / example)
    look = Look(tables)
    assert (integrity.duplicate_ids(tables, look), integrity.dangling_references(tables, look),
            integrity.impossible_order(tables, look)) == ([], [], [])


def test_events_out_of_order_are_reported_by_record_then_by_event():
    """A hazard's later events before it was found: the problems follow the records' order, and within a record
    the order of the events (reported, rectified, feedback), not the events' across records."""
    at = "2025-03-0{}T10:00:00".format
    hazards = [{"id": "h0", "team_id": TEAM, "found_at": at(5), "feedback_at": at(4), "reported_at": at(3)},
               {"id": "h1", "team_id": TEAM, "found_at": at(5), "reported_at": at(2)}]
    assert problems(data(hazards=hazards)) == [
        "data: hazards[0] (id=h0): reported_at: reported_at 2025-03-03T10:00:00+08:00 is before found_at "
        "2025-03-05T10:00:00+08:00",
        "data: hazards[0] (id=h0): feedback_at: feedback_at 2025-03-04T10:00:00+08:00 is before found_at "
        "2025-03-05T10:00:00+08:00",
        "data: hazards[1] (id=h1): reported_at: reported_at 2025-03-02T10:00:00+08:00 is before found_at "
        "2025-03-05T10:00:00+08:00"]


@pytest.mark.parametrize("given", ["follow_ups", "disputes"])
def test_follow_ups_or_disputes_alone_load(given):
    """The follow-ups' order is checked only when both tables are given: either alone loads."""
    records = data(disputes=DISPUTES, follow_ups=IN_ORDER)
    del records["follow_ups" if given == "disputes" else "disputes"]
    assert tables_from_data(records).get(given).height == len(records[given])


def test_a_follow_up_of_a_duplicate_dispute_id_is_judged_by_its_last_row():
    """A dispute id given twice: a follow-up before both registrations is reported once, against the last row's."""
    disputes = [{"id": "d1", "team_id": TEAM, "registered_at": "2025-03-01T10:00:00"},
                {"id": "d1", "team_id": TEAM, "registered_at": "2025-03-05T10:00:00"}]
    follow_ups = [{"id": "f1", "dispute_id": "d1", "at": "2025-02-28T10:00:00"}]
    assert problems(data(disputes=disputes, follow_ups=follow_ups)) == [
        "data: disputes[1] (id=d1): id: duplicate id 'd1' (first at disputes[0])",
        "data: follow_ups[0] (id=f1): at: follow-up at 2025-02-28T10:00:00+08:00 is before its dispute 'd1' was "
        "registered (2025-03-05T10:00:00+08:00)"]


def test_a_second_score_for_a_team_in_a_year_names_the_first():
    """Two team scores of one team and year: the second is refused, naming the first (a score of another year,
    or of another team that year, is not)."""
    team = VALID["teams"][0]["id"]
    teams = [*VALID["teams"], {**VALID["teams"][0], "id": "t9"}]
    scores = [{"team_id": "t9", "year": 2025}, {"team_id": team, "year": 2024}, {"team_id": team, "year": 2025},
              {"team_id": team, "year": 2025}]
    assert load_problems(valid_with(teams=teams, team_scores=scores)) == [
        f"data: team_scores[3]: year: second score for team {team} in 2025 (first at team_scores[2])"]


def test_an_event_at_the_very_instant_it_was_found_is_in_order():
    """Only a later event strictly before the first is out of order: beside a hazard reported before it was found
    (which sends the check to its query), events at the instant the hazard was found are not reported."""
    at = "2025-03-0{}T10:00:00".format
    hazards = [{"id": "h0", "team_id": TEAM, "found_at": at(5), "reported_at": at(5), "feedback_at": at(5)},
               {"id": "h1", "team_id": TEAM, "found_at": at(5), "reported_at": at(2)},
               {"id": "h2", "team_id": TEAM, "found_at": at(3), "reported_at": at(3)}]
    assert problems(data(hazards=hazards)) == [
        "data: hazards[1] (id=h1): reported_at: reported_at 2025-03-02T10:00:00+08:00 is before found_at "
        "2025-03-05T10:00:00+08:00"]
