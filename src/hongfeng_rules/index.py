"""Look-ups over a dataset, built once per audit: records by id and by link field."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Iterable

from .models import Dataset


def values_at(record: Any, path: str) -> list[Any]:
    """All values at a dotted path; lists along the way are flattened ("participants.member_id")."""
    current = [record]
    for part in path.split("."):
        nxt = []
        for item in current:
            value = getattr(item, part, None) if not isinstance(item, dict) else item.get(part)
            if isinstance(value, list):
                nxt.extend(value)
            elif value is not None:
                nxt.append(value)
        current = nxt
    return current


class Index:
    """Records of a dataset by id, and grouped by any link path, each built on first use."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self._by_id: dict[str, dict[str, Any]] = {}
        self._groups: dict[tuple[str, str], dict[Any, list[Any]]] = {}

    def records(self, collection: str) -> list[Any] | None:
        return getattr(self.dataset, collection)

    def by_id(self, collection: str) -> dict[str, Any]:
        if collection not in self._by_id:
            self._by_id[collection] = {r.id: r for r in self.records(collection) or []}
        return self._by_id[collection]

    def groups(self, collection: str, via: str) -> dict[Any, list[Any]]:
        """The records of `collection` grouped by every value their `via` path holds."""
        key = (collection, via)
        groups = self._groups.get(key)
        if groups is None:
            groups = defaultdict(list)
            linked_values = _link_reader(via)
            for record in self.records(collection) or []:
                for value in _unique(linked_values(record)):
                    groups[value].append(record)
            self._groups[key] = groups
        return groups

    def related(self, collection: str, via: str, owner_id: Any) -> list[Any]:
        """The records of `collection` whose `via` path holds `owner_id`."""
        return self.groups(collection, via).get(owner_id, [])


def _link_reader(path: str) -> Callable[[Any], list[Any]]:
    """`values_at` for one path, with the two common shapes (a field, a field of nested records) written out."""
    parts = path.split(".")
    if len(parts) == 1:
        name = parts[0]
        return lambda record: _as_list(getattr(record, name, None))
    if len(parts) == 2:
        head, name = parts
        return lambda record: [getattr(item, name, None) for item in _as_list(getattr(record, head, None))]
    return lambda record: values_at(record, path)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _unique(values: Iterable[Any]) -> list[Any]:
    """Each value once (None left out), in first-seen order (ids are hashable; linear in the values)."""
    seen = dict.fromkeys(values)
    seen.pop(None, None)
    return list(seen)
