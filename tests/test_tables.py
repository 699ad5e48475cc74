"""The tables layer: every collection has a schema derived from its model, and a Dataset converts losslessly."""
from datetime import datetime, timezone

import polars as pl
import pytest

from hongfeng_rules import load_dataset
from hongfeng_rules.models import COLLECTIONS, Dataset
from hongfeng_rules.tables import SHANGHAI_INSTANT, dtype_of, from_dataset, table_schema


@pytest.mark.parametrize("name", sorted(COLLECTIONS))
def test_every_collection_has_a_schema_in_field_order(name):
    model = COLLECTIONS[name].model
    assert list(table_schema(model)) == list(model.model_fields)


def test_types_follow_the_annotations():
    schema = table_schema(COLLECTIONS["members"].model)
    assert schema["join_date"] == pl.Date
    assert schema["roles"] == pl.List(pl.String)
    assert schema["certificates"] == pl.List(pl.Struct({"name": pl.String, "valid_from": pl.Date,
                                                         "valid_until": pl.Date}))
    assert table_schema(COLLECTIONS["trainings"].model)["start"] == SHANGHAI_INSTANT
    with pytest.raises(TypeError, match="no column type"):
        dtype_of(dict)


def test_a_dataset_converts_without_loss():
    dataset = load_dataset("examples/hongfeng")
    tables = from_dataset(dataset)
    for name in COLLECTIONS:
        records = getattr(dataset, name)
        if records is None:
            assert tables.get(name) is None
            continue
        assert tables.get(name).to_dicts() == [r.model_dump() for r in records], name


def test_absent_and_empty_collections_differ():
    tables = from_dataset(Dataset(teams=[], members=None))
    assert tables.get("teams").height == 0 and list(tables.get("teams").schema) == list(table_schema(
        COLLECTIONS["teams"].model))
    assert tables.get("members") is None and not tables.has("members")
    with pytest.raises(KeyError, match="unknown collection"):
        tables.get("nope")


def test_instants_keep_their_moment():
    dataset = Dataset.model_validate({"trainings": [{"id": "x", "team_id": "t", "kind": "regular",
                                                     "start": "2025-03-01T00:30:00+09:00", "end": "2025-03-01T01:00:00Z"}]})
    start = from_dataset(dataset).get("trainings")["start"][0]
    assert start == datetime(2025, 2, 28, 15, 30, tzinfo=timezone.utc)
