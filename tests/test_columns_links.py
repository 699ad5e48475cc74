"""`columns.select.links`: each value a record's dotted path holds (lists flattened, unset values left out), once
per record, records and values in their order — as the per-object index groups records (index.Index.groups),
written here record by record."""
from __future__ import annotations

from types import SimpleNamespace

import polars as pl
from hypothesis import example, given, settings, strategies as st

from hongfeng_rules.columns.context import ColumnContext
from hongfeng_rules.columns.select import links

SCHEMA = {"p": pl.List(pl.Struct({"m": pl.String, "t": pl.List(pl.String)})), "l": pl.List(pl.String),
          "s": pl.Struct({"m": pl.String, "t": pl.List(pl.String)})}
values = st.one_of(st.none(), st.sampled_from(["a", "b", "c"]))
lists = st.one_of(st.none(), st.lists(values, max_size=4))
items = st.one_of(st.none(), st.fixed_dictionaries({"m": values, "t": lists}))
records = st.fixed_dictionaries({"p": st.one_of(st.none(), st.lists(items, max_size=4)), "l": lists, "s": items})


def _held(value, parts: list[str]) -> list:
    """The values at the path, lists flattened, None left out."""
    if value is None:
        return []
    if isinstance(value, list):
        return [v for item in value for v in _held(item, parts)]
    if not parts:
        return [value]
    return _held(value.get(parts[0]), parts[1:])


def _expected(rows: list[dict], path: str) -> list[tuple[int, str]]:
    first, *rest = path.split(".")
    return [(i, v) for i, row in enumerate(rows) for v in dict.fromkeys(_held(row[first], rest))]


@settings(max_examples=100, deadline=None)
@given(st.lists(records, max_size=6))
@example([{"p": [{"m": "a", "t": ["x", "x"]}, None, {"m": "a", "t": []}], "l": ["a", None, "a"], "s": None}])
def test_links_are_each_records_values_once(rows):
    frame = pl.DataFrame(rows, schema=SCHEMA)
    for path in ("p.m", "p.t", "l", "s.m", "s.t"):
        ctx = ColumnContext(SimpleNamespace(get=lambda name: frame), None, None, None)
        got = links("activities", path, ctx).collect().rows()
        assert got == _expected(rows, path), path


def test_a_via_hop_reads_a_dotted_path_of_the_other_collection(tmp_path):
    """`activity_id->activities.participants.member_id`: a sign-in links to every participant of its patrol (the
    hop's path has a dot of its own: the collection is what comes before the first dot, columns.select.link_pairs);
    m0 took part in both patrols signed in to, m1 in one, m2 in none -- as the per-object engine counts."""
    from datetime import datetime

    from hongfeng_rules import auditing, load_pack
    from hongfeng_rules.timecalc import SHANGHAI
    from helpers import member, rule, team_data, write_pack
    from oracle import engine as object_engine

    check = {"kind": "count", "of": "patrol_sign_ins", "via": "activity_id->activities.participants.member_id",
             "at_least": {"value": 2, "unit": "times"}}
    pack = load_pack(write_pack(tmp_path, rule(check, "member")))
    activities = [{"id": f"ac{i}", "team_id": "t1", "kind": "patrol", "start": "2025-05-01T09:00:00",
                   "end": "2025-05-01T11:00:00", "participants": [{"member_id": m, "hours": 2.0} for m in ms]}
                  for i, ms in enumerate([["m0", "m1"], ["m0"]])]
    sign_ins = [{"id": f"s{i}", "team_id": "t1", "member_id": "m2", "at": "2025-05-01T09:00:00", "activity_id": a}
                for i, a in enumerate(["ac0", "ac1", None])]
    dataset = team_data(members=[member(0), member(1), member(2)], activities=activities, patrol_sign_ins=sign_ins)
    as_of = datetime(2026, 1, 15, 12, tzinfo=SHANGHAI)
    report = auditing.audit(dataset, pack, "2025", as_of)
    assert report.model_dump_json() == object_engine.audit(dataset, pack, "2025", as_of).model_dump_json()
    assert sorted((f.subject.id, f.status, f.measured, f.evidence_ids) for f in report.findings) == [
        ("m0", "pass", 2, ["s0", "s1"]), ("m1", "fail", 1, ["s0"]), ("m2", "fail", 0, [])]


def test_paths_read_in_one_audit_are_each_their_own():
    """One audit (one context) reads several paths of a collection: each path's links are its own values, not
    those of a path read before it (each shared frame is named by its collection and path)."""
    rows = [{"p": [{"m": "a", "t": ["x", "y"]}, {"m": "b", "t": []}], "l": ["c", "c", "d"], "s": {"m": "e", "t": ["z"]}},
            {"p": None, "l": [], "s": {"m": None, "t": None}}]
    frame = pl.DataFrame(rows, schema=SCHEMA)
    ctx = ColumnContext(SimpleNamespace(get=lambda name: frame), None, None, None)
    expected = {"p.m": [(0, "a"), (0, "b")], "p.t": [(0, "x"), (0, "y")], "l": [(0, "c"), (0, "d")],
                "s.m": [(0, "e")], "s.t": [(0, "z")]}
    for path in ("p.m", "p.t", "l", "s.m", "s.t", "p.m"):
        assert links("activities", path, ctx).collect().rows() == expected[path] == _expected(rows, path), path


def test_links_ask_polars_for_no_deprecated_default():
    """Each explode says how it treats an empty list (Polars 2.0 changes `empty_as_null`'s default and warns when
    it is left out): reading links warns of nothing, so an audit's output stays clean across Polars versions."""
    import warnings

    frame = pl.DataFrame([{"p": [{"m": "a", "t": []}], "l": [], "s": None}, {"p": [], "l": ["b"], "s": None}],
                         schema=SCHEMA)
    ctx = ColumnContext(SimpleNamespace(get=lambda name: frame), None, None, None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = {path: links("activities", path, ctx).collect().rows() for path in ("p.m", "p.t", "l", "s.m", "s.t")}
    assert got == {"p.m": [(0, "a")], "p.t": [], "l": [(1, "b")], "s.m": [], "s.t": []}
