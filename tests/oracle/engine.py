"""The per-object audit: each rule's `applies` and its check (`oracle.kinds.evaluator`) over model records, one
subject at a time. Retired from the product (issue 18): the oracle the column-wise engine is tested against
(tests/test_columns_engine.py, test_columns_differential.py) and the "before" of benchmarks/engines.py."""
from __future__ import annotations

from hongfeng_rules.auditing import fixed_parts, plain, audit_by, final_status, message_of, records_context
from hongfeng_rules.checks.context import Context
from hongfeng_rules.checks.outcome import Outcome, not_assessable
from hongfeng_rules.columns.context import ColumnContext
from hongfeng_rules.index import Index
from hongfeng_rules.models import COLLECTIONS
from hongfeng_rules.models.base import trusted
from hongfeng_rules.report.model import ComplianceReport, Finding, Subject
from hongfeng_rules.rulebook.pack import CompiledRule

from .kinds import evaluator

_EVALUATORS: dict[int, tuple] = {}


def evaluate_of(rule: CompiledRule):
    """The rule's check as a function of a subject and a Context, built once per rule."""
    found = _EVALUATORS.get(id(rule))
    if found is None or found[0] is not rule.rule.check:
        found = _EVALUATORS[id(rule)] = (rule.rule.check, evaluator(rule.rule.check, rule.subject_collection))
    return found[1]


def findings(rules: list[CompiledRule], ctx: ColumnContext) -> list[Finding]:
    """Every finding of the rules, per object, over records built from the tables (auditing.records_context)."""
    records = records_context(ctx)
    return [f for rule in rules for f in run_rule(rule, records)]


def audit(*args, **kwargs) -> ComplianceReport:
    """`auditing.audit` (the same arguments), the findings made per object."""
    return audit_by(findings, *args, **kwargs)


def run_rule(rule: CompiledRule, ctx: Context) -> list[Finding]:
    """All findings of one rule: one per subject it applies to."""
    records = ctx.index.records(rule.subject_collection)
    missing = rule.missing(ctx.index)
    if records is None:
        outcome = not_assessable(f"the dataset has no {rule.subject_collection}")
        return [make_finding(rule, Subject(kind=rule.rule.subject, id="*"), outcome, ctx)]
    event = COLLECTIONS[rule.subject_collection].event
    subjects = ctx.memo(f"subjects:{rule.subject_collection}", dict)  # one Subject per record, shared by rules
    lacking = not_assessable("the dataset has no " + ", ".join(missing)) if missing else None
    evaluate = evaluate_of(rule)
    out = []
    for record in ctx.counted(rule.subject_collection, in_period=True)[0] if event else records:
        if rule.applies(record, ctx) is not True:
            continue
        outcome = evaluate(record, ctx) if lacking is None else lacking
        subject = subjects.get(record.id)
        if subject is None:
            subject = subjects[record.id] = subject_of(rule.subject_collection, record, ctx.index)
        out.append(make_finding(rule, subject, outcome, ctx, record))
    return out


def make_finding(rule: CompiledRule, subject: Subject, outcome: Outcome, ctx: Context, record=None) -> Finding:
    """One finding, as the column-wise `columns.findings.findings` makes each from its row (the parts the
    product shares with it: auditing's `message_of`, `final_status` and a rule's fixed parts), built without
    re-validation."""
    spec, fixed = rule.rule, fixed_parts(rule)
    message, left = message_of(rule, outcome, subject.id, subject.name, getattr(record, "nickname", None), ctx.as_of)
    return trusted(
        Finding,
        **fixed["fields"], status=final_status(outcome.status, spec.strength), subject=subject,
        measured=plain(outcome.measured), expected=plain(outcome.expected), evidence_ids=list(outcome.evidence),
        note=outcome.note, due=outcome.due, time_left_hours=round(left, 2) if left is not None else None,
        message=message, waiver=None, explanation=None,
    )


def subject_of(collection: str, record, index: Index) -> Subject:
    """The subject of a finding, with the team and association it rolls up to: this engine's copy of
    `columns.findings.subjects`, which defines the roll-up."""
    kind, fields = COLLECTIONS[collection].kind, COLLECTIONS[collection].model.model_fields
    team_id = record.id if collection in ("teams", "online_groups") else record.team_id if "team_id" in fields else None
    if team_id is None and collection == "group_members":
        team_id = record.online_group_id  # a Yunge group has its verdict as a team has (its summary's kind says which)
    if team_id is None and "dispute_id" in fields and record.dispute_id:
        team_id = getattr(index.by_id("disputes").get(record.dispute_id), "team_id", None)
    if team_id is None and "member_id" in fields and record.member_id:
        team_id = getattr(index.by_id("members").get(record.member_id), "team_id", None)
    association_id = (record.id if collection == "associations"
                      else record.association_id if "association_id" in fields else None)
    if association_id is None and team_id is not None:
        association_id = getattr(index.by_id("teams").get(team_id), "association_id", None)
    return trusted(Subject, kind=kind, id=record.id, name=record.name if "name" in fields else None,
                   team_id=team_id, association_id=association_id)
