"""The collections of `Tables` as model instances, each built on first use: for the few places that read a
record at a time (explanations), never the audit itself."""
from __future__ import annotations

from typing import Any

from .models import COLLECTIONS
from .tables import Tables


class RecordView:
    """Reads like a `Dataset` (`view.members` is the list of Member models, None when not provided); a collection
    is converted from its table only when first read."""

    def __init__(self, tables: Tables):
        self._tables, self._built = tables, {}

    def __getattr__(self, collection: str) -> list[Any] | None:
        if collection.startswith("_") or collection not in COLLECTIONS:
            raise AttributeError(collection)
        if collection not in self._built:
            frame, model = self._tables.get(collection), COLLECTIONS[collection].model
            self._built[collection] = None if frame is None else [model.model_validate(row) for row in frame.to_dicts()]
        return self._built[collection]
