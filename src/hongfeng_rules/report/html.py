"""HTML: one self-contained page (inline CSS, no scripts, no fonts, nothing fetched).

An overview of conformity per team, a team × clause matrix coloured by the worst status,
then each finding that is not a pass with its clause text, measured vs expected and evidence
ids. Every value from the data goes through `html.escape`; a Content-Security-Policy forbids
any network access.
"""
from __future__ import annotations

from collections import Counter
from html import escape

from ..rulebook.spec import clause_key
from . import explanation
from .derived_rows import WORDS as DERIVED_WORDS, level_counts, star_rows
from .labels import STATUS_MARKS as MARK, STATUS_NAMES as STATUS, strength_word
from .model import STATUS_ORDER, ComplianceReport, Finding

WORDS = {
    "en": {"title": "Compliance report", "dataset": "Dataset", "period": "Period", "as_of": "As of",
           "packs": "Rule packs", "overall": "Overall", "overview": "Conformity per team", "team": "Team",
           "verdict": "Verdict", "conformant": "conformant", "nonconformant": "non-conformant",
           "noverdict": "no verdict",
           "incomplete": "some shall rules not assessable", "complete": "complete",
           "matrix": "Team × clause", "findings": "Findings", "clause": "Clause", "rule": "Rule",
           "subject": "Subject", "measured": "Measured", "expected": "Expected", "evidence": "Evidence",
           "status": "Status", "note": "Note", "waiver": "Waiver", "expired": "Expired waivers",
           "until": "until", "approved_by": "approved by", "other": "Associations and other subjects",
           "none": "No findings other than passes.", "legend": "Legend", "passes": "passed or not applicable"},
    "zh": {"title": "合规报告", "dataset": "数据集", "period": "评估期间", "as_of": "评估时点",
           "packs": "规则包", "overall": "总体", "overview": "各队伍符合情况", "team": "队伍",
           "verdict": "结论", "conformant": "符合", "nonconformant": "不符合", "noverdict": "无结论",
           "incomplete": "部分“应”条款无法评估", "complete": "完整",
           "matrix": "队伍 × 条款", "findings": "发现项", "clause": "条款", "rule": "规则",
           "subject": "对象", "measured": "实测", "expected": "要求", "evidence": "证据",
           "status": "状态", "note": "说明", "waiver": "豁免", "expired": "已过期的豁免",
           "until": "至", "approved_by": "批准人", "other": "协会及其他对象",
           "none": "除符合项外无其他发现。", "legend": "图例", "passes": "项符合或不适用"},
}
CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5rem;color:#1a1a1a;max-width:80rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right}
.s-fail{background:#f4b6b6}.s-not_assessable{background:#f7dc8f}.s-pending{background:#cfe0f7}
.s-waived{background:#ddd0f2}.s-pass{background:#c4e8c4}.s-not_applicable{background:#eee;color:#666}.s-not_used{background:#e4eef7}
.wide{overflow-x:auto}.matrix td{text-align:center;min-width:1.8rem}.matrix th{white-space:nowrap}.verdict-no{color:#a00;font-weight:bold}.verdict-yes{color:#060;font-weight:bold}
.finding{border-left:.4rem solid #bbb;padding:.25rem .75rem;margin:.75rem 0}
.finding.s-fail{border-color:#c33;background:#fdf0f0}.finding.s-not_assessable{border-color:#c90;background:#fdf8ea}
.finding.s-pending{border-color:#36c;background:#f0f5fd}.finding.s-waived{border-color:#74b;background:#f6f2fc}
.source{color:#333;font-style:italic}dl{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.25rem 0}
dt{font-weight:bold}dd{margin:0}code{font-size:.9em}
"""


def render(report: ComplianceReport, lang: str = "en") -> str:
    w = WORDS[lang]
    rows = _rows(report, lang)
    o = report.overall
    head = [
        "<!DOCTYPE html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}">', "<head>", '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(w['title'])} — {e(report.dataset)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<h1>{e(w['title'])}</h1>",
        '<dl id="meta">',
        f"<dt>{e(w['dataset'])}</dt><dd><code>{e(report.dataset)}</code></dd>",
        f"<dt>{e(w['period'])}</dt><dd>{e(report.period)} ({report.period_start} – {report.period_end})</dd>",
        f"<dt>{e(w['as_of'])}</dt><dd>{e(report.as_of.isoformat())}</dd>",
        f"<dt>{e(w['packs'])}</dt><dd>" + "; ".join(
            f"{e(getattr(p.title, lang))} ({e(p.pack)} {e(p.version)}, {p.rules})" for p in report.packs) + "</dd>",
        f"<dt>{e(w['overall'])}</dt><dd id=\"overall\">{_verdict(o, lang)}</dd>",
        "</dl>",
    ]
    return "\n".join(head + _overview(report, lang) + _matrix(report, rows, lang) + _findings(rows, lang)
                     + _expired(report, lang) + _derived(report, lang) + ["</body>", "</html>", ""])


def _rows(report: ComplianceReport, lang: str) -> list[tuple[str, str, str, list[Finding]]]:
    """(anchor, short label, label, findings) per team, then one row for findings outside any team."""
    teams, rest = report.findings_by_team()
    rows = [(f"team-{i}", t.id, f"{t.id} {t.name or ''}".strip(), findings) for i, (t, findings) in enumerate(teams)]
    if rest:
        rows.append(("other", WORDS[lang]["other"], WORDS[lang]["other"], rest))
    return rows


def _overview(report: ComplianceReport, lang: str) -> list[str]:
    w, st = WORDS[lang], STATUS[lang]
    out = [f"<h2>{e(w['overview'])}</h2>", '<table id="overview">',
           f"<tr><th>{e(w['team'])}</th><th>{e(w['verdict'])}</th>"
           + "".join(f'<th class="s-{s}">{e(st[s])}</th>' for s in STATUS_ORDER) + "</tr>"]
    for i, t in enumerate(report.teams):
        out.append(f'<tr><td><a href="#team-{i}">{e(t.id)}</a> {e(t.name or "")}</td>'
                   f"<td>{_verdict(t, lang)}</td>"
                   + "".join(f'<td class="num">{t.counts.by_status.get(s, 0)}</td>' for s in STATUS_ORDER) + "</tr>")
    out.append("</table>")
    return out


def _matrix(report: ComplianceReport, rows, lang: str) -> list[str]:
    w, st = WORDS[lang], STATUS[lang]
    clauses = sorted({f.clause for f in report.findings}, key=clause_key)
    out = [f"<h2>{e(w['matrix'])}</h2>",
           f'<p>{e(w["legend"])}: ' + " ".join(f'<span class="s-{s}">&nbsp;{MARK[s]} {e(st[s])}&nbsp;</span>'
                                                for s in STATUS_ORDER) + "</p>",
           '<div class="wide"><table class="matrix" id="matrix">',
           f"<tr><th>{e(w['team'])}</th>" + "".join(f"<th>{e(c)}</th>" for c in clauses) + "</tr>"]
    for anchor, short, label, findings in rows:
        by_clause: dict[str, Counter] = {}  # clause -> statuses, counted once per row
        for f in findings:
            by_clause.setdefault(f.clause, Counter())[f.status] += 1
        cells = []
        for c in clauses:
            here = by_clause.get(c)
            if not here:
                cells.append("<td></td>")
                continue
            worst = min(here, key=STATUS_ORDER.index)
            counts = ", ".join(f"{st[s]} {here[s]}" for s in STATUS_ORDER if here[s])
            cells.append(f'<td class="s-{worst}" title="{e(c)}: {e(counts)}" data-status="{worst}">'
                         f"{MARK[worst]}</td>")
        out.append(f'<tr><th title="{e(label)}"><a href="#{anchor}">{e(short)}</a></th>' + "".join(cells) + "</tr>")
    out.append("</table></div>")
    return out


def _findings(rows, lang: str) -> list[str]:
    w = WORDS[lang]
    out = [f"<h2>{e(w['findings'])}</h2>"]
    for anchor, _, label, findings in rows:
        out.append(f'<h3 id="{anchor}">{e(w["team"] if anchor != "other" else "")} {e(label)}</h3>')
        shown = [f for f in findings if f.status in ("fail", "not_assessable")]
        later = [f for f in findings if f.status in ("pending", "waived", "not_used")]  # not_used: information
        passed = len(findings) - len(shown) - len(later)
        out += [_finding(f, lang) for f in shown]
        if later:
            summary = ", ".join(f"{sum(f.status == s for f in later)} {STATUS[lang][s]}" for s in ("pending", "waived", "not_used")
                                if any(f.status == s for f in later))
            out += [f"<details><summary>{e(summary)}</summary>"] + [_finding(f, lang) for f in later] + ["</details>"]
        if not shown and not later:
            out.append(f"<p>{e(w['none'])}</p>")
        if passed:
            out.append(f"<p>{passed} {e(w['passes'])}</p>")
    return out


def _finding(f: Finding, lang: str) -> str:
    w = WORDS[lang]
    items = [(w["status"], e(STATUS[lang][f.status])),
             (w["subject"], f"{e(f.subject.kind)} <code>{e(f.subject.id)}</code> {e(f.subject.name or '')}"),
             (w["measured"], e(_value(f.measured))), (w["expected"], e(_value(f.expected)))]
    if f.evidence_ids:
        items.append((w["evidence"], ", ".join(f"<code>{e(x)}</code>" for x in f.evidence_ids)))
    if f.note:
        items.append((w["note"], e(f.note)))
    if f.due:
        items.append(("due" if lang == "en" else "期限", e(f.due.isoformat())))
    if f.waiver:
        v = f.waiver
        items.append((w["waiver"], f"{e(v['justification'])} — {e(w['approved_by'])} {e(v['approved_by'])} "
                                    f"{e(str(v['approved_on']))}, {e(w['until'])} {e(str(v['expires_on']))}"))
    return (f'<div class="finding s-{f.status}" data-rule="{e(f.rule_id)}" data-subject="{e(f.subject.id)}">'
            f"<p><strong>{e(w['clause'])} {e(f.clause)}</strong> ({e(strength_word(f, lang))}) "
            f"<code>{e(f.rule_id)}</code> — {e(getattr(f.message, lang))}</p>"
            f'<p class="source">{e(getattr(f.source, lang))}</p>'
            "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in items) + "</dl>" + _why(f, lang) + "</div>")


def _why(f: Finding, lang: str) -> str:
    """The collapsible "why" of an explained finding (check --explain); nothing otherwise."""
    if f.explanation is None:
        return ""
    return ('<details class="why"><summary>' + ("原因" if lang == "zh" else "why") + "</summary><ul>"
            + "".join(f"<li>{e(line)}</li>" for line in explanation.lines(f.explanation)) + "</ul></details>")


def _expired(report: ComplianceReport, lang: str) -> list[str]:
    if not report.expired_waivers:
        return []
    w = WORDS[lang]
    out = [f"<h2>{e(w['expired'])}</h2>", '<table id="expired">',
           f"<tr><th>{e(w['rule'])}</th><th>{e(w['subject'])}</th><th>{e(w['until'])}</th>"
           f"<th>{e(w['approved_by'])}</th><th>{e(w['status'])}</th></tr>"]
    for x in report.expired_waivers:
        status = x.get("status", "")
        out.append(f"<tr><td><code>{e(x['rule_id'])}</code></td><td>{e(x['subject_id'])}</td>"
                   f"<td>{e(str(x['expires_on']))}</td><td>{e(x['approved_by'])}</td>"
                   f'<td class="s-{e(status)}">{e(STATUS[lang].get(status, status))}</td></tr>')
    out.append("</table>")
    return out


def _derived(report: ComplianceReport, lang: str) -> list[str]:
    """Star titles per team, and how many members reached each level."""
    d, w = report.derived, DERIVED_WORDS[lang]
    if d is None:
        return []
    out = []
    if d.stars:
        out += [f"<h2>{e(w['stars'])}</h2>", '<table id="stars">', "<tr>" + "".join(
            f"<th>{e(w[k])}</th>" for k in ("team", "score", "rank", "title")) + "</tr>"]
        out += ["<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in star_rows(d, lang)]
        out.append("</table>")
    if d.levels:
        out += [f"<h2>{e(w['levels'])}</h2>", '<table id="levels">',
                f"<tr><th>{e(w['title'])}</th><th>{e(w['members'])}</th></tr>"]
        out += [f"<tr><td>{e(k)}</td><td>{n}</td></tr>" for k, n in level_counts(d, lang)]
        out.append("</table>")
    return out

def _verdict(summary, lang: str) -> str:
    w = WORDS[lang]
    if summary.conformant is None:
        return f'<span class="verdict-none">{e(w["noverdict"])}</span> ({e(getattr(summary.reason, lang))})'
    conformant, complete = summary.conformant, summary.complete
    text = (f'<span class="verdict-yes">{e(w["conformant"])}</span>' if conformant
            else f'<span class="verdict-no">{e(w["nonconformant"])}</span>')
    return text + ("" if complete else f" ({e(w['incomplete'])})")


def _value(value) -> str:
    return "—" if value is None else str(value)


def e(text) -> str:
    return escape(str(text), quote=True)
