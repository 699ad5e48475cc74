"""The messages made as columns (columns.messages) are `auditing.message_of`'s, character for character: random
templates (plain placeholders, unknown ones, doubled braces, whitespace to strip) and awkward values."""
from __future__ import annotations

import string
import sys
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import polars as pl
from hypothesis import example, given, settings, strategies as st

from hongfeng_rules.auditing import message_of, placeholder_text
from hongfeng_rules.checks.outcome import Outcome
from hongfeng_rules.columns.messages import FIELDS, SPACE, columnar, filled, pieces
from hongfeng_rules.report.finding_rows import message_block

SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2026, 1, 15, 23, 59, 59, 999999, tzinfo=SHANGHAI)
WORDS = ["", " ", "\u3000", "\x1c", "\t", "a", "义警", '"q"', "\\", "\n", "1 person", "3 of 4 met", "{", "}", "é"]
texts = st.lists(st.sampled_from(WORDS), max_size=3).map("".join)
template_parts = st.one_of(st.sampled_from(WORDS).map(lambda w: w.replace("{", "{{").replace("}", "}}")),
                           st.sampled_from(FIELDS + ("unknown", "x_1")).map(lambda f: "{" + f + "}"))
templates = st.lists(template_parts, max_size=8).map("".join)
ids = st.sampled_from(["m1", "m2", "义-3", "*"])
dues = st.one_of(st.none(), st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1)).map(
    lambda d: d.replace(tzinfo=SHANGHAI)))
def _row_case(row: dict) -> dict:
    """A row whose message the template makes (findings' case "row"): a failure, or no note; not timed."""
    if row["status"] != "fail":
        row["note"] = None if row["note"] is None else ""
    if row["status"] == "pending":
        row["due"] = None
    return row


rows = st.fixed_dictionaries({
    "status": st.sampled_from(["fail", "not_assessable", "pending"]), "measured": st.one_of(st.none(), texts),
    "count": st.one_of(st.none(), st.integers(-3, 10 ** 6)), "expected": st.one_of(st.none(), texts),
    "evidence": st.lists(ids, max_size=12), "note": st.one_of(st.none(), texts), "due": dues, "id": ids,
    "name": st.one_of(st.none(), texts), "nickname": st.one_of(st.none(), texts)}).map(_row_case)


def _rule(zh: str, en: str):
    return SimpleNamespace(rule=SimpleNamespace(message=SimpleNamespace(zh=zh, en=en)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(templates, templates), min_size=1, max_size=3),
       st.lists(st.tuples(st.integers(0, 2), rows), min_size=1, max_size=12), st.booleans())
@example([(" {measured} of {expected}: {evidence} ({count}) {name} {nickname} {note} {due} {x} {{y}} ", "")],
         [(0, {"status": "fail", "measured": None, "count": None, "expected": None, "evidence": ["m1"] * 11,
               "note": None, "due": datetime(2025, 3, 1, 12, tzinfo=SHANGHAI), "id": "m1", "name": "",
               "nickname": None})], False)
def test_filled_is_message_of(templates, picked, by_count):
    rules = [_rule(zh, en) for zh, en in templates]
    rows = [(min(r, len(rules) - 1), row) for r, row in picked]
    measured = ["measured:Int64" if by_count else "measured:String"]
    frame = pl.DataFrame({
        "rule": pl.Series([r for r, _ in rows], dtype=pl.UInt32),
        **{k: [row[k] for _, row in rows] for k in ("status", "expected", "evidence", "note", "due", "id", "name",
                                                    "nickname")},
        measured[0]: [row["count" if by_count else "measured"] for _, row in rows]},
        schema_overrides={"due": pl.Datetime("us", "Asia/Shanghai"), "evidence": pl.List(pl.String),
                          **{k: pl.String for k in ("status", "expected", "note", "id", "name", "nickname")},
                          measured[0]: pl.Int64 if by_count else pl.String})
    got = filled(rules, frame, measured, placeholder_text).to_list()
    want = [message_block(message_of(rules[r], Outcome(
        row["status"], row["count" if by_count else "measured"], row["expected"], row["evidence"], row["note"],
        row["due"]), row["id"], row["name"], row["nickname"], AS_OF)[0]) for r, row in rows]
    assert got == want


def test_pieces():
    assert pieces("{measured} of {{x}} {who}") == (("", None), (None, "measured"), (" of {", None), ("x}", None),
                                                   (" ", None), ("{who}", None))
    for odd in ("{measured:>4}", "{measured!r}", "{0}", "{}", "{evidence[0]}", "{a.b}", "{", "}"):
        assert pieces(odd) is None, odd
    assert not columnar(_rule("{measured}", "{measured:.1f}")) and columnar(_rule("{measured}", "x"))


def test_space_is_str_strip():
    assert set(SPACE) == {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}
    assert not set(string.ascii_letters + "\u200b") & set(SPACE)


def test_evidence_list_cut_after_ten():
    """`{evidence}` names the first ten ids and ` …` past them; `{count}` all of them: 9, 10 and 11 ids."""
    rules = [_rule("{evidence} ({count})", "{evidence}")]
    for n in (9, 10, 11):
        ids = [f"m{i}" for i in range(n)]
        frame = pl.DataFrame({"rule": pl.Series([0], dtype=pl.UInt32), "status": ["fail"], "expected": [None],
                              "evidence": [ids], "note": [None], "due": [None], "id": ["t1"], "name": [None],
                              "nickname": [None], "measured:String": [None]},
                             schema_overrides={"due": pl.Datetime("us", "Asia/Shanghai"), "expected": pl.String,
                                               "note": pl.String, "name": pl.String, "nickname": pl.String,
                                               "measured:String": pl.String})
        got = filled(rules, frame, ["measured:String"], placeholder_text).to_list()
        want = message_block(message_of(rules[0], Outcome("fail", None, None, ids), "t1", None, None, AS_OF)[0])
        assert got == [want], n
        assert ("…" in want) == (n > 10) and f"({n})" in want


def test_float_placeholders_asked_each_time():
    """A float measured value's text is asked for every row, not remembered: -0.0 == 0.0 (a mean rounded to
    0.00 from below is -0.0) but they are written "-0.0" and "0.0"; other values once per distinct value."""
    rules = [_rule("{measured} / {expected}", "{measured}")]
    values, expected = [0.0, -0.0, 0.0, -0.0], ["1", "1", "2", "1"]
    frame = pl.DataFrame({"rule": pl.Series([0] * 4, dtype=pl.UInt32), "status": ["fail"] * 4,
                          "expected": expected, "evidence": [[]] * 4, "note": [None] * 4, "due": [None] * 4,
                          "id": ["a", "b", "c", "d"], "name": [None] * 4, "nickname": [None] * 4,
                          "measured:Float64": values},
                         schema_overrides={"due": pl.Datetime("us", "Asia/Shanghai"), "note": pl.String,
                                           "name": pl.String, "nickname": pl.String, "evidence": pl.List(pl.String)})
    asked = []

    def text(value, lang):
        asked.append((value, lang))
        return placeholder_text(value, lang)
    got = filled(rules, frame, ["measured:Float64"], text).to_list()
    want = [message_block(message_of(rules[0], Outcome("fail", v, e), i, None, None, AS_OF)[0])
            for v, e, i in zip(values, expected, "abcd")]
    assert got == want
    assert [m.count("-0.0") for m in got] == [0, 2, 0, 2]
    assert sorted(map(str, asked)) == sorted(map(str, [(v, lang) for v in values for lang in ("zh", "en")]
                                                  + [(e, lang) for e in ("1", "2") for lang in ("zh", "en")]
                                                  + [("", lang) for lang in ("zh", "en")]))
