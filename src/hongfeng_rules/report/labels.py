"""Words and marks every renderer shares: status names, status marks, the normative words."""
from __future__ import annotations

STATUS_NAMES = {
    "en": {"fail": "fail", "not_assessable": "not assessable", "pending": "pending", "waived": "waived",
           "pass": "pass", "not_applicable": "not applicable", "not_used": "not used (may)"},
    "zh": {"fail": "不符合", "not_assessable": "无法评估", "pending": "未到期", "waived": "已豁免",
           "pass": "符合", "not_applicable": "不适用", "not_used": "未采用（可）"},
}
STATUS_MARKS = {"fail": "✗", "not_assessable": "?", "pending": "…", "waived": "~", "pass": "✓", "not_applicable": "–", "not_used": "○"}
STRENGTH_WORDS = {"zh": {"shall": "应", "should": "宜", "may": "可"}, "en": {"shall": "shall", "should": "should", "may": "may"}}
# A sentence without 应/宜/可 (modal "none") is shown by the kind of provision it was read as (GB/T 1.1-2020
# Annex C: 要求 requirement, 推荐 recommendation, 允许 permission), in brackets: never a modal word it lacks.
READ_AS_WORDS = {"zh": {"shall": "〔要求〕", "should": "〔推荐〕", "may": "〔允许〕"},
                 "en": {"shall": "[shall]", "should": "[should]", "may": "[may]"}}


def strength_word(finding, lang: str) -> str:
    """The normative word a report prints before a finding: the source's own, or the bracketed reading."""
    words = READ_AS_WORDS if finding.modal == "none" else STRENGTH_WORDS
    return words[lang][finding.strength]
