"""The batch audit: every compiled rule over every subject, into a ComplianceReport."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping

from . import __version__
from .checks.context import Context
from .checks.outcome import Outcome
from .errors import InputError, Problem, record_label
from .derived_results import Derived, collect as collect_derived, is_derived
from .gcpause import paused_gc
from .index import Index
from .models import Dataset
from .models.base import trusted
from .notices import period_notices
from .report.finding_rows import FindingRows
from .report.labels import STATUS_NAMES, localise
from .report.model import STATUS_ORDER, CalendarInfo, ComplianceReport, Finding, PackInfo, RuleInfo, Text
from .rulebook.pack import CompiledRule, RulePack, pack_digest
from .rulebook.spec import clause_key, fill_message
from .summaries import summaries
from .columns.context import ColumnContext
from .tables import Tables, from_dataset, tables_from_data
from .validation.future import records_after
from .validation.integrity import check_unique
from .timecalc import Period, WorkCalendar, default_calendar, supported_as_of, supported_day, time_left
from .whatif import apply_overrides

def audit(data: Tables | Dataset | Mapping, packs: RulePack | Iterable[RulePack], period: Period | str,
          as_of: datetime | date, *, calendar: WorkCalendar | None = None, dataset_label: str = "dataset",
          overrides: Mapping[str, Any] | None = None, explain: str | None = None) -> ComplianceReport:
    """Run every rule of the packs over the dataset for a period, judged as of an instant (a date: the end of
    that day, as on the command line). The dataset is `Tables` (tables.load_tables), or a host's `Dataset` or
    plain dicts, converted once (as_tables); `overrides` ({"hf-5.2.6-core-members.at_least": 12}) change rule
    parameters first (whatif.apply_overrides); `explain` ("all", "RULE" or "RULE:SUBJECT") fills those
    findings' `explanation` (explain.py)."""
    return audit_by(_findings, data, packs, period, as_of, calendar=calendar, dataset_label=dataset_label,
                    overrides=overrides, explain=explain)


def audit_by(find: Callable[[list[CompiledRule], ColumnContext], list[Finding] | FindingRows], data: Tables | Dataset | Mapping,
             packs: RulePack | Iterable[RulePack], period: Period | str, as_of: datetime | date, *,
             calendar: WorkCalendar | None = None, dataset_label: str = "dataset",
             overrides: Mapping[str, Any] | None = None, explain: str | None = None,
             known: Mapping[str, Any] | None = None) -> ComplianceReport:
    """`audit`, with the findings of the (not derived) rules made by `find(rules, ctx)`: the column-wise engine
    (`audit` itself), or the per-object oracle the tests compare it with (tests/oracle/engine.py). `known`: the
    results of some derived rules made already, by rule id (`derived_results.collect`; audit_each's levels)."""
    packs = apply_overrides([packs] if isinstance(packs, RulePack) else list(packs), overrides)
    with paused_gc():  # also around the calendar: its first use imports modules, which would trigger full collections
        return _report(find, packs, _context(data, period, as_of, calendar), dataset_label, explain, known)


def derive(data: Tables | Dataset | Mapping, packs: RulePack | Iterable[RulePack], period: Period | str,
           as_of: datetime | date, *, calendar: WorkCalendar | None = None) -> Derived | None:
    """Only the derived results (member levels, star titles) of the packs' derived rules: no findings."""
    packs = [packs] if isinstance(packs, RulePack) else list(packs)
    with paused_gc():
        return _derived(packs, _context(data, period, as_of, calendar))


def as_tables(data: Tables | Dataset | Mapping) -> Tables:
    """The tables of a dataset: `Tables` as they are; a `Dataset` (model instances) or plain dicts (a mapping of
    collection name to a list of records, validated as a dataset file is) converted once. InputError for a
    `Dataset` holding one id twice in a collection (or two scores of a team in a year), as for a file."""
    if isinstance(data, Tables):
        return data
    if isinstance(data, Dataset):
        return _unique(from_dataset(data))
    if isinstance(data, Mapping):
        return tables_from_data(data)
    raise TypeError(f"audit() takes Tables, a Dataset or a mapping of collections, not {type(data).__name__}")


def _unique(tables: Tables) -> Tables:
    """A `Dataset`'s tables, refused (InputError naming each record and field; its file is "data", as for plain
    dicts) if a collection holds one id twice: a subject named twice has no one verdict. Its models are valid
    records already; other cross-record checks are the host's to keep."""
    issues = check_unique(tables)
    if issues:
        raise InputError([Problem(file="data", reason=i.reason, field=i.field,
                                  record=record_label(i.collection, i.index, i.record_id)) for i in issues])
    return tables


def _context(data: Tables | Dataset | Mapping, period: Period | str, as_of: datetime | date,
             calendar: WorkCalendar | None) -> ColumnContext:
    """ValueError if the period or as-of lies outside the supported dates (timecalc.SUPPORTED)."""
    period = Period.parse(period) if isinstance(period, str) else period
    supported_day(period.start), supported_day(period.end)
    ctx = ColumnContext(as_tables(data), period, supported_as_of(as_of), calendar or default_calendar())
    if isinstance(data, Dataset):  # a host's models: the records explanations read, with no second conversion
        ctx.memo("records", lambda: data)
    return ctx


def records_context(ctx: ColumnContext) -> Context:
    """The per-object Context over the same data, built once per audit from the tables (record_view) when first
    asked: explanations read records one at a time."""
    def build() -> Context:
        from .record_view import RecordView
        records = ctx.memo("records", lambda: RecordView(ctx.tables))
        return Context(Index(records), ctx.period, ctx.as_of, ctx.calendar)
    return ctx.memo("records-context", build)


def unmatched_packs(data: Tables | Dataset, packs: Iterable[RulePack]) -> list[tuple[RulePack, list[str]]]:
    """The packs none of whose rules judges a collection the dataset has (a wrong --pack), with what they read."""
    has = data.has if isinstance(data, Tables) else lambda c: getattr(data, c) is not None
    out = []
    for pack in packs:
        wanted = sorted({r.subject_collection for r in pack.rules})
        if wanted and not any(has(c) for c in wanted):
            out.append((pack, wanted))
    return out


def require_matched(data: Tables | Dataset, packs: Iterable[RulePack], file: str) -> None:
    """InputError for each pack that judges none of the dataset's collections (`check` exits 2, the service 422)."""
    unmatched = unmatched_packs(data, packs)
    if unmatched:
        raise InputError([Problem(file=file, field="--pack", reason=f"pack {p.name} judges none of the dataset's "
                                  f"collections (it reads {', '.join(wanted)}): is it the right pack?")
                          for p, wanted in unmatched])


def _derived(packs: list[RulePack], ctx: ColumnContext, known: Mapping[str, Any] | None = None) -> Derived | None:
    return collect_derived([rule for pack in packs for rule in pack.rules if is_derived(rule)], ctx, known)


def _findings(rules: list[CompiledRule], ctx: ColumnContext) -> FindingRows:
    """Every finding of the rules, column-wise: every rule's result rows (collected together), the findings
    built from them at the end, as columns (report.finding_rows)."""
    from .columns import engine, findings as column_findings

    return column_findings.findings(rules, engine.evaluate_all(rules, ctx), ctx)


def _report(find, packs: list[RulePack], ctx: ColumnContext, dataset_label: str,
            explain: str | None = None, known: Mapping[str, Any] | None = None) -> ComplianceReport:
    period, as_of, tables = ctx.period, ctx.as_of, ctx.tables
    findings = find([rule for pack in packs for rule in pack.rules if not is_derived(rule)], ctx)
    derived = _derived(packs, ctx, known)
    if isinstance(findings, FindingRows):
        findings = findings.sorted()
    else:
        findings.sort(key=finding_order)
    if explain:
        from .explain import explain_findings  # only when asked: explaining costs nothing otherwise
        made = findings.materialise() if isinstance(findings, FindingRows) else findings
        findings = explain_findings(made, {r.rule.id: r for p in packs for r in p.rules}, records_context(ctx),
                                    explain)
    report = ComplianceReport(
        tool="hongfeng-rules", tool_version=__version__, dataset=dataset_label, period=period.label,
        period_start=period.start, period_end=period.end, as_of=as_of,
        packs=[PackInfo(pack=p.name, version=p.manifest.version, title=Text(**p.manifest.title.model_dump()),
                        code=p.manifest.code, rules=len(p.rules), digest=pack_digest(p)) for p in packs],
        rules=[fixed_parts(r, p.name)["info"] for p in packs for r in p.rules],
        calendar=CalendarInfo(source=ctx.calendar.source, version=ctx.calendar.version,
                              first_year=ctx.calendar.first_year, last_year=ctx.calendar.last_year),
        **summaries(findings, _rows(tables, "teams", "id", "name", "association_id")
                    + [(*row, None, "online_group") for row in _rows(tables, "online_groups", "id", "name")],
                    _rows(tables, "associations", "id", "name", "parent_id")),
        findings=[] if isinstance(findings, FindingRows) else findings, derived=derived,
        notices=period_notices(period, as_of), future_records=records_after(tables, as_of),
    )
    return report.with_rows(findings) if isinstance(findings, FindingRows) else report


def _rows(tables: Tables, collection: str, *columns: str) -> list[tuple]:
    """The named columns of every record of a collection, as tuples (none when it was not provided)."""
    frame = tables.get(collection)
    return [] if frame is None else frame.select(columns).rows()


def final_status(status: str, strength: str) -> str:
    """A finding's status from its outcome's: a `may` (可) rule's failure is `not_used`, never a failure."""
    return "not_used" if status == "fail" and strength == "may" else status


def message_of(rule: CompiledRule, outcome: Outcome, subject_id: str, name: str | None, nickname: str | None,
               as_of: datetime) -> tuple[Text, float | None]:
    """A finding's message, and the hours left while it is pending with a due instant (else None): the time
    left; else, for any status but a failure, its note; a pass's fixed text; else the rule's message template
    filled in."""
    spec = rule.rule
    left = time_left(outcome.due, as_of).total_seconds() / 3600 if outcome.due and outcome.status == "pending" else None
    if left is not None:
        due = outcome.due.isoformat()
        return trusted(Text, zh=f"未到期：期限 {due}，剩余 {left:.1f} 小时",
                       en=f"pending: due {due}, {left:.1f} hours left"), left
    if outcome.status != "fail" and outcome.note:
        return trusted(Text, zh=f"{STATUS_NAMES['zh'][outcome.status]}：{localise(outcome.note, 'zh')}",
                       en=f"{outcome.status}: {localise(outcome.note, 'en')}"), None
    if outcome.status == "pass":
        return fixed_parts(rule)["pass_message"], None
    values = {
        "measured": plain(outcome.measured), "expected": plain(outcome.expected),
        "evidence": ", ".join(outcome.evidence[:10]) + (" …" if len(outcome.evidence) > 10 else ""),
        "count": len(outcome.evidence), "subject": subject_id, "name": name or subject_id, "note": outcome.note or "",
        "nickname": nickname or "", "due": outcome.due.isoformat() if outcome.due else "",
    }
    return trusted(Text, **{lang: fill_message(getattr(spec.message, lang), {
        **values, "measured": _localised(values["measured"], lang), "expected": _localised(values["expected"], lang),
        "note": _localised(values["note"], lang)}) for lang in ("zh", "en")}), None


def placeholder_text(value, lang: str) -> str:
    """A measured, expected or note value as a message template's plain placeholder writes it (`message_of`:
    `str.format_map` of the value `plain` and localised), for the messages made as columns (columns.messages)."""
    return f"{_localised(plain(value), lang)}"


def _localised(value, lang: str):
    """`localise`, remembered for text (a rule's failures repeat their measured, expected and note texts)."""
    if not isinstance(value, str):
        return localise(value, lang)
    return _localised_text(value, lang)


@lru_cache(maxsize=65536)
def _localised_text(value: str, lang: str) -> str:
    return localise(value, lang)


def fixed_parts(rule: CompiledRule, pack: str | None = None) -> dict:
    """The parts of a finding and of the report's rule list that only depend on its rule (and the name of the
    pack the audit reads it from), built on first use."""
    if rule.finding_parts is None or rule.finding_parts["info"].pack != (pack or rule.pack):
        spec, file = rule.rule, rule.pack_file
        title, source = trusted(Text, zh=spec.title.zh, en=spec.title.en), trusted(Text, zh=spec.source.zh, en=spec.source.en)
        rule.finding_parts = {
            "pass_message": trusted(Text, zh=f"符合：{spec.title.zh}", en=f"pass: {spec.title.en}"),
            "fields": dict(rule_id=spec.id, title=title, pack=rule.pack, pack_version=rule.pack_version,
                           clause=spec.clause, strength=spec.strength, modal=spec.modal, source=source, rule_file=file),
            "info": trusted(RuleInfo, rule_id=spec.id, pack=pack or rule.pack, clause=spec.clause,
                            strength=spec.strength, kind=spec.check.kind, title=title, source=source, rule_file=file),
        }
    return rule.finding_parts


def finding_order(f: Finding):
    """The report's order: by association, team, status (failures first), clause, rule and subject (for
    Finding objects; `FindingRows.sorted` is the same order on columns)."""
    return (f.subject.association_id or "", f.subject.team_id or "", STATUS_ORDER.index(f.status),
            clause_key(f.clause), f.rule_id, f.subject.id)


def plain(value):
    """A measured or expected value as a finding holds it: an instant as its ISO text."""
    if isinstance(value, datetime):
        return value.isoformat()
    return value
