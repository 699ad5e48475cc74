"""What the differential tests of the column-wise core share: the four examples, generated provinces and small
hypothesis datasets, each with the per-object Context (the oracle) and the ColumnContext over the same data."""
from __future__ import annotations

import importlib.util
from datetime import date, datetime, timedelta
from functools import cache

import polars as pl
from hypothesis import strategies as st

from hongfeng_rules import load_dataset
from hongfeng_rules.checks.context import Context
from hongfeng_rules.columns.context import ColumnContext
from hongfeng_rules.columns.kinds import KINDS, RESULT_SCHEMA
from hongfeng_rules.columns.kinds.result import Finish
from hongfeng_rules.index import Index
from hongfeng_rules.models import COLLECTIONS, Dataset
from hongfeng_rules.tables import from_dataset
from hongfeng_rules.timecalc import Period, SHANGHAI, as_of_instant, as_shanghai, default_calendar

from helpers import REPO

EXAMPLES = {  # example -> (period, as-of), as the CI-format tests run them
    "hongfeng": ("2025", "2026-01-15"),
    "yunge": ("2025", "2025-12-31"),
    "keqiao-zhucun": ("2025-Q1", "2025-04-01"),
    "gucheng": ("2025-Q2", "2025-07-01"),
}
GENERATED = [(3, 7, 0.5), (2, 1, 0.1)]  # (teams, seed, violation rate) of benchmarks/generate.py


def contexts(dataset: Dataset, period: str, as_of) -> tuple[Context, ColumnContext]:
    period_ = Period.parse(period)
    instant = as_of if isinstance(as_of, datetime) else as_of_instant(date.fromisoformat(as_of))
    instant = as_shanghai(instant)  # as audit() reads it (supported_as_of)
    return (Context(Index(dataset), period_, instant, default_calendar()),
            ColumnContext(from_dataset(dataset), period_, instant, default_calendar()))


@cache
def example(name: str) -> Dataset:
    return load_dataset(REPO / "examples" / name)


@cache
def generator():
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def generated(teams: int, seed: int, rate: float) -> Dataset:
    return Dataset.model_validate(generator().generate(teams, seed=seed, violation_rate=rate))


LABELS = [*EXAMPLES, *(f"generated-{t}-{s}-{r}" for t, s, r in GENERATED)]  # of cases(), known without loading


def case(label: str):
    """(label, dataset, period, as-of) of an example or a generated province."""
    if label in EXAMPLES:
        return (label, example(label), *EXAMPLES[label])
    gen = generator()
    return (label, generated(*GENERATED[LABELS.index(label) - len(EXAMPLES)]), gen.PERIOD,
            datetime.fromisoformat(gen.AS_OF))


def cases():
    """(label, dataset, period, as-of) of every example and generated province."""
    return [case(label) for label in LABELS]


# -- small random datasets: boundary instants of the period 2025 and the as-of instants the tests use -------------
AS_OFS = [datetime(2025, 6, 30, 23, 59, 59, 999999, tzinfo=SHANGHAI), datetime(2025, 12, 31, 23, 59, 59, 999999,
          tzinfo=SHANGHAI), datetime(2026, 1, 15, 12, tzinfo=SHANGHAI)]
_EDGES = [datetime(2025, 1, 1, tzinfo=SHANGHAI), datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI),
          datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI), datetime(2026, 1, 1, tzinfo=SHANGHAI),
          *AS_OFS, *(a + timedelta(microseconds=1) for a in AS_OFS)]
instants = st.one_of(st.sampled_from(_EDGES),
                     st.datetimes(datetime(2024, 11, 1), datetime(2026, 2, 28)).map(lambda d: d.replace(tzinfo=SHANGHAI)))
days = st.one_of(st.sampled_from([date(2025, 1, 1), date(2024, 12, 31), date(2025, 12, 31), date(2026, 1, 1),
                                  date(2025, 6, 30), date(2026, 1, 15), date(2026, 1, 16)]),
                 st.dates(date(2024, 10, 1), date(2026, 3, 1)))
MEMBER_IDS = [f"m{i}" for i in range(6)]
member_ids = st.sampled_from(MEMBER_IDS)


@st.composite
def small_dataset(draw) -> dict:
    """A team's members, activities, trainings, sign-ins, reviews and group members (JSON-like records)."""
    def at(d: datetime) -> str:
        return d.isoformat()

    members = []
    for i, mid in enumerate(MEMBER_IDS[: draw(st.integers(0, len(MEMBER_IDS)))]):
        members.append({"id": mid, "team_id": "t1", "name": f"M{i}", "join_date": draw(days).isoformat(),
                        "birth_date": draw(st.none() | st.dates(date(1950, 1, 1), date(2010, 12, 31))),
                        "status": draw(st.sampled_from(["active", "demoted", "exited"])),
                        "status_since": draw(st.none() | days),
                        "roles": draw(st.lists(st.sampled_from(["member", "core", "captain"]), max_size=2,
                                               unique=True))})
    for m in members:
        m["birth_date"] = m["birth_date"] and m["birth_date"].isoformat()
        m["status_since"] = m["status_since"] and m["status_since"].isoformat()

    def span():
        start = draw(instants)
        return at(start), at(start + timedelta(seconds=draw(st.integers(0, 3 * 86400))))

    activities = []
    for i in range(draw(st.integers(0, 6))):
        start, end = span()
        parts = draw(st.lists(st.fixed_dictionaries({"member_id": member_ids, "hours": st.one_of(
            st.sampled_from([0.0, 0.1, 0.2, 1.5, 2.0]), st.floats(0, 24, allow_nan=False))}), max_size=5))
        activities.append({"id": f"a{i}", "team_id": "t1", "kind": "patrol", "start": start, "end": end,
                           "participants": parts})
    trainings = []
    for i in range(draw(st.integers(0, 4))):
        start, end = span()
        trainings.append({"id": f"tr{i}", "team_id": "t1", "kind": draw(st.sampled_from(["pre_job", "regular"])),
                          "start": start, "end": end, "attendee_ids": draw(st.lists(member_ids, max_size=4))})
    sign_ins = [{"id": f"s{i}", "team_id": "t1", "member_id": draw(member_ids), "at": at(draw(instants))}
                for i in range(draw(st.integers(0, 4)))]
    reviews = []
    for i in range(draw(st.integers(0, 4))):
        result = draw(st.sampled_from(["passed", "failed", "pending"]))
        done = draw(days) if result != "pending" else draw(st.none() | days)
        reviews.append({"id": f"r{i}", "member_id": draw(member_ids), "result": result,
                        "completed_on": done and done.isoformat()})
    nick = st.one_of(st.none(), st.sampled_from(["红枫—张三—+86 138-1234-5678", "红枫-张三", "张三", "-张三-1",
                                                 "红枫 － 李四 － 0086 13912345678", "a--b"]),
                     st.text(alphabet="红枫张三-－— 0123456789+", max_size=12))
    groups = [{"id": f"g{i}", "online_group_id": "og1", "role": "volunteer", "nickname": draw(nick)}
              for i in range(draw(st.integers(0, 4)))]
    return {"associations": [{"id": "a1", "name": "A", "level": "county"}],
            "teams": [{"id": "t1", "association_id": "a1", "name": "T1", "founded_on": "2020-01-01"}],
            "members": members, "activities": activities, "trainings": trainings, "patrol_sign_ins": sign_ins,
            "political_reviews": reviews, "online_groups": [{"id": "og1", "name": "G"}],
            "group_members": groups}


# -- check kinds: the per-object outcome of each subject against the column-wise result row ----------------------
def subject_records(collection: str, applies, ctx: Context) -> list:
    """The records a rule judges, as oracle.engine.run_rule picks them (events of the period; `where` true)."""
    records = ctx.index.records(collection) or []
    if COLLECTIONS[collection].event:
        records = ctx.counted(collection, in_period=True)[0]
    return [r for r in records if applies is None or applies(r, ctx) is True]


def kind_rows(kind: str, check, collection: str, records: list, cctx: ColumnContext) -> dict:
    """The column-wise kind's result rows by subject id, for the subjects `records`."""
    ids = pl.Series("id", [r.id for r in records], dtype=pl.String)
    table = cctx.tables.get(collection)
    subjects = table.filter(pl.col("id").is_in(ids.implode()))
    out = KINDS[kind](check, collection, subjects.lazy(), cctx)
    out = out.finish(out.plan.collect()) if isinstance(out, Finish) else out.collect()
    assert set(RESULT_SCHEMA) <= set(out.columns) and "measured" in out.columns
    assert {c: out.schema[c] for c in RESULT_SCHEMA} == RESULT_SCHEMA
    assert out.height == len(records) and out["id"].n_unique() == out.height
    return {row["id"]: row for row in out.to_dicts()}


def assert_same_outcomes(kind: str, check, collection: str, evaluate, applies, ctx: Context,
                         cctx: ColumnContext) -> int:
    """Every subject's status, measured, expected, evidence, note and due agree; the number of subjects."""
    records = subject_records(collection, applies, ctx)
    rows = kind_rows(kind, check, collection, records, cctx)
    for record in records:
        o, row = evaluate(record, ctx), rows[record.id]
        got = {k: row[k] for k in ("status", "measured", "expected", "evidence", "note", "due")}
        want = {"status": o.status, "measured": o.measured, "expected": o.expected, "evidence": list(o.evidence),
                "note": o.note, "due": o.due}
        assert got == want, (record.id, got, want)
        assert type(got["measured"]) is type(want["measured"]), record.id
    return len(records)


def pack_rules(pack: str, kind: str) -> list:
    from hongfeng_rules.rulebook.locate import load_packs
    return [r for p in load_packs([pack]) for r in p.rules if r.rule.check.kind == kind]


def pack_cases(kind: str) -> list:
    """(label, pack) of each example and generated province (`case(label)`) whose pack (the example's own; hongfeng
    for generated provinces) has rules of `kind`. The datasets are loaded by the test, not when collected (loading
    runs Polars: test_load_tables explains)."""
    packs = ((label, "hongfeng" if label.startswith("generated") else label) for label in LABELS)
    return [(label, pack) for label, pack in packs if pack_rules(pack, kind)]
