"""The per-object loader, kept as the oracle of the column-wise one (tests/test_load_tables.py,
tests/differential_loading.py): each collection validated by its pydantic model, then the dataset checked
object by object (oracle.integrity). It reads its inputs through the product's own sources (`loading`,
`sources`), so only the validation differs. The product validates column-wise (`tables.load`) and
`loading.load_dataset` converts the tables to a `Dataset` once."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from hongfeng_rules import manifest, sources
from hongfeng_rules.errors import InputError, Problem, fail
from hongfeng_rules.gcpause import paused_gc
from hongfeng_rules.loading import RecordLocator, data_entries, document_sources, folder_sources
from hongfeng_rules.models import COLLECTIONS, Dataset
from hongfeng_rules.safe_load import DEFAULT_LIMITS, Document, Limits, read_document
from hongfeng_rules.validation.problems import from_error, from_issue
from .integrity import check_dataset

_ADAPTERS = {name: TypeAdapter(list[c.model]) for name, c in COLLECTIONS.items()}


def load_dataset(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, *, mapping=None,
                 encoding: str | None = None) -> Dataset:
    """`loading.load_dataset`, per object."""
    return load_located(path, limits, mapping=mapping, encoding=encoding)[0]


def load_located(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, *, mapping=None,
                 encoding: str | None = None) -> tuple[Dataset, RecordLocator]:
    """`loading.load_located`, per object."""
    mapping = sources.load_mapping(mapping, limits)
    with paused_gc():
        if sources.is_url(path):
            return build(sources.url_sources(str(path), mapping, limits))
        if Path(path).is_dir():
            folder = Path(path)
            listed = manifest.verify_folder(folder, limits, data_entries(folder, mapping))
            found = build(folder_sources(folder, limits, mapping, encoding, verify=False))
            manifest.verify_records(listed, str(folder), found[1].located, lambda c: len(getattr(found[0], c) or []))
            return found
        if Path(path).exists():
            path = Path(path)
            return build(sources.file_sources(path, mapping, encoding, limits) if path.suffix.lower()
                         in sources.SUFFIXES else document_sources(read_document(path, limits)))
        raise fail(str(path), "no such file or folder")


def dataset_from_document(doc: Document) -> Dataset:
    """`loading.dataset_from_document`, per object."""
    return build(document_sources(doc))[0]


def build(found_sources: dict) -> tuple[Dataset, RecordLocator]:
    """Read and validate one collection at a time by its model, then check the dataset object by object."""
    problems: list[Problem] = []
    collections: dict[str, Any] = {}
    located: dict[str, tuple[Document, tuple]] = {}
    for name, open_source in found_sources.items():
        try:
            doc, keys = open_source()
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        located[name] = (doc, keys)
        problems.extend(getattr(doc, "problems", ()))  # a table's cells that could not be read (sources.table)
        collections[name] = _validate(name, doc, keys, problems, getattr(doc, "failed", frozenset()))
    if problems:
        raise InputError(problems)
    dataset = Dataset.model_construct(**collections)
    issues = check_dataset(dataset)
    if issues:
        raise InputError([from_issue(i, located) for i in issues])
    return dataset, RecordLocator(dataset, located)


def _validate(name: str, doc: Document, keys: tuple, problems: list[Problem], failed: frozenset = frozenset()):
    """The collection's models, or None with its problems added (`failed`: (index, field) already reported)."""
    data = doc.data
    for k in keys:
        data = data[k]
    if not isinstance(data, list):
        problems.append(Problem(doc.file, f"{name} must be a list of records", line=doc.line_of(keys), field=name))
        return None
    try:
        return _ADAPTERS[name].validate_python(data)
    except ValidationError as exc:
        problems.extend(from_error(name, doc, keys, data, err) for err in exc.errors(include_url=False)
                        if err["loc"][:2] not in failed)
        return None
