"""The findings of the column-wise audit, built only at the end from each rule's result rows
(`engine.results`), and the subject roll-up (which team and association a finding belongs to) as columns."""
from __future__ import annotations

import polars as pl

from ..checks.outcome import Outcome
from ..models import COLLECTIONS
from ..report.finding_rows import SCHEMA, SHANGHAI, FindingRows, RuleParts, json_column, message_block, subject_blocks
from ..rulebook.pack import CompiledRule
from .context import ColumnContext
from .select import table

OUTCOME = ("status", "measured", "expected", "evidence", "note", "due")  # checks.outcome.Outcome's fields
_VARIED = ("measured", "expected", "evidence", "note", "due", "id", "name")  # what a filled-in message may name


def findings(rule: CompiledRule, rows: pl.DataFrame | None, ctx: ColumnContext) -> FindingRows:
    """The findings of one rule from its result rows, as the per-object engine's (`auditing.make_finding`):
    the subject joined from `subject_rows`, the statuses and messages of `auditing.final_status` and
    `auditing.message_of` (called once per distinct status and note, and per failing or pending row only)."""
    from ..auditing import _fixed_parts, _plain, final_status, message_of  # auditing selects this engine

    spec, fixed = rule.rule, _fixed_parts(rule)
    if rows is None:
        frame = pl.DataFrame({"id": ["*"], "status": ["not_assessable"], "kind": [spec.subject],
                              "note": [f"the dataset has no {rule.subject_collection}"]})
        frame = frame.with_columns(pl.lit(None, pl.String).alias(c) for c in ("name", "team_id", "association_id"))
        frame = frame.with_columns(subject_blocks(frame))
    else:
        frame = rows.select("id", *(c for c in OUTCOME if c in rows.columns))
        frame = frame.join(_subjects(rule.subject_collection, ctx), on="id", how="left", maintain_order="left")
    frame = frame.with_columns(pl.lit(None).alias(c) for c in OUTCOME if c not in frame.columns)
    frame = frame.with_columns(pl.col("evidence").cast(pl.List(pl.String)).fill_null([]),
                               pl.col("note").cast(pl.String), pl.col("due").cast(SHANGHAI))
    pending = (pl.col("status") == "pending") & pl.col("due").is_not_null()
    noted = ~pending & (pl.col("status") != "fail") & (pl.col("note").fill_null("") != "")
    passed = ~pending & ~noted & (pl.col("status") == "pass")
    frame = frame.with_columns(_case=pl.when(pending | ~(noted | passed)).then(pl.lit("row"))
                               .when(noted).then(pl.lit("note")).otherwise(pl.lit("pass")))
    messages = [message_block(fixed["pass_message"])] * frame.height
    left: list = [None] * frame.height
    notes = frame.filter(pl.col("_case") == "note").select("status", "note").unique()
    by_note = {(status, note): message_block(message_of(rule, Outcome(status, note=note), "", None, None, ctx.as_of)[0])
               for status, note in notes.iter_rows()}
    at = frame.with_row_index("_at").filter(pl.col("_case") != "pass")
    nicknames = _nicknames(rule.subject_collection, at, ctx) if rows is not None else [None] * at.height
    for (i, case, status, measured, expected, evidence, note, due, id_, name), nickname in zip(
            at.select("_at", "_case", "status", *_VARIED).iter_rows(), nicknames):
        if case == "note":
            messages[i] = by_note[status, note]
        else:
            message, hours = message_of(rule, Outcome(status, measured, expected, evidence, note, due), id_, name,
                                        nickname, ctx.as_of)
            messages[i], left[i] = message_block(message), round(hours, 2) if hours is not None else None
    frame = frame.with_columns(
        rule=pl.lit(0, pl.UInt32), status=pl.col("status").replace_strict(
            ["fail"], [final_status("fail", spec.strength)], default=pl.col("status")),
        time_left_hours=pl.Series(left, dtype=pl.Float64), message=pl.Series(messages, dtype=pl.String),
        waiver=pl.lit(None, pl.String), explanation=pl.lit(None, pl.String), measured=json_column(frame["measured"], _plain),
        expected=json_column(frame["expected"], _plain))
    return FindingRows(frame.select(*SCHEMA), (RuleParts(fixed["fields"]),))


def _subjects(collection: str, ctx: ColumnContext) -> pl.DataFrame:
    """`subject_rows` of a collection, one per id (the last), with `kind` and the JSON block (once per audit)."""
    def build():
        rows = subject_rows(collection, ctx).unique("id", keep="last", maintain_order=True)
        rows = rows.with_columns(kind=pl.lit(COLLECTIONS[collection].kind))
        return rows.with_columns(subject_blocks(rows))
    return ctx.memo(f"subject-rows:{collection}", build)


def _nicknames(collection: str, rows: pl.DataFrame, ctx: ColumnContext) -> list:
    """The `nickname` of each row's record, which a message may name (None where the collection has none)."""
    if "nickname" not in COLLECTIONS[collection].model.model_fields:
        return [None] * rows.height
    names = _by_id(collection, "nickname", ctx)
    return rows.select("id").join(names, on="id", how="left", maintain_order="left")["nickname"].to_list()


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
