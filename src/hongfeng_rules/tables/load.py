"""`load_tables`: a dataset file, folder, workbook, CSV/Parquet file or database read straight into tables,
validated column-wise with the guarantees of `load_dataset` (same problems, same words), no model
instance built for a valid record."""
from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from ..errors import InputError, fail
from ..gcpause import paused_gc
from .. import manifest
from ..loading import RecordLocator, data_entries, document_sources, folder_sources
from ..models import COLLECTIONS
from ..safe_load import DEFAULT_LIMITS, Document, Limits, read_document
from ..validation.integrity import check_tables
from ..validation.problems import from_issue
from ..validation.rows import confirm, read_collection, settle
from ..validation.screen import Pools, finish
from .frames import Tables
from .json_text import confirm_complete, read_json_fast, read_text_fast
from .parquet import typed_source


def load_tables(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, *, mapping=None,
                encoding: str | None = None) -> Tables:
    """Validated `Tables`, or InputError listing every problem found (as `load_dataset` does)."""
    return load_tables_located(path, limits, mapping=mapping, encoding=encoding)[0]


def load_tables_located(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, *, mapping=None,
                        encoding: str | None = None) -> tuple[Tables, TableLocator]:
    """`load_tables`, and where each record is (file and line), for reports that point at records."""
    from .. import sources

    mapping = sources.load_mapping(mapping, limits)
    with paused_gc():
        if sources.is_url(path):
            found = build(sources.url_sources(str(path), mapping, limits), limits)
        elif Path(path).is_dir():  # a manifest in the folder: files and SHA-256s first, record counts after
            listed = manifest.verify_folder(Path(path), limits, data_entries(Path(path), mapping))
            found = build(folder_sources(Path(path), limits, mapping, encoding, read=_read_member,
                                          read_table=_read_table, verify=False), limits)
            manifest.verify_records(listed, str(path), found[1].located, lambda c: _height(found[0].get(c)))
        elif Path(path).exists():
            path = Path(path)
            typed = _typed_file(path, mapping, limits)
            if typed is not None:
                found = build(typed, limits)
            elif path.suffix.lower() in sources.SUFFIXES:
                found = build(sources.file_sources(path, mapping, encoding, limits), limits)
            else:
                found = build(_single_file(_read(path, limits)), limits)
        else:
            raise fail(str(path), "no such file or folder")
    return found


def _height(frame: pl.DataFrame | None) -> int:
    return 0 if frame is None else frame.height


def _read(path: Path, limits: Limits) -> Document:
    return read_json_fast(path, limits) if Path(path).suffix.lower() == ".json" else read_document(path, limits)


def _read_member(path: Path, limits: Limits) -> Document:
    """A folder's COLLECTION.json (its shape census first: `json_census`), .yaml or .yml file."""
    if Path(path).suffix.lower() == ".json":
        return read_json_fast(path, limits, Path(path).stem)
    return read_document(path, limits)


def _read_table(path: Path, collection: str, mapping, encoding, limits: Limits):
    """A CSV or Parquet file of a folder: typed columns straight in (tables.parquet), else as `sources` reads it."""
    from .. import sources

    if path.suffix.lower() == ".parquet" and not (mapping and mapping.collections):
        typed = typed_source(path, collection, limits)
        if typed is not None:
            return typed
    return sources.file_source(path, collection, mapping, encoding, limits)


def _typed_file(path: Path, mapping, limits: Limits) -> dict | None:
    """The source of one Parquet file named after its collection that carries the tables' schema."""
    if path.suffix.lower() != ".parquet" or (mapping and mapping.collections) or path.stem not in COLLECTIONS:
        return None
    typed = typed_source(path, path.stem, limits)
    return None if typed is None else {path.stem: lambda: typed}


def _single_file(doc: Document) -> dict:
    try:
        sources = document_sources(doc)
    except InputError:
        confirm(doc)
        raise
    doc.top_keys = len(doc.data)
    return sources


def build(sources: dict, limits: Limits) -> tuple[Tables, TableLocator]:
    """Read and validate each collection, then check the dataset as a whole. The collections of one document
    (already in memory) are screened together, in one query (`validation.screen`); so are consecutive files of
    one collection each while they hold at most `FILES_TOGETHER` records in all, and a larger file is read,
    screened and let go before the next is opened."""
    found = build_each([sources], limits)[0]
    if isinstance(found, InputError):
        raise InputError(found.problems)  # not `found`: this frame, in the traceback, holds it
    return found


def build_each(each: list, limits: Limits) -> list:
    """`build` of several datasets' sources (each its own problems: one's bad data changes no other's answer),
    their documents' collections screened together in one query: (tables, locator) or the InputError of each."""
    pools, opened = Pools(), []
    for sources in each:
        try:
            opened.append(_opened(sources, limits, pools))
        except InputError as exc:
            opened.append(_kept(exc))
    tables = [[read.table for _, _, read, _ in o[3] if read is not None and read.table is not None]
              for o in opened if not isinstance(o, InputError)]
    if any(tables):
        pools.evaluate()
    screened = iter(finish([t for some in tables for t in some]))
    out = []
    for o in opened:
        if isinstance(o, InputError):
            out.append(o)
            continue
        mine = iter([next(screened) for _ in tables.pop(0)])  # taken whole, whatever its settling raises
        try:
            out.append(_built(*o, mine, limits))
        except InputError as exc:
            out.append(_kept(exc))
    return out


def _kept(exc: InputError) -> InputError:
    """The problems of `exc` in a new InputError, with no traceback or context: kept with others, the original's
    frames (and the callers they hold) would make a reference cycle with the list that holds it."""
    return InputError(exc.problems)


def _opened(sources: dict, limits: Limits, pools: Pools) -> tuple:
    """A dataset's collections read: those of its own files screened and settled, those of one document read
    into `pools` (`together`, screened once the pools are evaluated)."""
    found, frames, located, together, files, held = {}, {}, {}, [], [], 0
    file_pools = Pools()
    for name, open_source in sources.items():
        try:
            doc, keys = open_source()
        except InputError as exc:
            found[name] = exc.problems
            continue
        located[name] = (doc, keys)
        found[name] = list(getattr(doc, "problems", ()))  # a table's cells that could not be read (sources.table)
        failed = getattr(doc, "failed", frozenset())
        if keys:  # a strict reader's refusal of the document is its only problem: raised
            together.append((name, doc, read_collection(name, doc, keys, found[name], pools), failed))
            continue
        try:
            read = read_collection(name, doc, keys, found[name], file_pools)
        except InputError as exc:  # the strict reader refused a fast-read file: its problem is the file's
            found[name] = exc.problems
            doc.data = doc.strict = None
            continue
        files.append((name, doc, read, failed))
        held += len(read.data) if read is not None and read.table is not None else 0
        if held > FILES_TOGETHER:
            _settle_all(files, file_pools, found, frames, limits)
            files, file_pools, held = [], Pools(), 0
    _settle_all(files, file_pools, found, frames, limits)
    return sources, found, frames, together, located


def _built(sources: dict, found: dict, frames: dict, together: list, located: dict, screened,
           limits: Limits) -> tuple[Tables, TableLocator]:
    """The dataset's tables once its document's collections are screened (`screened`, in order), checked whole."""
    _settle_together(together, screened, found, frames, limits)
    for doc in {id(d): d for _, d, _, _ in together}.values():  # one file holds the dataset
        confirm_complete(doc, getattr(doc, "top_keys", 0))
        doc.data = doc.strict = None
    problems = [p for name in sources if name in found for p in found[name]]
    if problems:
        raise InputError(problems)
    tables = Tables({name: frames.get(name) for name in COLLECTIONS})
    issues = check_tables(tables)
    if issues:
        raise InputError([from_issue(i, located) for i in issues])
    return tables, TableLocator(tables, located)


FILES_TOGETHER = 20_000
"""Records of consecutive one-collection files screened together (their Python records are held meanwhile)."""


def _settle_all(entries: list, pools: Pools, found: dict, frames: dict, limits: Limits) -> None:
    """The tables of collections of their own files read into `pools`: evaluated, finished and settled together.
    One whose text the strict reader refuses has that refusal as its problem, and its records are let go."""
    if not entries:
        return
    pools.evaluate()
    screened = iter(finish([read.table for _, _, read, _ in entries if read is not None and read.table is not None]))
    for name, doc, read, failed in entries:
        done = next(screened) if read is not None and read.table is not None else None
        try:
            frames[name] = _settled(read, found[name], failed, doc, limits, done)
            confirm_complete(doc)
        except InputError as exc:
            found[name] = exc.problems
        doc.data = doc.strict = None


def _settle_together(entries: list, screened, found: dict, frames: dict, limits: Limits) -> None:
    """The tables of one document's collections, screened (`screened`, in order); in one document the strict
    reader's refusal is raised (it is the document's only problem)."""
    for name, doc, read, failed in entries:
        done = next(screened) if read is not None and read.table is not None else None
        frames[name] = _settled(read, found[name], failed, doc, limits, done)


def _settled(read, problems: list, failed: frozenset, doc: Document, limits: Limits,
             screened=None) -> pl.DataFrame | None:
    """The collection's table (`rows.settle`); the strict reader asked when a list may pass the records limit."""
    frame = settle(read, problems, failed, screened)
    longest = getattr(doc, "longest_list", None)  # the screen counted the items of every list it read
    if frame is not None and (longest if longest is not None else _longest_list(frame)) > limits.max_records:
        confirm(doc)
    return frame


def _longest_list(frame: pl.DataFrame) -> int:
    """The most items in any list cell of the table (nested lists included)."""
    longest, columns = 0, [frame[c] for c in frame.columns]
    while columns:
        s = columns.pop()
        if isinstance(s.dtype, pl.List):
            longest = max(longest, s.list.len().max() or 0)
            columns.append(s.explode(empty_as_null=True))
        elif isinstance(s.dtype, pl.Struct):
            columns.extend(s.struct.unnest().get_columns())
    return longest


class TableLocator(RecordLocator):
    """`RecordLocator` over tables: a record's position from the table's id column."""

    def ids(self, collection: str) -> dict[str, int]:
        frame = self.dataset.get(collection)
        if frame is None or "id" not in frame.columns:
            return {}
        return {rid: i for i, rid in enumerate(frame["id"].to_list())}


def tables_from_data(data, file: str = "data", limits: Limits = DEFAULT_LIMITS) -> Tables:
    """Validated `Tables` from a host's plain data (a mapping of collection name to a list of record dicts),
    converted once; problems name `file` as a dataset file's would (without lines)."""
    with paused_gc():
        return build(_single_file(Document(data, file)), limits)[0]


def tables_from_files(files: list[tuple[str, bytes]], limits: Limits = DEFAULT_LIMITS,
                      mapping=None) -> tuple[Tables, TableLocator]:
    """Tables from files held in memory (uploads), read as `loading.located_from_files` reads them (same problems,
    word for word), validated column-wise; and where each record is."""
    from ..loading import located_from_files
    return located_from_files(files, limits, mapping, build=lambda sources: build(sources, limits),
                              count=lambda tables, collection: _height(tables.get(collection)),
                              read_text=read_text_fast, sources_of=_single_file)


def tables_from_files_each(uploads: list[list[tuple[str, bytes]]], limits: Limits = DEFAULT_LIMITS,
                           mapping=None) -> list:
    """`tables_from_files` of each upload, (tables, locator) or its InputError: each read as alone (same problems,
    word for word; one's bad data changes no other's answer), the documents' collections of all of them screened
    together in one query (`build_each`); an upload with a manifest is read alone."""
    from ..loading import located_from_files

    out: list = [None] * len(uploads)
    each: dict[int, dict] = {}
    with paused_gc():
        for i, files in enumerate(uploads):
            try:
                if any(os.path.basename(name) == manifest.NAME for name, _ in files):
                    out[i] = tables_from_files(files, limits, mapping)
                else:
                    each[i] = located_from_files(files, limits, mapping, build=lambda sources: sources,
                                                 read_text=read_text_fast, sources_of=_single_file)
            except InputError as exc:
                out[i] = _kept(exc)
        for i, found in zip(each, build_each(list(each.values()), limits)):
            out[i] = found
    return out
