"""Several uploads validated in one pass (`tables_from_files_each`, as a worker reads a batch) give each exactly
what `tables_from_files` gives it alone: the same tables, or the same problems word for word. One upload's bad
data (a bad record, a duplicate key, broken JSON, values of the wrong type or a lone surrogate in a pool shared
with the others, a dangling reference) changes no other's answer, wherever it stands in the batch."""
from __future__ import annotations

import hashlib
import json
import sys

import pytest

from hongfeng_rules.errors import InputError
from hongfeng_rules.tables import tables_from_files
from hongfeng_rules.tables.load import tables_from_files_each
from helpers import REPO

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402

TEAMS = [generate(1, seed=s, violation_rate=0.3) for s in range(3)]


def edited(team: dict, collection: str, field: str, value) -> dict:
    first = {**team[collection][0], field: value}
    return {**team, collection: [first] + team[collection][1:]}


def body(data: dict) -> list[tuple[str, bytes]]:
    return [("body.json", json.dumps(data).encode())]


UPLOADS = {
    "good 0": body(TEAMS[0]),
    "good 1": body(TEAMS[1]),
    "a bad day": body(edited(TEAMS[2], "members", "birth_date", "1990-13-01")),
    "a number for a name": body(edited(TEAMS[0], "members", "name", 7)),  # the text pool's typed read refuses it
    "a lone surrogate": [("body.json", json.dumps(TEAMS[1]).encode().replace(b'"name": "', b'"name": "\\ud800', 1))],
    "a duplicate key": [("body.json", json.dumps(TEAMS[2]).encode()[:-1] + b', "teams": []}')],
    "a bad record and a duplicate key": [("body.json", json.dumps(edited(TEAMS[1], "associations", "level", "x"))
                                          .encode()[:-1] + b', "teams": []}')],  # refused at its first table
    "broken JSON": [("body.json", b'{"teams": [')],
    "a dangling reference": body(edited(TEAMS[0], "members", "team_id", "nowhere")),
    "YAML": [("body.yaml", json.dumps(TEAMS[2]).encode())],
    "a file a collection": [(f"{c}.json", json.dumps(rows).encode()) for c, rows in TEAMS[1].items()],
    "with a manifest": None,  # below
    "good 2": body(TEAMS[2]),
}
_files = UPLOADS["a file a collection"]
UPLOADS["with a manifest"] = _files + [("manifest.json", json.dumps({"format": "hongfeng-rules dataset manifest 1",
    "files": {name: {"sha256": hashlib.sha256(raw).hexdigest(), "records": len(json.loads(raw))}
              for name, raw in _files}}).encode())]


def outcome(found) -> object:
    """Comparable: each table's rows (and schema), or the problems' lines."""
    if isinstance(found, InputError):
        return ("problems", found.lines(1000))
    tables, _ = found
    return ("tables", {name: (frame.schema, frame.rows()) for name, frame in tables.frames.items() if frame is not None})


def alone(files) -> object:
    try:
        return outcome(tables_from_files(files))
    except InputError as exc:
        return outcome(exc)


ALONE = {kind: alone(files) for kind, files in UPLOADS.items()}


def test_the_uploads_are_what_they_claim():
    assert [kind for kind, o in ALONE.items() if o[0] == "tables"] == [
        "good 0", "good 1", "YAML", "a file a collection", "with a manifest", "good 2"]
    assert "birth_date" in ALONE["a bad day"][1][0] and "duplicate key" in ALONE["a duplicate key"][1][0]
    assert "duplicate key" in ALONE["a bad record and a duplicate key"][1][0]
    assert "team_id" in " ".join(ALONE["a dangling reference"][1])


@pytest.mark.parametrize("order", [list(UPLOADS), list(reversed(UPLOADS)), sorted(UPLOADS, key=lambda k: k[::-1])])
def test_each_upload_of_a_batch_is_read_as_alone(order):
    found = tables_from_files_each([UPLOADS[kind] for kind in order])
    assert {kind: outcome(f) for kind, f in zip(order, found)} == {kind: ALONE[kind] for kind in order}


@pytest.mark.parametrize("bad", [k for k in UPLOADS if not k.startswith("good")])
def test_a_bad_upload_between_good_ones_changes_none_of_them(bad):
    order = ["good 0", bad, "good 1", "good 2"]
    found = tables_from_files_each([UPLOADS[kind] for kind in order])
    assert [outcome(f) for f in found] == [ALONE[kind] for kind in order]
