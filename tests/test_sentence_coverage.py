"""The coverage matrices list every sentence of each text: every fragment (between ，；。：) of the whole
text stands, whitespace aside, in one of the pack's clauses — which the matrix then
shows as rules or as a stated reason (`missing(pack) == []`)."""
from __future__ import annotations

import re

import pytest

from hongfeng_rules import load_pack
from hongfeng_rules.rulebook.coverage import missing
from helpers import REPO, source_text

SOURCES = REPO.parent / "shared" / "sources"
# pack -> (source file, [(first words, last words)] of the passages it encodes), and text that is not a sentence
PASSAGES = {
    # the whole article, from the abstract to its last sentence
    "keqiao-zhucun": ("keqiao-zhucun-rongzhi-article.zh.txt", [
        ("摘　要　“枫桥经验”来自绍兴", "提升基层治理的精准性、针对性。"),
    ], [r"·\d+·以枫桥式“驻村融治”服务保障高质效平安共富", r"关键词新时代“枫桥经验”驻村指导员制度枫桥式“驻村融治”基层治理现代化",
        r"3．推进村社层面源头联治", r"1．做强驻村警力", r"2．做深驻村团组"]),  # page number and running head,
    # the keywords, and the headings above the passages P1.0, P2.0 and P3.1 quote from (other headings are quoted with their paragraphs)
    "yunge": ("yunge-police-service-DB3210-T1190-2025.zh.txt", [
        ("采取“1+2+2+N”的组织架构。", "群内昵称统一为“单位-姓名-电话号码”。"),  # 4.1 to 7.2.1: all the text holds
    ], [r"DB3210/T1190—2025\d?", r"\d+\.\d+(\.\d+)?",
        r"\d?(职责划分|总则|素质与技能|形象与装备|基本要求|形象要求|统一标识|云格岗专员|组织架构)"]),  # page headers, headings and clause numbers are not sentences
    # the whole article, in simplified characters as the pack quotes it
    "gucheng": ("gucheng-yijing-article.zh-Hant.txt", [
        ("在故城县,一支由普通群众组成的", "让新时代“枫桥经验”绽放绚烂光彩。"),
    ], [r"义警[^。]{2,30}。王天祥摄", r"广告", r"三大体系筑牢义警建设根基", r"“五治”融合凝聚基层治理合力",
        r"“五化”建设提升义警服务水平"]),  # photo captions, adverts and headings are not sentences
}


def _squeeze(text: str, drop: list[str]) -> str:
    text = re.sub(r"\s+", "", text)
    for pattern in drop:
        text = re.sub(pattern, "", text)
    return text


def fragments(text: str) -> list[str]:
    return [f for f in re.split(r"[，,；;。：:]", text) if len(f) > 1]


@pytest.mark.parametrize("name", sorted(PASSAGES))
def test_every_sentence_of_the_encoded_passages_is_a_clause(name):
    source, spans, drop = PASSAGES[name]
    path = SOURCES / source
    if not path.is_file():
        pytest.skip(f"{path} is not beside the repository")
    pack = load_pack(REPO / "rules" / name)
    text = _squeeze(source_text(path), drop)
    clauses = [_squeeze(c.zh, drop).replace("……", "") for c in pack.manifest.clauses.values()]
    uncovered = []
    for first, last in spans:
        start = text.index(_squeeze(first, drop))
        end = text.index(_squeeze(last, drop), start) + len(_squeeze(last, drop))
        uncovered += [f for f in fragments(text[start:end]) if not any(f in c for c in clauses)]
    assert uncovered == []
    assert missing(pack) == []


def test_every_keqiao_clause_quotes_the_article():
    """Each clause text (its parts around ……) stands in the article, whitespace, page heads and keywords aside."""
    source, _, drop = PASSAGES["keqiao-zhucun"]
    path = SOURCES / source
    if not path.is_file():
        pytest.skip(f"{path} is not beside the repository")
    text = _squeeze(source_text(path), drop[:2])
    pack = load_pack(REPO / "rules" / "keqiao-zhucun")
    assert [c for c, t in pack.manifest.clauses.items()
            if not all(_squeeze(part, drop[:2]) in text for part in t.zh.split("……"))] == []
