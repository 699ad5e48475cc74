"""The finding cards' data for the HTML report, one chunk per association, built into cards by the page's script.

Only what is not a pass (fail, not assessable, pending, waived, and not used as information) gets a card. A chunk is a JSON array of
rows; the rules' clause, strength, sentence and title are listed once (`rules`) and rows point at them.
When the chunks together exceed COMPRESS_ABOVE bytes (a province), each is gzip-compressed (mtime 0, so the
same bytes every run) and base64-encoded; the page inflates a chunk with the browser's DecompressionStream
when it is first needed. Everything stays inside the file: nothing is fetched.
"""
from __future__ import annotations

import base64
import gzip
import json
from html import escape

from ..invisible import escape_hidden
from . import explanation
from .labels import strength_word
from .model import ComplianceReport, Finding

CARDED = ("fail", "not_assessable", "pending", "waived", "not_used")  # not_used (a 可 permission unused): information
COMPRESS_ABOVE = 256 * 1024
# row: rule index, status, subject kind, id, name, team id, measured, expected, evidence ids, note, due, message,
#      waiver, why (the explanation's lines, with check --explain; the card shows them collapsible)


def chunks(report: ComplianceReport, lang: str, group_of) -> tuple[list, list[tuple[str, list]]]:
    """(rules, [(group id, rows)]) in first-seen group order; `group_of(finding)` names the finding's group."""
    rules: dict[str, int] = {}
    rule_rows: list = []
    groups: dict[str, list] = {}
    for f in report.findings:
        if f.status not in CARDED:
            continue
        if f.rule_id not in rules:
            rules[f.rule_id] = len(rule_rows)
            rule_rows.append([f.rule_id, f.clause, f.strength, getattr(f.source, lang), getattr(f.title, lang),
                              strength_word(f, lang)])
        groups.setdefault(group_of(f), []).append(_row(f, rules[f.rule_id], lang))
    return rule_rows, list(groups.items())


def _row(f: Finding, rule: int, lang: str) -> list:
    s = f.subject
    why = explanation.lines(f.explanation) if f.explanation is not None else None  # check --explain
    return [rule, f.status, s.kind, s.id, s.name, s.team_id, _text(f.measured), _text(f.expected), f.evidence_ids,
            f.note, f.due.isoformat() if f.due else None, getattr(f.message, lang), _waiver(f.waiver), why]


def _text(value) -> str | None:
    return None if value is None else str(value)


def _waiver(waiver: dict | None) -> list | None:
    if not waiver:
        return None
    return [str(waiver.get(k, "")) for k in ("justification", "approved_by", "approved_on", "expires_on")]


def script_tags(rules: list, groups: list[tuple[str, list]], paths: dict[str, str]) -> list[str]:
    """`<script type=application/json>` elements: the rules, then one chunk per group with its association path;
    a hidden character (bidi control, zero-width) in the data shows as `<U+202E>` on the card."""
    encoded = [(g, escape_hidden(json.dumps(rows, ensure_ascii=False, separators=(",", ":")))) for g, rows in groups]
    compress = sum(len(text) for _, text in encoded) > COMPRESS_ABOVE
    out = [f'<script type="application/json" id="rules">{safe(escape_hidden(json.dumps(rules, ensure_ascii=False)))}</script>']
    for i, (group, text) in enumerate(encoded):
        body = base64.b64encode(gzip.compress(text.encode("utf-8"), 6, mtime=0)).decode("ascii") if compress else safe(text)
        group_attr, path_attr = escape(escape_hidden(group)), escape(escape_hidden(paths.get(group, "")))
        out.append(f'<script type="application/json" class="chunk" id="chunk-{i}" data-group="{group_attr}" '
                   f'data-path="{path_attr}" data-enc="{"gzip" if compress else "json"}">'
                   f"{body}</script>")
    return out


def safe(text: str) -> str:
    """JSON that cannot close its <script> element or open a comment."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
