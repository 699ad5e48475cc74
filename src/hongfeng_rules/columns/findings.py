"""The findings of the column-wise audit, built at the end from every rule's result rows at once
(`engine.evaluate_all`), and the subject roll-up (which team and association a finding belongs to) as columns.
The Polars work is the same few queries whatever the number of rules; Python fills in only the messages of the
findings that are neither passes nor notes (and one per distinct note)."""
from __future__ import annotations

import polars as pl

from ..checks.outcome import Outcome
from ..models import COLLECTIONS
from ..report.finding_rows import SCHEMA, FindingRows, RuleParts, json_column, json_text, message_block, subject_block
from ..rulebook.pack import CompiledRule
from .context import PLAN_FLAGS, ColumnContext
from .engine import MEASURED
from .literals import lit
from .messages import columnar, filled
from .select import table

_PENDING = (pl.col("status") == "pending") & pl.col("due").is_not_null()
_NOTED = ~_PENDING & (pl.col("status") != "fail") & (pl.col("note").fill_null("") != "")
_PASSED = ~_PENDING & ~_NOTED & (pl.col("status") == "pass")
# what makes a finding's message: "row" (message_of for this row), "note" (for its rule, status and note), "pass"
_CASE = (pl.when(_PENDING | ~(_NOTED | _PASSED)).then(pl.lit("row")).when(_NOTED).then(pl.lit("note"))
         .otherwise(pl.lit("pass")))
_EXPECTED = json_text(pl.col("expected")).fill_null("null")
_AS_TEXT = (pl.Boolean, pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)  # JSON = cast


def findings(rules: list[CompiledRule], rows: pl.DataFrame, ctx: ColumnContext) -> FindingRows:
    """The findings of the rules from their result rows (`engine.evaluate_all`), in the rows' order, as the
    per-object engine makes them (tests/oracle: `make_finding`): the subject joined from `subjects` (the subject
    "*" of a rule whose subject collection is missing has its kind only), the statuses of
    `auditing.final_status`, the messages of `auditing.message_of` (called once per rule, status and note, and
    once per failing or pending row)."""
    from ..auditing import final_status, fixed_parts, message_of, placeholder_text, plain  # auditing imports this module

    if not rules:
        return FindingRows.concat([])
    sources = [_source(r, ctx) for r in rules]
    distinct = list(dict.fromkeys(sources))
    measured, schema = [c for c in rows.columns if c.startswith(MEASURED)], rows.schema
    by_cast = [json_text(pl.col(c)) if schema[c] == pl.String else pl.col(c).cast(pl.String)
               for c in measured if schema[c] == pl.String or schema[c] in _AS_TEXT]
    pass_blocks = pl.Series([message_block(fixed_parts(r)["pass_message"]) for r in rules], dtype=pl.String)
    frame = (rows.lazy()
             .with_columns(_source=pl.lit(pl.Series([distinct.index(s) for s in sources], dtype=pl.UInt32))
                           .gather(pl.col("rule")))
             .join(subjects(distinct, ctx), on=["_source", "id"], how="left", maintain_order="left")
             .with_columns(_case=_CASE, _message=pl.lit(pass_blocks).gather(pl.col("rule")), _expected=_EXPECTED,
                           _measured=pl.coalesce(*by_cast) if by_cast else lit(None, dtype=pl.String))
             .collect(optimizations=PLAN_FLAGS))
    by_python = [json_column(frame[c], plain, null=None) for c in measured  # each distinct value once
                 if not (schema[c] == pl.String or schema[c] in _AS_TEXT)]

    notes = frame.filter(pl.col("_case") == "note").select("rule", "status", "note").unique(maintain_order=True)
    notes = notes.with_columns(_noted=pl.Series([  # one message per rule, status and note
        message_block(message_of(rules[r], Outcome(status, note=note), "", None, None, ctx.as_of)[0])
        for r, status, note in notes.iter_rows()], dtype=pl.String))
    rows = (frame.with_row_index("_at").filter(pl.col("_case") == "row")
            .select("_at", "rule", "status", "expected", "evidence", "note", "due", "id", "name", "nickname", *measured))
    in_python = _PENDING | ~pl.lit(pl.Series([columnar(r) for r in rules], dtype=pl.Boolean)).gather(pl.col("rule"))
    plain = rows.filter(~in_python)
    at, messages, left = plain["_at"].to_list(), filled(rules, plain, measured, placeholder_text).to_list(), []
    for i, r, status, expected, evidence, note, due, id_, name, nickname, *values in rows.filter(in_python).iter_rows():
        value = next((v for v in values if v is not None), None)  # only its rule's dtype column holds a value
        message, hours = message_of(rules[r], Outcome(status, value, expected, evidence, note, due), id_, name,
                                    nickname, ctx.as_of)
        at.append(i), messages.append(message_block(message)), left.append(None if hours is None else round(hours, 2))
    timed = pl.Series(at[len(at) - len(left):], dtype=pl.UInt32)
    at = pl.Series(at, dtype=pl.UInt32)
    frame = frame.join(notes, on=["rule", "status", "note"], how="left", maintain_order="left")
    fail_as = pl.Series([final_status("fail", r.rule.strength) for r in rules], dtype=pl.String)
    frame = frame.with_columns(
        status=pl.when(pl.col("status") == "fail").then(pl.lit(fail_as).gather(pl.col("rule")))
        .otherwise(pl.col("status")),
        measured=pl.coalesce("_measured", *by_python).fill_null("null"), expected=pl.col("_expected"),
        message=frame.select(pl.when(pl.col("_case") == "note").then(pl.col("_noted")).otherwise(pl.col("_message")))
        .to_series().scatter(at, pl.Series(messages, dtype=pl.String)),
        time_left_hours=pl.repeat(None, frame.height, dtype=pl.Float64, eager=True)
        .scatter(timed, pl.Series(left, dtype=pl.Float64)),
        waiver=lit(None, dtype=pl.String), explanation=lit(None, dtype=pl.String))
    return FindingRows(frame.select(*SCHEMA), tuple(RuleParts(fixed_parts(r)["fields"]) for r in rules))


def _source(rule: CompiledRule, ctx: ColumnContext) -> str | tuple[str, str]:
    """Where a rule's subjects come from: its subject collection, or ("*", its subject kind) when the dataset
    lacks the collection (the one subject "*")."""
    collection = rule.subject_collection
    return collection if ctx.tables.has(collection) else ("*", rule.rule.subject)


def subjects(sources: list, ctx: ColumnContext) -> pl.LazyFrame:
    """The subjects of every source (`_source`; one per id: the tables of `audit` hold no id twice), in one plan:
    `_source` (its index), `id`, `kind`, `name`, `nickname` (which a message may name), the JSON block
    `subject`, and the roll-up of a finding to its team and association (tests/oracle/engine.py's `subject_of`
    copies it): its own team (a team or an online group is its own; a group member's is its group), else its
    dispute's or member's; its own association, else its team's."""
    out = pl.concat([_own(i, source, ctx) for i, source in enumerate(sources)], how="vertical")
    for link, owners in _LINKS:
        if any(link in COLLECTIONS[s].model.model_fields for s in sources if not isinstance(s, tuple)):
            theirs = _by_id(owners, "team_id", ctx).rename({"id": link, "team_id": "_theirs"})
            out = (out.join(theirs, on=link, how="left", maintain_order="left")
                   .with_columns(pl.coalesce("team_id", "_theirs").alias("team_id")).drop("_theirs"))
    teams = _by_id("teams", "association_id", ctx).rename({"id": "team_id", "association_id": "_team_assoc"})
    return (out.join(teams, on="team_id", how="left", maintain_order="left")
            .with_columns(pl.coalesce("association_id", "_team_assoc").alias("association_id"))
            .select("_source", "id", "kind", "name", "team_id", "association_id", "nickname", subject_block()))


_LINKS = (("dispute_id", "disputes"), ("member_id", "members"))  # a record's team, else its dispute's or member's


def _own(i: int, source, ctx: ColumnContext) -> pl.LazyFrame:
    """A source's records (the one subject "*" of a missing collection: its kind only) with their own team,
    association and links, in table order."""
    none = lit(None, dtype=pl.String)
    if isinstance(source, tuple):
        return pl.LazyFrame({"_source": [i], "id": ["*"], "kind": [source[1]]},
                            schema={"_source": pl.UInt32, "id": pl.String, "kind": pl.String}).with_columns(
            none.alias(c) for c in ("name", "team_id", "association_id", *(link for link, _ in _LINKS), "nickname"))
    fields = COLLECTIONS[source].model.model_fields
    team = (pl.col("id") if source in ("teams", "online_groups") else pl.col("team_id") if "team_id" in fields
            else none)
    if source == "group_members":  # a Yunge group has its verdict as a team has
        team = pl.coalesce(team, pl.col("online_group_id"))
    association = (pl.col("id") if source == "associations" else pl.col("association_id")
                   if "association_id" in fields else none)
    present = lambda name: (pl.col(name) if name in fields else none).alias(name)  # noqa: E731
    return table(source, ctx).lazy().select(
        lit(i, pl.UInt32).alias("_source"), "id", lit(COLLECTIONS[source].kind).alias("kind"), present("name"),
        team.alias("team_id"), association.alias("association_id"), *(present(link) for link, _ in _LINKS),
        present("nickname"))


def _by_id(collection: str, column: str, ctx: ColumnContext) -> pl.LazyFrame:
    """(`id`, column) of a collection (one row per id: the tables of `audit` hold no id twice)."""
    return table(collection, ctx).lazy().select("id", column)
