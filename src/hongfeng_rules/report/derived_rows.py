"""The derived section as plain rows, shared by the table-shaped renderers (Markdown, HTML)."""
from __future__ import annotations

from ..derived_results import Derived

WORDS = {
    "zh": {"stars": "星级评定（7.2.3）", "levels": "义警级别（7.2.2）", "team": "队伍", "score": "分数", "rank": "名次",
           "title": "称号", "members": "人数", "none": "无级别"},
    "en": {"stars": "Team star titles (7.2.3)", "levels": "Member levels (7.2.2)", "team": "Team", "score": "Score",
           "rank": "Rank", "title": "Title", "members": "Members", "none": "no level"},
}


def star_rows(derived: Derived, lang: str) -> list[tuple[str, str, str, str]]:
    """(team, score, rank, title) per team, '–' where there is none."""
    return [(t.team_id, "–" if t.score is None else f"{t.score:g}",
             "–" if t.rank is None else f"{t.rank}/{t.ranked}",
             getattr(t.title, lang) if t.title else "–") for t in derived.stars]


def level_counts(derived: Derived, lang: str, none: str | None = None) -> list[tuple[str, int]]:
    """(level name, members) from the lowest level up, `none` (default: 'no level') first; none without levels."""
    return derived.level_counts(lang, WORDS[lang]["none"] if none is None else none)
