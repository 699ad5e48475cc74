"""Fuzz (issue #10): mutated datasets and rule files end in a valid report or exit 2 with clear error lines.

Never a traceback, never an internal error, never a hang (each run is bounded by an alarm), and never
exit 0 for a dataset whose required collection was removed. The dataset is one team's slice of
examples/hongfeng, so a run takes a fraction of a second.
"""
from __future__ import annotations

import json
import random
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hongfeng_rules.cli import main
from hongfeng_rules.derived_results import is_derived
from hongfeng_rules.report.model import ComplianceReport
from hongfeng_rules.rulebook.locate import load_packs, pack_dirs
from helpers import REPO

EXAMPLE = REPO / "examples" / "hongfeng"
TEAM = "hf-t01"  # conformant in the example: a removed collection must still not let it exit 0
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
SECONDS_PER_RUN = 60  # generous: a run takes well under a second; this only catches a hang
FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def team_slice(team: str = TEAM) -> dict:
    """Every record of one team (and its association chain, members' points, disputes' follow-ups)."""
    data = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLE.glob("*.json"))}
    teams = [t for t in data["teams"] if t["id"] == team]
    parents = {a["id"]: a.get("parent_id") for a in data["associations"]}
    chain, node = set(), teams[0]["association_id"]
    while node is not None and node not in chain:
        chain.add(node)
        node = parents.get(node)
    out = {"associations": [a for a in data["associations"] if a["id"] in chain], "teams": teams}
    for name, records in data.items():
        if name not in out and records and "team_id" in records[0]:
            out[name] = [r for r in records if r.get("team_id") == team]
    members = {m["id"] for m in out["members"]}
    disputes = {d["id"] for d in out.get("disputes", [])}
    for name, records in data.items():
        if name not in out:
            out[name] = [r for r in records if r.get("member_id") in members or r.get("dispute_id") in disputes
                         or r.get("association_id") in chain and not r.get("team_id")]
    return out


SLICE = team_slice()
SLICE_TEXT = json.dumps(SLICE, ensure_ascii=False, indent=1) + "\n"
HONGFENG = pack_dirs("hongfeng")[0]
RULE_FILES = sorted(p for p in HONGFENG.glob("*.yaml") if not p.name.endswith(".cases.yaml")
                    and p.name != "pack.yaml" and not p.name.startswith("not-checkable"))
SHALL_TEAM_NEEDS = sorted({c for pack in load_packs(["hongfeng"]) for r in pack.rules
                           if r.rule.strength == "shall" and r.subject_collection == "teams" and not r.rule.where
                           and not is_derived(r)
                           for c in r.needs} & {k for k, v in SLICE.items() if v} - {"teams"})
CONTROL = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f", "\x85", "\x9b", "\ufffe"]
ENCODINGS = ["utf-16", "utf-32", "gbk", "utf-16-be", "big5"]
VALUES = [None, 0, -1, 10 ** 30, 1.5, "", "x", "2025-02-30", "2025-13-01T00:00:00", [], {}, True, ["x"], {"a": 1}]


class Hang(BaseException):
    pass


@contextmanager
def bounded(seconds: int = SECONDS_PER_RUN):
    def stop(signum, frame):
        raise Hang(f"a run took longer than {seconds} s")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def work():
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def run(capsys, work: Path, dataset: Path, pack: Path | None = None, *extra: str) -> tuple[int, list[str]]:
    out = work / "report.json"
    out.unlink(missing_ok=True)
    argv = ["check", str(dataset), *(["--rules", str(pack)] if pack else []), *WHEN, "--format", "json",
            "--out", str(out), *extra]
    with bounded():
        code = main(argv)
    stdout, stderr = capsys.readouterr()
    err = stderr.splitlines()
    assert stdout == ""
    assert not any("Traceback" in line or "internal error" in line for line in err), err
    if code == 2:
        assert err and all(line.startswith("error: ") and len(line) > len("error: ") for line in err), err
        assert not out.exists()  # no half report
    else:
        assert code in (0, 1) and err == [], (code, err)
        ComplianceReport.model_validate_json(out.read_text(encoding="utf-8"))  # a valid report
    return code, err


# ---------------------------------------------------------------- dataset mutations

def pick_record(data: dict, rnd: random.Random) -> tuple[str, dict]:
    name = rnd.choice(sorted(k for k, v in data.items() if v))
    return name, rnd.choice(data[name])


def drop_key(data, rnd):
    _, record = pick_record(data, rnd)
    record.pop(rnd.choice(sorted(record)))


def change_type(data, rnd):
    _, record = pick_record(data, rnd)
    record[rnd.choice(sorted(record))] = rnd.choice(VALUES)


def add_unknown_key(data, rnd):
    _, record = pick_record(data, rnd)
    record["unknown_" + str(rnd.randrange(100))] = 1


DICT_MUTATIONS = [drop_key, change_type, add_unknown_key]


def duplicate_key(text: str, rnd: random.Random) -> str:
    starts = [i for i, c in enumerate(text) if c == "{"]
    i = rnd.choice(starts) + 1
    end = text.index("\n", text.index('"', i))  # the first key line after the brace
    line = text[i:end].strip().rstrip(",")
    return text[:i] + line + "," + text[i:] if line.startswith('"') and not line.endswith(("{", "[")) else text


def cut_short(text: str, rnd: random.Random) -> str:
    return text[: rnd.randrange(len(text) - 2)]


def control_character(text: str, rnd: random.Random) -> str:
    i = rnd.randrange(len(text))
    return text[:i] + rnd.choice(CONTROL) + text[i:]


TEXT_MUTATIONS = [duplicate_key, cut_short, control_character]


@FUZZ
@given(seed=st.integers(0, 2 ** 32 - 1), how=st.sampled_from(["dict", "text", "encoding"]))
def test_a_mutated_dataset_gives_a_report_or_a_clear_error(work, capsys, seed, how):
    rnd = random.Random(seed)
    path = work / "data.json"
    if how == "dict":
        data = json.loads(SLICE_TEXT)
        for _ in range(rnd.randint(1, 3)):
            rnd.choice(DICT_MUTATIONS)(data, rnd)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    elif how == "text":
        path.write_text(rnd.choice(TEXT_MUTATIONS)(SLICE_TEXT, rnd), encoding="utf-8")
    else:
        path.write_bytes(SLICE_TEXT.encode(rnd.choice(ENCODINGS), errors="replace"))
    code, err = run(capsys, work, path)
    if how == "encoding":
        assert code == 2 and ("UTF" in err[0] or "byte offset" in err[0]), err


def test_the_slice_itself_is_a_conformant_team(work, capsys):
    path = work / "slice.json"
    path.write_text(SLICE_TEXT, encoding="utf-8")
    assert run(capsys, work, path)[0] == 0
    assert "trainings" in SHALL_TEAM_NEEDS and len(SHALL_TEAM_NEEDS) >= 3


@FUZZ
@given(collection=st.sampled_from(SHALL_TEAM_NEEDS), seed=st.integers(0, 2 ** 32 - 1))
def test_a_removed_required_collection_never_exits_0(work, capsys, collection, seed):
    data = json.loads(SLICE_TEXT)
    del data[collection]
    rnd = random.Random(seed)
    if rnd.random() < 0.5:  # and sometimes other harmless damage on top
        drop_key(data, rnd)
    path = work / "missing.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _ = run(capsys, work, path)
    assert code != 0
    if code == 1:
        report = ComplianceReport.model_validate_json((work / "report.json").read_text(encoding="utf-8"))
        assert any(f.status == "not_assessable" for f in report.findings)


# ---------------------------------------------------------------- rule-file mutations

def rule_drop_line(text, rnd):
    lines = text.splitlines(keepends=True)
    del lines[rnd.randrange(len(lines))]
    return "".join(lines)


def rule_duplicate_line(text, rnd):
    lines = text.splitlines(keepends=True)
    i = rnd.randrange(len(lines))
    return "".join(lines[: i + 1] + [lines[i]] + lines[i + 1:])


def rule_change_type(text, rnd):
    lines = text.splitlines(keepends=True)
    keyed = [i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")]
    i = rnd.choice(keyed)
    key = lines[i].split(": ", 1)[0]
    value = rnd.choice(["[1, 2]", "{a: 1}", "3", "-1", "null", "true", "'x'", ".nan", "2025-02-30", "&a x", "*b"])
    lines[i] = f"{key}: {value}\n"
    return "".join(lines)


RULE_MUTATIONS = [rule_drop_line, rule_duplicate_line, rule_change_type, cut_short, control_character]


@FUZZ
@given(rule=st.sampled_from(RULE_FILES), seed=st.integers(0, 2 ** 32 - 1), encode=st.booleans())
def test_a_mutated_rule_file_gives_a_report_or_a_clear_error(work, capsys, rule, seed, encode):
    rnd = random.Random(seed)
    pack = work / "pack"
    pack.mkdir(exist_ok=True)
    for old in pack.iterdir():
        old.unlink()
    (pack / "pack.yaml").write_bytes((HONGFENG / "pack.yaml").read_bytes())
    text = rnd.choice(RULE_MUTATIONS)(rule.read_text(encoding="utf-8"), rnd)
    target = pack / rule.name
    if encode:
        target.write_bytes(text.encode(rnd.choice(ENCODINGS), errors="replace"))
    else:
        target.write_text(text, encoding="utf-8")
    data = work / "slice.json"
    data.write_text(SLICE_TEXT, encoding="utf-8")
    code, err = run(capsys, work, data, pack)
    if code == 2:
        assert any(rule.name in line or "pack.yaml" in line for line in err), err
