"""A JSON dataset file read fast, with the strict reader's guarantees kept.

`safe_load.read_document` decodes every object through a Python hook (to find duplicate keys) and walks
the result (depth and size limits). Here orjson reads the text with no hook (it refuses what JSON does not
allow: NaN, invalid UTF-8, lone surrogates, integers beyond 64 bits, nesting past 1,024), and what it skipped is
settled after the fact: every suspect record and every problem of the file first asks the strict reader
(`Document.confirm`), whose records are the ones the models then validate, and a valid file is confirmed when the keys read into the tables fall short of the
keys written in the text (`"` then `:`: a duplicate key is read once but written twice). A valid record
cannot nest deeper than the limits; the lists that can grow are checked against `Limits.max_records`.
Anything the fast path does not accept (another encoding, a control character, a parse error) goes to the
strict reader at once, so every refusal is worded by it.
"""
from __future__ import annotations

import os
import re
import weakref

from functools import cache
from typing import Callable

import orjson

from ..models import COLLECTIONS
from ..safe_load import (DEFAULT_LIMITS, Document, Limits, _FileLines, read_document, read_file_bytes,
                         read_text_document)
from ..validation.fields import Spec, model_specs
from ..validation.typed import typed_table
from .json_census import read_census

_C1_CONTROL = re.compile(rb"\xc2[\x80-\x84\x86-\x9f]")  # U+0080–U+009F but NEL, in UTF-8
_SPACE_BEFORE_COLON = re.compile(rb'"[ \t\r\n]+:')


class _Refused(ValueError):
    pass


def _constant(name: str):
    raise _Refused(name)


@cache
def valid_shape() -> tuple[int, int]:
    """(most keys, deepest nesting) a valid dataset file can have: below these limits, read strictly."""
    def walk(spec: Spec) -> tuple[int, int]:
        if spec.kind == "list":
            keys, depth = walk(spec.item)
            return keys, depth + 1
        if spec.kind == "struct":
            found = [walk(f.spec) for f in model_specs(spec.model)]
            return max([len(found)] + [k for k, _ in found]), 1 + max([0] + [d for _, d in found])
        return 0, 0
    keys, depth = walk(Spec("list", item=Spec("struct", model=COLLECTIONS["members"].model)))
    for c in COLLECTIONS.values():
        k, d = walk(Spec("list", item=Spec("struct", model=c.model)))
        keys, depth = max(keys, k), max(depth, d)
    return max(keys, len(COLLECTIONS)), depth + 1  # + the file's mapping of collections


def read_json_fast(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, collection: str | None = None) -> Document:
    """The document of a .json file; its `confirm()` raises what `read_document` would refuse. A file of one
    `collection` whose shape census passes (`json_census`) is read by Polars: its document holds the typed
    table (`typed`, as a typed Parquet file's) and no records until a suspect row asks the strict reader."""
    file = os.fsdecode(os.fspath(path))
    return _fast(read_file_bytes(file, limits), file, limits, lambda: read_document(file, limits), _FileLines(file),
                 collection)


def read_text_fast(text: str | bytes, file: str, fmt: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """`safe_load.read_text_document` (an upload), JSON bytes read fast; `confirm()` as `read_json_fast`'s. Its
    lines are the strict reader's (asked only to place a problem)."""
    if fmt != "json" or type(text) is not bytes or len(text) > limits.max_file_bytes:
        return read_text_document(text, file, fmt, limits)
    return _fast(text, file, limits, lambda: read_text_document(text, file, fmt, limits), None)


def _fast(raw: bytes, file: str, limits: Limits, strict: Callable[[], Document], lines,
          collection: str | None = None) -> Document:
    keys, depth = valid_shape()
    if limits.max_records < keys or limits.max_depth < depth:
        return strict()
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    frame = read_census(body, collection) if collection is not None else None
    typed = typed_table(COLLECTIONS[collection].model, frame) if frame is not None else None
    if typed is not None and frame.height <= limits.max_records:
        doc = Document(None, file, lines)
        doc.frame, doc.typed = frame, typed
    else:
        if (raw[:2] in (b"\xfe\xff", b"\xff\xfe") or raw[:4] == b"\x00\x00\xfe\xff" or b"\x7f" in raw
                or (b"\xc2" in raw and _C1_CONTROL.search(raw)) or b"\xef\xbf\xbe" in raw or b"\xef\xbf\xbf" in raw):
            return strict()
        spaced = b" :" in raw or any(space in raw and space + b":" in raw for space in (b"\t", b"\n", b"\r"))
        keys_in_text = raw.count(b'":') + (len(_SPACE_BEFORE_COLON.findall(raw)) if spaced else 0)
        try:
            data = orjson.loads(body)
        except (orjson.JSONDecodeError, RecursionError):
            return strict()
        if type(data) in (dict, list) and len(data) > limits.max_records:
            return strict()
        doc = Document(data, file, lines)
        doc.keys_in_text = keys_in_text
    doc.strict = None
    doc.confirm = _Confirm(doc, strict)
    if lines is None:
        doc._find_line = doc.confirm.line_of
    return doc


class _Confirm:
    """A fast-read document's `confirm()`: the strict reader's document of its file (raising its problem, if it
    has one), read once and kept as the document's `strict`. It holds the document weakly, so the two make no
    reference cycle: an upload's bytes are freed when its document is, with no garbage collection (a cycle kept
    them until a full collection, which a worker, its audits' objects frozen old by `gcpause`, seldom ran)."""

    def __init__(self, doc: Document, strict: Callable[[], Document]):
        self.doc, self.strict = weakref.ref(doc), strict

    def __call__(self) -> Document:
        doc = self.doc()
        if doc.strict is None:
            doc.strict = self.strict()
        return doc.strict

    def line_of(self, path) -> int | None:
        return self().line_of(path)


def confirm_complete(doc: Document, top_keys: int = 0) -> None:
    """After every collection of a fast-read file is read: confirm it when keys may have been merged."""
    written = getattr(doc, "keys_in_text", None)
    if written is not None and written > getattr(doc, "keys_read", 0) + top_keys:
        doc.confirm()
