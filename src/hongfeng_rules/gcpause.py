"""Pause Python's cyclic garbage collector while millions of small, acyclic objects are built.

Loading a province's dataset or auditing it creates millions of records and findings; each batch of
new objects triggers collections that scan the whole heap and find nothing to free (the objects hold
no reference cycles). Reference counting still frees memory while the collector is paused, and its
previous state is restored on exit, so a host application's own setting is left as it was.

On exit the objects made meanwhile are moved to the oldest generation without being scanned
(`gc.freeze()` then `gc.unfreeze()`, both constant-time): otherwise the first collection after the
pause would walk every one of them (a quarter of a second per million) to find nothing. A later full
collection still finds any cycle among them. When the host keeps frozen objects of its own (a
pre-fork server), this step is skipped so that they stay frozen.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled, host_froze = gc.isenabled(), gc.get_freeze_count() > 0
    gc.disable()
    try:
        yield
    finally:
        if not host_froze:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()
