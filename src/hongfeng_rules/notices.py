"""What limits a report's reach, stated in the report (and on stderr): an as-of before the period's end, or a
period that has not begun."""
from __future__ import annotations

from datetime import datetime

from .report.model import Text
from .timecalc import Period, day_end, day_start


def period_notices(period: Period, as_of: datetime) -> list[Text]:
    """A future period, or an as-of inside the period: counts then cover only part of it."""
    when = as_of.isoformat()
    if as_of < day_start(period.start):
        return [Text(zh=f"评估期间 {period.label} 晚于评估时点 {when}：期间尚未开始，其中的要求均无法判断",
                     en=f"the period {period.label} starts after as-of {when}: it has not begun, "
                        f"so nothing in it can be judged yet")]
    if as_of < day_end(period.end):
        return [Text(zh=f"评估时点 {when} 早于评估期间 {period.label} 的结束（{period.end}）："
                        f"只计入此前的记录，未到期的期限为“未到期”",
                     en=f"as-of {when} is before the period {period.label} ends ({period.end}): only records "
                        f"up to as-of count, and deadlines not yet due are pending")]
    return []
