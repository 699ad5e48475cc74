"""A first look before the dataset checks of `validation.integrity`: for small tables, the columns as Python
values show that a check has nothing to find, and its query is neither built nor run.

A look never reports anything: where it is not sure (a large table, a date compared with an instant), the
check's query runs and finds what there is, in its own words. So a clean one-team dataset pays for a few
lists and sets instead of some forty query plans; a province's tables are above `SMALL` and go straight to
the queries."""
from __future__ import annotations

import polars as pl

from ..models.constraints import Reference
from ..tables.frames import Tables

SMALL = 20_000
"""Rows above which a table is not looked at first (its query costs less than its values in Python)."""


class Look:
    """The columns of `tables` as Python lists, each read once."""

    def __init__(self, tables: Tables):
        self.tables, self.lists = tables, {}

    def small(self, *names: str) -> bool:
        return all(self.tables.get(n).height <= SMALL for n in names)

    def column(self, name: str, column: str) -> list:
        found = self.lists.get((name, column))
        if found is None:
            found = self.lists[name, column] = self.tables.get(name).get_column(column).to_list()
        return found

    def unique(self, name: str, *columns: str) -> bool:
        """Surely no two rows of collection `name` with the same values in `columns`."""
        if not self.small(name):
            return False
        keys = self.column(name, columns[0]) if len(columns) == 1 else list(zip(*(self.column(name, c) for c in columns)))
        return len(set(keys)) == len(keys)

    def values_at(self, name: str, path: str) -> tuple[list[int] | None, list] | None:
        """(rows, values) of every value at a dotted path, lists flattened (`integrity.linked`; nulls kept);
        rows None: the values are the column's own, one per row. None: a list below the path's first field
        (not looked at)."""
        head, *rest = path.split(".")
        dtype = self.schema(name)[head]
        inner = dtype.inner if isinstance(dtype, pl.List) else dtype
        for part in rest:
            inner = dict(inner)[part]
            if isinstance(inner, pl.List):
                return None
        if not isinstance(dtype, pl.List):
            values = self.column(name, head)
            for part in rest:
                values = [v.get(part) if v is not None else None for v in values]
            return None, values
        items = self.items(name, head)  # a list of records: its items as a table, not as Python dicts
        rows = items.get_column("__row").to_list()
        values = items.get_column(head)
        for part in rest:
            values = values.struct.field(part)
        return rows, values.to_list()

    def schema(self, name: str) -> pl.Schema:
        """The table's schema, read once (a frame makes it anew each time it is asked)."""
        found = self.lists.get((name, "schema"))
        if found is None:
            found = self.lists[name, "schema"] = self.tables.get(name).schema
        return found

    def items(self, name: str, column: str) -> pl.DataFrame:
        """The items of a list column, one per row, with the row each belongs to."""
        found = self.lists.get((name, column, "items"))
        if found is None:
            found = self.lists[name, column, "items"] = self.tables.get(name).lazy().select(
                pl.int_range(pl.len(), dtype=pl.Int64).alias("__row"), column).explode(
                column, empty_as_null=False).collect()
        return found

    def resolves(self, ref: Reference) -> bool:
        """Surely every value at `ref.path` names a target (of the record's own team where `ref.same_team`)."""
        if not self.small(ref.collection, ref.target):
            return False
        found = self.values_at(ref.collection, ref.path)
        if found is None:
            return False
        rows, values = found
        if not ref.same_team or "team_id" not in self.schema(ref.collection):
            found = set(values)
            found.discard(None)
            return found <= self.ids(ref.target)
        team_of = self.teams_of(ref.target)
        own = self.column(ref.collection, "team_id")
        rows = range(len(values)) if rows is None else rows
        return all(v is None or (v in team_of and (own[i] is None or team_of[v] == own[i]))
                   for i, v in zip(rows, values))

    def ids(self, name: str) -> set:
        found = self.lists.get((name, "id", set))
        if found is None:
            found = self.lists[name, "id", set] = set(self.column(name, "id"))
        return found

    def teams_of(self, name: str) -> dict:
        """Each id's team (the last row's of a duplicate id, as the query keeps)."""
        found = self.lists.get((name, "team_id", dict))
        if found is None:
            found = self.lists[name, "team_id", dict] = dict(zip(self.column(name, "id"), self.column(name, "team_id")))
        return found

    def in_order(self, name: str, first: str, laters: tuple[str, ...]) -> bool:
        """Surely no later value of a record (or of an item of its list) before its first."""
        if not self.small(name):
            return False
        for later in laters:
            for a, b in self._pairs(name, first, later):
                if a is not None and b is not None and (type(a) is not type(b) or b < a):
                    return False
        return True

    def _pairs(self, name: str, first: str, later: str):
        if "[]." not in first:
            return zip(self.column(name, first), self.column(name, later))
        items, a = first.split("[].")
        found = self.items(name, items).get_column(items)
        return zip(found.struct.field(a).to_list(), found.struct.field(later.split("[].")[1]).to_list())

    def follow_ups_in_order(self) -> bool:
        """Surely no follow-up before its dispute was mediated (or registered)."""
        if not self.small("follow_ups", "disputes"):
            return False
        when = dict(zip(self.column("disputes", "id"), zip(self.column("disputes", "mediated_at"),
                                                           self.column("disputes", "registered_at"))))
        for dispute, at in zip(self.column("follow_ups", "dispute_id"), self.column("follow_ups", "at")):
            if dispute in when and at is not None:
                mediated, registered = when[dispute]
                since = mediated if mediated is not None else registered
                if since is not None and (type(at) is not type(since) or at < since):
                    return False
        return True
