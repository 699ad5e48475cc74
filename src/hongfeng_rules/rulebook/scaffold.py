"""`rules new`: the skeleton of a rule and its test cases, for a standards author to fill in.

The skeleton quotes the clause's sentence from `pack.yaml`, guesses the normative word from it, and
leaves `TODO` where a decision is needed. A `TODO` is not a valid value, so `rules lint` fails on the
new files until every one is replaced: an unfinished rule cannot slip into a pack.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import fail
from ..safe_load import read_document
from .pack import CASES_SUFFIX, MANIFEST
from .spec import MODAL_STRENGTH

TODO = "TODO"


def new_rule(pack_dir: str | Path, clause: str, words: str, subject: str = "team") -> tuple[Path, Path]:
    """Write `<clause>-<words>.yaml` and its cases file into the pack; never overwrites a file."""
    pack_dir = Path(pack_dir)
    if not (pack_dir / MANIFEST).is_file():
        raise fail(str(pack_dir), f"not a rule pack: no {MANIFEST} in this folder")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", words):
        raise fail("command line", "words: lower-case words joined by '-', e.g. core-members")
    manifest = read_document(pack_dir / MANIFEST).data
    sentence = (manifest.get("clauses") or {}).get(clause)
    if sentence is None:
        raise fail(str(pack_dir / MANIFEST), f"clause {clause!r} is not listed under 'clauses:'")
    rule_id = f"{manifest['id_prefix']}-{clause}-{words}"
    rule_path = pack_dir / f"{clause}-{words}.yaml"
    cases_path = pack_dir / f"{clause}-{words}{CASES_SUFFIX}"
    for path in (rule_path, cases_path):
        if path.exists():
            raise fail(str(path), "already exists; choose other words")
    found = [m for m in MODAL_STRENGTH if m in sentence["zh"]]  # a guess: 应 also stands in 应急, 相应 …
    modal = found[0] if len(found) == 1 else "none" if not found else TODO
    reading = {"none": f"{TODO}: the sentence has no 应/宜/可; say which strength is read and why",
               TODO: f"{TODO}: the sentence has {'/'.join(found)}; keep the one of this rule's requirement"}
    rule = {
        "id": rule_id, "clause": clause,
        "strength": MODAL_STRENGTH.get(modal, TODO), "modal": modal,
        **({"reading": reading[modal]} if modal in reading else {}),
        "title": {"zh": TODO, "en": TODO},
        "source": {"zh": sentence["zh"], "en": sentence["en"]},
        "subject": subject,
        "check": {"kind": "count", "of": TODO, "where": {}, "at_least": {"value": TODO, "unit": TODO}},
        "message": {"zh": f"{TODO}：实测 {{measured}}，要求 {{expected}}", "en": f"{TODO}: {{measured}}, expected {{expected}}"},
        "interpretations": [{"phrase": TODO, "reading": TODO, "parameter": "check.at_least"}],
    }
    cases = {
        "rule": rule_id, "period": TODO, "as_of": TODO,
        "base": {"associations": [{"id": "a1", "name": "County", "level": "county"}],
                 "teams": [{"id": "t1", "association_id": "a1", "name": "Team one"}]},
        "cases": [{"name": f"{TODO}: just enough passes", "data": {}, "expect": {"t1": "pass"}},
                  {"name": f"{TODO}: one short fails", "data": {}, "expect": {"t1": "fail"}}],
    }
    rule_path.write_text(_dump(rule), encoding="utf-8")
    cases_path.write_text(_dump(cases), encoding="utf-8")
    return rule_path, cases_path


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
