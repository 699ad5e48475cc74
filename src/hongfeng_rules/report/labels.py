"""Words and marks every renderer shares: status names, status marks, the normative words."""
from __future__ import annotations

STATUS_NAMES = {
    "en": {"fail": "fail", "not_assessable": "not assessable", "pending": "pending", "waived": "waived",
           "pass": "pass", "not_applicable": "not applicable"},
    "zh": {"fail": "不符合", "not_assessable": "无法评估", "pending": "未到期", "waived": "已豁免",
           "pass": "符合", "not_applicable": "不适用"},
}
STATUS_MARKS = {"fail": "✗", "not_assessable": "?", "pending": "…", "waived": "~", "pass": "✓", "not_applicable": "–"}
STRENGTH_WORDS = {"zh": {"shall": "应", "should": "宜", "may": "可"}, "en": {"shall": "shall", "should": "should", "may": "may"}}
