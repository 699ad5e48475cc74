"""HTML: one self-contained page an inspector reads at a glance; it opens offline, from a file.

In order: the verdict; the trend across periods (with `--compare`); the association tree (province →
city → county → team, worst first, each with its conformance rate and counts, drill down by opening a
node); charts as inline SVG (report.svg); the team × clause grid grouped by association; then finding
cards for what is not a pass, built by the page's one script from data chunks (report.html_detail) with
filters and a search box. Every value from the data is escaped here or set as text by the script; a
Content-Security-Policy forbids any network access. The stylesheet prints on A4 landscape.
"""
from __future__ import annotations

import json
from collections import Counter
from html import escape

from ..invisible import escape_hidden
from ..rulebook.spec import clause_key
from . import html_detail, svg, tree
from .derived_rows import WORDS as DERIVED_WORDS, level_counts, star_rows
from .html_assets import CSS, SCRIPT
from .labels import STATUS_MARKS as MARK, STATUS_NAMES as STATUS, STRENGTH_WORDS as STRENGTH
from ..baseline import Change
from .model import STATUS_ORDER, ComplianceReport, SubjectSummary
from .trend import Trend

WORDS = {
    "en": {"title": "Compliance report", "dataset": "Dataset", "period": "Period", "as_of": "As of",
           "packs": "Rule packs", "overall": "Overall", "tree": "Associations and teams", "team": "Team",
           "conformant": "conformant", "nonconformant": "non-conformant", "noverdict": "no verdict",
           "incomplete": "some shall rules not assessable", "matrix": "Team × clause", "findings": "Findings",
           "clause": "Clause", "rule": "Rule", "subject": "Subject", "measured": "Measured", "expected": "Expected",
           "evidence": "Evidence", "status": "Status", "note": "Note", "due": "Due", "waiver": "Waiver",
           "expired": "Expired waivers", "until": "until", "approved_by": "approved by",
           "other": "Other subjects", "none": "No finding matches.", "legend": "Legend", "rate": "conformance",
           "teams_ok": "teams conformant", "failed": "failed", "to_findings": "findings", "open": "Open all",
           "close": "Close all", "print": "Print", "search": "Search", "strength": "Strength", "all": "all",
           "association": "Association", "charts": "Charts", "c_rate": "Conformance per association",
           "c_clause": "Failure rate per clause (share of teams judged on it that fail it)",
           "c_unknown": "Not assessable per association (share of judged findings: data quality)",
           "c_stars": "Team star titles", "c_levels": "Member levels", "trend": "Trend across periods",
           "c_trend": "Conformance over the periods", "newly": "newly open (fail or not assessable)", "new": "new", "fixed": "fixed",
           "since": "since", "shown": "{shown} of {total} shown", "more": "Show more", "loading": "loading…",
           "why": "Why", "rows_own": "its own findings", "no_tree": "This dataset has no associations or teams."},
    "zh": {"title": "合规报告", "dataset": "数据集", "period": "评估期间", "as_of": "评估时点",
           "packs": "规则包", "overall": "总体", "tree": "协会与队伍", "team": "队伍",
           "conformant": "符合", "nonconformant": "不符合", "noverdict": "无结论",
           "incomplete": "部分“应”条款无法评估", "matrix": "队伍 × 条款", "findings": "发现项",
           "clause": "条款", "rule": "规则", "subject": "对象", "measured": "实测", "expected": "要求",
           "evidence": "证据", "status": "状态", "note": "说明", "due": "期限", "waiver": "豁免",
           "expired": "已过期的豁免", "until": "至", "approved_by": "批准人",
           "other": "其他对象", "none": "没有符合筛选条件的发现项。", "legend": "图例", "rate": "符合率",
           "teams_ok": "队伍符合", "failed": "不符合", "to_findings": "发现项", "open": "全部展开",
           "close": "全部收起", "print": "打印", "search": "搜索", "strength": "规范强度", "all": "全部",
           "association": "协会", "charts": "图表", "c_rate": "各协会符合率",
           "c_clause": "各条款不符合率（被评估队伍中不符合的比例）",
           "c_unknown": "各协会无法评估比例（占已评估发现项：数据质量）",
           "c_stars": "队伍星级称号", "c_levels": "义警级别", "trend": "跨期趋势",
           "c_trend": "各期符合率", "newly": "新增未通过（不符合或无法评估）", "new": "新增", "fixed": "已整改",
           "since": "较", "shown": "显示 {shown} / {total} 项", "more": "显示更多", "loading": "加载中……",
           "why": "原因", "rows_own": "本协会的发现项", "no_tree": "该数据集没有协会或队伍。"},
}
CELL_CLASS = {"fail": "f", "not_assessable": "u", "pending": "d", "waived": "w", "pass": "p", "not_used": "o",
              "not_applicable": "n"}
CELLS = [f"<td class={CELL_CLASS[s]}>{MARK[s]}" for s in STATUS_ORDER]  # the grid's cells, short: 41,000 at a province
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def render(report: ComplianceReport, lang: str = "en", trend: Trend | None = None) -> str:
    w = WORDS[lang]
    roots = tree.build(report)
    o = report.overall
    head = [
        "<!DOCTYPE html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(w['title'])} — {e(report.dataset)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<h1>{e(w['title'])}</h1>",
        '<dl id="meta">',
        f"<dt>{e(w['dataset'])}</dt><dd><code>{e(report.dataset)}</code></dd>",
        f"<dt>{e(w['period'])}</dt><dd>{e(report.period)} ({report.period_start} – {report.period_end})</dd>",
        f"<dt>{e(w['as_of'])}</dt><dd>{e(report.as_of.isoformat())}</dd>",
        f"<dt>{e(w['packs'])}</dt><dd>" + "; ".join(
            f"{e(getattr(p.title, lang))} ({e(p.pack)} {e(p.version)}, {p.rules})" for p in report.packs) + "</dd>",
        f"<dt>{e(w['overall'])}</dt><dd id=\"overall\" data-rate=\"{svg.number(tree.rate(o.counts))}\">"
        f"{_verdict(o, lang)} · {e(w['rate'])} {tree.percent(tree.rate(o.counts))} · "
        f"{_chips(o, lang)}</dd>",
        "</dl>",
    ]
    groups = _groups(report, roots, lang)
    levels = level_counts(report.derived, lang) if report.derived else []
    body = (_trend(report, roots, trend, lang) + _tree(roots, trend, lang) + _charts(report, roots, levels, lang)
            + _matrix(report, groups, lang) + _findings(report, groups, lang) + _expired(report, lang)
            + _derived(report, levels, lang))
    return "\n".join(head + body + [f"<script>{SCRIPT}</script>", "</body>", "</html>", ""])


# ----------------------------------------------------------------------------- the tree

def _tree(roots: list[tree.Node], trend: Trend | None, lang: str) -> list[str]:
    w = WORDS[lang]
    out = [f'<section id="tree"><h2>{e(w["tree"])}</h2>', _tools("tree-body", lang), '<div class="tree-body" id="tree-body">']
    for root in roots:
        out += _node(root, 0, trend, lang)
    if not roots:
        out.append(f'<p class="muted">{e(w["no_tree"])}</p>')
    return out + ["</div></section>"]


def _node(node: tree.Node, depth: int, trend: Trend | None, lang: str) -> list[str]:
    s, w = node.summary, WORDS[lang]
    r = node.rate
    attrs = f'data-kind="{e(s.kind)}" data-id="{e(s.id)}" data-rate="{svg.number(r)}"'
    nc = {False: " nc", None: " nv"}.get(s.conformant, "")
    parts = [f'<span class="name">{e(s.name or s.id)}</span>', f"<code>{e(s.id)}</code>",
             f'<span class="meter"><i style="width:{0 if r is None else r * 100:.1f}%"></i></span>',
             f'<b class="rate">{tree.percent(r)}</b>']
    if s.kind not in tree.LEAVES:
        teams = node.teams()
        ok = sum(t.conformant is True for t in teams)
        parts.append(f'<span class="teams" data-teams="{len(teams)}" data-teams-conformant="{ok}">'
                     f"{ok}/{len(teams)} {e(w['teams_ok'])}</span>")
    parts.append(_chips(s, lang))
    failed = s.counts.failures_by_strength
    if any(failed.values()):
        parts.append(f'<span class="muted">{e(w["failed"])}: ' + " · ".join(
            f"{e(STRENGTH[lang][k])} {n}" for k, n in failed.items() if n) + "</span>")
    if trend:
        parts.append(_delta(s.id, trend, lang))
    target = f"assoc={s.id}" if s.kind not in tree.LEAVES else f"q={s.id}"
    parts.append(f'<a class="to-findings" href="#{e(target)}">{e(w["to_findings"])} ↓</a>')
    if s.kind in tree.LEAVES:
        return [f'<div class="node row{nc}" {attrs}>' + " ".join(parts) + "</div>"]
    out = [f'<details class="node{nc}" {attrs}{" open" if depth < 2 else ""}><summary>' + " ".join(parts) + "</summary>"]
    for child in node.children:
        out += _node(child, depth + 1, trend, lang)
    return out + ["</details>"]


def _chips(s: SubjectSummary, lang: str) -> str:
    """The non-zero counts by status, each a coloured chip."""
    return '<span class="counts">' + " ".join(
        f'<span class="chip s-{k}">{MARK[k]} {n}</span>'
        for k in STATUS_ORDER if (n := s.counts.by_status.get(k, 0))) + "</span>"


def _delta(node_id: str, trend: Trend, lang: str) -> str:
    w = WORDS[lang]
    rates = trend.rates.get(node_id, [])
    out = []
    if len(rates) >= 2 and rates[-1] is not None and rates[-2] is not None:
        d = (rates[-1] - rates[-2]) * 100
        cls = "delta-up" if d > 0 else "delta-down" if d < 0 else "muted"
        out.append(f'<span class="{cls}" data-delta="{d / 100:.4f}">{"▲" if d > 0 else "▼" if d < 0 else "="}'
                   f" {d:+.1f} {e(w['since'])} {e(trend.periods[-2])}</span>")
    newly, fixed = len(trend.newly_failing.get(node_id, [])), len(trend.fixed.get(node_id, []))
    if newly or fixed:
        out.append(f'<span class="muted" data-newly="{newly}" data-fixed="{fixed}">+{newly} {e(w["new"])} · '
                   f'{fixed} {e(w["fixed"])}</span>')
    return " ".join(out)


def _tools(target: str, lang: str) -> str:
    w = WORDS[lang]
    return (f'<div class="tools"><button type="button" data-open="1" data-target="{target}">{e(w["open"])}</button>'
            f'<button type="button" data-open="0" data-target="{target}">{e(w["close"])}</button></div>')


# ----------------------------------------------------------------------------- trend

def _trend(report: ComplianceReport, roots: list[tree.Node], trend: Trend | None, lang: str) -> list[str]:
    if trend is None:
        return []
    w = WORDS[lang]
    names = {s.id: s.name or s.id for s in [*report.associations, *report.teams]}
    shown = [("all", w["overall"])] + [(n.summary.id, names[n.summary.id])
                                        for root in roots for d, n in root.walk()
                                        if n.summary.kind == "association" and d <= 1]
    series = [(label, trend.rates.get(i, [None] * len(trend.periods))) for i, label in shown[:8]]
    out = [f'<section id="trend"><h2>{e(w["trend"])}</h2>', svg.lines("trend", w["c_trend"], trend.periods, series),
           '<table id="changes"><tr>' + "".join(f"<th>{e(x)}</th>" for x in (w["subject"], w["newly"], w["fixed"]))
           + "</tr>"]
    kinds = {s.id: s.kind for s in [*report.associations, *report.teams]}
    for node_id in sorted(set(trend.newly_failing) | set(trend.fixed), key=lambda i: (kinds.get(i) != "association", i)):
        cells = [_changes(trend.newly_failing.get(node_id, []), kinds.get(node_id)),
                 _changes(trend.fixed.get(node_id, []), kinds.get(node_id))]
        out.append(f'<tr data-id="{e(node_id)}"><td>{e(names.get(node_id, node_id))} <code>{e(node_id)}</code></td>'
                   + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return out + ["</table></section>"]


def _changes(changes: list[Change], kind: str | None) -> str:
    """A team lists the rules (and the subject, if not the team); an association only counts them."""
    if kind == "association" or not changes:
        return str(len(changes))
    return ", ".join(f"<code>{e(c.rule_id)}</code>" + ("" if c.subject_id == c.team_id else f" ({e(c.subject_id)})")
                     for c in changes)


# ----------------------------------------------------------------------------- charts

def _charts(report: ComplianceReport, roots: list[tree.Node], levels: list[tuple[str, int]], lang: str) -> list[str]:
    w = WORDS[lang]
    associations = sorted((n for root in roots for _, n in root.walk() if n.summary.kind == "association"),
                          key=tree.worst_first)
    out = [f'<section id="charts"><h2>{e(w["charts"])}</h2><div class="charts">']
    if associations:
        out.append(svg.bars("conformance", w["c_rate"],
                            [(n.summary.name or n.summary.id, n.rate, tree.percent(n.rate),
                              "nc" if n.summary.conformant is False else "") for n in associations],
                            css="bar rate"))
    clause_failures = _clause_failures(report)
    if clause_failures:
        out.append(svg.bars("clause-failures", w["c_clause"], clause_failures, css="bar failrate"))
    if associations:
        unknown = sorted(((n.summary.name or n.summary.id, tree.unknown_share(n.summary.counts)) for n in associations),
                         key=lambda x: -(x[1] or 0))
        out.append(svg.bars("not-assessable", w["c_unknown"], [(k, v, tree.percent(v)) for k, v in unknown],
                            css="bar unknown"))
    d = report.derived
    if d is not None and d.stars:
        titles = Counter(getattr(t.title, lang) if t.title else "–" for t in d.stars)
        out.append(svg.bars("stars", w["c_stars"], [(k, n, str(n)) for k, n in titles.most_common()],
                            top=max(titles.values())))
    if levels:
        out.append(svg.bars("levels", w["c_levels"], [(k, n, str(n)) for k, n in levels],
                            top=max(n for _, n in levels)))
    return out + ["</div></section>"]


def _clause_failures(report: ComplianceReport) -> list[tuple[str, float, str]]:
    """Per clause: teams with a failure on it ÷ teams with a judged finding on it, most failing first."""
    judged: dict[str, set] = {}
    failing: dict[str, set] = {}
    for f in report.findings:
        team = f.subject.team_id
        if team is None or f.status not in tree.JUDGED:
            continue
        judged.setdefault(f.clause, set()).add(team)
        if f.status == "fail":
            failing.setdefault(f.clause, set()).add(team)
    rates = [(c, len(failing.get(c, ())) / len(teams), f"{len(failing.get(c, ()))}/{len(teams)}")
             for c, teams in judged.items()]
    return sorted(rates, key=lambda x: (-x[1], clause_key(x[0])))


# ----------------------------------------------------------------------------- grid

def _groups(report: ComplianceReport, roots: list[tree.Node], lang: str) -> list[tuple[str, str, str, list]]:
    """(group id, title, association path, rows): each association in tree order with a row for its own subjects'
    findings and one per team directly under it, then what has no association. A row is (id, label, {clause:
    rank of the worst status in STATUS_ORDER})."""
    worst: dict[str, dict[str, int]] = {}  # row id (team, or association for its own subjects) -> clause -> rank
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    loose: dict[str, str] = {}  # row id -> label, for subjects of neither a team nor an association
    for f in report.findings:
        row = f.subject.team_id or f.subject.association_id or _loose_row(f, loose)
        cells = worst.setdefault(row, {})
        cells[f.clause] = min(cells.get(f.clause, 99), rank[f.status])
    groups, paths = [], {}
    for root in roots:
        for s, path in _walk_with_path(root, ()):
            if s.summary.kind != "association":
                continue
            paths[s.summary.id] = " ".join(path)
            rows = [(s.summary.id, WORDS[lang]["rows_own"], worst.get(s.summary.id, {}))] if s.summary.id in worst else []
            rows += [(c.summary.id, f"{c.summary.id} {c.summary.name or ''}".strip(), worst.get(c.summary.id, {}))
                     for c in s.children if c.summary.kind in tree.LEAVES]
            if rows:
                groups.append((s.summary.id, s.summary.name or s.summary.id, paths[s.summary.id], rows))
    rows = [(r.summary.id, f"{r.summary.id} {r.summary.name or ''}".strip(), worst.get(r.summary.id, {}))
            for r in roots if r.summary.kind in tree.LEAVES]
    rows += [(row, label, worst[row]) for row, label in loose.items()]
    if rows:
        groups.append(("", WORDS[lang]["other"], "", rows))
    return groups


def _loose_row(f, loose: dict[str, str]) -> str:
    """The grid row of a subject outside any team or association: its own, named by kind and id."""
    row = f"{f.subject.kind}:{f.subject.id}"
    loose.setdefault(row, f"{f.subject.kind} {f.subject.id} {f.subject.name or ''}".strip())
    return row


def _walk_with_path(node: tree.Node, path: tuple):
    """(node, ids from the root down to it) for the node and every node below it."""
    here = path + (node.summary.id,)
    yield node, here
    for c in node.children:
        yield from _walk_with_path(c, here)


def _matrix(report: ComplianceReport, groups: list, lang: str) -> list[str]:
    w, st = WORDS[lang], STATUS[lang]
    clauses = sorted({f.clause for f in report.findings}, key=clause_key)
    header = "<tr><th></th>" + "".join(f'<th class="clause">{e(c)}</th>' for c in clauses) + "</tr>"
    out = [f'<section id="grid"><h2>{e(w["matrix"])}</h2>',
           f'<p>{e(w["legend"])}: ' + " ".join(f'<span class="chip s-{s}">{MARK[s]} {e(st[s])}</span>'
                                                for s in STATUS_ORDER) + "</p>", _tools("grid-body", lang),
           '<div id="grid-body">']
    for i, (gid, title, _, rows) in enumerate(groups):
        bad = sum(1 for _, _, cells in rows if cells and min(cells.values()) == 0)
        out.append(f'<details class="group" data-group="{e(gid)}"{" open" if i < 3 else ""}><summary>{e(title)} '
                   f'<span class="muted">({len(rows)}; ✗ {bad})</span></summary>'
                   f'<div class="wide"><table class="matrix" data-group="{e(gid)}">{header}')
        for row_id, label, cells in rows:
            tds = "".join(CELLS[cells[c]] if c in cells else "<td>" for c in clauses)  # </td> is implied
            out.append(f'<tr data-row="{e(row_id)}"><th class="who" title="{e(label)}">{e(label)}</th>{tds}</tr>')
        out.append("</table></div></details>")
    return out + ["</div></section>"]


# ----------------------------------------------------------------------------- cards

def _findings(report: ComplianceReport, groups: list, lang: str) -> list[str]:
    w, st = WORDS[lang], STATUS[lang]
    group_of_row = {row_id: gid for gid, _, _, rows in groups for row_id, _, _ in rows}
    rules, chunks = html_detail.chunks(
        report, lang, lambda f: group_of_row.get(f.subject.team_id or f.subject.association_id or "", ""))
    paths = {gid: path for gid, _, path, _ in groups}
    clauses = sorted({r[1] for r in rules}, key=clause_key)
    options = [(gid, title, path.count(" ")) for gid, title, path, _ in groups if gid]
    words = {k: w[k] for k in ("clause", "status", "subject", "measured", "expected", "evidence", "note", "due",
                               "waiver", "approved_by", "until", "none", "shown", "loading", "why")}
    words |= {"strength": STRENGTH[lang], "statuses": STATUS[lang]}
    out = [f'<section id="findings"><h2>{e(w["findings"])}</h2>', '<form id="filters">',
           "<span>" + " ".join(f'<label class="chip s-{s}"><input type="checkbox" name="status" value="{s}" checked> '
                               f"{e(st[s])}</label>" for s in html_detail.CARDED) + "</span>",
           f'<label>{e(w["strength"])} <select name="strength"><option value="">{e(w["all"])}</option>'
           + "".join(f'<option value="{k}">{e(v)}</option>' for k, v in STRENGTH[lang].items()) + "</select></label>",
           f'<label>{e(w["clause"])} <select name="clause"><option value="">{e(w["all"])}</option>'
           + "".join(f'<option value="{e(c)}">{e(c)}</option>' for c in clauses) + "</select></label>",
           f'<label>{e(w["association"])} <select name="assoc"><option value="">{e(w["all"])}</option>'
           + "".join(f'<option value="{e(g)}">{"&nbsp;&nbsp;" * depth}{e(t)}</option>' for g, t, depth in options)
           + "</select></label>",
           f'<label>{e(w["search"])} <input type="search" name="q" autocomplete="off"></label>',
           f'<button type="button" id="print">{e(w["print"])}</button>', "</form>",
           '<p id="shown" class="muted"></p>', '<div id="cards"></div>',
           f'<button type="button" id="more" hidden>{e(w["more"])}</button>',
           f'<script type="application/json" id="words">{html_detail.safe(json.dumps(words, ensure_ascii=False))}</script>']
    return out + html_detail.script_tags(rules, chunks, paths) + ["</section>"]


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


def _derived(report: ComplianceReport, levels: list[tuple[str, int]], lang: str) -> list[str]:
    """Star titles per team, and how many members reached each level (the charts show their distributions)."""
    d, w = report.derived, DERIVED_WORDS[lang]
    if d is None:
        return []
    out = []
    if d.stars:
        out += [f'<details id="stars-table"><summary><h2 style="display:inline">{e(w["stars"])}</h2></summary>',
                '<table id="stars">', "<tr>" + "".join(
                    f"<th>{e(w[k])}</th>" for k in ("team", "score", "rank", "title")) + "</tr>"]
        out += ["<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in star_rows(d, lang)]
        out.append("</table></details>")
    if levels:
        out += [f"<h2>{e(w['levels'])}</h2>", '<table id="levels">',
                f"<tr><th>{e(w['title'])}</th><th>{e(w['members'])}</th></tr>"]
        out += [f"<tr><td>{e(k)}</td><td>{n}</td></tr>" for k, n in levels]
        out.append("</table>")
    return out


def _verdict(summary: SubjectSummary, lang: str) -> str:
    w = WORDS[lang]
    if summary.conformant is None:
        return f'<span class="verdict-none">{e(w["noverdict"])}</span> ({e(getattr(summary.reason, lang, ""))})'
    conformant, complete = summary.conformant, summary.complete
    text = (f'<span class="verdict-yes">{e(w["conformant"])}</span>' if conformant
            else f'<span class="verdict-no">{e(w["nonconformant"])}</span>')
    return text + ("" if complete else f" ({e(w['incomplete'])})")


def e(text) -> str:
    """HTML-escaped text; a hidden character (bidi control, zero-width) shows as `<U+202E>`."""
    return escape(escape_hidden(str(text)), quote=True)
