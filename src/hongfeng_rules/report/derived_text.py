"""Plain text for the derived section: member levels (7.2.2) and team star titles (7.2.3)."""
from __future__ import annotations

from ..derived_results import Derived, MemberLevel, TeamTitle
from ..invisible import escape_hidden
from ..rulebook.units import format_number
from .derived_rows import level_counts
from .labels import localise

WORDS = {
    "zh": {"levels": "义警级别", "stars": "星级评定", "none": "无", "points": "积分", "next": "距下一级",
           "top": "最高级", "rank": "名次", "unranked": "未排名", "tied": "并列", "run": "连续", "years": "年",
           "prior": "往年", "detail": "逐人明细", "scope": "范围", "entries": "条记录", "adj": "调整",
           "source": {"stored": "已记录", "computed": "计算", "none": "无数据"}, "all": "全部",
           "association": "所属协会", "note": "说明"},
    "en": {"levels": "Member levels", "stars": "Team star titles", "none": "none", "points": "points",
           "next": "to next", "top": "top level", "rank": "rank", "unranked": "unranked", "tied": "tied with",
           "run": "run", "years": "years", "prior": "prior", "detail": "per member", "scope": "scope",
           "entries": "entries", "adj": "adj.", "source": {"stored": "stored", "computed": "computed", "none": "no data"},
           "all": "all", "association": "association", "note": "note"},
}


def render(derived: Derived | None, lang: str = "en", members: bool = True) -> str:
    """Both tables (levels as counts per level unless `members`); empty when nothing is derived."""
    if derived is None:
        return ""
    lines = []
    counts = [] if members else level_counts(derived, lang, none=WORDS[lang]["none"])  # without making objects
    if members and derived.levels:
        lines += [f"== {WORDS[lang]['levels']} (7.2.2)"] + [level_line(r, lang) for r in derived.levels] + [""]
    elif counts:
        lines += [f"== {WORDS[lang]['levels']} (7.2.2)", "  " + ", ".join(f"{k} {n}" for k, n in counts),
                  f"  ({WORDS[lang]['detail']}: hongfeng-rules levels)", ""]
    if derived.stars:
        lines += [f"== {WORDS[lang]['stars']} (7.2.3)"] + [title_line(r, lang) for r in derived.stars] + [""]
    lines += [f"{WORDS[lang]['note']}: {localise(n, lang)}" for n in derived.notes]
    return escape_hidden("\n".join(lines) + ("\n" if lines else ""))  # names: hidden characters as <U+202E>


def level_line(r: MemberLevel, lang: str) -> str:
    w = WORDS[lang]
    level = getattr(r.level, lang) if r.level else w["none"]
    ahead = (f"{w['next']} {getattr(r.next.name, lang)}: {_n(r.points_to_next)}" if r.next else w["top"])
    adjust = f", {_n(r.adjustments)} {w['adj']}" if r.adjustments else ""
    return f"  {r.member_id:<16} {_n(r.points):>6} {w['points']}  {level}  ({ahead}; {r.entries} {w['entries']}{adjust})"


def title_line(r: TeamTitle, lang: str) -> str:
    w = WORDS[lang]
    title = getattr(r.title, lang) if r.title else w["none"]
    if r.rank is None:
        return f"  {r.team_id:<10} {w['unranked']:<10} {title}  ({localise(r.note, lang)})"
    rank = f"{w['rank']} {r.rank}/{r.ranked}"
    tie = f"; {w['tied']} {', '.join(r.tied_with)}" if r.tied_with else ""
    prior = ", ".join(f"{p.year} {_title(r, p, lang)} ({w['source'][p.source]})" for p in r.prior_years)
    run = f"; {w['run']} {r.run} {w['years']}: {prior}" if r.prior_years else ""
    return f"  {r.team_id:<10} {_n(r.score):>7} {rank:<12} {title}  ({r.year}, {w['scope']} {w.get(r.scope, r.scope)}{tie}{run})"


def _title(r: TeamTitle, prior, lang: str) -> str:
    """A prior year's title: a computed one by its name in the report's language, a stored one as recorded."""
    if prior.name is not None:
        return getattr(prior.name, lang)
    return prior.title or "-"


def _n(x: float | None) -> str:
    if x is None:
        return "-"
    return format_number(x)
