"""Derived values declare what they read, so a rule using them on absent data is not assessable."""
from datetime import date

from hongfeng_rules.checks.context import Context
from hongfeng_rules.derived import DERIVED, derived_needs
from hongfeng_rules.index import Index
from hongfeng_rules.models import Dataset
from hongfeng_rules.timecalc import Period, day_end, default_calendar


def test_needs_found_in_keys_and_values():
    assert derived_needs({"check": {"score": "@service_hours"}}) == {"activities"}
    assert derived_needs({"@pre_job_trainings": {"gte": 2}}, None) == {"trainings"}
    assert derived_needs({"@age_years": {"lte": 1}}, "@nope", 3) == set()


def test_pre_job_trainings_counts_attended_sessions_up_to_as_of():
    member = {"id": "m1", "team_id": "t1", "name": "M", "join_date": "2025-01-01"}
    trainings = [{"id": f"p{i}", "team_id": "t1", "kind": kind, "start": f"2025-0{i}-01T09:00",
                  "end": f"2025-0{i}-01T13:00", "attendee_ids": ["m1"]}
                 for i, kind in [(1, "pre_job"), (2, "pre_job"), (3, "regular"), (5, "pre_job")]]
    data = Dataset.model_validate({"members": [member], "trainings": trainings})
    ctx = Context(Index(data), Period.parse("2025"), day_end(date(2025, 4, 30)), default_calendar())
    assert DERIVED["pre_job_trainings"].compute(data.members[0], ctx) == 2


def test_needs_of_a_list_add_to_those_found_before_it():
    """A rule's `all:`/`any:` lists beside other parts: each part's needs are kept, none replaces another."""
    assert derived_needs("@service_hours", ["@political_review_passed_on", "@age_years"]) == {
        "activities", "political_reviews"}
    assert derived_needs({"all": ["@service_hours", {"@pre_job_trainings": {"gte": 1}}]}, ("@activity_count",)) == {
        "activities", "trainings"}


def test_last_active_at_needs_every_collection_that_shows_activity():
    """@last_active_at reads activities, trainings and patrol sign-ins (LAST_ACTIVE_SOURCES), so each is a need:
    without sign-ins a member active only on patrol is not assessable, never judged inactive (both engines and
    `rules test` gate a rule on its needs; the 5.2.7 rule cases pin the verdict)."""
    from hongfeng_rules.derived import LAST_ACTIVE_SOURCES

    found = derived_needs({"@last_active_at": {"not_older_than": {"value": 1, "unit": "month"}}})
    assert found == {"activities", "trainings", "patrol_sign_ins"} == set(LAST_ACTIVE_SOURCES)
