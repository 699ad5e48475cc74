"""Data where it lives: Excel workbooks, CSV and Parquet files, SQL databases.

Each reader turns its tables into plain records per collection (`table.TableDocument`), which the loader
validates like a JSON file's, so every problem still names file, sheet, row and cell. The readers' own
libraries are optional extras (`excel`, `parquet`, `sql`); a missing one is a plain error naming it.

    load_dataset("roster.xlsx", mapping="mapping.yaml")        # hongfeng_rules.load_dataset
    load_dataset("postgresql://audit@db.local/platform", mapping="mapping.yaml")
    load_upload(data, "members.csv")                            # uploaded bytes with their file name
    load_frames({"members": arrow_table, "teams": polars_frame})  # in-memory Arrow or Polars tables
"""
from __future__ import annotations

import importlib
import os
import stat
from pathlib import Path
from typing import Callable

from ..errors import InputError, Problem, fail
from ..limit_names import larger_than_limit
from ..safe_load import DEFAULT_LIMITS, FORMATS, Limits, read_text_document
from .mapping import EMPTY, INSTRUCTIONS_SHEET, Mapping, load_mapping
from .table import table_document

__all__ = ["Mapping", "load_mapping", "load_upload", "load_frames", "SUFFIXES", "is_url"]

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
FOLDER_SUFFIXES = {".csv", ".parquet"}  # one collection per file, in a folder or alone
SUFFIXES = EXCEL_SUFFIXES | FOLDER_SUFFIXES
EXTRAS = {"python_calamine": "excel", "openpyxl": "excel", "pyarrow": "parquet", "sqlalchemy": "sql"}


def need(module: str, file: str):
    """Import an optional library, or say which extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS[module]
        raise fail(file, f"reading this needs the optional extra {extra!r}: pip install "
                         f"\"hongfeng-rules[{extra}]\"") from None


def is_url(path) -> bool:
    return isinstance(path, str) and "://" in path


def collection_of(name: str, mapping: Mapping | None) -> str | None:
    """The collection a sheet or a file (by its name without suffix) holds."""
    return (mapping or EMPTY).collection_named(name)


def ignored(path: Path, mapping: Mapping | None) -> bool:
    return bool(mapping) and (path.name in mapping.ignore or path.stem in mapping.ignore)


def read_bytes(path: Path, limits: Limits) -> bytes:
    """A file's bytes, within the size limit."""
    file = str(path)
    try:
        st = os.stat(file)
        if not stat.S_ISREG(st.st_mode):
            raise fail(file, "not a regular file")
        if st.st_size > limits.max_file_bytes:
            raise fail(file, larger_than_limit(st.st_size, limits.max_file_bytes))
        with open(file, "rb") as f:
            return f.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise fail(file, f"cannot read file: {exc.strerror or exc}") from None


def _tables(data: bytes, file: str, suffix: str, encoding: str | None, limits: Limits = DEFAULT_LIMITS):
    if suffix == ".csv":
        from .csv import read_csv
        return [read_csv(data, file, encoding)]
    from .parquet import read_parquet
    return [read_parquet(data, file, limits)]


def file_source(path: Path, collection: str, mapping: Mapping, encoding: str | None, limits: Limits):
    """(document, key path) of one CSV or Parquet file holding `collection` (a loader Source's result)."""
    tables = _tables(read_bytes(path, limits), str(path), path.suffix.lower(), encoding, limits)
    return table_document(collection, tables, mapping or EMPTY, limits.max_records), ()


def file_sources(path: Path, mapping: Mapping, encoding: str | None, limits: Limits) -> dict[str, Callable]:
    """The loader's sources of one workbook, CSV or Parquet file."""
    return bytes_sources(lambda: read_bytes(path, limits), str(path), mapping, encoding, limits)


def bytes_sources(read: Callable[[], bytes], file: str, mapping: Mapping, encoding: str | None,
                  limits: Limits) -> dict[str, Callable]:
    suffix = os.path.splitext(file)[1].lower()
    if suffix in EXCEL_SUFFIXES:
        from .excel import workbook_sources
        return workbook_sources(read(), file, mapping, limits)
    stem = os.path.splitext(os.path.basename(file))[0]
    collection = collection_of(stem, mapping)
    if collection is None:
        raise fail(file, f"the file's name {stem!r} names no collection, and the mapping gives it none "
                         "(name it members.csv, 队员.csv, … or give a mapping)")
    return {collection: lambda: (table_document(collection, _tables(read(), file, suffix, encoding, limits), mapping,
                                                limits.max_records), ())}


def url_sources(url: str, mapping: Mapping, limits: Limits) -> dict[str, Callable]:
    from .sql import database_sources
    return database_sources(url, mapping, limits)


def load_upload(data: bytes, filename: str, mapping=None, *, encoding: str | None = None,
                limits: Limits = DEFAULT_LIMITS):
    """A validated Dataset from uploaded bytes; `filename` (its base name is used) says the format and,
    for CSV/Parquet, the collection. Problems name the file by that name."""
    from ..loading import document_sources, located_from_sources
    from ..gcpause import paused_gc

    file = os.path.basename(filename.replace("\\", "/")) or "upload"
    if len(data) > limits.max_file_bytes:
        raise fail(file, larger_than_limit(len(data), limits.max_file_bytes))
    mapping = load_mapping(mapping, limits)
    suffix = os.path.splitext(file)[1].lower()
    with paused_gc():
        if suffix in SUFFIXES:
            return located_from_sources(bytes_sources(lambda: data, file, mapping, encoding, limits), limits)[0]
        if suffix in FORMATS:
            doc = read_text_document(data, file, FORMATS[suffix], limits)
            return located_from_sources(document_sources(doc), limits)[0]
    raise fail(file, f"unsupported file type; expected one of {', '.join(sorted({*SUFFIXES, *FORMATS}))}")


def load_frames(frames: dict, mapping=None, *, limits: Limits = DEFAULT_LIMITS):
    """A validated Dataset from in-memory frames: collection (or sheet name) → pyarrow Table or Polars DataFrame,
    read like a workbook's sheets (the `mapping` may rename them and their columns)."""
    from ..loading import located_from_sources
    from ..gcpause import paused_gc
    from .parquet import arrow_table

    mapping = load_mapping(mapping, limits)
    sources, problems = {}, []
    for name, table in frames.items():
        collection = collection_of(name, mapping)
        if collection is None:
            problems.append(Problem("tables", f"{name!r} names no collection, and the mapping gives it none",
                                    part=f"table {name}"))
        else:
            sources[collection] = (lambda c=collection, n=name, t=table:
                                   (table_document(c, [arrow_table(t, n)], mapping, limits.max_records), ()))
    raise_if(problems)
    with paused_gc():
        return located_from_sources(sources, limits)[0]


def unknown_parts(kind: str, file: str, names: list[str], mapping: Mapping) -> list[Problem]:
    """A problem for each sheet (or file) that neither the mapping nor the built-in names place."""
    return [Problem(file, f"{kind} {name!r} is not a collection, and the mapping neither maps nor ignores it "
                          f"(name it like the template, e.g. 队员 or members, or list it under `ignore`)",
                    part=f"{kind} {name}")
            for name in names if collection_of(name, mapping) is None
            and name not in mapping.ignore and name != INSTRUCTIONS_SHEET]


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)
