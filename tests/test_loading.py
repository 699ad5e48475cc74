"""Loading datasets: all problems at once, each naming file, record, field and reason."""
import json

import pytest

from hongfeng_rules import InputError, load_dataset

TEAM = {"id": "t1", "association_id": "a1", "name": "T"}
ASSOC = {"id": "a1", "name": "A", "level": "county"}


def write(tmp_path, data, name="data.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def problems(path):
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    return exc.value.problems


def test_one_file_and_folder_give_the_same_dataset(tmp_path):
    data = {"associations": [ASSOC], "teams": [TEAM]}
    single = load_dataset(write(tmp_path, data))
    folder = tmp_path / "f"
    folder.mkdir()
    for name, records in data.items():
        write(folder, records, f"{name}.json")
    assert load_dataset(folder) == single


def test_every_type_error_at_once_with_record_and_field(tmp_path):
    members = [{"id": "m1", "team_id": "t1", "name": "A", "join_date": "2025-02-30"},
               {"id": "m2", "team_id": "t1", "name": "B", "join_date": "2025-01-01", "colour": "red"}]
    found = problems(write(tmp_path, {"associations": [ASSOC], "teams": [TEAM], "members": members}))
    assert [(p.record, p.field) for p in found] == [("members[0] (id=m1)", "join_date"),
                                                    ("members[1] (id=m2)", "colour")]
    assert all(p.file.endswith("data.json") for p in found)


def test_dangling_reference_names_both_records(tmp_path):
    training = {"id": "tr1", "team_id": "t1", "kind": "regular", "start": "2025-01-01T09:00:00",
                "end": "2025-01-01T13:00:00", "attendee_ids": ["ghost"]}
    (p,) = problems(write(tmp_path, {"associations": [ASSOC], "teams": [TEAM], "members": [], "trainings": [training]}))
    assert p.record == "trainings[0] (id=tr1)" and p.field == "attendee_ids" and "'ghost'" in p.reason


def test_duplicate_ids(tmp_path):
    found = problems(write(tmp_path, {"associations": [ASSOC], "teams": [TEAM, TEAM]}))
    assert any("duplicate id 't1'" in p.reason for p in found)


def test_association_cycle(tmp_path):
    a = [{"id": "a1", "name": "A", "level": "county", "parent_id": "a2"},
         {"id": "a2", "name": "B", "level": "city", "parent_id": "a1"}]
    found = problems(write(tmp_path, {"associations": a}))
    assert any("cycle" in p.reason for p in found)


def test_end_before_start(tmp_path):
    training = {"id": "tr1", "team_id": "t1", "kind": "regular", "start": "2025-01-01T13:00:00",
                "end": "2025-01-01T09:00:00"}
    (p,) = problems(write(tmp_path, {"associations": [ASSOC], "teams": [TEAM], "trainings": [training]}))
    assert "end is before start" in p.reason and p.record == "trainings[0] (id=tr1)"


def test_unknown_collection_and_file_name(tmp_path):
    assert "unknown collection 'memberz'" in problems(write(tmp_path, {"memberz": []}))[0].reason
    folder = tmp_path / "f"
    folder.mkdir()
    write(folder, [], "memberz.json")
    assert "collection name" in problems(folder)[0].reason


def test_naive_times_are_shanghai(tmp_path):
    training = {"id": "tr1", "team_id": "t1", "kind": "regular", "start": "2025-01-01T09:00:00",
                "end": "2025-01-01T13:00:00"}
    data = load_dataset(write(tmp_path, {"associations": [ASSOC], "teams": [TEAM], "trainings": [training]}))
    assert data.trainings[0].start.isoformat() == "2025-01-01T09:00:00+08:00"


def test_absent_collection_is_none_empty_is_list(tmp_path):
    data = load_dataset(write(tmp_path, {"associations": [ASSOC], "teams": [TEAM], "members": []}))
    assert data.members == [] and data.trainings is None
