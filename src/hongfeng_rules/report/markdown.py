"""Markdown: a pull-request-sized summary (verdict, the association tree, a row per team, the failures, what could
not be judged)."""
from __future__ import annotations

import re

from ..invisible import escape_hidden
from .derived_rows import WORDS as DERIVED_WORDS, level_counts, star_rows
from . import tree
from .text import WORDS as SUBJECT_NOUNS  # "team" 队伍 / "online_group" 群组, as the text report names its subjects
from .labels import STATUS_NAMES, strength_word
from .model import STATUS_ORDER, ComplianceReport, Finding

MAX_LISTED = 50
WORDS = {
    "en": {"title": "Compliance report", "conformant": "✅ conformant", "nonconformant": "❌ non-conformant",
           "noverdict": "➖ no verdict",
           "incomplete": "⚠️ some *shall* rules could not be assessed", "verdict": "Verdict",
           "failures": "Failures", "unknown": "Not assessable", "waived": "Waived", "expired": "Expired waivers",
           "not_used": "May permissions not used (information)",
           "more": "… and {n} more (see the full report)", "evidence": "evidence", "none": "none",
           "period": "period", "as_of": "as of", "until": "until"},
    "zh": {"title": "合规报告", "conformant": "✅ 符合", "nonconformant": "❌ 不符合", "noverdict": "➖ 无结论",
           "incomplete": "⚠️ 部分“应”条款无法评估", "verdict": "结论",
           "failures": "不符合项", "unknown": "无法评估", "waived": "已豁免", "expired": "已过期的豁免",
           "not_used": "未采用的“可”条款（仅供参考）",
           "more": "…… 另有 {n} 项（见完整报告）", "evidence": "证据", "none": "无",
           "period": "期间", "as_of": "评估时点", "until": "至"},
}
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def render(report: ComplianceReport, lang: str = "en") -> str:
    w = WORDS[lang]
    o = report.overall
    out = [f"## {w['title']}: {md(report.dataset)}", "",
           f"**{_verdict(o.conformant, w)}**"
           + (f" — {md(getattr(o.reason, lang))}" if o.reason else "" if o.complete else f" — {w['incomplete']}")
           + f" · {w['period']} {md(report.period)} · {w['as_of']} {report.as_of.isoformat()} · "
           + ", ".join(f"{md(p.pack)} {md(p.version)}" for p in report.packs), "",
           *_associations(report, lang),
           f"| {_subject_noun(report, lang)} | {w['verdict']} | " + " | ".join(_status_heads(lang)) + " |",
           "|---|---|" + "---:|" * len(STATUS_ORDER)]
    for t in report.teams:
        verdict = _verdict(t.conformant, w) + ("" if t.complete or t.conformant is None else " ⚠️")
        out.append(f"| {md(t.id)} {md(t.name or '')} | {verdict} | "
                   + " | ".join(str(t.counts.by_status.get(s, 0)) for s in STATUS_ORDER) + " |")
    out.append("")
    for status, title in [("fail", "failures"), ("not_assessable", "unknown"), ("waived", "waived"), ("not_used", "not_used")]:
        found = [f for f in report.findings if f.status == status]
        if not found:
            continue
        out += [f"### {w[title]} ({len(found)})", ""]
        out += [_line(f, lang) for f in found[:MAX_LISTED]]
        if len(found) > MAX_LISTED:
            out.append("- " + w["more"].format(n=len(found) - MAX_LISTED))
        out.append("")
    if report.expired_waivers:
        out += [f"### {w['expired']} ({len(report.expired_waivers)})", ""]
        out += [f"- `{code(x['rule_id'])}` {md(x['subject_id'])} — {w['until']} {md(str(x['expires_on']))}, "
                f"{md(x['approved_by'])}" for x in report.expired_waivers]
        out.append("")
    return "\n".join(out + _derived(report, lang))


def _associations(report: ComplianceReport, lang: str) -> list[str]:
    """The association tree as a nested list (two spaces a level), then a blank line."""
    found = tree.lines(report, lang, indent="  ")
    return [f"### {tree.WORDS[lang]['title']}", "", *(_bullet(x) for x in found), ""] if found else []


def _bullet(text: str) -> str:
    body = text.lstrip(" ")
    return text[:len(text) - len(body)] + "- " + md(body)


def _subject_noun(report: ComplianceReport, lang: str) -> str:
    """The head of the verdict table: the noun of the subjects it lists (a Yunge report lists groups), each once."""
    kinds = {t.kind for t in report.teams}
    nouns = [SUBJECT_NOUNS[lang][k] for k in tree.LEAVES if k in kinds] or [SUBJECT_NOUNS[lang]["team"]]
    return ("／" if lang == "zh" else " / ").join(nouns)


def _verdict(conformant: bool | None, w: dict) -> str:
    return w["noverdict"] if conformant is None else w["conformant"] if conformant else w["nonconformant"]


def _derived(report: ComplianceReport, lang: str) -> list[str]:
    """Star titles (7.2.3) as a table and member levels (7.2.2) as counts per level."""
    d, w = report.derived, DERIVED_WORDS[lang]
    if d is None:
        return []
    out = []
    if d.stars:
        out += [f"### {w['stars']}", "", f"| {w['team']} | {w['score']} | {w['rank']} | {w['title']} |",
                "|---|---:|---:|---|"]
        out += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in star_rows(d, lang)]
        out.append("")
    levels = level_counts(d, lang)
    if levels:
        out += [f"### {w['levels']}", "", ", ".join(f"{md(k)}: {n}" for k, n in levels), ""]
    return out

def _line(f: Finding, lang: str) -> str:
    subject = f"{md(f.subject.kind)} {md(f.subject.id)}"
    text = (f"- **{md(f.clause)}** {strength_word(f, lang)} `{code(f.rule_id)}` — {subject}: "
            f"{md(getattr(f.message, lang))}")
    if f.status == "waived" and f.waiver:
        text += f" ({WORDS[lang]['until']} {md(str(f.waiver['expires_on']))}: {md(f.waiver['justification'])})"
    if f.evidence_ids:
        shown = ", ".join(md(e) for e in f.evidence_ids[:8]) + (" …" if len(f.evidence_ids) > 8 else "")
        text += f" · {WORDS[lang]['evidence']}: {shown}"
    return text


def md(text: str) -> str:
    """Escape Markdown and inline HTML; keep everything on one line; a hidden character (bidi control,
    zero-width) shows as `\\<U\\+202E\\>` (rendered `<U+202E>`)."""
    return _SPECIAL.sub(r"\\\1", escape_hidden(" ".join(str(text).split())))


def code(text: str) -> str:
    """Text safe inside a single-backtick code span (hidden characters as `<U+202E>`)."""
    return escape_hidden(" ".join(str(text).split())).replace("`", "'")


def _status_heads(lang: str) -> list[str]:
    """The count columns: the status codes in English (as hosts grep for them), their names in Chinese."""
    return list(STATUS_ORDER) if lang == "en" else [STATUS_NAMES[lang][s] for s in STATUS_ORDER]
