"""`trusted` builds the same model instance as validation would, and refuses an incomplete or unknown field set."""
from __future__ import annotations

import pytest

from hongfeng_rules.models.base import trusted
from hongfeng_rules.report.model import Finding, Subject, Text

TEXT = {"zh": "符合", "en": "pass"}
SUBJECT = {"kind": "team", "id": "t1", "name": "一队", "team_id": "t1", "association_id": "a1"}


def finding_values(**parts):
    return dict(rule_id="hf-5.2.6-team-size", title=parts["text"], pack="hongfeng", pack_version="2025.1",
                clause="5.2.6", strength="should", modal="宜", status="fail", subject=parts["subject"], measured=45,
                expected="≥ 50 person", evidence_ids=["t1-m1"], note=None, due=None, time_left_hours=None,
                message=parts["text"], source=parts["text"], rule_file="rules/hongfeng/5.2.6-team-size.yaml",
                waiver=None, explanation=None)


def test_same_instance_and_bytes_as_validation():
    validated = Finding.model_validate(finding_values(text=TEXT, subject=SUBJECT))
    given = finding_values(text=trusted(Text, **TEXT), subject=trusted(Subject, **SUBJECT))
    built = trusted(Finding, **dict(reversed(given.items())))  # given in another order than declared
    assert built == validated
    assert built.model_dump_json() == validated.model_dump_json()  # field order = declaration order
    assert built.model_fields_set == set(Finding.model_fields)


def test_every_field_is_needed():
    values = finding_values(text=TEXT, subject=SUBJECT)
    del values["note"]
    with pytest.raises(TypeError, match="'note' is missing"):
        trusted(Finding, **values)


def test_unknown_fields_are_refused():
    with pytest.raises(TypeError, match="unknown fields"):
        trusted(Text, **TEXT, fr="conforme")
