"""The findings of the column-wise audit, built only at the end from each rule's result rows
(`engine.results`), and the subject roll-up (which team and association a finding belongs to) as columns."""
from __future__ import annotations

from types import SimpleNamespace

import polars as pl

from ..checks.outcome import Outcome, not_assessable
from ..models import COLLECTIONS
from ..models.base import trusted
from ..report.model import Finding, Subject
from ..rulebook.pack import CompiledRule
from .context import ColumnContext
from .select import table

OUTCOME = ("status", "measured", "expected", "evidence", "note", "due")  # checks.outcome.Outcome's fields


def findings(rule: CompiledRule, rows: pl.DataFrame | None, ctx: ColumnContext) -> list[Finding]:
    """The findings of one rule from its result rows, made by `auditing.make_finding` as the per-object ones."""
    from ..auditing import make_finding  # auditing selects this engine: imported when it runs

    if rows is None:
        outcome = not_assessable(f"the dataset has no {rule.subject_collection}")
        return [make_finding(rule, Subject(kind=rule.rule.subject, id="*"), outcome, ctx)]
    subject = subjects_of(rule.subject_collection, ctx)
    rows = rows.select("id", *(pl.col(c) if c in rows.columns else pl.lit(None).alias(c) for c in OUTCOME))
    nicknames = _nicknames(rule.subject_collection, rows, ctx)
    return [make_finding(rule, subject(row[0]), Outcome(row[1], row[2], row[3], row[4] or [], row[5], row[6]), ctx,
                         SimpleNamespace(nickname=nick))
            for row, nick in zip(rows.iter_rows(), nicknames)]


def _nicknames(collection: str, rows: pl.DataFrame, ctx: ColumnContext) -> list:
    """The `nickname` of each row's record, which a message may name (None where the collection has none)."""
    if "nickname" not in COLLECTIONS[collection].model.model_fields:
        return [None] * rows.height
    names = _by_id(collection, "nickname", ctx)
    return rows.select("id").join(names, on="id", how="left", maintain_order="left")["nickname"].to_list()


def subjects_of(collection: str, ctx: ColumnContext):
    """id → the Subject of a finding, with the team and association it rolls up to (`subject_rows`),
    computed for the whole collection at once and shared by every rule."""
    def build():
        rows = subject_rows(collection, ctx)
        info = {r[0]: r[1:] for r in rows.iter_rows()}
        kind, made = COLLECTIONS[collection].kind, {}

        def subject(subject_id: str) -> Subject:
            found = made.get(subject_id)
            if found is None:
                name, team_id, association_id = info[subject_id]
                found = made[subject_id] = trusted(Subject, kind=kind, id=subject_id, name=name, team_id=team_id,
                                                   association_id=association_id)
            return found
        return subject
    return ctx.memo(f"subjects:{collection}", build)


def subject_rows(collection: str, ctx: ColumnContext) -> pl.DataFrame:
    """(`id`, `name`, `team_id`, `association_id`) of every record: the roll-up of a finding to its team and
    association (the per-object `auditing.subject_of` copies it). Its own team (a team or an online group is its
    own; a group member's is its group), else its dispute's or member's; its own association, else its team's."""
    fields = COLLECTIONS[collection].model.model_fields
    rows = table(collection, ctx)
    none = pl.lit(None, dtype=pl.String)
    team = (pl.col("id") if collection in ("teams", "online_groups") else pl.col("team_id") if "team_id" in fields
            else none)
    if collection == "group_members":  # a Yunge group has its verdict as a team has
        team = pl.coalesce(team, pl.col("online_group_id"))
    out = rows.select("id", (pl.col("name") if "name" in fields else none).alias("name"), team.alias("team_id"),
                      *([pl.col(c) for c in ("dispute_id", "member_id") if c in fields]))
    for link, owners in (("dispute_id", "disputes"), ("member_id", "members")):
        if link in fields:
            theirs = _by_id(owners, "team_id", ctx).rename({"id": link, "team_id": "_theirs"})
            out = (out.join(theirs, on=link, how="left", maintain_order="left")
                   .with_columns(pl.coalesce("team_id", "_theirs").alias("team_id")).drop("_theirs", link))
    if collection == "associations":
        association = pl.col("id")
    elif "association_id" in fields:
        out = out.with_columns(rows["association_id"].alias("association_id"))
        association = pl.col("association_id")
    else:
        association = none
    out = out.with_columns(association.alias("association_id"))
    teams = _by_id("teams", "association_id", ctx).rename({"id": "team_id", "association_id": "_team_assoc"})
    return (out.join(teams, on="team_id", how="left", maintain_order="left")
            .with_columns(pl.coalesce("association_id", "_team_assoc").alias("association_id"))
            .select("id", "name", "team_id", "association_id"))


def _by_id(collection: str, column: str, ctx: ColumnContext) -> pl.DataFrame:
    """(`id`, column) of a collection, one row per id (the last, as a dict by id keeps)."""
    return table(collection, ctx).select("id", column).unique("id", keep="last", maintain_order=True)
