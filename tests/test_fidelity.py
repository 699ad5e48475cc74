"""Every Hongfeng rule quotes its standard: each fragment of `source.zh` stands in the standard's text
under the rule's clause number, and a rule that names a modal word quotes a sentence containing it."""
import re
from pathlib import Path

import pytest

from hongfeng_rules import load_pack
from helpers import source_text

REPO = Path(__file__).resolve().parents[1]
STANDARD = REPO.parent / "shared" / "sources" / "hongfeng-standard.zh.txt"
pytestmark = pytest.mark.skipif(not STANDARD.is_file(), reason="../shared/sources is not beside the repository")


def _body() -> tuple[str, list[int], list[tuple[int, str]]]:
    text = STANDARD.read_text(encoding="utf-8")
    body = text[: text.find("附 录 A")]  # the tail repeats the headings as a table of contents
    heads = [(m.start(), m.group(1)) for m in re.finditer(r"^\s*(\d+\.\d+\.\d+)\s", body, re.M)]
    kept = [(i, ch) for i, ch in enumerate(body) if not ch.isspace()]  # PDF text: spaces fall anywhere
    return "".join(ch for _, ch in kept), [i for i, _ in kept], heads


TEXT, POSITIONS, HEADS = _body() if STANDARD.is_file() else ("", [], [])
RULES = load_pack(REPO / "rules" / "hongfeng").rules


def clause_at(position: int) -> str | None:
    return max(((p, n) for p, n in HEADS if p <= position), default=(0, None))[1]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.rule.id)
def test_quote_stands_under_its_clause(rule):
    quote = re.sub(r"\s+", "", rule.rule.source.zh)
    fragments = [f for f in re.split(r"：|——|……|…|。|；", quote) if len(f) >= 2]
    assert fragments
    for fragment in fragments:
        at = TEXT.find(fragment)
        assert at >= 0, f"{fragment!r} is not in the standard"
        assert clause_at(POSITIONS[at]) == rule.rule.clause, f"{fragment!r} stands under another clause"


# words that contain a modal character without being one (应急 emergency, 可能 possible, …)
NOT_MODAL = re.compile("应急|相应|响应|适应|供应|反应|对应|可疑|可能|可持续|可靠|许可|认可")


@pytest.mark.parametrize("rule", [r for r in RULES if r.rule.modal != "none"], ids=lambda r: r.rule.id)
def test_the_modal_word_is_in_the_quote(rule):
    assert rule.rule.modal in NOT_MODAL.sub("", rule.rule.source.zh)


def _pack_rules():
    from hongfeng_rules.rulebook.locate import load_packs
    return [pytest.param(p, r, id=r.rule.id) for p in load_packs([str(REPO / "rules")]) for r in p.rules]


@pytest.mark.parametrize("pack, rule", _pack_rules())
def test_every_pack_quotes_its_source_document(pack, rule):
    source = REPO / pack.manifest.source_document  # "../shared/sources/…", relative to the repository
    text = re.sub(r"\s+", "", source_text(source))  # a traditional-script source as quoted: simplified
    quote = re.sub(r"\s+", "", rule.rule.source.zh)
    missing = [f for f in re.split(r"：|——|……|…|。|；", quote) if len(f) >= 2 and f not in text]
    assert missing == [], f"not in {source.name}: {missing}"
