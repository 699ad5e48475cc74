"""columns.derived agrees with the per-object derived.py: every `@name`, every record, same value and type, on
the four examples, generated provinces and small random datasets (boundary instants, unrecorded fields)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hongfeng_rules.columns.derived import derived_frame
from hongfeng_rules.derived import DERIVED
from hongfeng_rules.models import Dataset
from hongfeng_rules.timecalc import SHANGHAI

from columns_oracle import AS_OFS, LABELS, case, contexts, small_dataset

PAIRS = [(name, c) for name, d in DERIVED.items()
         for c in ((d.applies_to,) if isinstance(d.applies_to, str) else d.applies_to)]


def assert_agree(dataset: Dataset, period: str, as_of) -> int:
    """Compare every derived value of every record; the number of values compared."""
    ctx, cctx = contexts(dataset, period, as_of)
    compared = 0
    for name, collection in PAIRS:
        records = getattr(dataset, collection) or []
        frame = derived_frame(name, collection, cctx).collect()
        assert frame["id"].to_list() == [r.id for r in records], (name, collection)
        for record, value in zip(records, frame["value"].to_list()):
            expected = DERIVED[name].compute(record, ctx)
            assert (value, type(value)) == (expected, type(expected)), (name, record.id)
            compared += 1
    return compared


@pytest.mark.parametrize("label", LABELS)  # loaded in the test: loading runs Polars (test_load_tables explains)
def test_examples_and_generated_provinces(label):
    _, dataset, period, as_of = case(label)
    assert assert_agree(dataset, period, as_of) > 0


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=small_dataset(), as_of=st.sampled_from(AS_OFS), period=st.sampled_from(["2025", "2025-H", "2025-Q4"]))
def test_small_random_datasets(data, as_of, period):
    period = {"2025-H": "2025-01-01..2025-06-30"}.get(period, period)
    assert_agree(Dataset.model_validate(data), period, as_of)


def test_last_active_at_when_nothing_counts_by_the_reference_instant():
    """Every member joined after the reference instant (end of 30 June), took part only after it, and the one
    training by then was attended by someone else: each source is a column of nulls that Polars keeps as one
    broadcast value, and `max_horizontal` of such columns gave one row for two members (ShapeError, an internal
    error of the audit; found by test_small_random_datasets). Both engines: no value for either."""
    at = "2025-12-31T23:59:59.999999+08:00"
    data = {"associations": [{"id": "a1", "name": "A", "level": "county"}],
            "teams": [{"id": "t1", "association_id": "a1", "name": "T1"}],
            "members": [{"id": f"m{i}", "team_id": "t1", "name": f"M{i}", "join_date": "2025-12-31"} for i in (0, 1)],
            "activities": [{"id": "a0", "team_id": "t1", "kind": "patrol", "start": at, "end": at,
                            "participants": [{"member_id": "m0", "hours": 0.0}]}],
            "trainings": [{"id": "tr0", "team_id": "t1", "kind": "pre_job", "start": "2025-01-01T00:00:00+08:00",
                           "end": "2025-01-01T00:00:00+08:00", "attendee_ids": ["m2"]}]}
    as_of = datetime(2025, 6, 30, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    assert assert_agree(Dataset.model_validate(data), "2025", as_of) > 0
    _, cctx = contexts(Dataset.model_validate(data), "2025", as_of)
    assert derived_frame("last_active_at", "members", cctx).collect()["value"].to_list() == [None, None]


def test_memoised_and_scoped():
    _, dataset, period, as_of = case(LABELS[0])
    _, cctx = contexts(dataset, period, as_of)
    assert derived_frame("service_hours", "members", cctx) is derived_frame("service_hours", "members", cctx)
    with pytest.raises(KeyError, match="not computed for teams"):
        derived_frame("age_years", "teams", cctx)


US = timedelta(microseconds=1)
AS_OF = datetime(2025, 12, 31, 18, tzinfo=SHANGHAI)


def _around_as_of(shift: timedelta, around: datetime = AS_OF) -> Dataset:
    """One member; a pre-job training, an activity and a patrol sign-in ending (signed) at around (as-of) + shift."""
    at = (around + shift).isoformat()
    start = (around - timedelta(hours=2)).isoformat()
    return Dataset.model_validate({
        "teams": [{"id": "t1", "association_id": "a1", "name": "T"}],
        "members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": "2025-01-01"}],
        "trainings": [{"id": "tr1", "team_id": "t1", "kind": "pre_job", "start": start, "end": at,
                       "attendee_ids": ["m1", "m1"]}],
        "activities": [{"id": "a1", "team_id": "t1", "kind": "patrol", "start": start, "end": at,
                        "participants": [{"member_id": "m1", "hours": 2.0}]}],
        "patrol_sign_ins": [{"id": "s1", "team_id": "t1", "member_id": "m1", "at": at}]})


@pytest.mark.parametrize("shift, counted", [(-US, True), (timedelta(0), True), (US, False)])
def test_records_ending_at_as_of_count_and_a_microsecond_later_do_not(shift, counted):
    """以前 includes as-of itself: a pre-job training ending, or an activity ending, at the as-of instant counts (once
    per training, however often a member is listed); one ending a microsecond after it has not happened yet."""
    dataset = _around_as_of(shift)
    ctx, cctx = contexts(dataset, "2025", AS_OF)
    values = {name: derived_frame(name, "members", cctx).collect()["value"].to_list()
              for name in ("pre_job_trainings", "last_active_at")}
    assert values["pre_job_trainings"] == [1 if counted else 0]
    joined = datetime(2025, 1, 1, tzinfo=SHANGHAI)
    assert values["last_active_at"] == [AS_OF + shift if counted else joined]
    assert assert_agree(dataset, "2025", AS_OF) > 0


@pytest.mark.parametrize("shift, counted", [(-US, True), (timedelta(0), True), (US, False)])
def test_last_active_at_counts_activity_not_after_the_period_s_end_when_as_of_is_later(shift, counted):
    """5.2.7 (review follow-up 6): with as-of after the period, @last_active_at counts only what happened by the
    reference instant, the end (24:00) of the period's last day: an activity ending then counts, one a microsecond
    later (though before as-of) does not, and the member falls back to the join date."""
    end = datetime(2025, 7, 1, tzinfo=SHANGHAI) - US  # the period 2025-01-01..2025-06-30 ends here
    dataset = _around_as_of(shift, around=end)
    _, cctx = contexts(dataset, "2025-01-01..2025-06-30", AS_OF)
    assert AS_OF > end + US
    joined = datetime(2025, 1, 1, tzinfo=SHANGHAI)
    assert derived_frame("last_active_at", "members", cctx).collect()["value"].to_list() == [
        end + shift if counted else joined]
    assert assert_agree(dataset, "2025-01-01..2025-06-30", AS_OF) > 0


def test_last_active_at_of_a_member_joined_after_the_reference_instant_is_unknown():
    """Joined on 1 July, never active: nothing by the end of the period 2025-01-01..2025-06-30 tells an activity."""
    dataset = Dataset.model_validate({
        "teams": [{"id": "t1", "association_id": "a1", "name": "T"}],
        "members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": "2025-07-01"},
                    {"id": "m2", "team_id": "t1", "name": "M", "join_date": "2025-06-30"}],
        "trainings": [], "activities": [], "patrol_sign_ins": []})
    _, cctx = contexts(dataset, "2025-01-01..2025-06-30", AS_OF)
    assert derived_frame("last_active_at", "members", cctx).collect()["value"].to_list() == [
        None, datetime(2025, 6, 30, tzinfo=SHANGHAI)]
    assert assert_agree(dataset, "2025-01-01..2025-06-30", AS_OF) > 0


@pytest.mark.parametrize("source", ["trainings", "activities", "patrol_sign_ins"])
@pytest.mark.parametrize("shift, counted", [(-US, True), (timedelta(0), True), (US, False)])
def test_each_source_of_last_active_at_counts_up_to_the_reference_instant_itself(source, shift, counted):
    """Each of @last_active_at's three sources alone (the others emptied): a training ending, an activity ending or
    a sign-in at the reference instant (as-of) counts, a microsecond later does not (the join date then)."""
    data = _around_as_of(shift).model_dump()
    for other in {"trainings", "activities", "patrol_sign_ins"} - {source}:
        data[other] = []
    dataset = Dataset.model_validate(data)
    _, cctx = contexts(dataset, "2025", AS_OF)
    joined = datetime(2025, 1, 1, tzinfo=SHANGHAI)
    assert derived_frame("last_active_at", "members", cctx).collect()["value"].to_list() == [
        AS_OF + shift if counted else joined]
    assert assert_agree(dataset, "2025", AS_OF) > 0


@pytest.mark.parametrize("joined, value", [("2025-12-30", datetime(2025, 12, 30, tzinfo=SHANGHAI)),
                                           ("2025-12-31", datetime(2025, 12, 31, tzinfo=SHANGHAI)),
                                           ("2026-01-01", None)])
def test_a_member_never_active_counts_from_a_join_day_starting_at_the_reference_instant(joined, value):
    """As-of 00:00 on 31 December: the join day's start (00:00) is the reference instant itself, so a member who
    joined that day counts from it; one joining the day after is unknown."""
    as_of = datetime(2025, 12, 31, tzinfo=SHANGHAI)
    dataset = Dataset.model_validate({
        "teams": [{"id": "t1", "association_id": "a1", "name": "T"}],
        "members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": joined}],
        "trainings": [], "activities": [], "patrol_sign_ins": []})
    _, cctx = contexts(dataset, "2025", as_of)
    assert derived_frame("last_active_at", "members", cctx).collect()["value"].to_list() == [value]
    assert assert_agree(dataset, "2025", as_of) > 0


BIRTHDAYS = [("1990-06-14", 35), ("1990-06-15", 35), ("1990-06-16", 34),  # the day before, on and after
             ("1990-05-20", 35), ("1990-07-10", 34),  # an earlier month on a later day; a later month on an earlier one
             ("1990-01-31", 35), ("1990-12-01", 34), ("2000-02-29", 25)]


def test_age_years_counts_the_birthday_by_month_then_by_day_on_the_reference_date():
    """On 15 June 2025 (the reference date of 2025-01-01..2025-06-15): a member born on 14 or 15 June is a year
    older than one born on 16 June; the day decides only within the birthday's month, so 20 May has passed and
    10 July has not. Both engines, against the written ages."""
    dataset = Dataset.model_validate({
        "teams": [{"id": "t1", "association_id": "a1", "name": "T"}],
        "members": [{"id": f"m{i}", "team_id": "t1", "name": "M", "join_date": "2020-01-01", "birth_date": born}
                    for i, (born, _) in enumerate(BIRTHDAYS)]})
    ctx, cctx = contexts(dataset, "2025-01-01..2025-06-15", AS_OF)
    assert ctx.reference_date == cctx.reference_date == datetime(2025, 6, 15).date()
    assert derived_frame("age_years", "members", cctx).collect()["value"].to_list() == [age for _, age in BIRTHDAYS]
    assert assert_agree(dataset, "2025-01-01..2025-06-15", AS_OF) > 0


@pytest.mark.parametrize("collection", ["teams", "member", "embers", ""])
def test_a_derived_value_is_refused_for_a_collection_it_is_not_computed_for(collection):
    """@age_years is computed for members only: another collection, or a part of the name "members", is a KeyError
    naming the value, not a frame (or a KeyError of a table) read as if it were members'."""
    _, cctx = contexts(_around_as_of(timedelta(0)), "2025", AS_OF)
    with pytest.raises(KeyError, match=f"@age_years is not computed for {collection}'"):
        derived_frame("age_years", collection, cctx)
