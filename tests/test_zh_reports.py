"""Chinese that is Chinese (issue 16): every word a zh report of the four examples shows (text, Markdown, HTML,
JUnit, SARIF) is Chinese, except ids, codes (collection, kind, field and evidence-kind names, pack names) and
file names; units, statuses, counts and notes are Chinese, and a not-assessable note names the missing field in
both languages."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from hongfeng_rules import load_dataset, load_packs
from hongfeng_rules.cli import main
from hongfeng_rules.derived import DERIVED
from hongfeng_rules.models import COLLECTIONS
from hongfeng_rules.report.labels import localise
from helpers import REPO

EXAMPLES = {
    "hongfeng": ["--period", "2025", "--as-of", "2026-01-15"],
    "yunge": ["--period", "2025", "--as-of", "2025-12-31"],
    "keqiao-zhucun": ["--period", "2025-Q1", "--as-of", "2025-04-01"],
    "gucheng": ["--period", "2025-Q2", "--as-of", "2025-07-01"],
}
WORD = re.compile(r"@?[A-Za-z][A-Za-z0-9_.\-/@]*")


def codes(pack: str) -> set[str]:
    """The words a report may show in Latin letters: ids, codes and file names."""
    allowed = {"hongfeng-rules", "levels", "stars", pack, "examples", f"examples/{pack}", *DERIVED}  # commands
    dataset = load_dataset(REPO / "examples" / pack)
    for name, c in COLLECTIONS.items():
        allowed |= {name, c.kind, *c.model.model_fields}
        allowed |= {getattr(r, "id", "") for r in getattr(dataset, name) or []}
    for p in load_packs([pack]):
        allowed |= {r.rule.id for r in p.rules} | set(p.manifest.evidence_kinds)
    return allowed


def latin_words(text: str, allowed: set[str]) -> list[str]:
    out = []
    for word in WORD.findall(text):
        bare = word.strip(".-/").lstrip("@")
        parts = re.split(r"[/.,]", bare)
        if bare in allowed or word in allowed or all(p in allowed or not p for p in parts):
            continue
        if re.search(r"\d", bare) or bare.isupper():  # dates, clause numbers, ids with digits, codes like T/ZJBZ
            continue
        out.append(word)
    return out


class _Visible(HTMLParser):
    """The text a browser shows: character data outside <script> and <style>, and the shown attributes."""

    def __init__(self, text: str):
        super().__init__()
        self.parts, self.hidden = [], 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v]

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _sarif_texts(node, key=None):
    """SARIF's human-readable strings: every `text` and `markdown` of a message or description, and justifications."""
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in _sarif_texts(v, k)]
    if isinstance(node, list):
        return [t for v in node for t in _sarif_texts(v, key)]
    return [node] if isinstance(node, str) and key in ("text", "markdown", "justification") else []


SHOWN = {  # what a reader sees of each format (element and attribute names and JSON keys are structure)
    "text": lambda text: text,
    "markdown": lambda text: re.sub(r"\\(.)", r"\1", text),  # Markdown's backslash escapes (online\_group)
    "html": lambda text: "\n".join(_Visible(text).parts),
    "junit": lambda text: "\n".join(part for e in ET.fromstring(text).iter() for part in (
        [e.text or ""] + [v for k, v in e.attrib.items() if k in ("message", "value")
                          or (k == "name" and e.tag != "property")])),
    "sarif": lambda text: "\n".join(_sarif_texts(json.loads(text))),
}


@pytest.mark.parametrize("fmt", SHOWN)
@pytest.mark.parametrize("pack", EXAMPLES)
def test_a_zh_report_has_no_latin_word_outside_ids_codes_and_file_names(pack, fmt, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    out = tmp_path / f"report.{fmt}"
    main(["check", f"examples/{pack}", "--pack", pack, *EXAMPLES[pack], "--lang", "zh", "--format", f"{fmt}:{out}"])
    text = SHOWN[fmt](out.read_text(encoding="utf-8"))
    assert text.count("\n") > 5 and re.search("[\u4e00-\u9fff]", text)
    assert latin_words(text, codes(pack)) == []


def test_the_walk_finds_english(tmp_path, capsys, monkeypatch):
    """The same walk over the English reports finds English words in every format: it can fail."""
    monkeypatch.chdir(REPO)
    for fmt in SHOWN:
        out = tmp_path / f"report.{fmt}"
        main(["check", "examples/hongfeng", *EXAMPLES["hongfeng"], "--format", f"{fmt}:{out}"])
        assert len(latin_words(SHOWN[fmt](out.read_text(encoding="utf-8")), codes("hongfeng"))) > 5, fmt


@pytest.mark.parametrize("english, chinese", [
    ("≥ 10 person", "≥ 10 人"), ("= 1 person", "= 1 人"), ("≥ 12 times every year", "每年 ≥ 12 次"),
    ("≥ 1 item", "≥ 1 项"), ("by 2025-06-20T10:05:00+08:00 (5 minute after alerted_at)",
                             "不晚于 2025-06-20T10:05:00+08:00（alerted_at 之后 5 分钟）"),
    ("insurance not recorded for 4 of 78", "78 条记录中 4 条未记录 insurance"),
    ("≤ 7 working_day", "≤ 7 个工作日"), ("≤ 24 hour", "≤ 24 小时"),
    ("10 of 12 months met", "12 个月中 10 个月达标"), ("0 of 1 years met", "1 年中 0 年达标"),
    ("3 of 4 quarters met", "4 个季度中 3 个季度达标"), ("none", "无"),
    ("no whole month of the period has ended by the as-of date", "截至评估时点，评估期内尚无结束的整月"),
    ("no members to count skills over", "没有可统计 skills 的 members"),
])
def test_units_and_phrases_are_chinese(english, chinese):
    assert localise(english, "zh") == chinese


@pytest.mark.parametrize("english, fixed", [("5 minute after", "5 minutes after"), ("run 1 year", "run 1 year"),
                                            ("≥ 10 person", "≥ 10 people"), ("≥ 2 year", "≥ 2 years"),
                                            ("0 of 1 years met", "0 of 1 year met"),
                                            ("3 of 12 months met", "3 of 12 months met")])
def test_english_units_agree_with_their_number(english, fixed):
    assert localise(english, "en") == fixed


def test_a_not_assessable_note_names_the_missing_field_in_both_languages(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    for lang in ("zh", "en"):
        main(["check", "examples/hongfeng", *EXAMPLES["hongfeng"], "--lang", lang])
        lines = [l for l in capsys.readouterr().out.splitlines() if "hf-5.4.7-insurance" in l and " ? " in l]
        assert lines and "insurance" in lines[0].split(":", 1)[1], lines


def test_zh_junit_suites_are_named_in_chinese(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    out = tmp_path / "report.xml"
    main(["check", "examples/hongfeng", *EXAMPLES["hongfeng"], "--lang", "zh", "--format", f"junit:{out}"])
    names = [s.get("name") for s in ET.parse(out).getroot().iter("testsuite")]
    assert names and all(n.startswith(("队伍 ", "协会及其他", "总体")) for n in names), names[:3]
