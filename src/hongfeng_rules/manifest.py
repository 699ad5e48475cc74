"""A dataset folder's manifest, `manifest.json`: each data file's SHA-256 and record count, so that an export
cut short — even at a record boundary, where it still parses — is refused instead of read in part.

    hongfeng-rules manifest DIR            # writes DIR/manifest.json for the dataset as it reads now
    hongfeng-rules manifest DIR --check    # verifies it, reads nothing else

It is written by that command or by the exporting platform (docs/manifest.md). When a folder (or a set of
uploaded files) holds one, the loader verifies it before reading anything else: every data file is listed,
nothing listed is missing, every SHA-256 matches; once read, every record count matches.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictInt, StringConstraints, ValidationError

from .errors import InputError, Problem, validation_reason
from .invisible import refuse_hidden
from .limit_names import larger_than_limit
from .models.base import StrictModel
from .safe_load import DEFAULT_LIMITS, Document, Limits, field_path, read_document, read_text_document

NAME = "manifest.json"
FORMAT = "hongfeng-rules dataset manifest 1"


class FileEntry(StrictModel):
    """What one data file must be: its SHA-256 (hex, either case) and how many records it holds."""

    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$")]
    records: Annotated[StrictInt, Field(ge=0)]


def _file_name(name: str) -> str:
    refuse_hidden(name)
    if not name or name != os.path.basename(name) or "\\" in name or name in (".", ".."):
        raise ValueError(f"{name!r} is not a file name in the folder (no folders, no '..')")
    if name.startswith(".") or name == NAME:
        raise ValueError(f"{name!r} is not a data file (names starting with '.' and {NAME} are never read)")
    return name


class Manifest(StrictModel):
    format: Literal[FORMAT]
    files: dict[Annotated[str, AfterValidator(_file_name)], FileEntry]


def read_manifest(doc: Document) -> Manifest:
    """The manifest in `doc`, or InputError naming its line and field."""
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.file, f"a manifest is a JSON object with 'format' ({FORMAT!r}) and 'files'",
                                  line=1)])
    try:
        return Manifest.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(k for k in err["loc"] if k != "[key]")  # a file name's own error: at that name
            problems.append(Problem(doc.file, validation_reason(err, loc[-1] if loc else None),
                                    line=doc.line_of(loc), field=field_path(loc)))
        raise InputError(problems) from None


def file_digest(path: Path, limits: Limits) -> str:
    """SHA-256 of a regular file, read within `max_file_bytes` (a FIFO or a device is never read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError([Problem(str(path), f"cannot be checked against {NAME}: {exc.strerror or exc}")]) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise InputError([Problem(str(path), f"cannot be checked against {NAME}: not a regular file")])
    with os.fdopen(fd, "rb") as f:
        if st.st_size > limits.max_file_bytes:
            raise InputError([Problem(str(path), larger_than_limit(st.st_size, limits.max_file_bytes))])
        digest, left = hashlib.sha256(), limits.max_file_bytes + 1
        while left > 0 and (chunk := f.read(min(left, 1 << 20))):
            digest.update(chunk)
            left -= len(chunk)
        return digest.hexdigest()


def check_files(manifest: Manifest, where: str, present: dict[str, object], digest) -> list[Problem]:
    """Problems with the data files before any is read: listed but missing, present but not listed, a
    SHA-256 that differs. `present`: data file name → what `digest` hashes; `where`: the folder's label."""
    def label(name: str) -> str:
        return str(Path(where) / name) if where else name

    problems = [Problem(label(name), f"listed in {NAME} but not in the dataset (the export is incomplete)")
                for name in sorted(set(manifest.files) - set(present))]
    problems += [Problem(label(name), f"not listed in {NAME} (added after the manifest was written, or the "
                                      "manifest is out of date: write it again with hongfeng-rules manifest)")
                 for name in sorted(set(present) - set(manifest.files))]
    for name in sorted(set(present) & set(manifest.files)):
        try:
            found = digest(present[name])
        except InputError as exc:
            problems += exc.problems
            continue
        expected = manifest.files[name].sha256.lower()
        if found != expected:
            problems.append(Problem(label(name), f"SHA-256 {found[:12]}… is not the {expected[:12]}… that {NAME} "
                                                 "gives: the file changed or was cut short after the manifest was written"))
    return problems


def records_per_file(located: dict[str, tuple[Document, tuple]], count) -> Counter:
    """How many records were read from each file (by its base name); `count(collection)`: the collection's."""
    counts: Counter = Counter()
    for collection, (doc, _) in located.items():
        counts[os.path.basename(doc.file)] += count(collection)
    return counts


def verify_records(manifest: Manifest | None, where: str, located: dict[str, tuple[Document, tuple]], count) -> None:
    """Once the files are read: InputError when a file's record count is not the manifest's."""
    problems = check_records(manifest, where, records_per_file(located, count)) if manifest is not None else []
    if problems:
        raise InputError(problems)


def check_records(manifest: Manifest, where: str, counts: Counter) -> list[Problem]:
    """Problems with the record counts, once the files have been read."""
    return [Problem(str(Path(where) / name) if where else name,
                    f"holds {counts[name]} records; {NAME} says {entry.records}")
            for name, entry in sorted(manifest.files.items()) if counts[name] != entry.records]


def build(folder: Path, limits: Limits = DEFAULT_LIMITS, mapping=None, encoding: str | None = None) -> Manifest:
    """The manifest of the folder's data files as they read now (the dataset must load cleanly)."""
    from .loading import data_entries, load_folder
    from .sources import load_mapping

    mapping = load_mapping(mapping, limits)
    dataset, locator = load_folder(folder, limits, mapping, encoding, verify=False)
    counts = records_per_file(locator.located, lambda c: len(getattr(dataset, c) or []))
    return Manifest(format=FORMAT, files={p.name: FileEntry(sha256=file_digest(p, limits), records=counts[p.name])
                                          for p in data_entries(folder, mapping)})


def render(manifest: Manifest) -> str:
    """The manifest's JSON: sorted keys, two-space indent, the same bytes for the same files."""
    return json.dumps(manifest.model_dump(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_manifest(folder: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, mapping=None,
                   encoding: str | None = None) -> Manifest:
    """Write FOLDER/manifest.json (atomically) for the dataset the folder holds; return it."""
    from .output import write_atomic

    folder = Path(folder)
    manifest = build(folder, limits, mapping, encoding)
    write_atomic(str(folder / NAME), render(manifest))
    return manifest


def verify_folder(folder: Path, limits: Limits, entries: list[Path]) -> Manifest | None:
    """The folder's manifest, checked against its data files (`entries`) before any is read; None if it has none."""
    if not (folder / NAME).exists() and not (folder / NAME).is_symlink():
        return None
    manifest = read_manifest(read_document(folder / NAME, limits))
    problems = check_files(manifest, str(folder), {p.name: p for p in entries}, lambda p: file_digest(p, limits))
    if problems:
        raise InputError(problems)
    return manifest


def verify_uploads(files: list[tuple[str, bytes]], limits: Limits) -> tuple[Manifest | None, list[tuple[str, bytes]]]:
    """Uploaded files: (their manifest if one was sent, checked against the others; the others)."""
    sent = [f for f in files if os.path.basename(f[0]) == NAME]
    if not sent:
        return None, files
    data = [f for f in files if os.path.basename(f[0]) != NAME]
    if len(sent) > 1:
        raise InputError([Problem(NAME, f"{len(sent)} files named {NAME} were sent; a dataset has one manifest")])
    if not data:
        raise InputError([Problem(NAME, "a manifest was sent without the data files it lists")])
    manifest = read_manifest(read_text_document(sent[0][1], sent[0][0], "json", limits))
    present = {os.path.basename(name): raw for name, raw in data}
    problems = check_files(manifest, "", present, lambda raw: hashlib.sha256(raw).hexdigest())
    if problems:
        raise InputError(problems)
    return manifest, data
