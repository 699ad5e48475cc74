"""A collection's records as its table: the screen's surely valid rows as read, every suspect row
validated by its model, whose errors are the problems (as the per-record loader words them)."""
from __future__ import annotations

from functools import cache
from typing import NamedTuple

import polars as pl
from pydantic import TypeAdapter, ValidationError

from ..errors import Problem
from ..models import COLLECTIONS
from ..safe_load import Document
from ..sources.parquet import given
from ..tables.schema import table_schema
from .problems import from_error
from .screen import Pools, Screened, finish, prepare


def confirm(doc: Document) -> Document:
    """InputError if `doc` was read fast and the strict reader refuses its text (a duplicate key, …);
    else the strict reader's document (`doc` itself if it was not read fast)."""
    check = getattr(doc, "confirm", None)
    return doc if check is None else check()


@cache
def _adapter(model) -> TypeAdapter:
    return TypeAdapter(model)


class Read(NamedTuple):
    """A collection read into the pools (`screen.prepare`), or already typed (`frame`, `suspect`)."""
    name: str
    doc: Document
    keys: tuple
    data: object  # the records (or a typed table's `_Rows`)
    table: object = None  # screen's table, finished once the pools are evaluated
    frame: pl.DataFrame | None = None
    suspect: list[int] = ()


def read_collection(name: str, doc: Document, keys: tuple, problems: list[Problem], pools: Pools) -> Read | None:
    """The collection's records read into `pools`; None with a problem if they are not a list."""
    typed = getattr(doc, "typed", None)
    if typed is not None:  # typed columns (tables.parquet), checked in place
        frame, doubt = typed
        suspect = doubt.arg_true().to_list()
        return Read(name, doc, keys, _Rows(getattr(doc, "frame"), suspect), frame=frame, suspect=suspect)
    data = doc.data
    for k in keys:
        data = data[k]
    if not isinstance(data, list):
        confirm(doc)
        problems.append(Problem(doc.file, f"{name} must be a list of records", line=doc.line_of(keys), field=name))
        return None
    return Read(name, doc, keys, data, table=prepare(COLLECTIONS[name].model, data, pools))


def settle(read: Read | None, problems: list[Problem], failed: frozenset = frozenset(),
           screened: Screened | None = None) -> pl.DataFrame | None:
    """The table of a collection read (once its pools are evaluated; `screened`: its table already finished,
    with others, by `screen.finish`): every suspect row validated by its model; None with the problems added
    if one is refused."""
    if read is None:
        return None
    name, doc, keys, data, frame, suspect = read.name, read.doc, read.keys, read.data, read.frame, read.suspect
    model = COLLECTIONS[name].model
    if read.table is not None:
        frame, suspect, keys_read, doc.longest_list = screened or finish([read.table])[0]
        doc.keys_read = getattr(doc, "keys_read", 0) + keys_read
    if not suspect:
        return frame
    strict = confirm(doc)  # a fast-read file with a suspect record: the strict reader's verdict on its text first
    if strict is not doc:  # and its records, as the models see them (the fast decoder reads a huge integer as a float)
        data = strict.data
        for k in keys:
            data = data[k]
    fixed, refused = [], False
    for i in sorted(suspect):
        try:
            fixed.append(_adapter(model).validate_python(data[i]).model_dump())
        except ValidationError as exc:
            refused = True
            for err in exc.errors(include_url=False):
                loc = (i, *err["loc"])
                if loc[:2] not in failed:
                    problems.append(from_error(name, doc, keys, data, {**err, "loc": loc}))
    if refused:
        return None
    index = pl.Series("__row", sorted(suspect), dtype=pl.UInt32)
    good = frame.with_row_index("__row").filter(~pl.col("__row").is_in(index.implode()))
    patched = pl.DataFrame(fixed, schema=table_schema(model), strict=False).with_columns(index)
    return pl.concat([good, patched.select(good.columns)]).sort("__row").drop("__row")


class _Rows:
    """The records of a typed table's suspect rows, as the model reads them (an empty cell: not given)."""

    def __init__(self, frame: pl.DataFrame, rows: list[int]):
        self.n = frame.height
        self.records = {i: given(frame.row(i, named=True)) for i in rows}

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> dict:
        return self.records[i]
