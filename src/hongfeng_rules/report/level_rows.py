"""Member levels kept column-wise (issue 18): one frame for every levels rule's results, and each rule's fixed
parts (id, clause, the day, the levels in force) once. The report JSON and the level counts of the renderers
work on the columns; `MemberLevel` objects are made only when a host, a renderer of every member or a rule test
asks (`materialise`).

The frame has one row per subject, in the derived section's order once `sorted` (rule id, then member id):
`rule` (an index into `parts`), `member_id`, `team_id`, `association_id`, `points`, `entries`, `adjustments`,
`reached` (how many of the rule's levels the points reach: the level is the last of them), `points_to_next`
(null at the top) and `evidence` (ids).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar, Iterable, Iterator

import polars as pl

from ..derived_results import MemberLevel, Step
from ..models.base import trusted
from .finding_rows import json_column, json_lists, json_text, nested, to_json
from .rule_rows import RuleRows

SCHEMA = {"rule": pl.UInt32, "member_id": pl.String, "team_id": pl.String, "association_id": pl.String,
          "points": pl.Float64, "entries": pl.Int64, "adjustments": pl.Float64, "reached": pl.UInt32,
          "points_to_next": pl.Float64, "evidence": pl.List(pl.String)}


@dataclass(frozen=True)
class LevelParts:
    """What every result of one levels rule shares."""

    rule_id: str
    clause: str
    as_of: date
    steps: tuple[Step, ...]  # the levels in force, lowest first


@dataclass(frozen=True, eq=False)
class LevelRows(RuleRows):
    parts: tuple[LevelParts, ...]
    SCHEMA: ClassVar[dict] = SCHEMA

    def __iter__(self) -> Iterator[MemberLevel]:
        return iter(self.materialise())

    def of_rule(self, rule_id: str, clause: str) -> LevelRows:
        """The rows with their rule's id and clause (a kind's `derive` leaves them to the collector)."""
        return LevelRows(self.frame, tuple(replace(p, rule_id=rule_id, clause=clause) for p in self.parts))

    def sorted(self) -> LevelRows:
        """By rule id, then member id (a stable sort, as the derived section lists its levels)."""
        ids = sorted({p.rule_id for p in self.parts})
        by = ([pl.col("rule").replace_strict(range(len(self.parts)), [ids.index(p.rule_id) for p in self.parts],
                                             return_dtype=pl.UInt32)] if len(ids) > 1 else [])
        return LevelRows(self.frame.sort(*by, "member_id", maintain_order=True), self.parts)

    def materialise(self) -> list[MemberLevel]:
        """The MemberLevel objects, in the rows' order (a rule's Step objects shared by its results)."""
        out = []
        for (rule, member_id, team_id, association_id, points, entries, adjustments, reached, to_next,
             evidence) in self.frame.iter_rows():
            p = self.parts[rule]
            out.append(trusted(
                MemberLevel, rule_id=p.rule_id, clause=p.clause, member_id=member_id, team_id=team_id,
                association_id=association_id, as_of=p.as_of, points=points, entries=entries,
                adjustments=adjustments, level=p.steps[reached - 1].name if reached else None,
                crossed=list(p.steps[:reached]), next=p.steps[reached] if reached < len(p.steps) else None,
                points_to_next=to_next, evidence_ids=evidence))
        return out

    def counts(self, lang: str, none: str) -> list[tuple[str, int]]:
        """(level name, members) from the lowest level reached up (by levels reached, then first seen); `none`
        names the members below every level."""
        names = [none] + sorted({getattr(s.name, lang) for p in self.parts for s in p.steps})
        by_part = [[names.index(none)] + [names.index(getattr(s.name, lang)) for s in p.steps] for p in self.parts]
        flat = [(rule, reached, code) for rule, codes in enumerate(by_part) for reached, code in enumerate(codes)]
        named = self.frame.select("rule", "reached").join(
            pl.DataFrame(flat, schema={"rule": pl.UInt32, "reached": pl.UInt32, "name": pl.UInt32}, orient="row"),
            on=["rule", "reached"], how="left", maintain_order="left")
        counted = named.sort("reached", maintain_order=True).group_by("name", maintain_order=True).len()
        return [(names[code], n) for code, n in counted.iter_rows()]

    def json_array(self, depth: int, size: int = 20_000) -> Iterable[bytes]:
        """The list's JSON as the value of a key `depth` objects deep (indent 2), as pydantic writes the
        MemberLevel objects, `size` results at a time."""
        if not self.frame.height:
            yield b"[]"
            return
        heads = _heads(self.parts, depth)
        yield b"[\n"
        for start in range(0, self.frame.height, size):
            text = _objects(self.frame.slice(start, size), heads, depth).str.join(",\n").cast(pl.Binary).item()
            yield (b",\n" if start else b"") + text
        yield _outer(depth)[:-2].encode() + b"]"

    @staticmethod
    def json_arrays(many: list[LevelRows], depth: int) -> list[bytes]:
        """Each one's `json_array(depth)` joined, written by one query over all of them (as
        `FindingRows.json_arrays`); the rules' parts of equal value written once."""
        parts: list[LevelParts] = []
        frames = []
        for k, rows in enumerate(many):
            index = []
            for p in rows.parts:
                if p not in parts:
                    parts.append(p)
                index.append(parts.index(p))
            frames.append(rows.frame.with_columns(
                pl.col("rule").replace_strict(range(len(index)), index, return_dtype=pl.UInt32), k=pl.lit(k, pl.UInt32)))
        joined = pl.concat(frames, how="vertical")
        texts = _objects(joined, _heads(tuple(parts), depth), depth)
        found = dict(pl.DataFrame({"k": joined["k"], "text": texts}).group_by("k").agg(
            pl.col("text").str.join(",\n")).rows())
        end = _outer(depth)[:-2] + "]"
        return [("[\n" + found[k] + end).encode("utf-8") if k in found else b"[]" for k in range(len(many))]


def _outer(depth: int) -> str:
    """A result's braces' line start at `depth` (a newline and the indent); its keys' are two spaces more."""
    return "\n" + "  " * (depth + 1)


def _heads(parts: tuple[LevelParts, ...], depth: int) -> pl.DataFrame:
    """The JSON of each rule and level reached (`_fixed`), by `rule` and `reached`."""
    key = _outer(depth) + "  "
    return pl.DataFrame([(rule, reached, *_fixed(p, reached, key)) for rule, p in enumerate(parts)
                         for reached in range(len(p.steps) + 1)],
                        schema={"rule": pl.UInt32, "reached": pl.UInt32, "_head": pl.String, "_as_of": pl.String,
                                "_blocks": pl.String}, orient="row")


def _objects(chunk: pl.DataFrame, heads: pl.DataFrame, depth: int) -> pl.Series:
    """Each result's JSON object at `depth` (`json_array`'s items), in the chunk's order: one query."""
    outer = _outer(depth)
    key = outer + "  "
    chunk = chunk.join(heads, on=["rule", "reached"], how="left", maintain_order="left")
    return pl.select(pl.concat_str(
        pl.lit(outer[1:] + "{" + key) + pl.lit(chunk["_head"]),
        pl.lit('"member_id": '), json_text(pl.lit(chunk["member_id"])),
        pl.lit(f',{key}"team_id": '), json_text(pl.lit(chunk["team_id"])).fill_null("null"),
        pl.lit(f',{key}"association_id": '), json_text(pl.lit(chunk["association_id"])).fill_null("null"),
        pl.lit(f',{key}"as_of": '), pl.lit(chunk["_as_of"]),
        pl.lit(f',{key}"points": '), pl.lit(json_column(chunk["points"])),
        pl.lit(f',{key}"entries": '), pl.lit(chunk["entries"].cast(pl.String)),
        pl.lit(f',{key}"adjustments": '), pl.lit(json_column(chunk["adjustments"])),
        pl.lit(","), pl.lit(chunk["_blocks"]),
        pl.lit(f',{key}"points_to_next": '), pl.lit(json_column(chunk["points_to_next"])),
        pl.lit(f',{key}"evidence_ids": '), pl.lit(json_lists(chunk["evidence"], key)),
        pl.lit(outer + "}")).alias("text")).to_series()


def _fixed(p: LevelParts, reached: int, key: str) -> tuple[str, str, str]:
    """The JSON of a result's rule and level parts at the key indent `key`: up to `member_id`, the value of
    `as_of`, and the `level`, `crossed` and `next` keys."""
    head = f'"rule_id": {to_json(p.rule_id)},{key}"clause": {to_json(p.clause)},{key}'
    ahead = p.steps[reached] if reached < len(p.steps) else None
    blocks = (f'{key}"level": {nested(p.steps[reached - 1].name if reached else None, key)},'
              f'{key}"crossed": {nested(list(p.steps[:reached]), key)},{key}"next": {nested(ahead, key)}')
    return head, to_json(p.as_of), blocks


def level_counts_of(levels: list[MemberLevel], lang: str, none: str) -> list[tuple[str, int]]:
    """`LevelRows.counts` of MemberLevel objects."""
    ordered = sorted(levels, key=lambda m: len(m.crossed))
    return list(Counter(getattr(m.level, lang) if m.level else none for m in ordered).items())
