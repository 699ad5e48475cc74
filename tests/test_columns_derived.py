"""columns.derived agrees with the per-object derived.py: every `@name`, every record, same value and type, on
the four examples, generated provinces and small random datasets (boundary instants, unrecorded fields)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hongfeng_rules.columns.derived import derived_frame
from hongfeng_rules.derived import DERIVED
from hongfeng_rules.models import Dataset

from columns_oracle import AS_OFS, cases, contexts, small_dataset

PAIRS = [(name, c) for name, d in DERIVED.items()
         for c in ((d.applies_to,) if isinstance(d.applies_to, str) else d.applies_to)]


def assert_agree(dataset: Dataset, period: str, as_of) -> int:
    """Compare every derived value of every record; the number of values compared."""
    ctx, cctx = contexts(dataset, period, as_of)
    compared = 0
    for name, collection in PAIRS:
        records = getattr(dataset, collection) or []
        frame = derived_frame(name, collection, cctx).collect()
        assert frame["id"].to_list() == [r.id for r in records], (name, collection)
        for record, value in zip(records, frame["value"].to_list()):
            expected = DERIVED[name].compute(record, ctx)
            assert (value, type(value)) == (expected, type(expected)), (name, record.id)
            compared += 1
    return compared


@pytest.mark.parametrize("label, dataset, period, as_of", cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_examples_and_generated_provinces(label, dataset, period, as_of):
    assert assert_agree(dataset, period, as_of) > 0


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=small_dataset(), as_of=st.sampled_from(AS_OFS), period=st.sampled_from(["2025", "2025-H", "2025-Q4"]))
def test_small_random_datasets(data, as_of, period):
    period = {"2025-H": "2025-01-01..2025-06-30"}.get(period, period)
    assert_agree(Dataset.model_validate(data), period, as_of)


def test_memoised_and_scoped():
    _, dataset, period, as_of = cases()[0]
    _, cctx = contexts(dataset, period, as_of)
    assert derived_frame("service_hours", "members", cctx) is derived_frame("service_hours", "members", cctx)
    with pytest.raises(KeyError, match="not computed for teams"):
        derived_frame("age_years", "teams", cctx)
