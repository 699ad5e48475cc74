"""The Markdown report's table of verdicts is headed by the noun of the subjects it lists: a Yunge report lists
online groups (DB3210/T 1190—2025 4.1: "每个群组内有1名社区民警"), not teams; a report of both names both."""
import pytest

from hongfeng_rules import audit, load_dataset, load_packs
from hongfeng_rules.report.markdown import render
from helpers import REPO

AS_OF = "2025-12-31"


def _head(report, lang: str) -> str:
    return next(line for line in render(report, lang).splitlines() if line.startswith("| "))


@pytest.fixture(scope="module")
def reports():
    from datetime import date

    yunge = load_dataset(REPO / "examples" / "yunge")
    gucheng = load_dataset(REPO / "examples" / "gucheng")
    both = load_dataset(REPO / "examples" / "yunge")
    both = both.model_copy(update={name: (getattr(gucheng, name) or []) + (getattr(both, name) or [])
                                   for name in ("associations", "teams")})
    when = ("2025", date.fromisoformat(AS_OF))
    return {"yunge": audit(yunge, load_packs(["yunge"]), *when),
            "gucheng": audit(gucheng, load_packs(["gucheng"]), *when),
            "both": audit(both, load_packs(["yunge", "gucheng"]), *when)}


@pytest.mark.parametrize("name, lang, noun", [
    ("yunge", "en", "Group"), ("yunge", "zh", "群组"),
    ("gucheng", "en", "Team"), ("gucheng", "zh", "队伍"),
    ("both", "en", "Team / Group"), ("both", "zh", "队伍／群组"),
])
def test_the_verdict_table_is_headed_by_the_subjects_noun(reports, name, lang, noun):
    kinds = {t.kind for t in reports[name].teams}
    assert kinds == {"yunge": {"online_group"}, "gucheng": {"team"}, "both": {"team", "online_group"}}[name]
    assert _head(reports[name], lang).startswith(f"| {noun} | ")
