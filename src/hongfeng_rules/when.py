"""The period and instant an audit is judged for, from the texts a user gives (`--period`, `--as-of`, or
the service's `period`, `as_of`): each defaults from the other, or today."""
from __future__ import annotations

from datetime import date, datetime

from .errors import fail
from .timecalc import Period, as_shanghai, day_end, supported_as_of, supported_day


def period_and_as_of(period_text: str | None, as_of_text: str | None) -> tuple[Period, datetime]:
    """The evaluation period and instant from the command line; each defaults from the other, or today.
    Both must lie within the supported dates (timecalc.SUPPORTED)."""
    try:
        as_of = supported_as_of(_instant(as_of_text)) if as_of_text is not None else None
    except ValueError as exc:
        raise fail("command line", f"invalid as-of {as_of_text!r}: {exc}", field="--as-of") from None
    try:
        period = Period.parse(period_text) if period_text is not None else None
    except ValueError as exc:
        raise fail("command line", str(exc), field="--period") from None
    try:
        if period is not None:
            supported_day(period.start), supported_day(period.end)
    except ValueError as exc:
        raise fail("command line", f"invalid period {period_text!r}: {exc}", field="--period") from None
    now = as_shanghai(datetime.now().astimezone())
    if period is None:
        period = Period.parse(str((as_of or now).year))
    if as_of is None:
        as_of = min(day_end(period.end), now)
    return period, as_of


def _instant(text: str) -> date | datetime:
    """A date (YYYY-MM-DD, meaning the end of that day, as in the library) or an instant."""
    if not text.strip():
        raise ValueError("no date given")  # an empty --as-of is not "not given"
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
