"""Small builders shared by the engine tests: a rule pack in a temp folder, a minimal dataset."""
from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

import yaml

from hongfeng_rules import audit, load_pack
from hongfeng_rules.models import Dataset

REPO = Path(__file__).resolve().parents[1]


def simplified(text: str) -> str:
    """Traditional characters converted to simplified ones (OpenCC t2s), as the Gucheng pack quotes its article."""
    import opencc

    return opencc.OpenCC("t2s").convert(text)


def source_text(path: Path) -> str:
    """A source document as the packs quote it: a traditional-script text (`*.zh-Hant.txt`) in simplified characters."""
    text = path.read_text(encoding="utf-8")
    return simplified(text) if ".zh-Hant." in path.name else text
AS_OF = datetime(2026, 1, 15, 12)

MANIFEST = {
    "pack": "t", "id_prefix": "hf", "title": {"zh": "测试", "en": "test"}, "version": "1",
    "source_kind": "group_standard", "source_document": "x",
}


def rule(check: dict, subject: str = "team", rid: str = "hf-5.0.1-test", **extra) -> dict:
    body = {
        "id": rid, "clause": rid.split("-")[1], "strength": "shall", "modal": "应",
        "title": {"zh": "测", "en": "test"}, "source": {"zh": "应测试", "en": "shall test"},
        "subject": subject, "check": check,
        "message": {"zh": "{measured} / {expected}", "en": "{measured} vs {expected}"},
    }
    body.update(extra)
    return body


def write_pack(folder: Path, *rules: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(yaml.safe_dump(MANIFEST, allow_unicode=True), encoding="utf-8")
    for r in rules:
        (folder / f"{r['id']}.yaml").write_text(yaml.safe_dump(r, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def team_data(**collections) -> Dataset:
    base = {"associations": [{"id": "a1", "name": "A", "level": "county"}],
            "teams": [{"id": "t1", "association_id": "a1", "name": "T1", "founded_on": "2020-01-01"}]}
    base.update(collections)
    return Dataset.model_validate(base)


def member(i: int, team: str = "t1", **fields) -> dict:
    return {"id": f"m{i}", "team_id": team, "name": f"M{i}", "join_date": "2020-01-01", **fields}


def run(tmp_path: Path, check: dict, dataset: Dataset, subject: str = "team", period: str = "2025", as_of=AS_OF, **extra):
    pack = load_pack(write_pack(tmp_path / "pack", rule(check, subject, **extra)))
    return audit(dataset, pack, period, as_of).findings


VALID = json.loads((Path(__file__).resolve().parent / "hostile" / "valid.json").read_text(encoding="utf-8"))  # loads clean


def valid_with(**collections) -> dict:
    """A copy of the clean hostile-input dataset (tests/hostile/valid.json) with these collections replaced."""
    return {**copy.deepcopy(VALID), **collections}


def load_problems(records: dict) -> list[str]:
    """The problems loading these records into tables gives (an InputError is expected), one text each."""
    import pytest

    from hongfeng_rules import InputError
    from hongfeng_rules.tables import tables_from_data

    with pytest.raises(InputError) as exc:
        tables_from_data(records)
    return [str(p) for p in exc.value.problems]
