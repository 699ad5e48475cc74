"""A report's findings kept column-wise (issue 18): one frame for every rule's findings, and each rule's fixed
parts (title, pack, clause, source, …) built once. The report JSON, the summaries, the order and the waivers
work on the columns; `Finding` objects are made only when a host or a renderer asks (`materialise`).

The frame has one row per finding, in report order once `sorted`: `rule` (an index into `parts`), the
subject (`kind`, `id`, `name`, `team_id`, `association_id`, and `subject`: its JSON block), `status`,
`measured` and `expected` (JSON text), `evidence` (list of ids), `note`, `due`, `time_left_hours`,
`message` (its JSON block), `waiver` and `explanation` (their JSON blocks; null: none). JSON text and
blocks are as the report writes them (pydantic's serialiser; a block at a finding's depth), so writing the
report mostly joins.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property
from typing import ClassVar, Iterable

import polars as pl
import pydantic_core

from ..models.base import trusted
from ..rulebook.spec import clause_key
from .explanation import Explanation
from .model import STATUS_ORDER, Finding, Subject, Text
from .rule_rows import RuleRows

SHANGHAI = pl.Datetime("us", "Asia/Shanghai")
SCHEMA = {"rule": pl.UInt32, "kind": pl.String, "id": pl.String, "name": pl.String, "team_id": pl.String,
          "association_id": pl.String, "subject": pl.String, "status": pl.String, "measured": pl.String,
          "expected": pl.String, "evidence": pl.List(pl.String), "note": pl.String, "due": SHANGHAI,
          "time_left_hours": pl.Float64, "message": pl.String, "waiver": pl.String, "explanation": pl.String}
FIXED = ("rule_id", "title", "pack", "pack_version", "clause", "strength", "modal", "source", "rule_file")
_KEY = "\n      "  # a finding's keys, in the report (indent 2, the finding at depth 2)
_INNER = "\n        "  # the keys of its subject and message, the items of its evidence
_ESCAPES = {**{chr(i): f"\\u{i:04x}" for i in range(32)}, "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r", '"': '\\"', "\\": "\\\\"}  # what the serialiser escapes in a string (serde_json's set)


def to_json(value) -> str:
    """The JSON text of one value, as the report writes it (pydantic's serialiser, compact)."""
    return pydantic_core.to_json(value).decode("utf-8")


def json_text(values: pl.Expr) -> pl.Expr:
    """Each string's JSON text as the report's serialiser writes it (quoted; `"`, `\\` and control characters
    escaped, nothing else); null stays null."""
    return pl.concat_str(_QUOTE, values.str.replace_many(*_ESCAPED), _QUOTE)


_QUOTE = pl.lit('"')
_ESCAPED = (pl.lit(pl.Series(list(_ESCAPES), dtype=pl.String)).implode(),
            pl.lit(pl.Series(list(_ESCAPES.values()), dtype=pl.String)).implode())  # patterns, replacements


def json_column(values: pl.Series, plain=lambda v: v, null: str | None = "null") -> pl.Series:
    """Each value's JSON text (`plain` applied first) at a finding's depth, as the report's serialiser writes
    it: strings by `json_text`; every other distinct value serialised once. A null is `null` (the text)."""
    if values.dtype == pl.String:
        out = pl.select(json_text(pl.lit(values))).to_series()
    else:
        distinct = values.drop_nulls().unique()
        out = values.replace_strict(distinct, [_nested(plain(v)) for v in distinct.to_list()], default=None,
                                    return_dtype=pl.String)
    return (out if null is None else out.fill_null(null)).alias(values.name)


def _plain_json(value, texts: dict) -> str:
    """The JSON text of a measured or expected value at a finding's depth, remembered for the strings and numbers seen before."""
    if type(value) not in (str, int, float):
        return _nested(value)
    key = (type(value), value)
    if key not in texts:
        texts[key] = _nested(value)
    return texts[key]


def _nested(value) -> str:
    """A nested object's JSON at a finding's key depth."""
    return nested(value, _KEY)


def nested(value, key: str) -> str:
    """A nested object's JSON as the value of a key whose line starts with `key` (a newline and the indent)."""
    return pydantic_core.to_json(value, indent=2).decode("utf-8").replace("\n", key)


def waiver_block(waiver: dict) -> str:
    """A finding's `waiver` as the report writes it."""
    return _nested(waiver)


def message_block(message: Text) -> str:
    """A finding's `message` as the report writes it."""
    return _nested(message)


@cache
def subject_block() -> pl.Expr:
    """The expression of each subject's JSON block, from the `kind`, `id`, `name`, `team_id` and
    `association_id` columns."""
    pieces = [pl.lit("{")]
    for i, key in enumerate(("kind", "id", "name", "team_id", "association_id")):
        pieces += [pl.lit(("," if i else "") + f'{_INNER}"{key}": '), json_text(pl.col(key)).fill_null("null")]
    return pl.concat_str(*pieces, pl.lit(_KEY + "}")).alias("subject")


def subject_blocks(subjects: pl.DataFrame) -> pl.Series:
    """Each subject's JSON block (`subject_block` over the frame)."""
    return subjects.select(subject_block()).to_series()


@dataclass(frozen=True, eq=False)
class RuleParts:
    """What every finding of one rule shares: the Finding fields of `FIXED`, and their JSON around the rest."""

    fields: dict

    @cached_property
    def head(self) -> str:  # up to the status's value
        f = self.fields
        return ("    {" + _KEY + _KEY.join(f'"{k}": {_nested(f[k])},' for k in FIXED[:7]) + _KEY + '"status": ')

    @cached_property
    def tail(self) -> str:  # from the source up to the waiver's value
        f = self.fields
        return (f',{_KEY}"source": {_nested(f["source"])},{_KEY}"rule_file": {to_json(f["rule_file"])},'
                f'{_KEY}"waiver": ')


@dataclass(frozen=True, eq=False)
class FindingRows(RuleRows):
    parts: tuple[RuleParts, ...]
    SCHEMA: ClassVar[dict] = SCHEMA

    @classmethod
    def of_findings(cls, findings: Iterable[Finding]) -> FindingRows:
        """The rows of Finding objects (the per-object engine's, a host's, explained ones), in their order."""
        index: dict[tuple, int] = {}  # the fixed parts' identities (a rule's findings share them) → part
        parts, rules, blocks, texts = [], [], {}, {}
        findings = list(findings)  # alive throughout: the identities stay theirs
        for f in findings:
            key = (id(f.title), id(f.source), f.rule_id, f.pack, f.pack_version, f.clause, f.strength, f.modal,
                   f.rule_file)
            if key not in index:
                index[key] = len(parts)
                parts.append(RuleParts({k: getattr(f, k) for k in FIXED}))
            rules.append(index[key])
        for f in findings:
            if id(f.message) not in blocks:
                blocks[id(f.message)] = (message_block(f.message), f.message)  # the object kept: its id stays
        subjects = [f.subject for f in findings]
        columns = {"rule": rules, **{k: [getattr(s, k) for s in subjects] for k in Subject.model_fields},
                   "subject": None, "status": [f.status for f in findings],
                   "measured": [_plain_json(f.measured, texts) for f in findings],
                   "expected": [_plain_json(f.expected, texts) for f in findings],
                   "evidence": [f.evidence_ids for f in findings], "note": [f.note for f in findings],
                   "due": [f.due for f in findings], "time_left_hours": [f.time_left_hours for f in findings],
                   "message": [blocks[id(f.message)][0] for f in findings],
                   "waiver": [None if f.waiver is None else waiver_block(f.waiver) for f in findings],
                   "explanation": [None if f.explanation is None else _nested(f.explanation) for f in findings]}
        frame = pl.DataFrame({k: pl.Series(k, v, dtype=SCHEMA[k]) for k, v in columns.items() if v is not None})
        return cls(frame.with_columns(subject_block()).select(*SCHEMA), tuple(parts))

    def sorted(self) -> FindingRows:
        """In the report's order, `auditing.finding_order` on the columns: by association, team, status
        (failures first), clause, rule and subject; ties keep their order."""
        ranked = sorted(range(len(self.parts)),
                        key=lambda i: (clause_key(self.parts[i].fields["clause"]), self.parts[i].fields["rule_id"]))
        rank, last, previous = [0] * len(self.parts), -1, None
        for i in ranked:
            key = (clause_key(self.parts[i].fields["clause"]), self.parts[i].fields["rule_id"])
            last += key != previous
            rank[i], previous = last, key
        return FindingRows(self.frame.sort(
            pl.col("association_id").fill_null(""), pl.col("team_id").fill_null(""),
            pl.col("status").replace_strict(STATUS_ORDER, range(len(STATUS_ORDER)), return_dtype=pl.UInt8),
            pl.col("rule").replace_strict(range(len(rank)), rank, return_dtype=pl.UInt32), pl.col("id"),
            maintain_order=True), self.parts)

    def tally(self, by: str | None = None) -> dict:
        """(status, strength) → findings: of all (by None), or for each value of the column `by`."""
        out: dict = {}
        for *owner, status, strength, n in self.counted(*([by] if by else [])):
            out.setdefault(owner[0] if by else None, Counter())[(status, strength)] += n
        return out if by else out.get(None, Counter())

    def counted(self, *by: str) -> list[tuple]:
        """(the columns `by`, status, strength, findings) for each combination that has findings: one group-by."""
        strengths = pl.Series([p.fields["strength"] for p in self.parts], dtype=pl.String)
        return self.frame.group_by(*by, "status", pl.lit(strengths).gather(pl.col("rule")).alias("strength")).len().rows()

    def subjects_by_rule(self) -> dict[str, set[str]]:
        """rule id → the subjects it has findings for."""
        rule_ids = [p.fields["rule_id"] for p in self.parts]
        out: dict[str, set[str]] = {}
        for rule, ids in self.frame.group_by("rule").agg(pl.col("id").unique()).iter_rows():
            out.setdefault(rule_ids[rule], set()).update(ids)
        return out

    def materialise(self) -> list[Finding]:
        """The Finding objects, in the rows' order (a subject's object shared by its findings)."""
        parts = [p.fields for p in self.parts]
        subjects: dict[tuple, Subject] = {}
        loads: dict[str, object] = {}
        messages: dict[str, Text] = {}
        out = []
        for (rule, kind, id_, name, team_id, association_id, status, measured, expected, evidence, note, due, left,
             message, waiver, explanation) in self.frame.drop("subject").iter_rows():
            key = (kind, id_, name, team_id, association_id)
            subject = subjects.get(key)
            if subject is None:
                subject = subjects[key] = trusted(Subject, kind=kind, id=id_, name=name, team_id=team_id,
                                                  association_id=association_id)
            if measured not in loads:
                loads[measured] = json.loads(measured)
            if expected not in loads:
                loads[expected] = json.loads(expected)
            if message not in messages:
                messages[message] = trusted(Text, **json.loads(message))
            out.append(trusted(Finding, **parts[rule], status=status, subject=subject, measured=loads[measured],
                               expected=loads[expected], evidence_ids=evidence, note=note, due=due,
                               time_left_hours=left, message=messages[message],
                               waiver=None if waiver is None else json.loads(waiver),
                               explanation=None if explanation is None
                               else Explanation.model_validate_json(explanation)))
        return out

    def json_chunks(self, size: int = 10_000) -> Iterable[bytes]:
        """The findings' JSON objects as the report writes them (indent 2, each at depth 2), joined by ",\\n",
        in pieces of `size` findings."""
        for start in range(0, self.frame.height, size):
            yield _objects(self.frame.slice(start, size), self.parts).str.join(",\n").cast(pl.Binary).item()

    @staticmethod
    def json_arrays(many: list[FindingRows]) -> list[bytes]:
        """Each one's `json_array()` joined, written by one query over all of them (the cost of a small report's
        findings is mostly per query, not per finding: a batch of audits writes them together)."""
        whole = many[0] if all(r.parts is many[0].parts for r in many) else None  # else each one's parts apart
        joined = FindingRows.concat(many) if whole is None else FindingRows(
            pl.concat([r.frame for r in many], how="vertical"), whole.parts)
        texts = _objects(joined.frame, joined.parts)
        owner = pl.Series([k for k, r in enumerate(many) for _ in range(r.frame.height)], dtype=pl.UInt32)
        found = dict(pl.DataFrame({"k": owner, "text": texts}).group_by("k").agg(pl.col("text").str.join(",\n")).rows())
        return [b"[\n" + found[k].encode("utf-8") + b"\n  ]" if k in found else b"[]" for k in range(len(many))]

    def json_array(self) -> Iterable[bytes]:
        """The pieces of the report's `findings` value, made one chunk at a time as they are read (the report is
        streamed: report.json_stream): `[]`, or the objects between `[` and `]` at depth 1."""
        if not self.frame.height:
            yield b"[]"
            return
        yield b"[\n"
        for i, chunk in enumerate(self.json_chunks()):
            if i:
                yield b",\n"
            yield chunk
        yield b"\n  ]"


def _objects(chunk: pl.DataFrame, parts: tuple[RuleParts, ...]) -> pl.Series:
    """Each finding's JSON object as the report writes it (indent 2, at depth 2): one query."""
    heads = pl.Series([p.head for p in parts], dtype=pl.String)
    tails = pl.Series([p.tail for p in parts], dtype=pl.String)
    statuses = pl.Series(STATUS_ORDER, dtype=pl.String)
    j = {c: json_column(chunk[c]) for c in ("note", "due", "time_left_hours")}
    return pl.select(pl.concat_str(
        pl.lit(heads.gather(chunk["rule"])),
        pl.lit(chunk["status"].replace_strict(statuses, [to_json(s) for s in STATUS_ORDER])),
        pl.lit(f',{_KEY}"subject": '), pl.lit(chunk["subject"]),
        pl.lit(f',{_KEY}"measured": '), pl.lit(chunk["measured"]),
        pl.lit(f',{_KEY}"expected": '), pl.lit(chunk["expected"]),
        pl.lit(f',{_KEY}"evidence_ids": '), pl.lit(json_lists(chunk["evidence"])),
        pl.lit(f',{_KEY}"note": '), pl.lit(j["note"]), pl.lit(f',{_KEY}"due": '), pl.lit(j["due"]),
        pl.lit(f',{_KEY}"time_left_hours": '), pl.lit(j["time_left_hours"]),
        pl.lit(f',{_KEY}"message": '), pl.lit(chunk["message"]),
        pl.lit(tails.gather(chunk["rule"])),
        pl.lit(chunk["waiver"].fill_null("null")),
        pl.lit(f',{_KEY}"explanation": ' + chunk["explanation"]).fill_null(""),  # only when explained
        pl.lit("\n    }")).alias("text")).to_series()


def json_lists(lists: pl.Series, key: str = _KEY) -> pl.Series:
    """Each list of strings' JSON text as the value of a key whose line starts with `key` (`[]` when empty or
    null; a null item left out): a finding's evidence by default."""
    items = lists.list.eval(json_text(pl.element().drop_nulls()))
    text = pl.concat_str(pl.lit("[" + key + "  "), items.list.join("," + key + "  "), pl.lit(key + "]"))
    return pl.select(pl.when(items.list.len() > 0).then(text).otherwise(pl.lit("[]")).alias("text")).to_series()
