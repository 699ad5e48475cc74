"""Everything a check may look at while it evaluates one subject."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from itertools import compress
from operator import attrgetter
from typing import Any, Callable

from ..index import Index
from ..models import COLLECTIONS
from ..models.base import inner_type
from ..models.dataset import FUTURE_BY_NATURE
from ..timecalc import Period, WorkCalendar, as_shanghai, day_end, day_start


class Judged:
    """What every audit context derives from its period and as-of: the reference date, and a memo of work
    done once per audit (shared by the per-object Context and columns.context.ColumnContext)."""

    @cached_property
    def reference_date(self) -> date:
        """The day facts are judged on: the period's last day, or the as-of day if earlier."""
        return min(self.period.end, as_shanghai(self.as_of).date())

    @cached_property
    def reference_instant(self) -> datetime:
        """The instant facts are judged at: the end of the period's last day (Asia/Shanghai), or as-of if earlier
        (`not_older_than` measures an age to it; `@last_active_at` counts activity not after it)."""
        return min(day_end(self.period.end), as_shanghai(self.as_of))

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """Compute something once per audit (e.g. every member's service hours)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]


@dataclass
class Context(Judged):
    index: Index
    period: Period
    as_of: datetime
    calendar: WorkCalendar
    _memo: dict[str, Any] = field(default_factory=dict)

    def related(self, collection: str, via: str, owner_id: Any, in_period: bool = False) -> list[Any]:
        """Records of `collection` linked to `owner_id`: those of the evaluation period, or (by default) all
        not dated after as-of. The filtered groups are built once per audit."""
        groups = self.memo(f"related:{collection}:{via}:{in_period}", lambda: self._filtered(collection, via, in_period))
        return groups.get(owner_id, [])

    def _filtered(self, collection: str, via: str, in_period: bool) -> dict[Any, list[Any]]:
        """Each record is tested once per audit, however many owners or links it has (an activity's participants)."""
        groups = self.index.groups(collection, via)
        left_out = self.counted(collection, in_period)[1]
        if not left_out:
            return groups
        return {owner: [r for r in linked if id(r) not in left_out] for owner, linked in groups.items()}

    def counted(self, collection: str, in_period: bool) -> tuple[list[Any], set[int]]:
        """The records counted, in order: those of the evaluation period, or all not dated after as-of; and the
        `id()`s of those left out (usually few). Each record's time is compared once per audit."""
        def build() -> tuple[list[Any], set[int]]:
            records = self.index.records(collection) or []
            time_field = COLLECTIONS[collection].time_field
            if time_field is None:
                return ([], {id(r) for r in records}) if in_period else (records, set())
            lo, hi, undated = self._window(collection, in_period)
            keep = [undated if when is None else (lo is None or lo <= when) and (hi is None or when <= hi)
                    for when in map(attrgetter(time_field), records)]
            return list(compress(records, keep)), {id(r) for r, kept in zip(records, keep) if not kept}
        return self.memo(f"counted:{collection}:{in_period}", build)

    def when(self, collection: str, record: Any) -> date | datetime | None:
        time_field = COLLECTIONS[collection].time_field
        return getattr(record, time_field, None) if time_field else None

    def not_after_as_of(self, collection: str, record: Any) -> bool:
        """False for a record dated after the as-of instant: it is flagged in the report, never counted."""
        return self._counts(collection, record, in_period=False)

    def in_period(self, collection: str, record: Any) -> bool:
        """True when the record's time lies inside the evaluation period and not after as-of."""
        return self._counts(collection, record, in_period=True)

    def _counts(self, collection: str, record: Any, in_period: bool) -> bool:
        return id(record) not in self.counted(collection, in_period)[1]

    def _window(self, collection: str, in_period: bool) -> tuple[Any, Any, bool]:
        """(earliest, latest, undated records count?) for the collection's time field, in its own type:
        instants against the period's first and last Shanghai instants and as-of, dates against its days
        and the reference day. A deadline-like field (an improvement due next month) is never "after as-of"."""
        def build():
            time_field = COLLECTIONS[collection].time_field
            instant = inner_type(COLLECTIONS[collection].model.model_fields[time_field].annotation) is datetime
            if not in_period:
                if time_field in FUTURE_BY_NATURE:
                    return None, None, True
                return None, self.as_of if instant else self.reference_date, True
            if instant:
                return day_start(self.period.start), min(day_end(self.period.end), self.as_of), False
            return self.period.start, min(self.period.end, self.reference_date), False
        return self.memo(f"window:{collection}:{in_period}", build)
