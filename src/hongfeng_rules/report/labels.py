"""Words and marks every renderer shares: status names, status marks, the normative words."""
from __future__ import annotations

import re

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


# Units of thresholds and time limits (rulebook.units.UNITS) as a report writes them after a number.
UNIT_WORDS = {
    "zh": {"person": "人", "percent": "%", "year": "年", "times": "次", "item": "项", "hour": "小时", "minute": "分钟",
           "second": "秒", "day": "天", "working_day": "个工作日", "month": "个月", "point": "分", "rank": "名"},
    "en": {"person": ("person", "people"), "percent": ("%", "%"), "year": ("year", "years"),
           "times": ("time", "times"), "item": ("item", "items"), "hour": ("hour", "hours"),
           "minute": ("minute", "minutes"), "second": ("second", "seconds"), "day": ("day", "days"),
           "working_day": ("working day", "working days"), "month": ("month", "months"),
           "point": ("point", "points"), "rank": ("rank", "rank")},
}
PER_WORDS = {"zh": {"week": "每周", "month": "每月", "quarter": "每季度", "year": "每年"}}
PART_WORDS = {"zh": {"week": "周", "month": "个月", "quarter": "个季度", "year": "年"}}  # "12 个月中 10 个月达标"


def unit_word(number: str, unit: str, lang: str) -> str:
    """"10 person" → "10 人" / "10 people"; "1 year" stays singular in English."""
    if lang == "zh":
        return f"{number} {UNIT_WORDS['zh'].get(unit, unit)}"
    one, many = UNIT_WORDS["en"].get(unit, (unit, unit))
    return f"{number} {one if number in ('1', '1.0') else many}"


_NUMBER_UNIT = re.compile(r"(\d+(?:\.\d+)?) (" + "|".join(sorted(UNIT_WORDS["zh"], key=len, reverse=True)) + r")\b")
_ONE_PART = re.compile(r"of 1 (week|month|quarter|year)s met$")
# The closed set of phrases the checks write into measured/expected values and notes, with their Chinese.
_PHRASES_ZH = [
    (re.compile(r"^(.*) every (week|month|quarter|year)$"), lambda m: f"{PER_WORDS['zh'][m[2]]} {localise(m[1], 'zh')}"),
    (re.compile(r"^by (\S+) \((.*) after (\S+)\)$"), lambda m: f"不晚于 {m[1]}（{m[3]} 之后 {localise(m[2], 'zh')}）"),
    (re.compile(r"^none by (\S+)$"), lambda m: f"截至 {m[1]} 尚无"),
    (re.compile(r"^(\d+) of (\d+)$"), lambda m: f"{m[2]} 项中 {m[1]} 项"),
    (re.compile(r"^all$"), lambda m: "全部"),
    (re.compile(r"^(\S+) not recorded for (\d+) of (\d+)$"), lambda m: f"{m[3]} 条记录中 {m[2]} 条未记录 {m[1]}"),
    (re.compile(r"^the dataset has no (.+)$"), lambda m: f"数据集中没有 {m[1]}"),
    (re.compile(r"^no (\S+) to (check|average)$"), lambda m: f"没有可检查的 {m[1]}"),
    (re.compile(r"^no (\S+) to take a share of$"), lambda m: f"没有可计算占比的 {m[1]}"),
    (re.compile(r"^no (\S+) to count (\S+) over$"), lambda m: f"没有可统计 {m[2]} 的 {m[1]}"),
    (re.compile(r"^no (\S+) matching the target$"), lambda m: f"没有符合目标的 {m[1]}"),
    (re.compile(r"^(\d+) of (\d+) (week|month|quarter|year)s met$"),
     lambda m: f"{m[2]} {PART_WORDS['zh'][m[3]]}中 {m[1]} {PART_WORDS['zh'][m[3]]}达标"),
    (re.compile(r"^no whole (week|month|quarter|year) of the period has ended by the as-of date$"),
     lambda m: f"截至评估时点，评估期内尚无结束的整{PART_WORDS['zh'][m[1]].removeprefix('个')}"),
    (re.compile(r"^(\S+) not recorded: the clock has not started$"), lambda m: f"未记录 {m[1]}：时限尚未起算"),
    (re.compile(r"^none$"), lambda m: "无"),
    (re.compile(r"^no record of this kind$"), lambda m: "没有此类记录"),
    (re.compile(r"^the document is expired or not yet issued$"), lambda m: "文件已过期或尚未签发"),
    (re.compile(r"^not valid on (\S+)$"), lambda m: f"{m[1]} 时无效"),
    (re.compile(r"^(\d+) of (\d+) still within their time limit$"), lambda m: f"{m[2]} 项中 {m[1]} 项仍在期限内"),
    (re.compile(r"^no value in force$"), lambda m: "评估期内无有效的要求值"),
    (re.compile(r"^no score for (\d+): unranked$"), lambda m: f"{m[1]} 年无得分：未排名"),
    (re.compile(r"^… and (\d+) more$"), lambda m: f"…… 另有 {m[1]} 项"),
    (re.compile(r"^(.+): (\S+) (\S+) is after as-of (\S+)$"), lambda m: f"{m[1]}：{m[2]} {m[3]} 晚于评估时点 {m[4]}"),
    (re.compile(r"^(.*[\u4e00-\u9fff].*) / [^\u4e00-\u9fff]*$"), lambda m: m[1]),  # "中文 / English": the Chinese
]


def localise(value, lang: str):
    """A measured or expected value, or a note, as the checks write it (English), in the report's language:
    units after numbers (人/次/项/小时/个工作日 …, or English plurals) and the checks' fixed phrases. Any other
    value is returned as it is."""
    if not isinstance(value, str):
        return value
    if lang == "zh":
        for pattern, write in _PHRASES_ZH:
            m = pattern.match(value)
            if m:
                return write(m)
    value = _ONE_PART.sub(r"of 1 \1 met", value)  # "0 of 1 years met" → "0 of 1 year met"
    return _NUMBER_UNIT.sub(lambda m: unit_word(m[1], m[2], lang), value)
