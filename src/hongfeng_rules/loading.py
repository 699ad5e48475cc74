"""Load a dataset as a pydantic `Dataset`: from JSON or YAML (one file, or a folder with one file per collection),
Excel, CSV, Parquet or SQL databases (read by `sources` into the same records).

There is one validation: the sources read here are validated column-wise into `Tables` (`tables.load`,
`validation`), and the tables are converted to model instances once (`to_dataset`). Every problem is reported at
once, each naming file, record (index and id), field and reason; nothing is half-loaded: either a valid Dataset
comes back or InputError is raised.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from .errors import InputError, Problem, fail
from .gcpause import paused_gc
from .models import COLLECTIONS, Dataset
from .safe_load import DEFAULT_LIMITS, FORMATS, Document, Limits, read_document, read_text_document, too_big


Source = Callable[[], tuple[Document, tuple]]  # reads (or returns) the document and the key path of a collection


def load_dataset(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, *, mapping=None,
                 encoding: str | None = None) -> Dataset:
    """A validated Dataset, or InputError listing every problem found.

    `path` is a JSON/YAML file, an Excel workbook, a CSV or Parquet file, a folder of such files, or a
    database URL; `mapping` (a file or `sources.Mapping`) says which sheet and column is which, and
    `encoding` names a CSV file's encoding (default: found)."""
    return load_located(path, limits, mapping=mapping, encoding=encoding)[0]


def load_located(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, *, mapping=None,
                 encoding: str | None = None) -> tuple[Dataset, RecordLocator]:
    """`load_dataset`, and where each record is (file and line), for reports that point at records."""
    from .tables.load import load_tables_located

    tables, where = load_tables_located(path, limits, mapping=mapping, encoding=encoding)
    dataset = to_dataset(tables)
    return dataset, RecordLocator(dataset, where.located)


def dataset_from_document(doc: Document) -> Dataset:
    """A Dataset from an already-read document (e.g. a rule test case's fragment)."""
    return located_from_sources(document_sources(doc))[0]


def dataset_from_files(files: list[tuple[str, bytes]], limits: Limits = DEFAULT_LIMITS, mapping=None) -> Dataset:
    """A Dataset from files held in memory (uploads), read as `load_dataset` reads them from disk: one file
    is read as a file is (JSON, YAML, a workbook, or one CSV/Parquet collection); several as a folder is,
    each file one collection by its name (a workbook's sheets, several). `mapping`: a column mapping
    (`sources.load_mapping`) for workbooks, CSV and Parquet."""
    return located_from_files(files, limits, mapping)[0]


def located_from_files(files: list[tuple[str, bytes]], limits: Limits = DEFAULT_LIMITS,
                       mapping=None, *, build=None, count=None, read_text=None,
                       sources_of=None) -> tuple[Dataset, RecordLocator]:
    """`dataset_from_files`, and where each record is (the upload's name and line). `build(sources)` validates
    the sources read (default: into a Dataset) and `count(dataset, collection)` counts a collection's records
    for a manifest (tables.tables_from_files passes its own, for tables); `read_text` reads a JSON or YAML
    upload (default `read_text_document`), `sources_of` a dataset file's collections (tables.load reads
    JSON fast and settles it so)."""
    build = build or (lambda sources: located_from_sources(sources, limits))
    read_text, sources_of = read_text or read_text_document, sources_of or document_sources
    count = count or (lambda dataset, c: len(getattr(dataset, c) or []))
    from .manifest import verify_records, verify_uploads
    from .sources import SUFFIXES, bytes_sources, load_mapping

    if not files:
        raise fail("upload", "no files were sent")
    mapping = load_mapping(mapping, limits)
    manifest, files = verify_uploads(files, limits)  # a manifest.json sent with them is checked before any is read
    if manifest is not None:
        found = located_from_files(files, limits, mapping, build=build, count=count, read_text=read_text,
                                   sources_of=sources_of)
        verify_records(manifest, "", found[1].located, lambda c: count(found[0], c))
        return found
    problems = []
    for name, raw in files:
        if len(raw) > limits.max_file_bytes:
            problems.append(Problem(name, f"file is {len(raw)} bytes; the limit is {limits.max_file_bytes}"))
    if problems:
        raise InputError(problems)
    if len(files) == 1 and Path(files[0][0]).suffix.lower() in FORMATS:
        name, raw = files[0]
        with paused_gc():
            return build(sources_of(read_text(raw, name, FORMATS[Path(name).suffix.lower()], limits)))
    sources: dict[str, Source] = {}
    for name, raw in files:
        suffix = Path(name).suffix.lower()
        try:
            if suffix in FORMATS:
                if Path(name).stem not in COLLECTIONS:
                    raise fail(name, f"file name must be a collection name; known: {sorted(COLLECTIONS)}")
                found = {Path(name).stem: lambda name=name, raw=raw, suffix=suffix: (
                    read_text(raw, name, FORMATS[suffix], limits), ())}
            elif suffix in SUFFIXES:
                found = bytes_sources(lambda raw=raw: raw, name, mapping, None, limits)
            else:
                raise fail(name, f"unsupported file type; expected one of {', '.join(sorted({*SUFFIXES, *FORMATS}))}")
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for collection, source in found.items():
            if collection in sources:
                problems.append(Problem(name, f"collection {collection} is given twice"))
            else:
                sources[collection] = source
    if problems:
        raise InputError(problems)
    with paused_gc():
        return build(sources)


class RecordLocator:
    """The file and 1-based line of a record, by collection and id; lines are looked up only when asked (a JSON
    file is then scanned again), so loading pays nothing for it."""

    def __init__(self, dataset: Dataset, located: dict[str, tuple[Document, tuple]]):
        self.dataset, self.located = dataset, located
        self.positions: dict[str, dict[str, int]] = {}

    def __call__(self, collection: str, record_id: str) -> tuple[str, int | None] | None:
        """(file, line) of the record, (file, line of the collection) for an id it lacks, None for a collection
        the dataset does not have."""
        if collection not in self.located:
            return None
        doc, keys = self.located[collection]
        if collection not in self.positions:
            self.positions[collection] = self.ids(collection)
        index = self.positions[collection].get(record_id)
        return self.rename(doc.file), doc.line_of(keys + ((index,) if index is not None else ()))

    def ids(self, collection: str) -> dict[str, int]:
        """Each record's position by id (the last of a repeated id)."""
        return {r.id: i for i, r in enumerate(getattr(self.dataset, collection) or [])}

    def rename(self, file: str) -> str:
        return file

    def as_read_from(self, label: str) -> RecordLocator:
        """The same locations, with the files named as `load_located(label)` names them: the file itself when
        one file holds the dataset, else `label/<file>` (uploads named like the folder they came from)."""
        renamed = type(self)(self.dataset, self.located)
        single = len({doc.file for doc, _ in self.located.values()}) == 1
        renamed.rename = (lambda file: label) if single else (lambda file: str(Path(label) / Path(file).name))
        return renamed


def located_from_sources(sources: dict[str, Source], limits: Limits = DEFAULT_LIMITS) -> tuple[Dataset, RecordLocator]:
    """The sources validated column-wise (`tables.load.build`), then converted to a Dataset once."""
    from .tables.load import build

    tables, where = build(sources, limits)
    dataset = to_dataset(tables)
    return dataset, RecordLocator(dataset, where.located)


def to_dataset(tables) -> Dataset:
    """The `Dataset` of validated `Tables`: each collection's rows as model instances (`record_view.records`)."""
    from .record_view import records

    with paused_gc():  # many small objects, none of them garbage
        return Dataset.model_construct(**{name: None if tables.get(name) is None else records(name, tables.get(name))
                                          for name in COLLECTIONS})


def document_sources(doc: Document) -> dict[str, Source]:
    """One source per collection of a dataset file's document (its mapping of collection name to records)."""
    if not isinstance(doc.data, dict):
        raise fail(doc.file, "a dataset file holds a mapping of collection name to a list of records", line=1)
    unknown = sorted(set(doc.data) - set(COLLECTIONS))
    if unknown:
        raise InputError([Problem(doc.file, f"unknown collection {k!r}; known: {sorted(COLLECTIONS)}",
                                  line=doc.line_of((k,)), field=k) for k in unknown])
    return {name: (lambda name=name: (doc, (name,))) for name in doc.data if doc.data[name] is not None}


def load_folder(folder: Path, limits: Limits = DEFAULT_LIMITS, mapping=None, encoding: str | None = None, *,
                verify: bool = True) -> tuple[Dataset, RecordLocator]:
    """A dataset folder, read and validated; a `manifest.json` in it is verified first (`verify`): its files and
    SHA-256s before anything is read, its record counts after."""
    from . import manifest
    from .sources import load_mapping

    mapping = load_mapping(mapping, limits)
    listed = manifest.verify_folder(folder, limits, data_entries(folder, mapping)) if verify else None
    found = located_from_sources(folder_sources(folder, limits, mapping, encoding, verify=False), limits)
    manifest.verify_records(listed, str(folder), found[1].located, lambda c: len(getattr(found[0], c) or []))
    return found


def data_entries(folder: Path, mapping=None) -> list[Path]:
    """The folder's entries a dataset is read from: all but hidden ones (a name starting with '.'), those the
    mapping ignores and the manifest."""
    from . import sources as tabular
    from .manifest import NAME

    try:
        found = sorted(folder.iterdir())
    except OSError as exc:
        raise fail(str(folder), f"cannot list the folder: {exc.strerror or exc}") from None
    return [p for p in found if not p.name.startswith(".") and not tabular.ignored(p, mapping) and p.name != NAME]


def folder_sources(folder: Path, limits: Limits, mapping=None, encoding: str | None = None,
                    read=read_document, read_table=None, verify: bool = True) -> dict[str, Source]:
    """One source per COLLECTION.json/.yaml/.yml/.csv/.parquet (suffix in any case) of `data_entries`; any
    other entry is an error naming it, and so is each JSON/YAML file over the size limit, before any is read.
    `read` reads a JSON or YAML file (`tables.load` reads JSON fast), `read_table` a CSV or Parquet file;
    `verify`: the folder's manifest (its files and SHA-256s) first."""
    from . import manifest
    from . import sources as tabular

    entries = data_entries(folder, mapping)
    if verify:
        manifest.verify_folder(folder, limits, entries)
    read_table = read_table or tabular.file_source
    sources: dict[str, Source] = {}
    seen: dict[str, Path] = {}
    problems = []
    known = set(FORMATS) | tabular.FOLDER_SUFFIXES
    if not any(p.suffix.lower() in known for p in entries):
        raise fail(str(folder), "no .json, .yaml, .csv or .parquet files in this folder")
    for p in entries:
        suffix = p.suffix.lower()
        name = tabular.collection_of(p.stem, mapping) if suffix in tabular.FOLDER_SUFFIXES else p.stem
        if suffix not in known:
            kind = "folder" if p.is_dir() else "file"
            problems.append(Problem(str(p), f"unknown {kind} in a dataset folder (expected COLLECTION.json, .yaml, "
                                            ".yml, .csv or .parquet; names starting with '.' are skipped)"))
        elif name not in COLLECTIONS:
            problems.append(Problem(str(p), f"file name must be a collection name; known: {sorted(COLLECTIONS)}"))
        elif name in seen:
            problems.append(Problem(str(p), f"collection {name} is given twice (also {seen[name]})"))
        else:
            seen[name] = p
            tabular_file = suffix in tabular.FOLDER_SUFFIXES
            sources[name] = (lambda p=p, name=name, tabular_file=tabular_file:
                             read_table(p, name, mapping, encoding, limits) if tabular_file
                             else (read(p, limits), ()))
    if problems:
        raise InputError(problems)
    raise_if_too_big([p for p in seen.values() if p.suffix.lower() in FORMATS], limits)
    return sources


def raise_if_too_big(files: list[Path], limits: Limits) -> None:
    """InputError naming each file larger than `limits.max_file_bytes`, before any of a folder's files is parsed (as
    its reader would word it; a file that cannot be looked at is left to its reader)."""
    problems = []
    for p in files:
        try:
            size = os.stat(p).st_size
        except (OSError, ValueError):
            continue
        if size > limits.max_file_bytes:
            problems.extend(too_big(str(p), size, limits).problems)
    if problems:
        raise InputError(problems)
