"""Nothing lost, nothing half-done (issue #10): atomic --out, inputs never modified, same bytes whatever the hash seed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hongfeng_rules import cli, output
from hongfeng_rules.cli import main
from hongfeng_rules.errors import InputError
from hongfeng_rules.report import json_stream
from helpers import REPO

HOSTILE = Path(__file__).resolve().parent / "hostile"
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
PREVIOUS = b'{"previous": "report"}\n'


@pytest.fixture
def inputs(tmp_path) -> tuple[Path, Path]:
    """A copy of the corpus's small pack and valid dataset (so mtimes are ours to watch)."""
    pack = tmp_path / "pack"
    shutil.copytree(HOSTILE / "_pack", pack)
    data = tmp_path / "data.json"
    shutil.copy(HOSTILE / "valid.json", data)
    return pack, data


def check(pack: Path, data: Path, out: Path, *extra: str) -> int:
    return main(["check", str(data), "--rules", str(pack), *WHEN, "--format", "json", "--out", str(out), *extra])


def leftovers(folder: Path, out: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.mark.parametrize("breakage", ["dataset", "rule", "waivers", "period"])
def test_bad_input_keeps_the_previous_report(inputs, tmp_path, capsys, breakage):
    pack, data = inputs
    out = tmp_path / "report.json"
    out.write_bytes(PREVIOUS)
    extra = []
    if breakage == "dataset":
        data.write_text(data.read_text(encoding="utf-8")[:200], encoding="utf-8")
    elif breakage == "rule":
        (pack / "hf-5.3.1-trainings.yaml").write_text("id: [\n", encoding="utf-8")
    elif breakage == "waivers":
        (tmp_path / "w.yaml").write_text("waivers: 3\n", encoding="utf-8")
        extra = ["--waivers", str(tmp_path / "w.yaml")]
    else:
        extra = ["--period", "2025-13"]
    assert check(pack, data, out, *extra) == 2
    assert out.read_bytes() == PREVIOUS
    assert leftovers(tmp_path, out) == []
    assert "Traceback" not in capsys.readouterr().err


def test_a_failure_while_rendering_keeps_the_previous_report(inputs, tmp_path, monkeypatch, capsys):
    pack, data = inputs
    out = tmp_path / "report.json"
    out.write_bytes(PREVIOUS)

    def broken(report, args):  # the JSON is streamed: it breaks after its first pieces are written
        yield from list(json_stream.pieces(report))[:3]
        raise RuntimeError("renderer broke")
    monkeypatch.setitem(cli.STREAMED, "json", broken)
    assert check(pack, data, out) == 2
    assert out.read_bytes() == PREVIOUS and leftovers(tmp_path, out) == []
    assert "renderer broke" in capsys.readouterr().err


def test_a_failure_while_writing_keeps_the_previous_report_and_no_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "report.json"
    out.write_bytes(PREVIOUS)

    def no_rename(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(output.os, "replace", no_rename)
    with pytest.raises(InputError, match="No space left on device"):
        output.write_atomic(out, "x" * 100_000)
    assert out.read_bytes() == PREVIOUS and leftovers(tmp_path, out) == []


def test_a_good_run_replaces_the_report_whole(inputs, tmp_path):
    pack, data = inputs
    out = tmp_path / "report.json"
    out.write_bytes(PREVIOUS)
    assert check(pack, data, out) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("{") and text.endswith("}\n") and "previous" not in text
    assert leftovers(tmp_path, out) == []


def test_reading_never_modifies_the_inputs(inputs, tmp_path):
    pack, data = inputs
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    files = [data, waivers, *sorted(pack.iterdir())]
    old = 1_000_000_000  # a fixed mtime in the past, so a rewrite would show
    for f in files:
        os.utime(f, ns=(old, old))
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns, f.stat().st_mode) for f in files}
    assert check(pack, data, tmp_path / "report.json", "--waivers", str(waivers)) == 0
    assert main(["rules", "lint", str(pack)]) == 2  # no cases files: an error, still nothing written
    assert {f: (f.read_bytes(), f.stat().st_mtime_ns, f.stat().st_mode) for f in files} == before
    assert sorted(p.name for p in pack.iterdir()) == sorted(p.name for p in files if p.parent == pack)


def run_cli(seed: str, out: Path, fmt: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    argv = [sys.executable, "-m", "hongfeng_rules.cli", "check", str(REPO / "examples" / "hongfeng"), *WHEN,
            "--format", fmt, "--out", str(out), "--fail-on", "never"]
    return subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_same_input_same_bytes_whatever_the_hash_seed(tmp_path, fmt):
    reports = []
    for seed in ("0", "4242"):
        out = tmp_path / f"report-{seed}.{fmt}"
        done = run_cli(seed, out, fmt)
        assert done.returncode == 0, done.stderr
        reports.append(out.read_bytes())
    assert reports[0] == reports[1] and len(reports[0]) > 1000
