"""The monitor's snapshot format, read strictly: a snapshot is input like any other, and a damaged or foreign
one is a `SnapshotError` naming what is wrong, never an AttributeError deep in a restore."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator

from ..models.base import Id, Instant, StrictModel
from ..safe_load import field_path

SNAPSHOT_FORMAT = "hongfeng-monitor/1"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# instants of open items, in microseconds since the epoch: the supported dates, and deadlines up to a century on
_MICROS = {"ge": (datetime(1900, 1, 1, tzinfo=timezone.utc) - _EPOCH) // (datetime.resolution),
           "le": (datetime(2300, 1, 1, tzinfo=timezone.utc) - _EPOCH) // (datetime.resolution)}


class SnapshotError(ValueError):
    """The text given to `Monitor.restore` is not a whole snapshot of this format."""


class _Snap(StrictModel):
    model_config = ConfigDict(strict=True)


class OpenFact(_Snap):
    """One open item as `Monitor.snapshot` writes it."""

    t: Literal["open"]
    id: str | None = None  # written by snapshot(); never trusted on restore (ids are made afresh)
    item: Id
    team: str | None = None
    start: int = Field(**_MICROS)
    due: int = Field(**_MICROS)
    orig: int = Field(**_MICROS)
    warn: int = Field(**_MICROS)
    stage: Literal["open", "warned", "overdue"]
    on: bool = True  # judged now: false for a member demoted or exited (5.2.7)
    events: str  # a JSON list of event ids

    @field_validator("events")
    @classmethod
    def _event_list(cls, text: str) -> str:
        try:
            events = json.loads(text)
        except ValueError:
            raise ValueError("not a JSON list of event ids") from None
        if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
            raise ValueError("not a JSON list of event ids")
        return text


class Snapshot(_Snap):
    format: Literal["hongfeng-monitor/1"]
    pack: str | None = None
    pack_version: str | None = None
    now: Instant | None = None
    seen: list[str] = []
    rules: dict[str, list[OpenFact]] = {}


def read_snapshot(text) -> Snapshot:
    """The snapshot in `text` (str or bytes), or SnapshotError saying what is wrong and where."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise SnapshotError(f"not a monitor snapshot: expected JSON text, got {type(text).__name__}")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise SnapshotError(f"not a monitor snapshot: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise SnapshotError(f"not a monitor snapshot (format {found!r}, expected {SNAPSHOT_FORMAT})")
    try:
        return Snapshot.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = field_path(tuple(err["loc"])) or "snapshot"
        raise SnapshotError(f"damaged monitor snapshot: {where}: {err['msg'].removeprefix('Value error, ')}") from None
