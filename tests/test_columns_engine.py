"""The column-wise engine (issue 18), the audit's, agrees with the per-object one (tests/oracle/engine.py, the oracle): the
reports of the four examples are the same bytes, and every rule case passes on it."""
from __future__ import annotations

import pytest

from hongfeng_rules import auditing, load_dataset, load_pack
from oracle import engine as object_engine
from hongfeng_rules.columns import engine
from hongfeng_rules.derived_results import is_derived
from hongfeng_rules.rulebook.cases import run_cases
from hongfeng_rules.rulebook.locate import pack_dirs
from helpers import REPO

EXAMPLES = {
    "hongfeng": ("2025", "2026-01-15"),
    "yunge": ("2025", "2025-12-31"),
    "keqiao-zhucun": ("2025-Q1", "2025-04-01"),
    "gucheng": ("2025-Q2", "2025-07-01"),
}


def report_json(pack, dataset, period, as_of, which: str) -> str:
    from datetime import date

    audit = {"objects": object_engine.audit, "columns": auditing.audit}[which]
    return audit(dataset, pack, period, date.fromisoformat(as_of)).model_dump_json(indent=2)


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_are_the_same_bytes(name):
    pack, dataset = load_pack(REPO / "rules" / name), load_dataset(REPO / "examples" / name)
    assert all(engine.supports(r) for r in pack.rules if not is_derived(r))  # every rule really runs column-wise
    period, as_of = EXAMPLES[name]
    objects = report_json(pack, dataset, period, as_of, "objects")
    columns = report_json(pack, dataset, period, as_of, "columns")
    assert columns == objects


@pytest.mark.parametrize("folder", pack_dirs(), ids=lambda folder: folder.name)
def test_every_rule_case_passes_column_wise(folder):
    """`hongfeng-rules rules test` on the column-wise engine: every case of every shipped rule."""
    pack = load_pack(folder)
    assert all(engine.supports(r) for r in pack.rules if not is_derived(r))
    failures = [f"{r.case}: {f}" for r in run_cases(pack) for f in r.failures]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("kind", ["document", "every"])
def test_a_batched_kind_evaluated_alone_gives_each_subject_the_per_object_outcome(kind):
    """`kinds.KINDS` of a kind the audit batches (`kinds.MANY`): one rule alone, on the hongfeng example, gives
    every subject the oracle's status, measured value, expected text, evidence and note."""
    from columns_oracle import assert_same_outcomes, case, contexts, pack_rules
    from oracle.engine import evaluate_of

    ctx, cctx = contexts(*case("hongfeng")[1:])
    judged = sum(assert_same_outcomes(kind, r.rule.check, r.subject_collection, evaluate_of(r), r.applies, ctx, cctx)
                 for r in pack_rules("hongfeng", kind))
    assert judged > 0
