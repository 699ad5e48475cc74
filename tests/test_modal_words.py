"""A report prints the normative word the source has, and for a sentence without one (modal "none") the bracketed
kind of provision it was read as: never 应 before a rule whose sentence has no 应."""
from __future__ import annotations

import re

import pytest

from hongfeng_rules.cli import main
from helpers import REPO

RUNS = {"keqiao-zhucun": ("2025", "2025-12-31"), "hongfeng": ("2025", "2026-01-15")}


def report(tmp_path, pack, fmt, lang):
    period, as_of = RUNS[pack]
    out = tmp_path / f"{pack}.{fmt}.{lang}"
    main(["check", str(REPO / "examples" / pack), "--pack", pack, "--period", period, "--as-of", as_of,
          "--format", fmt, "--lang", lang, "--out", str(out)])
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_sentence_without_a_modal_word_is_not_given_one(tmp_path, fmt):
    zh = report(tmp_path, "keqiao-zhucun", fmt, "zh")
    assert "〔要求〕" in zh
    assert not re.search(r"P\d(\.\d+)*(</strong>)?\W{0,3}\s*\(?应\)?", zh)
    en = report(tmp_path, "keqiao-zhucun", fmt, "en")
    assert "[shall]" in en and not re.search(r"P\d(\.\d+)*(\*\*|</strong>)?\s*\(?shall\b", en)


def test_a_sentence_with_a_modal_word_keeps_it(tmp_path):
    zh = report(tmp_path, "hongfeng", "text", "zh")
    assert re.search(r"5\.2\.6 应 hf-5\.2\.6-", zh)
    assert re.search(r"5\.3\.1 〔要求〕 hf-5\.3\.1-regular-monthly", zh)  # 5.3.1's sentence has no 应
