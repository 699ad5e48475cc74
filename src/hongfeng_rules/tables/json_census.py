"""The shape census: a one-collection JSON file read by Polars' own reader, where a cheap pass over the text
proves that reader exact; any other file takes the exact path (`json_text`: orjson, the screen, the strict
reader).

Polars' reader, given the table's schema, coerces where the models refuse (3 read as "3", true as 1, 2.5 as 2,
a scalar as a one-item list), reads a duplicate key once (the first), drops unknown keys, reads an explicit
null as a missing key, a too large integer as null and a lone surrogate escape as U+0000, accepts a top-level
object as one record, and overflows its stack on deep nesting. The census therefore reads a file only when:

- its text is UTF-8 with none of the characters the exact path refuses at once, a top-level array with no
  surrogate escape and no bracket inside a string, whose brackets nest at most twice as deep as a valid record
  can (Polars refuses a shape its schema does not have);
- no value is of another kind than its field's where Polars would coerce it (`_bad`, one regular expression
  over the keys of the few names where that can happen): whole numbers are integers of at most 18 digits,
  decimals numbers, a list of text a list, a nullable yes/no read through its stand-in true, false or null.
  Elsewhere Polars refuses a value of another kind (a yes/no, a record, a list of records), or the read
  columns tell it (`_cells`): a text cell or list item that reads as a printed number or yes/no (what Polars
  makes of 3, 2.5 or true in a text column) sends its name to the same expression over the text (`_written`),
  which finds whether the text wrote it as a string; days, instants and choices need no such look, the column
  checks refuse every printed number. A null of a field that may be null (a top-level yes/no or number, a
  text, day or instant at any depth; a name used once in the collection) is written as a stand-in of the same
  length before Polars reads it, so that it is a cell: the integer 2 for a yes/no (true and false read as 1
  and 0), a backspace (`"\b"`) for a text, 9e99 for a number, read back as null (a value of that field that
  reads as its stand-in makes the counts differ: the exact path); any other null is read as no cell;
- the cells Polars read (every non-empty field of every record, nested records included) are as many as the
  keys written in the text (`"` then `:`, which counts every key at least once): so every key is a known field
  of its record, read once, with a value; a name with two kinds (`skills`: a list of members, a yes/no of their
  file) has its lists counted apart.

What the census proves is what orjson would have read; the column checks (`validation.typed`) then send every
row not surely valid to its model, with the strict reader's records, as the exact path does.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from typing import NamedTuple

import polars as pl

from ..models import COLLECTIONS
from ..validation.fields import Spec, model_specs
from .schema import json_read_schema

_STRING = r'"(?:[^"\\]|\\.)*"'
_KIND = {"str": "text", "day": "text", "instant": "text", "int": "int", "float": "number", "bool": "bool",
         "struct": "struct"}
_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_ARRAY = re.compile(rb"[ \t\r\n]*\[")
_C1_CONTROL = re.compile(rb"\xc2[\x80-\x84\x86-\x9f]")  # U+0080–U+009F but NEL, in UTF-8
_REFUSED = r"\x{FFFE}|\x{FFFF}|\\u[dD][89a-fA-F]"
"""With DEL and the C1 controls, what the exact path refuses at once (`json_text`), and a surrogate escape
(Polars reads a lone one as U+0000)."""
_RARE = _REFUSED + r"|[ \t\r\n]:"  # or a space before a colon (a key the count of `":` would miss)


class _Plan(NamedTuple):
    schema: pl.Schema  # the table's schema, days and instants as text
    kinds: dict[str, frozenset[str]]  # field name (at any depth) -> its kinds
    nullable: dict[str, str]  # fields that may be null with a stand-in (`_nulls`), whose name is used once -> kind
    paths: dict[str, tuple[tuple[str, bool], ...]]  # a nullable name's records above it: (field, is a list)
    depth: int  # the deepest nesting of a valid file (the top-level array is 1)


def _kind(spec: Spec) -> str | None:
    if spec.kind == "list":
        return {"text": "texts", "struct": "structs"}.get(_KIND.get(spec.item.kind))
    return _KIND.get(spec.kind)


@cache
def _plan(collection: str) -> _Plan | None:
    """What the census of a file of `collection` looks for, or None if its fields have a kind it does not read."""
    model = COLLECTIONS[collection].model
    kinds, depth, ok = defaultdict(set), [0], [True]

    def walk(model, level: int) -> None:
        depth[0] = max(depth[0], level)
        for f in model_specs(model):
            kind = _kind(f.spec)
            if kind is None:
                ok[0] = False
                continue
            kinds[f.name].add(kind)
            if f.spec.kind == "struct":
                walk(f.spec.model, level + 1)
            elif kind == "structs":
                walk(f.spec.item.model, level + 2)
            elif kind == "texts":
                depth[0] = max(depth[0], level + 1)
    walk(model, 2)
    if not ok[0]:
        return None
    top, paths = {}, {}

    def nullable(model, above: tuple) -> None:  # a yes/no or number at the top, a text, day or instant anywhere
        for f in model_specs(model):
            if f.spec.nullable and _KIND.get(f.spec.kind) in (("text",) if above else ("bool", "text", "number")):
                top[f.name], paths[f.name] = _KIND[f.spec.kind], above
            elif f.spec.kind == "struct":
                nullable(f.spec.model, (*above, (f.name, False)))
            elif f.spec.kind == "list" and f.spec.item.kind == "struct":
                nullable(f.spec.item.model, (*above, (f.name, True)))
    nullable(model, ())
    counted = defaultdict(int)
    for name in kinds:
        counted[name] = 0

    def count(model) -> None:
        for f in model_specs(model):
            counted[f.name] += 1
            if f.spec.kind == "struct":
                count(f.spec.model)
            elif f.spec.kind == "list" and f.spec.item.kind == "struct":
                count(f.spec.item.model)
    count(model)
    return _Plan(json_read_schema(model, days_as_text=True), {k: frozenset(v) for k, v in kinds.items()},
                 {n: kind for n, kind in top.items() if counted[n] == 1}, paths, depth[0])


def read_census(raw: bytes, collection: str) -> pl.DataFrame | None:
    """The records of a file of `collection` (UTF-8, its BOM taken off) as Polars reads them (days and instants
    as text), or None when the census cannot prove that reading exact."""
    plan = _plan(collection) if collection in COLLECTIONS else None
    if plan is None or not _ARRAY.match(raw) or not _nests_within(raw, plan.depth):
        return None
    if b"\x7f" in raw or (b"\xc2" in raw and _C1_CONTROL.search(raw)):  # the exact path words these
        return None
    twofold = {name: (b"{" if "struct" in kinds else b"[") for name, kinds in plan.kinds.items() if len(kinds) > 1}
    text, t = pl.Series("t", [raw]).cast(pl.String, strict=False), pl.col("t")
    bad = _bad(collection)
    found = text.to_frame().select(  # one query for the passes over the text
        t.is_null().alias(" not UTF-8"), (t.str.contains(bad) if bad else pl.lit(False)).alias(" bad"),
        t.str.contains(_RARE).alias(" rare"), t.str.count_matches('":', literal=True).alias(" keys"),
        t.str.contains("null", literal=True).alias(" null"),
        *(t.str.count_matches(f'"{name}":{opens.decode()}', literal=True).alias(name)
          for name, opens in twofold.items())).row(0, named=True)
    if found[" not UTF-8"] or found[" bad"]:
        return None
    written, opened = found[" keys"], {name: found[name] for name in twofold}
    if found[" rare"]:
        if text.str.contains(_REFUSED).item():
            return None
        written += text.str.count_matches(r'"\s+:').item()
        opened = {name: n + raw.count(b'"%s": %s' % (name.encode(), twofold[name])) for name, n in opened.items()}
    del text  # its copy of the text, let go before Polars reads it
    raw, nulls = _nulls(raw, plan.nullable) if found[" null"] else (raw, {})
    if raw is None:
        return None
    schema = pl.Schema({k: (pl.Int64 if plan.nullable.get(k) == "bool" and k in nulls else v)
                        for k, v in plan.schema.items()})
    try:
        frame = pl.read_json(raw, schema=schema)
    except Exception:  # Polars refuses the text (not JSON, a value it cannot read as its field): the exact path
        return None
    cells: dict[tuple[str, str], int] = defaultdict(int)
    coerced: set[str] = set()
    _cells(frame.get_columns(), COLLECTIONS[collection].model, cells, coerced)
    if sum(cells.values()) != written or (coerced and _written(raw, collection, coerced)):
        return None
    for name, n in opened.items():  # a name of two kinds: its lists (or records) counted apart
        kinds = plan.kinds[name]
        if n != cells[(name, "struct" if "struct" in kinds else next(iter(kinds & {"texts", "structs"})))]:
            return None
    if nulls:
        told = [n for n in nulls if plan.nullable[n] != "bool"]
        if any((_cells_at(frame, plan.paths[n], n) == _READ_AS[plan.nullable[n]]).sum() != nulls[n] for n in told):
            return None  # a value of the file reads as the stand-in: not told apart
        frame = frame.with_columns(_restored(plan.paths[n], n, plan.nullable[n]) for n in nulls)
    return frame


def _cells_at(frame: pl.DataFrame, above: tuple, name: str) -> pl.Series:
    """The cells of the field `name` below the records `above` (lists of records flattened)."""
    names = [*(field for field, _ in above), name]
    s = frame.get_column(names[0])
    for (_, is_list), child in zip(above, names[1:]):
        s = (s.explode(empty_as_null=False) if is_list else s).struct.field(child)
    return s


def _restored(above: tuple, name: str, kind: str, get=pl.col) -> pl.Expr:
    """The column holding `name` (below the records `above`) with its stand-ins read back as null (a yes/no's 0
    and 1 as false and true)."""
    if above:
        field, is_list = above[0]
        inner = _restored(above[1:], name, kind, pl.field)
        e = get(field)
        return (e.list.eval(pl.element().struct.with_fields(inner)) if is_list else e.struct.with_fields(inner)).alias(field)
    e = get(name)
    return (pl.when(e != 2).then(e == 1) if kind == "bool" else pl.when(e != _READ_AS[kind]).then(e)).alias(name)


_MOST_NULLS = 200_000
_STAND_IN = {"bool": b"2   ", "text": b'"\\b"', "number": b"9e99"}
_READ_AS = {"text": "\b", "number": 9e99}
"""What a null is written as, as long as null (the text keeps its offsets), so that Polars reads it as a cell: the
integer 2 for a yes/no (read as a whole number: true and false are 1 and 0), a backspace for a text, 9e99 for a
number (a value written so in the file makes the counts differ)."""


def _nulls(raw: bytes, names: dict[str, str]) -> tuple[bytes | None, dict[str, int]]:
    """The text with the value null of each key in `names` written as its stand-in, and how many each name had
    (None when there are too many nulls to look at one by one)."""
    parts, found, at, seen, done = [], defaultdict(int), raw.find(b"null"), 0, 0
    while at >= 0:
        seen += 1
        if seen > _MOST_NULLS:
            return None, set()
        colon = at - 1
        while colon >= 0 and raw[colon] in b" \t\r\n":
            colon -= 1
        quote = colon - 1
        if colon > 0 and raw[colon] == 58 and raw[quote] == 34:  # `":` before the null: the name of its key
            name = raw[raw.rfind(b'"', 0, quote) + 1:quote].decode("ascii", "replace")
            if name in names:
                parts += [raw[done:at], _STAND_IN[names[name]]]
                done = at + 4
                found[name] += 1
        at = raw.find(b"null", at + 4)
    return (b"".join([*parts, raw[done:]]) if parts else raw), found


def _nests_within(raw: bytes, most: int) -> bool:
    """Whether the brackets nest at most 2 × `most` deep (each pass removes the innermost pairs, one or two
    levels); False when a string holds a bracket. Escaped backslashes, then escaped quotes, are taken out
    first, so that the quotes left delimit the strings."""
    structure = raw.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in raw else raw
    structure = structure.translate(None, _STRUCTURE).replace(b'""', b"")
    if b'"' in structure:  # a string holds a bracket
        return False
    for _ in range(most):
        structure = structure.replace(b"{}", b"").replace(b"[]", b"")
    return not structure


_PRINTED = r"^(?:-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|-?inf|NaN)$"
"""What Polars writes in a text column for a number or a yes/no of the JSON text (3 → "3", 1e2 → "100", true
→ "true"; tests/test_json_census.py pins it), and so what a text cell that was not written as a string reads as."""
_NOT_LIST = r"[^\[n\s]"
_NOT_TEXTS = rf'\[\s*(?:{_STRING}\s*,\s*)*[^"\s\]]'  # a list with an item that is not a string
_VALUES = {"int": r"[^-0-9n\s]|-?[0-9]+[.eE]|-?[0-9]{19}", "number": r"[^-0-9n\s]", "texts": _NOT_LIST,
           "bool": r"[^tfn\s]"}
"""A value of a name of one kind that Polars would coerce into its column (a yes/no only where it is read as a
whole number, through its stand-in); a text's is told by its cells (`_cells`), a record's and a list of
records' Polars refuses."""
_TWOFOLD = {"texts": r"[^\[tfn\s]"}  # (`skills`) a yes/no of one record, a list of text of another


@cache
def _bad(collection: str) -> str | None:
    """One regular expression matching a key of a name whose value Polars would coerce, followed by a value not
    of its kind (the text is JSON, as Polars checks when it reads it: a number is well formed); None when no
    name of the collection can be coerced unseen. Null passes here: it is read as no cell, or as its stand-in
    (`_nulls`), so the count of cells tells it."""
    plan = _plan(collection)
    by_values = defaultdict(list)
    for name, kinds in plan.kinds.items():
        if len(kinds) == 1:
            kind = next(iter(kinds))
            values = _VALUES.get(kind) if kind != "bool" or name in plan.nullable else None
        elif len(kinds) == 2 and "bool" in kinds and kinds - {"bool"} <= {"texts", "struct", "structs"}:
            values = _TWOFOLD.get(next(k for k in kinds if k != "bool"))  # a record or a list of records: refused
        else:
            return r"[\s\S]"  # no census for such a name: every file matches
        if values is not None:
            by_values[values].append(re.escape(name))
    return "|".join(rf'"(?:{"|".join(sorted(names))})"\s*:\s*(?:{values})'
                    for values, names in sorted(by_values.items())) or None


def _written(raw: bytes, collection: str, names: set[str]) -> bool:
    """Whether a key of one of `names` (whose cells read as `_PRINTED`) is followed by a value that is not a
    string (a text) or a list of strings only (a list of text) in the text."""
    kinds = _plan(collection).kinds
    texts = sorted(re.escape(n) for n in names if "texts" in kinds[n])
    scalars = sorted(re.escape(n) for n in names if "texts" not in kinds[n])
    pattern = "|".join([*([rf'"(?:{"|".join(scalars)})"\s*:\s*[^"n\s]'] if scalars else []),
                        *([rf'"(?:{"|".join(texts)})"\s*:\s*{_NOT_TEXTS}'] if texts else [])])
    return bool(pl.Series([raw]).cast(pl.String).str.contains(pattern).item())


def _printed(texts: pl.Series) -> bool:
    """Whether a text reads as `_PRINTED` (a number or a yes/no: a superset, quicker than the expression)."""
    return bool((texts.cast(pl.Float64, strict=False).is_not_null() | (texts == "true") | (texts == "false")).any())


def _looked_at(spec: Spec) -> bool:
    """Whether a text cell of `spec` could pass its column checks if it were a printed number or yes/no."""
    return spec.kind == "str" and (spec.choices is None or any(re.match(_PRINTED, c) for c in spec.choices))


def _cells(columns: list[pl.Series], model, cells: dict, coerced: set[str]) -> None:
    """Count the non-empty cells of `columns` (the fields of `model`), nested records included, by name and kind;
    add to `coerced` the name of each text field or list of text with a cell (item) that reads as `_PRINTED`."""
    specs = {f.name: f.spec for f in model_specs(model)}
    for s in columns:
        spec = specs[s.name]
        cells[(s.name, _kind(spec))] += len(s) - s.null_count()
        if s.name not in coerced and (_looked_at(spec) or (spec.kind == "list" and _looked_at(spec.item))):
            if _printed(s if spec.kind != "list" else s.explode(empty_as_null=False)):
                coerced.add(s.name)
        if spec.kind in ("struct", "list") and (spec.kind == "struct" or spec.item.kind == "struct"):
            present = s.drop_nulls() if s.null_count() else s
            if spec.kind == "list":
                present = present.explode(empty_as_null=False)
                present = present.drop_nulls() if present.null_count() else present
            _cells(present.struct.unnest().get_columns(), spec.model or spec.item.model, cells, coerced)
