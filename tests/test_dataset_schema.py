"""The dataset's JSON Schema describes every field in both languages (issue 16), from the models alone: an
exporter written in Java or PHP reads what each field means from `hongfeng-rules schema dataset`."""
from __future__ import annotations

import json
import re

import pytest

from hongfeng_rules.cli import main
from hongfeng_rules.models import COLLECTIONS, Dataset
from hongfeng_rules.models.base import Record, inner_type

CJK = re.compile(r"[\u4e00-\u9fff]")


def models(model=Dataset, seen=None):
    """Dataset and every record model inside it."""
    seen = {} if seen is None else seen
    seen[model.__name__] = model
    for field in model.model_fields.values():
        inner = inner_type(field.annotation)
        if isinstance(inner, type) and issubclass(inner, Record) and inner.__name__ not in seen:
            models(inner, seen)
    return seen


@pytest.fixture(scope="module")
def schema():
    return Dataset.model_json_schema()


def test_the_printed_schema_is_the_models(capsys):
    assert main(["schema", "dataset"]) == 0
    assert json.loads(capsys.readouterr().out) == Dataset.model_json_schema()


@pytest.mark.parametrize("name", sorted(models()))
def test_every_field_is_described_in_chinese_and_english(schema, name):
    model = models()[name]
    properties = schema["properties"] if model is Dataset else schema["$defs"][name]["properties"]
    assert set(properties) == set(model.model_fields)
    for field, prop in properties.items():
        text = prop.get("description", "")
        zh, sep, en = text.partition(" / ")
        assert sep and CJK.search(zh) and re.search("[A-Za-z]{2}", en), f"{name}.{field}: {text!r}"
        assert text == model.model_fields[field].description  # the model is the one source


def test_every_collection_and_record_kind_is_covered():
    assert {c.model.__name__ for c in COLLECTIONS.values()} <= set(models())
    assert len(models()) >= 40
