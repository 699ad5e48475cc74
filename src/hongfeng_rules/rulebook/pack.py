"""Load a folder of rule files (a pack) and compile every rule; all problems are reported at once."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from ..checks.registry import CHECK_KINDS
from ..checks.where import ConditionError, compile_condition, related_collections
from ..derived import derived_needs
from ..errors import InputError, Problem, fail, validation_reason
from ..models import COLLECTIONS, KIND_TO_COLLECTION
from ..safe_load import DEFAULT_LIMITS, Document, Limits, field_path, read_file_bytes, read_text_document
from .spec import PackManifest, Rule

MANIFEST = "pack.yaml"
CASES_SUFFIX = ".cases.yaml"


@dataclass
class CompiledRule:
    """A rule ready to run: its spec, where it came from, its `where` as a test of one record (the monitor's
    and explanations'), and the collections it needs (the column-wise engine compiles the rest)."""

    rule: Rule
    file: str
    subject_collection: str
    applies: Callable[[Any, Any], Any]
    needs: set[str]
    pack: str = ""
    pack_version: str = ""
    finding_parts: dict | None = None  # filled by the audit: what every finding of this rule shares

    @property
    def pack_file(self) -> str:
        """The rule file relative to the packs' root (`hongfeng/hf-5.2.6-core-members.yaml`): the same on every
        machine, unlike `file`."""
        path = Path(self.file)
        return f"{path.parent.name}/{path.name}"

    def missing(self, index) -> list[str]:
        """The collections this rule needs that the dataset lacks (the rule is then not assessable)."""
        return sorted(c for c in self.needs if index.records(c) is None)


@dataclass
class RulePack:
    manifest: PackManifest
    directory: Path
    rules: list[CompiledRule] = field(default_factory=list)
    digest: str = ""  # of the bytes it was loaded from (load_pack); "" for a pack put together by hand

    @property
    def name(self) -> str:
        return self.manifest.pack


def pack_digest(pack: RulePack) -> str:
    """The digest of the files the pack was loaded from, whatever they hold now (a service audits all day
    with the packs it loaded at start: its reports name those, not files edited since); a pack put together
    by hand (a rule's cases) is hashed from its files as they are."""
    if pack.digest:
        return pack.digest
    names = {str(pack.directory / MANIFEST), *(str(r.file) for r in pack.rules)}
    return files_digest({name: Path(name).read_bytes() for name in names})


def files_digest(files: dict[str, bytes]) -> str:
    """sha256 over the files (each file's name and bytes, in name order): it changes with any rule."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: (Path(p).name, p)):
        digest.update(f"{Path(path).name}\0{len(files[path])}\0".encode() + files[path])
    return "sha256:" + digest.hexdigest()


def rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.name != MANIFEST and not p.name.endswith(CASES_SUFFIX))


def load_pack(directory: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> RulePack:
    """Read `pack.yaml` and every rule file of a folder; raise InputError listing every problem."""
    directory = Path(directory)
    if not (directory / MANIFEST).is_file():
        raise fail(str(directory), f"not a rule pack: no {MANIFEST} in this folder")
    problems: list[Problem] = []
    read: dict[str, bytes] = {}  # file -> the bytes parsed: what the pack's digest is of
    manifest, _ = _parse(directory / MANIFEST, PackManifest, problems, limits, read)
    pack = RulePack(manifest, directory)  # type: ignore[arg-type]
    seen: dict[str, str] = {}
    for path in rule_files(directory):
        rule, doc = read_rule(path, problems, limits, read)
        if rule is None:
            continue
        if rule.id in seen:
            problems.append(Problem(str(path), f"rule id {rule.id} is also used by {seen[rule.id]}", field="id"))
            continue
        seen[rule.id] = str(path)
        if manifest and not rule.id.startswith(manifest.id_prefix + "-"):
            problems.append(Problem(str(path), f"rule id must start with the pack prefix '{manifest.id_prefix}-'",
                                    field="id"))
        compiled = compile_rule(rule, doc, problems)
        if compiled and manifest:
            compiled.pack, compiled.pack_version = manifest.pack, manifest.version
            pack.rules.append(compiled)
    if problems:
        raise InputError(problems)
    pack.digest = files_digest(read)
    return pack


def compile_rule(rule: Rule, doc: Document, problems: list[Problem]) -> CompiledRule | None:
    """Check a validated rule against the record types it reads; a rule that cannot compile is a lint problem."""
    file = doc.file
    collection = KIND_TO_COLLECTION.get(rule.subject)
    if collection is None:
        problems.append(_problem(file, doc, ("subject",), f"unknown subject {rule.subject!r}; known: "
                                 f"{sorted(KIND_TO_COLLECTION)}"))
        return None
    try:
        applies = compile_condition(rule.where, COLLECTIONS[collection].model, "where")
        rule.check.validate(collection)
    except ConditionError as exc:
        problems.append(_problem(file, doc, _keys(exc.path), exc.reason))
        return None
    except ValueError as exc:
        problems.append(_problem(file, doc, ("check",), str(exc)))
        return None
    unnamed = _unnamed_records(rule, collection)
    if unnamed:
        problems.append(_problem(file, doc, *unnamed))
        return None
    parts = (rule.check.model_dump(), rule.where)  # a `related` or `@derived` anywhere reads its collections
    needs = {collection} | rule.check.needs() | derived_needs(*parts) | related_collections(list(parts))
    return CompiledRule(rule, file, collection, applies, needs)


def read_rule(path: Path, problems: list[Problem], limits: Limits = DEFAULT_LIMITS,
              read: dict[str, bytes] | None = None) -> tuple[Rule | None, Document | None]:
    """One rule file as a `Rule` and its document (for `compile_rule`), as a pack reads it: None for what
    failed, its problems added to `problems`; its bytes kept in `read` when given."""
    return _parse(path, Rule, problems, limits, read)


# The kinds that read records without naming them: a count per period, a sum of points, the 7.2.3 ranking.
_READ_WITHOUT_IDS = {"frequency", "levels", "ranking"}


def _unnamed_records(rule: Rule, collection: str) -> tuple[tuple, str] | None:
    """(key path, reason) when the rule would judge records that carry no id (`team_scores`): a finding names its
    subject and its evidence by id, so neither engine could say which record it means."""
    if "id" not in COLLECTIONS[collection].model.model_fields:
        return ("subject",), f"{collection} records have no id, and a finding names its subject by id"
    of, kind = getattr(rule.check, "of", None), rule.check.kind
    if of in COLLECTIONS and kind not in _READ_WITHOUT_IDS and "id" not in COLLECTIONS[of].model.model_fields:
        hint = "; rank teams by their scores with kind: ranking" if kind == "rank_within" else ""
        return ("check", "of"), f"{of} records have no id, and a {kind} check names the records it judges by id{hint}"
    return None


def _parse(path: Path, model, problems: list[Problem], limits: Limits, read: dict[str, bytes] | None = None):
    """The file's model and document (None for what failed, its problems added); its bytes kept in `read`."""
    try:
        raw = read_file_bytes(str(path), limits)
        doc = read_text_document(raw, str(path), "yaml", limits)  # rule files and pack.yaml: YAML
        if read is not None:
            read[str(path)] = raw
    except InputError as exc:
        problems.extend(exc.problems)
        return None, None
    try:
        return model.model_validate(doc.data), doc
    except ValidationError as exc:
        problems.extend(validation_problems(exc, doc))
        return None, doc


_CLASS_NAME = re.compile(r" or instance of \w+")


def validation_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """Pydantic errors as problems with the YAML line and the key path."""
    out = []
    for err in exc.errors(include_url=False):
        keys = tuple(k for i, k in enumerate(err["loc"]) if not (i > 0 and err["loc"][i - 1] == "check"
                                                                 and k in CHECK_KINDS))
        reason = validation_reason(err, keys[-1] if keys else None, noun="key")
        out.append(_problem(doc.file, doc, keys, _CLASS_NAME.sub("", reason)))  # our class names mean nothing to authors
    return out


def _keys(path: str) -> tuple:
    keys: list[Any] = []
    for part in path.replace("[", ".[").split("."):
        if part.startswith("[") and part.endswith("]") and part[1:-1].isdigit():
            keys.append(int(part[1:-1]))
        elif part:
            keys.append(part)
    return tuple(keys)


def _problem(file: str, doc: Document | None, keys: tuple, reason: str) -> Problem:
    return Problem(file=file, reason=reason, line=doc.line_of(keys) if doc else None, field=field_path(keys))
