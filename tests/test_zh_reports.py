"""Chinese that is Chinese (issue 16): every word a zh text report of the four examples shows is Chinese, except
ids, codes (collection, kind, field and evidence-kind names, pack names) and file names; units, statuses,
counts and notes are Chinese, and a not-assessable note names the missing field in both languages."""
from __future__ import annotations

import re

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


@pytest.mark.parametrize("pack", EXAMPLES)
def test_a_zh_text_report_has_no_latin_word_outside_ids_codes_and_file_names(pack, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    main(["check", f"examples/{pack}", "--pack", pack, *EXAMPLES[pack], "--lang", "zh"])
    text = capsys.readouterr().out
    assert text.count("\n") > 5
    assert latin_words(text, codes(pack)) == []


@pytest.mark.parametrize("english, chinese", [
    ("≥ 10 person", "≥ 10 人"), ("= 1 person", "= 1 人"), ("≥ 12 times every year", "每年 ≥ 12 次"),
    ("≥ 1 item", "≥ 1 项"), ("by 2025-06-20T10:05:00+08:00 (5 minute after alerted_at)",
                             "不晚于 2025-06-20T10:05:00+08:00（alerted_at 之后 5 分钟）"),
    ("insurance not recorded for 4 of 78", "78 条记录中 4 条未记录 insurance"),
    ("≤ 7 working_day", "≤ 7 个工作日"), ("≤ 24 hour", "≤ 24 小时"),
])
def test_units_and_phrases_are_chinese(english, chinese):
    assert localise(english, "zh") == chinese


@pytest.mark.parametrize("english, fixed", [("5 minute after", "5 minutes after"), ("run 1 year", "run 1 year"),
                                            ("≥ 10 person", "≥ 10 people"), ("≥ 2 year", "≥ 2 years")])
def test_english_units_agree_with_their_number(english, fixed):
    assert localise(english, "en") == fixed


def test_a_not_assessable_note_names_the_missing_field_in_both_languages(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    for lang in ("zh", "en"):
        main(["check", "examples/hongfeng", *EXAMPLES["hongfeng"], "--lang", lang])
        lines = [l for l in capsys.readouterr().out.splitlines() if "hf-5.4.7-insurance" in l and " ? " in l]
        assert lines and "insurance" in lines[0].split(":", 1)[1], lines
