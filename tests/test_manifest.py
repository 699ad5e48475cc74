"""A dataset folder's manifest (issue #17, class 8): `hongfeng-rules manifest DIR` writes it, the loader verifies it
before anything is read — from the command line, the Python API and the service's uploads alike. The hostile
manifests themselves are in the file corpus (tests/hostile/datasets/r2-manifest-*)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hongfeng_rules import load_dataset
from hongfeng_rules.cli import main
from hongfeng_rules.errors import InputError
from hongfeng_rules.loading import located_from_files
from hongfeng_rules.manifest import FORMAT, NAME, write_manifest
from hongfeng_rules.safe_load import Limits
from helpers import REPO

EXAMPLE = REPO / "examples" / "hongfeng"
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]


def run(capsys, *argv: str) -> tuple[int, str, list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert not any("Traceback" in line or "internal error" in line for line in err.splitlines()), err
    return code, out, err.splitlines()


@pytest.fixture
def folder(tmp_path) -> Path:
    copy = tmp_path / "export"
    shutil.copytree(EXAMPLE, copy)
    return copy


def cut(path: Path, keep: int) -> int:
    """Cut a JSON list file at a record boundary (it still parses); the number of records it had."""
    records = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(records[:keep], ensure_ascii=False, indent=1), encoding="utf-8")
    return len(records)


def test_the_command_writes_each_data_file_sha256_and_record_count(folder, capsys):
    code, out, _ = run(capsys, "manifest", str(folder))
    manifest = json.loads((folder / NAME).read_text(encoding="utf-8"))
    files = sorted(p.name for p in EXAMPLE.iterdir())
    assert code == 0 and manifest["format"] == FORMAT and sorted(manifest["files"]) == files
    trainings = json.loads((EXAMPLE / "trainings.json").read_text(encoding="utf-8"))
    assert manifest["files"]["trainings.json"] == {
        "sha256": hashlib.sha256((EXAMPLE / "trainings.json").read_bytes()).hexdigest(), "records": len(trainings)}
    total = sum(f["records"] for f in manifest["files"].values())
    assert out == f"wrote {folder / NAME}: {len(files)} files, {total} records\n"


def test_the_manifest_is_the_same_bytes_every_time(folder, tmp_path, capsys):
    run(capsys, "manifest", str(folder))
    first = (folder / NAME).read_bytes()
    other = tmp_path / "elsewhere" / "x"
    shutil.copytree(EXAMPLE, other)
    os.utime(other / "members.json", (0, 0))
    run(capsys, "manifest", str(other))
    assert (other / NAME).read_bytes() == first  # no clock, no absolute path, no order of listing


def test_a_file_cut_at_a_record_boundary_is_refused_with_a_manifest_and_read_without(folder, capsys):
    run(capsys, "manifest", str(folder))
    had = cut(folder / "trainings.json", 14)
    assert had > 14
    code, out, err = run(capsys, "check", str(folder), *WHEN)
    assert code == 2 and out == "" and len(err) == 1
    assert err[0].startswith(f"error: {folder / 'trainings.json'}: SHA-256 ") and "cut short" in err[0]
    (folder / NAME).unlink()
    assert run(capsys, "check", str(folder), *WHEN)[0] == 1  # without a manifest: read (the reason for one)


def test_check_verifies_and_rewriting_accepts_the_new_content(folder, capsys):
    run(capsys, "manifest", str(folder))
    assert run(capsys, "manifest", str(folder), "--check")[:2] == (0, f"ok: {folder / NAME} matches the folder's files\n")
    cut(folder / "members.json", 3)  # the members' references break too: the manifest is said first, alone
    code, _, err = run(capsys, "manifest", str(folder), "--check")
    assert code == 2 and len(err) == 1 and f"{folder / 'members.json'}: SHA-256" in err[0]
    (folder / "members.json").write_bytes((EXAMPLE / "members.json").read_bytes())
    (folder / "hazards.json").write_text("[]", encoding="utf-8")  # a deliberate change, then a new manifest
    assert run(capsys, "manifest", str(folder))[0] == 0
    assert json.loads((folder / NAME).read_text())["files"]["hazards.json"]["records"] == 0
    assert run(capsys, "check", str(folder), *WHEN)[0] == 1


def test_every_problem_is_said_at_once_each_naming_its_file(folder, capsys):
    run(capsys, "manifest", str(folder))
    cut(folder / "points.json", 1)
    (folder / "units.json").unlink()
    (folder / "improvements.json").rename(folder / "improvements.yaml")
    code, _, err = run(capsys, "check", str(folder), *WHEN)
    assert code == 2
    assert [line.split(": ")[1].removeprefix(f"{folder}/") for line in err] == [
        "improvements.json", "units.json", "improvements.yaml", "points.json"]
    assert "listed in manifest.json but not in the dataset" in err[0] and "not listed in manifest.json" in err[2]


def test_the_manifest_command_refuses_what_it_cannot_describe(folder, tmp_path, capsys):
    code, _, err = run(capsys, "manifest", str(folder / "teams.json"))
    assert code == 2 and err == [f"error: {folder / 'teams.json'}: not a folder: a manifest describes a dataset folder"]
    code, _, err = run(capsys, "manifest", str(folder), "--check")
    assert code == 2 and err == [f"error: {folder / NAME}: no manifest to check (write one with hongfeng-rules manifest DIR)"]
    (folder / "teams.json").write_text("[{}]", encoding="utf-8")  # an invalid dataset gets no manifest
    code, _, err = run(capsys, "manifest", str(folder))
    assert code == 2 and not (folder / NAME).exists() and "teams.json" in err[0]


def test_a_manifest_over_the_size_limit_is_refused(folder, capsys):
    run(capsys, "manifest", str(folder))
    size = (folder / NAME).stat().st_size
    code, _, err = run(capsys, "manifest", str(folder), "--check", "--max-file-bytes", str(size - 1))
    assert code == 2 and err[0].startswith(f"error: {folder / NAME}: file is {size} bytes, larger than the limit")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_a_listed_file_is_refused_without_blocking(folder, capsys):
    run(capsys, "manifest", str(folder))
    (folder / "trainings.json").unlink()
    os.mkfifo(folder / "trainings.json")
    code, _, err = run(capsys, "check", str(folder), *WHEN)
    assert code == 2 and err == [f"error: {folder / 'trainings.json'}: cannot be checked against manifest.json: "
                                 "not a regular file"]


def test_upper_case_hex_is_the_same_digest(folder, capsys):
    run(capsys, "manifest", str(folder))
    manifest = json.loads((folder / NAME).read_text())
    for entry in manifest["files"].values():
        entry["sha256"] = entry["sha256"].upper()
    (folder / NAME).write_text(json.dumps(manifest))
    assert run(capsys, "check", str(folder), *WHEN)[0] == 1


def test_files_the_mapping_ignores_and_hidden_files_need_no_entry(folder, tmp_path, capsys):
    (folder / "notes.txt").write_text("not data", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("ignore: [notes.txt]\n", encoding="utf-8")
    assert run(capsys, "manifest", str(folder), "--mapping", str(mapping))[0] == 0
    assert "notes.txt" not in json.loads((folder / NAME).read_text())["files"]
    assert run(capsys, "check", str(folder), *WHEN, "--mapping", str(mapping))[0] == 1
    code, _, err = run(capsys, "check", str(folder), *WHEN)  # without the mapping notes.txt is read, and unlisted
    assert code == 2 and f"{folder / 'notes.txt'}: not listed in manifest.json" in err[0]


# ---------------------------------------------------------------- the Python API and uploads

def test_the_api_writes_and_verifies(folder):
    manifest = write_manifest(folder)
    assert manifest.files["teams.json"].records == len(load_dataset(folder).teams)
    cut(folder / "teams.json", 1)
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    assert [str(p) for p in exc.value.problems][0].startswith(f"{folder / 'teams.json'}: SHA-256")


def uploads(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]


def test_uploaded_files_with_their_manifest_are_verified(folder):
    write_manifest(folder)
    dataset, _ = located_from_files(uploads(folder))
    assert len(dataset.trainings) == len(load_dataset(EXAMPLE).trainings)
    files = [(n, raw) for n, raw in uploads(folder) if n != "units.json"]
    files = [(n, raw[: raw.rindex(b"}") + 1] + b"]" if n == "hazards.json" else raw) for n, raw in files]
    with pytest.raises(InputError) as exc:
        located_from_files(files)
    lines = [str(p) for p in exc.value.problems]
    assert lines[0] == "units.json: listed in manifest.json but not in the dataset (the export is incomplete)"
    assert len(lines) == 2 and lines[1].startswith("hazards.json: SHA-256")


def test_uploaded_record_counts_are_verified(folder):
    write_manifest(folder)
    manifest = json.loads((folder / NAME).read_text())
    manifest["files"]["teams.json"]["records"] += 1
    files = [(n, json.dumps(manifest).encode() if n == NAME else raw) for n, raw in uploads(folder)]
    with pytest.raises(InputError) as exc:
        located_from_files(files)
    assert [str(p) for p in exc.value.problems] == [
        f"teams.json: holds {manifest['files']['teams.json']['records'] - 1} records; manifest.json says "
        f"{manifest['files']['teams.json']['records']}"]


def test_a_manifest_uploaded_alone_or_twice_is_refused(folder):
    write_manifest(folder)
    raw = (folder / NAME).read_bytes()
    with pytest.raises(InputError, match="a manifest was sent without the data files it lists"):
        located_from_files([(NAME, raw)])
    with pytest.raises(InputError, match="2 files named manifest.json were sent"):
        located_from_files([(NAME, raw), (NAME, raw), ("teams.json", b"[]")])
    with pytest.raises(InputError, match="file is .* bytes"):
        located_from_files(uploads(folder), Limits(max_file_bytes=len(raw) - 1))


def test_the_service_verifies_an_uploaded_manifest(folder, tmp_path):
    from service_server import running

    write_manifest(folder)
    cut(folder / "trainings.json", 3)
    files = [("files", (n, raw)) for n, raw in uploads(folder)]
    (tmp_path / "service").mkdir()
    with running(tmp_path / "service") as client:
        r = client.post("/v1/audit", params={"period": "2025", "as_of": "2026-01-15"}, files=files)
    assert r.status_code == 422, r.text
    assert [p["text"] for p in r.json()["problems"]][0].startswith("trainings.json: SHA-256 ")


# ---------------------------------------------------------------- a closed standard output

def test_a_reader_closing_the_pipe_is_one_plain_line_not_an_internal_error():
    proc = subprocess.Popen([sys.executable, "-m", "hongfeng_rules.cli", "check", str(EXAMPLE), *WHEN,
                             "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head -c 0`: gone before the report is written
    err = proc.stderr.read().decode()
    assert proc.wait() == 2
    assert err == "error: standard output: closed by the reader before the report was written (broken pipe)\n"


def test_the_column_wise_loader_verifies_it_too(folder):
    from hongfeng_rules.tables.load import load_tables

    write_manifest(folder)
    cut(folder / "trainings.json", 2)
    with pytest.raises(InputError) as exc:
        load_tables(folder)
    assert [str(p) for p in exc.value.problems][0].startswith(f"{folder / 'trainings.json'}: SHA-256")
