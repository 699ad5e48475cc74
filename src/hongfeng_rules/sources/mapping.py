"""Column mappings: which sheet, file, table or query holds a collection, and which column is which field.

A mapping is a YAML file validated like a rule file (unknown keys and unknown fields are errors that list
what is allowed). Without one, a sheet or file named by its collection (`members`) or by the template's
Chinese name (`队员`) is read, and a column headed by its field (`birth_date`, `file.contact`) or by the
template's Chinese header (`出生日期`); a mapping adds to that. `propose` writes a first mapping from the
headers it finds, for a person to finish.
"""
from __future__ import annotations

import difflib
import os
from typing import Any

from pydantic import Field as PydanticField, ValidationError, model_validator

from ..errors import InputError, Problem, fail
from ..models import COLLECTIONS
from ..models.base import StrictModel
from ..safe_load import DEFAULT_LIMITS, Limits, field_path, read_document
from .fields import HEADERS, SHEET_NAMES, fields_of
from .mapping_errors import mapping_problems

INSTRUCTIONS_SHEET = "填写说明"  # the template's instructions sheet: never data


class Column(StrictModel):
    """How one column becomes one field."""

    field: str
    values: dict[str, Any] = {}  # cell text → value (在队: active, 是: true, 核心队员: core)
    formats: list[str] = []  # date formats, strptime style ("%Y年%m月%d日")
    split: str | None = None  # a list cell's separator (default ";" or "；")


class CollectionSource(StrictModel):
    """Where one collection is, and how its columns map."""

    sheet: str | list[str] | None = None  # Excel sheet(s), or a CSV/Parquet file's name without suffix
    table: str | None = None  # SQL: a table
    query: str | None = None  # SQL: a query
    key: str = "id"  # SQL: the column that names a row in errors
    header_row: int | None = PydanticField(default=None, ge=1)  # Excel: the header's row (default: found)
    columns: dict[str, str | Column] = {}
    ignore_columns: list[str] = []
    defaults: dict[str, Any] = {}

    @model_validator(mode="after")
    def _one_place(self):
        if self.table is not None and self.query is not None:
            raise ValueError("give table or query, not both")
        return self

    def sheets(self) -> list[str]:
        return [self.sheet] if isinstance(self.sheet, str) else list(self.sheet or [])


class Mapping(StrictModel):
    """A column mapping for one source (workbook, folder or database)."""

    collections: dict[str, CollectionSource] = {}
    ignore: list[str] = []  # sheets or files that are not data
    dates: list[str] = []  # date formats tried in every date column, after the built-in ones

    def unknown_names(self) -> list[tuple[tuple, str]]:
        """(key path, reason) for each unknown collection or field: pydantic cannot know the field lists."""
        found = []
        for name, source in self.collections.items():
            if name not in COLLECTIONS:
                found.append((("collections", name), f"unknown collection {name!r}; known: {', '.join(sorted(COLLECTIONS))}"))
                continue
            fields = fields_of(name)
            named = [(("columns", h), s if isinstance(s, str) else s.field) for h, s in source.columns.items()]
            for where, field in named + [(("defaults", f), f) for f in source.defaults]:
                if field not in fields:
                    found.append((("collections", name, *where),
                                  f"unknown field {field!r} of {name}; fields: {', '.join(fields)}"))
        return found

    def column(self, collection: str, header: str) -> Column | None:
        """How `header` maps in `collection`: the mapping's word, else the field or template header itself."""
        source = self.collections.get(collection)
        spec = source.columns.get(header) if source else None
        if spec is not None:
            return Column(field=spec) if isinstance(spec, str) else spec
        field = default_field(collection, header)
        return Column(field=field) if field else None

    def ignored_column(self, collection: str, header: str) -> bool:
        source = self.collections.get(collection)
        return bool(source) and header in source.ignore_columns

    def collection_named(self, name: str) -> str | None:
        """The collection a sheet or file called `name` holds, or None."""
        for collection, source in self.collections.items():
            if name in source.sheets():
                return collection
        return default_collection(name)


def default_collection(name: str) -> str | None:
    if name in COLLECTIONS:
        return name
    return next((c for c, sheet in SHEET_NAMES.items() if sheet == name), None)


def default_field(collection: str, header: str) -> str | None:
    fields = fields_of(collection)
    if header in fields:
        return header
    header = header.replace("/", "-")  # a merged group header: 档案/个人信息 is the template's 档案-个人信息
    return next((f.path for f in fields.values() if f.header == header), None)


EMPTY = Mapping()


def load_mapping(path: str | os.PathLike | Mapping | None, limits: Limits = DEFAULT_LIMITS) -> Mapping:
    """A validated Mapping from a YAML/JSON file (or as given), or InputError naming every problem."""
    if path is None:
        return EMPTY
    if isinstance(path, Mapping):
        return path
    doc = read_document(path, limits)
    if not isinstance(doc.data, dict):
        raise fail(doc.file, "a mapping file holds a mapping with `collections:`", line=1)
    try:
        mapping = Mapping.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(mapping_problems(exc, doc, Mapping)) from None
    unknown = mapping.unknown_names()
    if unknown:
        raise InputError([Problem(doc.file, reason, line=doc.line_of(loc), field=field_path(loc))
                          for loc, reason in unknown])
    return mapping


def propose(found: dict[str, list[str]], kind: str = "sheet") -> tuple[dict, list[str]]:
    """A first mapping for sheets/files → their headers, and the lines it could not place.

    A sheet or header is placed when it names a collection or field exactly (or the template's Chinese
    word), or closely enough (difflib); the rest are listed for a person to finish."""
    collections, unplaced = {}, []
    names = {**{c: c for c in COLLECTIONS}, **{v: k for k, v in SHEET_NAMES.items()}}
    for sheet, headers in found.items():
        collection = default_collection(sheet) or _close(sheet, names)
        if collection is None:
            unplaced.append(f"{kind} {sheet!r}: no collection matches; known: {', '.join(sorted(COLLECTIONS))}")
            continue
        if collection in collections:  # a second sheet of one collection: the person decides how to read both
            unplaced.append(f"{kind} {sheet!r}: also matches {collection}, proposed from {kind} "
                            f"{collections[collection][kind]!r}")
            continue
        fields = fields_of(collection)
        words = {**{p: p for p in fields}, **{f.header: p for p, f in fields.items()},
                 **{HEADERS.get(p.rsplit(".", 1)[-1], p): p for p in fields}}
        columns, ignored = {}, []
        for header in headers:
            field = default_field(collection, header) or _close(header, words)
            if field is None:
                ignored.append(header)
                unplaced.append(f"{kind} {sheet!r}, column {header!r}: no field matches; fields: {', '.join(fields)}")
            else:
                columns[header] = field
        entry: dict[str, Any] = {kind: sheet, "columns": columns}
        if ignored:
            entry["ignore_columns"] = ignored
        collections[collection] = entry
    return {"collections": collections}, unplaced


def _close(word: str, choices: dict[str, str]) -> str | None:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return choices[match[0]] if match else None


def propose_for(path: str, encoding: str | None = None) -> tuple[str, list[str]]:
    """`mapping init`: the YAML text of a proposed mapping for a workbook, CSV/Parquet file or folder,
    and the lines it could not place."""
    import yaml
    from pathlib import Path

    from . import EXCEL_SUFFIXES, FOLDER_SUFFIXES, _tables, is_url, read_bytes

    if is_url(path):
        from .sql import table_columns
        return _proposal_text(*propose(table_columns(path), kind="table"))
    p = Path(path)
    files = sorted(f for f in p.iterdir() if f.suffix.lower() in FOLDER_SUFFIXES) if p.is_dir() else [p]
    if not p.exists():
        raise fail(path, "no such file or folder")
    found: dict[str, list[str]] = {}
    for f in files:
        if f.suffix.lower() in EXCEL_SUFFIXES:
            from .excel import sheet_headers
            found.update(sheet_headers(read_bytes(f, DEFAULT_LIMITS), str(f)))
        elif f.suffix.lower() in FOLDER_SUFFIXES:
            table = _tables(read_bytes(f, DEFAULT_LIMITS), str(f), f.suffix.lower(), encoding)[0]
            found[f.stem] = [" ".join(str(h).split()) for h in table.headers if str(h).strip()]
        else:
            raise fail(str(f), "expected an Excel workbook, a .csv or .parquet file, or a folder of them")
    return _proposal_text(*propose(found))


def _proposal_text(proposal: dict, unplaced: list[str]) -> tuple[str, list[str]]:
    import yaml

    head = "# proposed by `hongfeng-rules mapping init`: check every line, then finish what is listed below\n"
    notes = "".join(f"# unplaced: {line}\n" for line in unplaced)
    return head + notes + yaml.safe_dump(proposal, allow_unicode=True, sort_keys=False), unplaced
