"""The dataset checks, column-wise over `Tables`: unique ids, references that resolve (to a member of the same
team where asked), no association cycles, no impossible order of events (declared in `models.constraints`).
Every check is a lazy query of the rows that break it, all run in one `collect_all` (a clean dataset yields
empty results); the reasons are formatted only for the rows found.

tests/oracle/integrity.py states the same checks over model instances: the oracle (same issues, same words,
same order) of the differential tests."""
from __future__ import annotations

from itertools import chain
from typing import Callable

import polars as pl

from ..errors import Issue
from ..models import COLLECTIONS
from ..models.constraints import ORDER, REFERENCES
from ..tables.frames import Tables
from .integrity_look import Look


Probe = tuple[pl.LazyFrame, Callable[[pl.DataFrame], list[Issue]]]


def check_tables(tables: Tables) -> list[Issue]:
    look = Look(tables)  # a check a first look shows clean is not run
    before, after = duplicate_ids(tables, look) + dangling_references(tables, look), impossible_order(tables, look)
    found = _found(before + after)
    return [*chain.from_iterable(found[:len(before)]), *association_cycles(tables),
            *chain.from_iterable(found[len(before):])]


def check_unique(tables: Tables) -> list[Issue]:
    """Only the unique-id checks: what a host's `Dataset` is checked for (auditing.as_tables)."""
    return list(chain.from_iterable(_found(duplicate_ids(tables, Look(tables)))))


def _found(probes: list[Probe]) -> list[list[Issue]]:
    """Each probe's issues, all probes run in one `collect_all`."""
    return [to_issues(rows) for (_, to_issues), rows in zip(probes, pl.collect_all([lf for lf, _ in probes]) if probes else [])]


def _rows(frame: pl.DataFrame, *columns) -> pl.LazyFrame:
    return frame.lazy().select(pl.int_range(pl.len(), dtype=pl.Int64).alias("__i"), *columns)


def _id(frame: pl.DataFrame) -> pl.Expr:
    return pl.col("id") if "id" in frame.columns else pl.lit(None, pl.String).alias("id")


def duplicate_ids(tables: Tables, look: Look) -> list[Probe]:
    probes = []
    for name in COLLECTIONS:
        frame = tables.get(name)
        if frame is None or "id" not in frame.columns or look.unique(name, "id"):
            continue
        rows = _rows(frame, "id").with_columns(first=pl.col("__i").min().over("id")).filter(
            pl.col("__i") != pl.col("first"))
        probes.append((rows, lambda found, name=name: [
            Issue(name, i, rid, "id", f"duplicate id {rid!r} (first at {name}[{first}])")
            for i, rid, first in found.iter_rows()]))
    scores = tables.get("team_scores")
    if scores is not None and not look.unique("team_scores", "team_id", "year"):
        rows = _rows(scores, "team_id", "year").with_columns(first=pl.col("__i").min().over("team_id", "year")
                                                             ).filter(pl.col("__i") != pl.col("first"))
        probes.append((rows, lambda found: [
            Issue("team_scores", i, None, "year", f"second score for team {team} in {year} (first at team_scores[{first}])")
            for i, team, year, first in found.iter_rows()]))
    return probes


def linked(frame: pl.DataFrame, path: str, *also: pl.Expr) -> pl.LazyFrame:
    """(__i, id, value, *also) for every value at a dotted path of each row, lists flattened, nulls left out, in
    row order and then list order (`index.link_reader`); `also`: more columns of the row."""
    head, *rest = path.split(".")
    values, dtype = _rows(frame, _id(frame), pl.col(head).alias("value"), *also), frame.schema[head]
    for part in [None, *rest]:
        if isinstance(dtype, pl.List):
            values, dtype = values.explode("value", empty_as_null=True), dtype.inner
        if part is not None:
            values, dtype = values.with_columns(pl.col("value").struct.field(part).alias("value")), dict(dtype)[part]
    return values.filter(pl.col("value").is_not_null())


def dangling_references(tables: Tables, look: Look) -> list[Probe]:
    probes = []
    for ref in REFERENCES:
        frame, targets = tables.get(ref.collection), tables.get(ref.target)
        if frame is None or targets is None or look.resolves(ref):
            continue
        own = ref.same_team and "team_id" in frame.columns
        values = linked(frame, ref.path, *([pl.col("team_id").alias("own_team")] if own else []))
        if not own:  # only whether the target exists
            found = values.filter(~pl.col("value").is_in(pl.lit(targets.get_column("id")).implode())).select(
                "__i", "id", "value", pl.lit(None, pl.Boolean).alias("found"), pl.lit(None, pl.String).alias("team_id"),
                pl.lit(None, pl.String).alias("own_team"))
        else:
            known = targets.lazy().select("id", "team_id").unique("id", keep="last", maintain_order=True).with_columns(
                found=pl.lit(True))
            joined = values.join(known.rename({"id": "value"}), on="value", how="left", maintain_order="left")
            wrong = pl.col("own_team").is_not_null() & (pl.col("own_team") != pl.col("team_id")).fill_null(True)
            found = joined.filter(pl.col("found").is_null() | wrong).select(
                "__i", "id", "value", "found", "team_id", "own_team")
        probes.append((found, lambda rows, ref=ref: _dangling(ref, rows)))
    return probes


def _dangling(ref, found: pl.DataFrame) -> list[Issue]:
    kind, issues = COLLECTIONS[ref.target].kind, []
    for i, rid, value, known, team, own in found.iter_rows():
        if known is None:
            reason = f"refers to {kind} {value!r}, which is not in {ref.target}"
        else:
            reason = f"{kind} {value!r} belongs to team {team!r}, not {own!r}"
        issues.append(Issue(ref.collection, i, rid, ref.path, reason))
    return issues


def association_cycles(tables: Tables) -> list[Issue]:
    frame = tables.get("associations")
    if frame is None:
        return []
    ids, parent_ids = frame["id"].to_list(), frame["parent_id"].to_list()
    parents = dict(zip(ids, parent_ids))
    position = {a: i for i, a in enumerate(ids)}
    issues, reported = [], set()
    for start in parents:
        path, node = [], start
        while node is not None and node in parents and node not in path:
            path.append(node)
            node = parents[node]
        if node in path and node not in reported:
            cycle = path[path.index(node):]
            reported.update(cycle)
            issues.append(Issue("associations", position[node], node, "parent_id",
                                "association hierarchy has a cycle: " + " → ".join(cycle + [node])))
    return issues


def impossible_order(tables: Tables, look: Look) -> list[Probe]:
    probes = []
    for name, first, laters in ORDER:
        frame = tables.get(name)
        if frame is None or look.in_order(name, first, laters):
            continue
        pairs = pl.concat([_pairs(frame, first, later).filter(pl.col("b") < pl.col("a")).with_columns(
            k=pl.lit(k, pl.Int64)) for k, later in enumerate(laters)])
        probes.append((pairs.sort("__i", "k", "pos", maintain_order=True),
                       lambda found, name=name, first=first, laters=laters: [
                           Issue(name, i, rid, laters[k].replace("[]", f"[{pos}]"),
                                 f"{laters[k].split('.')[-1]} {b.isoformat()} is before {first.split('.')[-1]} "
                                 f"{a.isoformat()}") for i, rid, pos, a, b, k in found.iter_rows()]))
    return probes + _follow_ups_before_disputes(tables, look)


def _pairs(frame: pl.DataFrame, first: str, later: str) -> pl.LazyFrame:
    """(__i, id, pos, a, b): a record's earlier and later values, or each item's of a list field."""
    if "[]." not in first:
        return _rows(frame, _id(frame), pl.lit(0, pl.Int64).alias("pos"), pl.col(first).alias("a"),
                     pl.col(later).alias("b"))
    items, a = first.split("[].")
    b = later.split("[].")[1]
    rows = _rows(frame, _id(frame), pl.col(items)).filter(pl.col(items).is_not_null())
    rows = rows.with_columns(pos=pl.int_ranges(pl.col(items).list.len(), dtype=pl.Int64)).explode(
        items, "pos", empty_as_null=True)
    return rows.filter(pl.col("pos").is_not_null()).select(
        "__i", "id", "pos", pl.col(items).struct.field(a).alias("a"), pl.col(items).struct.field(b).alias("b"))


def _follow_ups_before_disputes(tables: Tables, look: Look) -> list[Probe]:
    follow_ups, disputes = tables.get("follow_ups"), tables.get("disputes")
    if follow_ups is None or disputes is None or look.follow_ups_in_order():
        return []
    known = disputes.lazy().select(pl.col("id").alias("dispute_id"), "mediated_at", "registered_at").unique(
        "dispute_id", keep="last", maintain_order=True)
    rows = _rows(follow_ups, "id", "dispute_id", "at").join(known, on="dispute_id", how="inner", maintain_order="left")
    when = pl.coalesce("mediated_at", "registered_at")
    return [(rows.filter(pl.col("at") < when), _follow_up_issues)]


def _follow_up_issues(found: pl.DataFrame) -> list[Issue]:
    issues = []
    for i, rid, dispute, at, mediated, registered in found.iter_rows():
        field, when_value = ("mediated", mediated) if mediated is not None else ("registered", registered)
        issues.append(Issue("follow_ups", i, rid, "at", f"follow-up at {at.isoformat()} is before "
                            f"its dispute {dispute!r} was {field} ({when_value.isoformat()})"))
    return issues
