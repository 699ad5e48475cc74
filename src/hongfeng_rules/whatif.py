"""What if the standard said otherwise: rules with a parameter changed (`--set RULE.PARAM=VALUE`) or replaced by
id (`--overlay DIR`), and which subjects change verdict (docs/whatif.md).

A parameter is a key path in the rule file; `check.` may be left out (`hf-5.2.6-core-members.at_least` is
`check.at_least`). A threshold takes a number in its own unit (`12`, `12person`, `12 person`), which replaces
any dated values; any other parameter takes a YAML scalar and the changed rule must still validate.
"""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml
from pydantic import ValidationError

from .errors import InputError, Problem, fail, validation_reason
from .invisible import escape_hidden
from .models.base import OutputModel
from .report.model import ComplianceReport, Finding
from .rulebook.pack import CompiledRule, RulePack, compile_rule, read_rule, rule_files
from .rulebook.spec import Rule
from .rulebook.units import UNITS, format_number
from .safe_load import DEFAULT_LIMITS, Document, Limits

WHERE = "command line"
NUMBER_AND_UNIT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([a-z_]*)\s*$")


def parse_sets(texts: Iterable[str]) -> dict[str, str]:
    """`RULE.PARAM=VALUE` strings → {"RULE.PARAM": "VALUE"}; a string without `=` is an input error."""
    out = {}
    for text in texts:
        target, sep, value = text.partition("=")
        if not sep or not target.strip():
            raise fail(WHERE, "write RULE_ID.PARAM=VALUE", field=f"--set {text}")
        out[target.strip()] = value.strip()
    return out


def apply_overrides(packs: list[RulePack], overrides: Mapping[str, Any] | None) -> list[RulePack]:
    """The packs with each `"RULE_ID.PARAM": value` applied; an unknown rule or parameter, or a value not of the
    parameter's unit or type, is an input error naming the override."""
    if not overrides:
        return packs
    by_id = {r.rule.id: r for p in packs for r in p.rules}
    changed: dict[str, dict] = {}
    for target, value in overrides.items():
        rule_id, path = _split(target, by_id)
        data = changed.setdefault(rule_id, by_id[rule_id].rule.model_dump(mode="json", exclude_none=True))
        _set(data, path, value, target)
    replaced = {rid: _recompile(by_id[rid], data, rid) for rid, data in changed.items()}
    return _replace(packs, replaced)


def apply_overlay(packs: list[RulePack], directory: str | os.PathLike,
                  limits: Limits = DEFAULT_LIMITS) -> list[RulePack]:
    """The packs with each rule file of `directory` replacing the rule of the same id (which must exist)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise fail(str(directory), "--overlay takes a folder of rule files")
    by_id = {r.rule.id: r for p in packs for r in p.rules}
    problems: list[Problem] = []
    replaced: dict[str, CompiledRule] = {}
    for path in rule_files(directory):
        rule, doc = read_rule(path, problems, limits)
        if rule is None:
            continue
        if rule.id not in by_id:
            problems.append(Problem(str(path), f"no loaded rule has the id {rule.id!r} to replace", field="id"))
            continue
        compiled = compile_rule(rule, doc, problems)
        if compiled:
            replaced[rule.id] = dataclasses.replace(compiled, pack=by_id[rule.id].pack,
                                                    pack_version=by_id[rule.id].pack_version)
    if problems:
        raise InputError(problems)
    if not replaced:
        raise fail(str(directory), "no rule files in this folder")
    return _replace(packs, replaced)


def _split(target: str, by_id: dict[str, CompiledRule]) -> tuple[str, list[str]]:
    """The longest loaded rule id that `target` starts with (ids hold dots), and the parameter's key path."""
    for rule_id in sorted(by_id, key=len, reverse=True):
        if target.startswith(rule_id + "."):
            path = target[len(rule_id) + 1:].split(".")
            return rule_id, path[1:] if path[0] == "check" else ["check", *path]
    raise fail(WHERE, "no loaded rule's id begins this (write RULE_ID.PARAM=VALUE)", field=f"--set {target}")


def _set(data: dict, path: list[str], value: Any, target: str) -> None:
    node: Any = data
    for depth, key in enumerate(path):
        step: Any = int(key) if isinstance(node, list) and key.isdigit() else key
        if not (isinstance(node, dict) and step in node) and not (isinstance(node, list) and isinstance(step, int)
                                                                   and step < len(node)):
            known = sorted(node) if isinstance(node, dict) else []
            raise fail(WHERE, f"the rule has no parameter {'.'.join(path[:depth + 1])!r}"
                       + (f"; it has: {known}" if known else ""), field=f"--set {target}")
        if depth == len(path) - 1:
            if step == "unit" and isinstance(node, dict) and node.get("unit") in UNITS:
                raise fail(WHERE, "a threshold keeps its unit; give a number in "
                           f"{node['unit']}", field=f"--set {target}")
            node[step] = _value(node[step], value, target)
        node = node[step]


def _value(current: Any, value: Any, target: str) -> Any:
    """The new value: a threshold keeps its unit; anything else is read as YAML."""
    if isinstance(current, dict) and current.get("unit") in UNITS:
        unit = current["unit"]
        match = NUMBER_AND_UNIT.match(str(value))
        if not match or (match.group(2) and match.group(2) != unit):
            raise fail(WHERE, f"{value!r} is not a number in {unit} (write e.g. 12 or 12{unit})",
                       field=f"--set {target}")
        return {"unit": unit, "value": float(match.group(1))}
    if isinstance(value, str):
        try:
            return yaml.safe_load(value) if value else value
        except yaml.YAMLError:
            return value
    return value


def _recompile(old: CompiledRule, data: dict, label: str) -> CompiledRule:
    try:
        rule = Rule.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(k) for k in err["loc"])
        raise fail(WHERE, f"{where}: {validation_reason(err, err['loc'][-1] if err['loc'] else None)}",
                   field=f"--set {label}") from None
    problems: list[Problem] = []
    compiled = compile_rule(rule, Document(data=data, file=old.file), problems)
    if compiled is None:
        raise fail(WHERE, f"{problems[0].field}: {problems[0].reason}", field=f"--set {label}")
    return dataclasses.replace(compiled, pack=old.pack, pack_version=old.pack_version)


def _replace(packs: list[RulePack], replaced: dict[str, CompiledRule]) -> list[RulePack]:
    return [dataclasses.replace(p, rules=[replaced.get(r.rule.id, r) for r in p.rules]) for p in packs]


class VerdictChange(OutputModel):
    """One finding whose status differs under the changed rules."""

    rule_id: str
    subject_kind: str
    subject_id: str
    team_id: str | None = None
    association_id: str | None = None
    before: str | None
    after: str | None
    measured: Any = None
    expected: Any = None


class TeamChange(OutputModel):
    """A team whose conformance differs, or whose findings change status."""

    team_id: str
    association_id: str | None = None
    conformant_before: bool | None
    conformant_after: bool | None
    findings: list[VerdictChange]


def verdict_changes(before: ComplianceReport, after: ComplianceReport) -> list[TeamChange]:
    """Per association and team (report order), every finding whose status the change moved; findings outside
    any team are listed under the team id "-"."""
    old = {_key(f): f for f in before.findings}
    new = {_key(f): f for f in after.findings}
    moved: dict[str, list[VerdictChange]] = {}
    for key in [*new, *(k for k in old if k not in new)]:
        o, n = old.get(key), new.get(key)
        if (o and o.status) != (n and n.status):
            f = n or o
            moved.setdefault(f.subject.team_id or "-", []).append(VerdictChange(
                rule_id=f.rule_id, subject_kind=f.subject.kind, subject_id=f.subject.id,
                team_id=f.subject.team_id, association_id=f.subject.association_id,
                before=o.status if o else None, after=n.status if n else None,
                measured=n.measured if n else None, expected=n.expected if n else None))
    conf_before = {t.id: t.conformant for t in before.teams}
    conf_after = {t.id: t.conformant for t in after.teams}
    teams = [t.id for t in after.teams if t.id in moved] + (["-"] if "-" in moved else [])
    out = [TeamChange(team_id=t, association_id=moved[t][0].association_id, conformant_before=conf_before.get(t),
                      conformant_after=conf_after.get(t), findings=moved[t]) for t in teams]
    return sorted(out, key=lambda c: (c.association_id or "", c.team_id))


def _key(f: Finding) -> tuple:
    return f.rule_id, f.subject.kind, f.subject.id


def render_text(changes: list[TeamChange]) -> str:
    """The what-if section: per association and team, the verdict and each finding that moved."""
    if not changes:
        return "what-if: no subject changes verdict\n"
    lines = [f"what-if: {sum(len(c.findings) for c in changes)} finding(s) change status in {len(changes)} team(s)"]
    association = object()
    for c in changes:
        if c.association_id != association:
            association = c.association_id
            lines.append(f"== association {association or '-'}")
        verdict = ""
        if c.conformant_before is not None and c.conformant_before != c.conformant_after:
            verdict = f": {_conformance(c.conformant_before)} → {_conformance(c.conformant_after)}"
        lines.append(f"  team {c.team_id}{verdict}")
        for v in c.findings:
            detail = f" (measured {_show(v.measured)}, expected {_show(v.expected)})" if v.measured is not None else ""
            lines.append(f"    {v.rule_id} {v.subject_kind} {v.subject_id}: {v.before or 'absent'} → "
                         f"{v.after or 'absent'}{detail}")
    return escape_hidden("\n".join(lines) + "\n")  # hidden characters as <U+202E>, as in the text report


def _conformance(ok: bool | None) -> str:
    return "no verdict" if ok is None else "conformant" if ok else "NON-CONFORMANT"


def _show(value: Any) -> str:
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
