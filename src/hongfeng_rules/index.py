"""Look-ups over a dataset, built once per audit: records by id and by link field."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Iterable

from .models import Dataset


def link_reader(path: str) -> Callable[[Any], list[Any]]:
    """A reader of all values at a dotted path, split once; lists along the way are flattened and unset values
    left out ("participants.member_id": every participant's member)."""
    parts = path.split(".")

    def read(record: Any) -> list[Any]:
        current = [record]
        for part in parts:
            found = []
            for item in current:
                value = getattr(item, part, None)
                if isinstance(value, list):
                    found.extend(value)
                elif value is not None:
                    found.append(value)
            current = found
        return current
    return read


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
            linked_values = self._hop_reader(via) if "->" in via else link_reader(via)
            for record in self.records(collection) or []:
                for value in _unique(linked_values(record)):
                    groups[value].append(record)
            self._groups[key] = groups
        return groups

    def _hop_reader(self, via: str) -> Callable[[Any], list[Any]]:
        """`team_id->teams.association_id`: the values at a path of the records the local link names."""
        local, remote = via.split("->", 1)
        hop, path = remote.split(".", 1)
        read_local, read_remote, targets = link_reader(local), link_reader(path), self.by_id(hop)
        return lambda record: [v for x in read_local(record) if x in targets for v in read_remote(targets[x])]

    def related(self, collection: str, via: str, owner_id: Any) -> list[Any]:
        """The records of `collection` whose `via` path holds `owner_id`."""
        return self.groups(collection, via).get(owner_id, [])


def _unique(values: Iterable[Any]) -> list[Any]:
    """Each value once, in first-seen order (ids are hashable; linear, not quadratic, in the values)."""
    return list(dict.fromkeys(values))
