"""Everything a check may look at while it evaluates one subject."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime
from typing import Any, Callable

from ..index import Index
from ..models import COLLECTIONS
from ..models.dataset import FUTURE_BY_NATURE
from ..timecalc import Period, WorkCalendar, as_shanghai


@dataclass
class Context:
    index: Index
    period: Period
    as_of: datetime
    calendar: WorkCalendar
    _memo: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def reference_date(self) -> date:
        """The day facts are judged on: the period's last day, or the as-of day if earlier."""
        return min(self.period.end, as_shanghai(self.as_of).date())

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """Compute something once per audit (e.g. every member's service hours)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def related(self, collection: str, via: str, owner_id: Any, in_period: bool = False) -> list[Any]:
        """Records of `collection` linked to `owner_id`: those of the evaluation period, or (by default) all
        not dated after as-of. The filtered groups are built once per audit."""
        groups = self.memo(f"related:{collection}:{via}:{in_period}", lambda: self._filtered(collection, via, in_period))
        return groups.get(owner_id, [])

    def _filtered(self, collection: str, via: str, in_period: bool) -> dict[Any, list[Any]]:
        """Each record is tested once per audit, however many owners or links it has (an activity's participants)."""
        kept = self.kept_ids(collection, in_period)
        groups = self.index.groups(collection, via)
        if len(kept) == len(self.index.records(collection) or []):
            return groups
        return {owner: [r for r in linked if id(r) in kept] for owner, linked in groups.items()}

    def kept_ids(self, collection: str, in_period: bool) -> set[int]:
        """The `id()`s of the records counted: those of the evaluation period, or all not dated after as-of."""
        def build() -> set[int]:
            keep = self.in_period if in_period else self.not_after_as_of
            return {id(r) for r in self.index.records(collection) or [] if keep(collection, r)}
        return self.memo(f"kept:{collection}:{in_period}", build)

    def when(self, collection: str, record: Any) -> date | datetime | None:
        time_field = COLLECTIONS[collection].time_field
        return getattr(record, time_field, None) if time_field else None

    def not_after_as_of(self, collection: str, record: Any) -> bool:
        """False for a record dated after the as-of instant: it is flagged in the report, never counted."""
        if COLLECTIONS[collection].time_field in FUTURE_BY_NATURE:  # e.g. an improvement item due next month
            return True
        when = self.when(collection, record)
        if when is None:
            return True
        return when <= self.as_of if isinstance(when, datetime) else when <= self.reference_date

    def in_period(self, collection: str, record: Any) -> bool:
        """True when the record's time lies inside the evaluation period and not after as-of."""
        when = self.when(collection, record)
        if when is None:
            return False
        if isinstance(when, datetime):
            return self.period.contains(when) and when <= self.as_of
        return self.period.contains(when) and when <= self.reference_date
