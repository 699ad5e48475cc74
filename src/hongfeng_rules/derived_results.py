"""Derived results (7.2.2 levels, 7.2.3 star titles): not pass/fail, so not findings.

A check kind whose class has `derives = True` derives results instead of judging; the audit collects them
here, column-wise (`columns.kinds.DERIVES`), into the report's `derived` section.
"""
from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import Any, Literal, Mapping


from pydantic import PrivateAttr, model_serializer

from .models.base import OutputModel, StrictModel


class Name(StrictModel):
    """A level or title as the rule file names it: a stable key and its Chinese and English names."""

    key: str | None = None
    zh: str
    en: str

    def matches(self, text: str | None) -> bool:
        return text is not None and text.strip() in {self.key, self.zh, self.en}


DerivedModel = OutputModel  # the base of every derived result


class Step(DerivedModel):
    """One level and the points it needs."""

    name: Name
    at_least: float


class MemberLevel(DerivedModel):
    """A member's level as of a day, with the ledger sum that explains it."""

    rule_id: str
    clause: str
    member_id: str
    team_id: str | None = None
    association_id: str | None = None
    as_of: date
    points: float
    entries: int  # ledger entries counted (on or before as_of)
    adjustments: float  # the sum of negative entries (0 when none)
    level: Name | None  # None: below the lowest level
    crossed: list[Step]  # every threshold the sum reaches, lowest first
    next: Step | None  # the next level, None at the top
    points_to_next: float | None
    evidence_ids: list[str] = []

    @property
    def label(self) -> str | None:
        return self.level.zh if self.level else None


class PriorYear(DerivedModel):
    """A year before the evaluated one, as used for a consecutive-years upgrade."""

    year: int
    source: Literal["stored", "computed", "none"]  # stored title, recomputed from scores, or no data
    title: str | None = None  # the stored title text, or the computed base title's key
    name: Name | None = None  # the computed base title's names, for reports in either language
    counts: bool  # does the year continue the run?
    score: float | None = None
    rank: int | None = None


class TeamTitle(DerivedModel):
    """A team's star title for a year and scope, with the ranking that explains it."""

    rule_id: str
    clause: str
    team_id: str
    association_id: str | None = None
    year: int
    scope: str  # "all", or an association id (its teams and its sub-associations' teams)
    ties: Literal["better", "worse"]
    score: float | None  # None: no score this year, so unranked
    rank: int | None  # competition rank (1, 2, 2, 4); None when unranked
    positions: list[int] | None = None  # [first, last] positions a tie occupies
    tied_with: list[str] = []
    ranked: int  # teams ranked in the scope this year
    base_title: Name | None = None  # the title the rank earns before upgrades
    title: Name | None = None  # the title awarded, after any consecutive-years upgrade
    run: int = 0  # consecutive years (this one included) with the upgradeable title
    prior_years: list[PriorYear] = []
    stored_title: str | None = None  # a title already recorded for this year, if any
    note: str | None = None

    @property
    def label(self) -> str | None:
        return self.title.zh if self.title else None


class Derived(DerivedModel):
    """The derived section of a compliance report. The audit keeps the member levels as columns
    (`report.level_rows.LevelRows`): `levels` makes the MemberLevel objects on first use, the report JSON and
    the renderers' level counts read the columns."""

    levels: list[MemberLevel] = []
    stars: list[TeamTitle] = []
    notes: list[str] = []  # e.g. a derived rule whose data is absent

    _rows: Any = PrivateAttr(default=None)  # report.level_rows.LevelRows while `levels` is not materialised

    def with_level_rows(self, rows) -> "Derived":
        """A copy whose levels are the rows (in the section's order), kept as columns."""
        copy = self.model_copy()
        copy.__dict__.pop("levels", None)
        copy._rows = rows
        return copy

    def level_rows(self):
        """The levels as columns, or None once they are MemberLevel objects."""
        return None if "levels" in self.__dict__ else self._rows

    def level_counts(self, lang: str, none: str) -> list[tuple[str, int]]:
        """(level name, members) from the lowest level up, `none` naming the members below every level (the
        order of `report.level_rows.LevelRows.counts`), without making MemberLevel objects."""
        from .report.level_rows import level_counts_of

        rows = self.level_rows()
        return rows.counts(lang, none) if rows is not None else level_counts_of(self.levels, lang, none)

    def without_levels(self) -> "Derived":
        """A copy with no levels (the report JSON writes them apart), nothing made."""
        copy = self.model_copy()
        copy._put_levels([])
        return copy

    def _put_levels(self, levels: list) -> None:
        """Set `levels` in its place among the fields (the serialiser writes the fields in the order held)."""
        values = {**self.__dict__, "levels": levels}
        object.__setattr__(self, "__dict__", {k: values[k] for k in type(self).model_fields if k in values})
        self._rows = None  # the objects are the levels from now on (a host may change them)

    def __getattr__(self, name: str):
        if name == "levels" and self.__pydantic_private__ and self.__pydantic_private__.get("_rows") is not None:
            made = self.__pydantic_private__["_rows"].materialise()
            self._put_levels(made)
            return made
        return super().__getattr__(name)

    def whole(self) -> "Derived":
        """Itself, its levels made objects if they were kept as columns (what pydantic's serialiser reads)."""
        self.levels  # noqa: B018
        return self

    @model_serializer(mode="wrap")
    def _serialise(self, write):  # made first, however it is written (a host's pydantic_core.to_json too)
        return write(self.whole())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Derived):
            other.whole()
        return super(Derived, self.whole()).__eq__(other)

    def __iter__(self):
        return super(Derived, self.whole()).__iter__()

    def __repr_args__(self):
        return super(Derived, self.whole()).__repr_args__()

    def by_subject(self, rule_id: str) -> dict[str, Any]:
        """Results of one rule by subject id (used by rule test cases)."""
        out: dict[str, Any] = {r.member_id: r for r in self.levels if r.rule_id == rule_id}
        out.update({r.team_id: r for r in self.stars if r.rule_id == rule_id})
        return out


def is_derived(rule) -> bool:
    """True for a compiled rule whose check kind derives results instead of judging."""
    return bool(getattr(rule.rule.check, "derives", False))


def collect(rules, ctx, known: Mapping[str, Any] | None = None) -> Derived | None:
    """Run every derived rule over its subjects (the records its `where` selects), column-wise (`results_of`);
    `known`: the results of some, by rule id, made already (a batch's levels, audit_each)."""
    if not rules:
        return None
    from .report.level_rows import LevelRows

    out, levels = Derived(), []
    for rule in rules:
        missing = sorted(c for c in rule.needs if not ctx.tables.has(c))
        if not ctx.tables.has(rule.subject_collection) or missing:
            out.notes.append(f"{rule.rule.id}: not assessable, the dataset has no "
                             + ", ".join(missing or [rule.subject_collection]))
            continue
        results = known[rule.rule.id] if known and rule.rule.id in known else results_of(rule, ctx)
        if isinstance(results, LevelRows):
            levels.append(results)
        else:
            out.stars.extend(results)
    out.stars.sort(key=attrgetter("rule_id", "team_id"))
    return out.with_level_rows(LevelRows.concat(levels).sorted()) if levels else out


def results_of(rule, ctx):
    """A derived rule's results over the subjects its `where` selects, named by the rule: its kind's
    `columns.kinds.DERIVES` over a ColumnContext (a levels rule's as columns, `LevelRows`; a ranking's objects)."""
    from .columns.kinds import DERIVES  # the kinds import this module's result types
    from .columns.select import table
    from .columns.where import compile_where, holds, with_extras
    from .models import COLLECTIONS
    from .report.level_rows import LevelRows

    collection = rule.subject_collection
    subjects = table(collection, ctx)
    if rule.rule.where:
        applies = compile_where(rule.rule.where, COLLECTIONS[collection].model, "where")
        plan = with_extras(subjects.lazy(), [applies], ctx)
        subjects = plan.filter(holds(plan, applies, ctx).fill_null(False)).collect()
    results = DERIVES[rule.rule.check.kind](rule.rule.check, collection, subjects, ctx)
    if isinstance(results, LevelRows):
        return results.of_rule(rule.rule.id, rule.rule.clause)
    for result in results:
        result.rule_id, result.clause = rule.rule.id, rule.rule.clause
    return results


def only_kind(packs, kind: str, scope: str | None = None) -> list:
    """The packs with only their rules of one derived kind (`levels` or `ranking`), a ranking's scope replaced
    when given (`stars --scope`, the service's `scope`): what `derive()` runs for the `levels` and `stars` commands."""
    from dataclasses import replace

    out = []
    for pack in packs:
        rules = [r for r in pack.rules if r.rule.check.kind == kind]
        if scope is not None:
            rules = [_scoped(r, scope) for r in rules]
        out.append(replace(pack, rules=rules))
    return out


def _scoped(rule, scope: str):
    from dataclasses import replace

    check = rule.rule.check.model_copy(update={"scope": scope})
    check.validate(rule.subject_collection)
    return replace(rule, rule=rule.rule.model_copy(update={"check": check}))


def known_scopes(tables) -> set[str]:
    """The scopes a ranking may be given: `all`, `association`, or the id of one of the dataset's associations."""
    associations = tables.get("associations")
    return {"all", "association"} | set(() if associations is None else associations["id"].to_list())
