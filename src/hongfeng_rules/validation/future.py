"""Records dated after the as-of instant, column-wise over `Tables` (the lines of tests/oracle/integrity.py's
`records_after`, the oracle)."""
from __future__ import annotations

from datetime import datetime

import polars as pl

from ..errors import record_label
from ..models import COLLECTIONS
from ..models.constraints import dated_fields
from ..tables.frames import Tables


def records_after(tables: Tables, as_of: datetime, limit: int = 100) -> list[str]:
    """The report's future-record lines: one per record and date field after as-of (a date is compared with
    the as-of day), in collection, record and field order; at most `limit`, then '… and N more'. A field's
    latest value is read first (a query per field cost an audit more than the rest of its report)."""
    out = []
    for name, collection in COLLECTIONS.items():
        frame = tables.get(name)
        if frame is None or frame.height == 0:
            continue
        fields = dated_fields(collection.model)
        late = []
        for position, (field, kind) in enumerate(fields):
            latest = frame[field].max()
            if latest is None or latest <= (as_of if kind is datetime else as_of.date()):
                continue
            bound = pl.lit(as_of).dt.convert_time_zone("Asia/Shanghai") if kind is datetime else pl.lit(as_of.date())
            rows = frame.select(pl.col(field).gt(bound).fill_null(False).arg_true()).to_series().to_list()
            late += [(i, position) for i in rows]
        ids = frame["id"] if "id" in frame.columns else None
        for i, position in sorted(late):
            field = fields[position][0]
            label = record_label(name, i, ids[i] if ids is not None else None)
            out.append(f"{label}: {field} {frame[field][i].isoformat()} is after as-of {as_of.isoformat()}")
    return out[:limit] + ([f"… and {len(out) - limit} more"] if len(out) > limit else [])
