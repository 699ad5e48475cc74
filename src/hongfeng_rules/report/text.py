"""Plain-text report: the association tree, then per team, non-conformities first, each with its clause number."""
from __future__ import annotations

from ..invisible import escape_hidden
from . import derived_text, explanation, tree
from .labels import STATUS_MARKS as MARK, STATUS_NAMES, localise, strength_word
from .model import ComplianceReport, Finding

WORDS = {
    "zh": {"team": "队伍", "online_group": "群组", "conformant": "符合", "nonconformant": "不符合", "overall": "总体",
           "incomplete": "（部分 应 条款无法评估）", "noverdict": "无结论", "other": "协会及其他", "passed": "项通过",
           "not_applicable": "项不适用", "future": "晚于评估时点的记录（已标记，未计入）",
           "header": "{tool} {version} — {dataset} — 评估期间 {period}，评估时点 {as_of}",
           "packs": "规则包：", "pack": "{pack} {version}（{rules} 条规则）", "count": "{status} {n} 项",
           "evidence": "证据：", "colon": "：", "notices": "说明"},
    "en": {"team": "Team", "online_group": "Group", "conformant": "CONFORMANT", "nonconformant": "NON-CONFORMANT", "overall": "Overall",
           "incomplete": " (some shall rules not assessable)", "noverdict": "NO VERDICT", "other": "Associations and other subjects",
           "passed": "passed", "not_applicable": "not applicable",
           "future": "Records dated after as-of (flagged, not counted)",
           "header": "{tool} {version} — {dataset} — period {period}, as of {as_of}",
           "packs": "packs: ", "pack": "{pack} {version} ({rules} rules)", "count": "{status} {n}",
           "evidence": "evidence: ", "colon": ": ", "notices": "Notices"},
}


def render(report: ComplianceReport, lang: str = "en") -> str:
    w = WORDS[lang]
    lines = [w["header"].format(tool="hongfeng-rules", version=report.tool_version, dataset=report.dataset,
                                period=report.period, as_of=report.as_of.isoformat()),
             w["packs"] + ", ".join(w["pack"].format(pack=p.pack, version=p.version, rules=p.rules)
                                    for p in report.packs), ""]
    if report.notices:
        lines += [f"== {w['notices']}", *(f"  ! {getattr(n, lang)}" for n in report.notices), ""]
    associations = tree.lines(report, lang)
    if associations:
        lines += [f"== {tree.WORDS[lang]['title']}", *("  " + x for x in associations), ""]
    teams, rest = report.findings_by_team()
    for team, findings in teams:
        lines.append(f"== {w.get(team.kind, w['team'])} {team.id} {team.name or ''}: {_verdict(team, lang)}")
        lines += _findings(findings, lang)
        lines.append("")
    if rest:
        lines.append(f"== {w['other']}")
        lines += _findings(rest, lang)
        lines.append("")
    if report.derived:
        lines.append(derived_text.render(report.derived, lang, members=False))
    if report.future_records:
        lines.append(f"== {w['future']}")
        lines += [f"  ! {localise(r, lang)}" for r in report.future_records]
        lines.append("")
    o = report.overall
    names = STATUS_NAMES["zh"] if lang == "zh" else {}  # English keeps the status codes hosts grep for
    counts = ("，" if lang == "zh" else ", ").join(w["count"].format(status=names.get(s, s), n=n)
                                                   for s, n in o.counts.by_status.items() if n)
    lines.append(f"{w['overall']}{w['colon']}{_verdict(o, lang)} — {counts}")
    return escape_hidden("\n".join(lines) + "\n")  # a bidi control or zero-width character in a name shows as <U+202E>


def _verdict(summary, lang: str) -> str:
    """CONFORMANT / NON-CONFORMANT / NO VERDICT (with its reason), and whether some shall rule was unknown."""
    w = WORDS[lang]
    if summary.conformant is None:
        open_, close = ("（", "）") if lang == "zh" else (" (", ")")
        return f"{w['noverdict']}{open_}{getattr(summary.reason, lang)}{close}"
    verdict = w["conformant"] if summary.conformant else w["nonconformant"]
    return verdict + ("" if summary.complete else w["incomplete"])


def _findings(findings: list[Finding], lang: str) -> list[str]:
    """Every finding but passes and not-applicables, which are counted."""
    out, passed, not_applicable = [], 0, 0
    for f in findings:
        if f.status == "pass" and f.explanation is None:
            passed += 1
            continue
        if f.status == "not_applicable" and f.explanation is None:
            not_applicable += 1
            continue
        subject = "" if f.subject.kind == "team" else f" [{f.subject.kind} {f.subject.id}]"
        message = getattr(f.message, lang)
        out.append(f"  {MARK[f.status]} {f.clause} {strength_word(f, lang)} {f.rule_id}{subject}: {message}")
        if f.status in ("fail", "not_assessable") and f.evidence_ids and f.subject.kind == "team":
            shown = ", ".join(f.evidence_ids[:8]) + (" …" if len(f.evidence_ids) > 8 else "")
            out.append(f"      {WORDS[lang]['evidence']}{shown}")
        if f.explanation is not None:
            out += [("      why: " if i == 0 else "           ") + line
                    for i, line in enumerate(explanation.lines(f.explanation))]
    w = WORDS[lang]
    if passed or not_applicable:
        out.append(f"  {MARK['pass']} {passed} {w['passed']}, {not_applicable} {w['not_applicable']}")
    return out
