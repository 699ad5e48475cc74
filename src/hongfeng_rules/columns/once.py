"""Expressions built once per process: a check's own expressions (its verdict's when-chains) depend only on the
check and the audit's dates, and building them costs more in Python than evaluating them on a team's rows."""
from __future__ import annotations

from typing import Any, Callable

_BUILT: dict[tuple[int, Any], tuple[object, Any]] = {}
_MOST = 4096


def once(owner: object, key: Any, build: Callable[[], Any]) -> Any:
    """`build()` for this owner (a check, by identity) and key, built on first use."""
    found = _BUILT.get((id(owner), key))
    if found is None or found[0] is not owner:  # an owner gone, its id reused
        if len(_BUILT) >= _MOST:
            _BUILT.clear()
        found = _BUILT[id(owner), key] = (owner, build())
    return found[1]
