"""Pause Python's cyclic garbage collector while millions of small, acyclic objects are built.

Loading a province's dataset or auditing it creates millions of records and findings; each batch of
new objects triggers collections that scan the whole heap and find nothing to free (the objects hold
no reference cycles). Reference counting still frees memory while the collector is paused, and its
previous state is restored on exit, so a host application's own setting is left as it was.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
