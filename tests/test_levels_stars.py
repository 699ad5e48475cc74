"""Member levels (7.2.2) and team star titles (7.2.3): derived results, numbers read from the rule files."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from hongfeng_rules.checks.context import Context
from hongfeng_rules.cli import main
from hongfeng_rules.errors import InputError
from hongfeng_rules.index import Index
from hongfeng_rules.models import Dataset
from hongfeng_rules.rulebook.cases import derived_failures
from hongfeng_rules.rulebook.pack import load_pack
from hongfeng_rules.timecalc import Period, default_calendar

from helpers import rule, write_pack
from oracle.engine import evaluate_of
from oracle.kinds import evaluator

REPO = Path(__file__).resolve().parents[1]
PACK = load_pack(REPO / "rules" / "hongfeng")
LEVELS = next(r for r in PACK.rules if r.rule.id == "hf-7.2.2-levels")
STARS = next(r for r in PACK.rules if r.rule.id == "hf-7.2.3-stars")
THRESHOLDS = [(lv.at_least.value, lv.name.zh) for lv in LEVELS.rule.check.levels]
BANDS = [(b.up_to.value, b.title.zh) for b in STARS.rule.check.bands]
UPGRADES = sorted((u.consecutive.value, u.title.zh) for u in STARS.rule.check.upgrades)
RUN_OF = STARS.rule.check.upgrades[0].of
HOLDS = {b.title.zh for b in STARS.rule.check.bands if b.title.key == RUN_OF} | {t for _, t in UPGRADES}
ALL_TITLES = [t for _, t in BANDS] + [t for _, t in UPGRADES]
AS_OF = datetime(2026, 1, 15, 12)
YEAR = 2025


def context(data: dict) -> Context:
    base = {"associations": [{"id": "a1", "name": "A", "level": "county"},
                             {"id": "a2", "name": "B", "level": "county"}]}
    return Context(Index(Dataset.model_validate({**base, **data})), Period.parse(str(YEAR)), AS_OF, default_calendar())


def level_of(amounts: list[float]):
    ctx = context({"teams": [{"id": "t1", "association_id": "a1", "name": "T"}],
                   "members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": "2020-01-01"}],
                   "points": [{"id": f"p{i}", "member_id": "m1", "on": "2025-03-01", "amount": a}
                              for i, a in enumerate(amounts)]})
    return evaluate_of(LEVELS)(ctx.index.by_id("members")["m1"], ctx)


def expected_level(points: float) -> str | None:
    reached = [name for value, name in THRESHOLDS if points >= value]
    return reached[-1] if reached else None


def titles(scores: dict[str, float | None], prior: dict[tuple[str, int], str | None] | None = None,
           ties: str | None = None, order: list[str] | None = None) -> dict[str, object]:
    """Derive every team's result; `prior` holds stored titles of earlier years."""
    teams = order or sorted(scores)
    rows = [{"team_id": t, "year": YEAR, "score": scores[t]} for t in teams]
    rows += [{"team_id": t, "year": y, "title": title} for (t, y), title in (prior or {}).items() if title]
    ctx = context({"teams": [{"id": t, "association_id": "a1", "name": t} for t in teams], "team_scores": rows})
    derive = evaluate_of(STARS) if ties is None else evaluator(STARS.rule.check.model_copy(update={"ties": ties}), "teams")
    return {t: derive(ctx.index.by_id("teams")[t], ctx) for t in teams}


def label(result) -> str | None:
    return result.title.zh if result.title else None


# --- 7.2.2 levels ---------------------------------------------------------------------------------

@pytest.mark.parametrize("threshold,name", THRESHOLDS)
@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_every_level_boundary_from_the_rule_file(threshold, name, delta):
    result = level_of([threshold + delta])
    assert result.label == expected_level(threshold + delta)
    assert (result.label == name) == (delta >= 0 and expected_level(threshold + delta) == name)


def test_below_the_lowest_level_is_no_level_and_the_top_has_no_next():
    low, top = THRESHOLDS[0][0], THRESHOLDS[-1][0]
    assert level_of([low - 1]).level is None and level_of([low - 1]).points_to_next == 1
    assert level_of([top]).next is None and level_of([top]).points_to_next is None
    assert [s.name.zh for s in level_of([top]).crossed] == [n for _, n in THRESHOLDS]


def test_a_negative_adjustment_lowers_the_level():
    second = THRESHOLDS[1][0]
    before, after = level_of([second]), level_of([second, -1])
    assert before.label == THRESHOLDS[1][1] and after.label == THRESHOLDS[0][1]
    assert after.adjustments == -1 and after.points == second - 1


def test_entries_after_the_reference_day_do_not_count():
    ctx = context({"teams": [{"id": "t1", "association_id": "a1", "name": "T"}],
                   "members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": "2020-01-01"}],
                   "points": [{"id": "p1", "member_id": "m1", "on": "2026-01-01", "amount": THRESHOLDS[0][0]}]})
    ctx.as_of = datetime(2025, 6, 30, 12)
    assert evaluate_of(LEVELS)(ctx.index.by_id("members")["m1"], ctx).points == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-300, 2000), max_size=6), st.integers(0, 500))
def test_levels_are_monotonic_in_points(amounts, more):
    a, b = level_of(amounts), level_of(amounts + [more])
    assert len(a.crossed) <= len(b.crossed)
    assert a.label == expected_level(sum(amounts))


def test_levels_must_rise(tmp_path):
    check = {"kind": "levels", "of": "points",
             "levels": [{"at_least": {"value": 2, "unit": "point"}, "name": {"zh": "甲", "en": "A"}},
                        {"at_least": {"value": 1, "unit": "point"}, "name": {"zh": "乙", "en": "B"}}]}
    with pytest.raises(InputError, match="rise strictly"):
        load_pack(write_pack(tmp_path / "p", rule(check, "member", modal="none", reading="derived")))


# --- 7.2.3 star titles ----------------------------------------------------------------------------

def test_band_boundaries_from_the_rule_file():
    last = int(BANDS[-1][0])
    out = titles({f"t{i:02d}": float(1000 - i) for i in range(1, last + 3)})
    for up_to, name in BANDS:
        n = int(up_to)
        assert label(out[f"t{n:02d}"]) in (name, *[t for _, t in UPGRADES])
        assert out[f"t{n:02d}"].base_title.zh == name
        assert out[f"t{n + 1:02d}"].base_title is None or out[f"t{n + 1:02d}"].base_title.zh != name
        assert out[f"t{n - 1:02d}"].rank == n - 1
    assert label(out[f"t{last + 1:02d}"]) is None and out[f"t{last + 1:02d}"].rank == last + 1


def test_equal_scores_share_a_rank_and_a_boundary_tie_follows_the_tie_policy():
    n = int(BANDS[0][0])
    scores = {f"t{i:02d}": float(100 - i) for i in range(1, n)} | {"ta": 50.0, "tb": 50.0, "tz": 1.0}
    better, worse = titles(scores), titles(scores, ties="worse")
    assert better["ta"].rank == better["tb"].rank == n and better["ta"].positions == [n, n + 1]
    assert better["ta"].tied_with == ["tb"] and better["tz"].rank == n + 2
    assert better["ta"].base_title.zh == BANDS[0][1] and worse["ta"].base_title.zh == BANDS[1][1]


def test_a_team_without_a_score_is_unranked_not_last():
    out = titles({"t1": 10.0, "t2": None, "t3": 5.0})
    assert out["t2"].rank is None and label(out["t2"]) is None and "unranked" in out["t2"].note
    assert out["t3"].rank == 2 and out["t3"].ranked == 2


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 15), min_size=1, max_size=28), st.randoms(use_true_random=False),
       st.sampled_from(["better", "worse"]))
def test_rankings_are_invariant_under_permutation(values, rnd, ties):
    scores = {f"t{i:02d}": float(v) for i, v in enumerate(values)}
    order = list(scores)
    rnd.shuffle(order)
    a, b = titles(scores, ties=ties), titles(scores, ties=ties, order=order)
    assert {t: (r.rank, label(r), r.tied_with) for t, r in a.items()} == \
           {t: (r.rank, label(r), r.tied_with) for t, r in b.items()}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 15), min_size=1, max_size=28), st.integers(-1, 15), st.sampled_from(["better", "worse"]))
def test_adding_a_lower_scored_team_never_changes_titles_above_it(values, extra, ties):
    scores = {f"t{i:02d}": float(v) for i, v in enumerate(values)}
    before = titles(scores, ties=ties)
    after = titles(scores | {"zz": float(extra)}, ties=ties)
    for t, s in scores.items():
        if s > extra:
            assert label(after[t]) == label(before[t]) and after[t].rank == before[t].rank


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(ALL_TITLES + [None]), min_size=0, max_size=5), st.booleans())
def test_consecutive_years_over_random_title_histories(history, on_top):
    """history[0] is last year's stored title, history[1] the year before, …; None: no data that year."""
    scores = {"t1": 100.0 if on_top else 0.0} | {f"o{i:02d}": float(50 - i) for i in range(int(BANDS[0][0]))}
    prior = {("t1", YEAR - 1 - k): title for k, title in enumerate(history)}
    got = titles(scores, prior)["t1"]
    if not on_top:
        assert label(got) != BANDS[0][1] and label(got) not in [t for _, t in UPGRADES]
        return
    run = 1
    for title in history:
        if title not in HOLDS:
            break
        run += 1
    earned = [t for n, t in UPGRADES if run >= n]
    assert label(got) == (earned[-1] if earned else BANDS[0][1])
    assert got.run == min(run, int(UPGRADES[-1][0]))


def test_stored_titles_win_over_recomputed_prior_years():
    n = int(BANDS[0][0])
    scores = {"t1": 100.0} | {f"o{i:02d}": float(50 - i) for i in range(n)}
    ctx_rows = titles(scores, {("t1", YEAR - 1): BANDS[1][1]})["t1"]
    assert ctx_rows.prior_years[0].source == "stored" and not ctx_rows.prior_years[0].counts
    assert label(ctx_rows) == BANDS[0][1]


# --- rule cases, report and CLI on the example -------------------------------------------------------

def test_case_runner_reports_a_wrong_expected_level():
    from hongfeng_rules import audit

    ds = Dataset.model_validate({"teams": [{"id": "t1", "association_id": "a1", "name": "T"}],
                                 "associations": [{"id": "a1", "name": "A", "level": "county"}],
                                 "members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": "2020-01-01"}],
                                 "points": [{"id": "p1", "member_id": "m1", "on": "2025-03-01",
                                             "amount": THRESHOLDS[0][0]}]})
    report = audit(ds, PACK, "2025", AS_OF)
    assert report.findings and all(f.rule_id != LEVELS.rule.id for f in report.findings)
    assert derived_failures(report, LEVELS.rule.id, {"m1": THRESHOLDS[0][1]}) == []
    assert derived_failures(report, LEVELS.rule.id, {"m1": THRESHOLDS[1][1]})
    assert derived_failures(report, LEVELS.rule.id, {"m1": None})


def test_stars_command_on_the_example(capsys):
    assert main(["stars", str(REPO / "examples" / "hongfeng"), "--year", "2025", "--format", "json"]) == 0
    stars = {r["team_id"]: r for r in json.loads(capsys.readouterr().out)["stars"]}
    assert len(stars) >= 21
    shown = {r["title"]["zh"] if r["title"] else None for r in stars.values()}
    assert set(ALL_TITLES) | {None} <= shown
    assert any(r["tied_with"] and r["positions"][0] <= BANDS[0][0] < r["positions"][1] for r in stars.values())
    assert any(r["rank"] is None for r in stars.values())


def test_levels_command_on_the_example(capsys):
    assert main(["levels", str(REPO / "examples" / "hongfeng"), "--as-of", "2025-12-31", "--format", "json"]) == 0
    levels = json.loads(capsys.readouterr().out)["levels"]
    assert {r["level"]["zh"] for r in levels if r["level"]} == {n for _, n in THRESHOLDS}
    assert any(r["adjustments"] < 0 for r in levels)
    assert main(["levels", str(REPO / "examples" / "hongfeng"), "--as-of", "2025-12-31", "--lang", "zh"]) == 0
    assert THRESHOLDS[-1][1] in capsys.readouterr().out


def test_stars_scope_ranks_only_within_that_association(capsys):
    """`stars --scope ID`: each title is ranked among the teams under that association (the rule says `all`)."""
    example = str(REPO / "examples" / "hongfeng")
    assert main(["stars", example, "--year", "2025", "--format", "json"]) == 0
    everywhere = {r["team_id"]: r for r in json.loads(capsys.readouterr().out)["stars"]}
    assert main(["stars", example, "--year", "2025", "--format", "json", "--scope", "zj-zhuji"]) == 0
    within = {r["team_id"]: r for r in json.loads(capsys.readouterr().out)["stars"]}
    assert within and {r["scope"] for r in within.values()} == {"zj-zhuji"}
    assert set(within) < set(everywhere)
    assert max(r["ranked"] for r in within.values()) < max(r["ranked"] for r in everywhere.values())
    assert main(["stars", example, "--year", "2025", "--scope", "nowhere"]) == 2
    assert "unknown scope 'nowhere'" in capsys.readouterr().err


@pytest.mark.parametrize("subject, check, teams", [
    ("team", {"kind": "levels", "of": "inspections", "amount": "major_issues", "levels": LEVELS.rule.check.model_dump(
        include={"levels"})["levels"]}, True),  # teams have no team (nor association) of their own
    ("member", LEVELS.rule.check.model_dump(exclude_none=True), False),  # members of teams the dataset lacks
])
def test_the_report_json_writes_levels_without_a_team_or_an_association(tmp_path, subject, check, teams):
    """The report JSON, written from the level columns, says what the MemberLevel objects say: a null team or
    association is null."""
    from hongfeng_rules import audit

    data = {"members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": "2020-01-01"}],
            "points": [{"id": "p1", "member_id": "m1", "on": "2025-03-01", "amount": THRESHOLDS[0][0]}],
            "inspections": [{"id": "i1", "team_id": "t1", "kind": "random", "at": "2025-03-01T10:00:00+08:00",
                             "major_issues": THRESHOLDS[0][0]}]}
    if teams:
        data["teams"] = [{"id": "t1", "association_id": "a1", "name": "T"}]
    pack = load_pack(write_pack(tmp_path / "p", rule(check, subject, modal="none", reading="derived")))
    report = audit(Dataset.model_validate(data), pack, str(YEAR), AS_OF)
    written = json.loads(report.to_json_bytes())["derived"]["levels"]
    assert written == [json.loads(level.model_dump_json()) for level in report.derived.levels]
    assert [(r["team_id"], r["association_id"], r["level"]["zh"]) for r in written] == [
        (None if subject == "team" else "t1", None, THRESHOLDS[0][1])]
