"""`--max-file-bytes` / `--max-records` limit untrusted input, never the shipped packs (issue 16)."""
from __future__ import annotations

import shutil

import pytest

from hongfeng_rules.cli import main
from hongfeng_rules.limit_names import limit_named
from helpers import REPO

WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
SHIPPED = sorted(p.parent.name for p in (REPO / "rules").glob("*/pack.yaml"))


def small_dataset(tmp_path):
    """The Hongfeng example's associations and teams only: every file well under 20,000 bytes and 30 items."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("associations.json", "teams.json"):
        shutil.copy(REPO / "examples" / "hongfeng" / name, folder / name)
    return folder


@pytest.mark.parametrize("limit", [["--max-file-bytes", "20000"], ["--max-records", "30"]])
def test_a_shipped_pack_is_read_whatever_the_limits(tmp_path, capsys, limit):
    for pack in SHIPPED:
        assert main(["rules", "lint", pack, *limit]) == 0, capsys.readouterr().err
    code = main(["check", str(small_dataset(tmp_path)), "--rules", "hongfeng", *WHEN, *limit, "--format", "json"])
    assert code in (0, 1) and "error:" not in capsys.readouterr().err
    assert len(SHIPPED) == 4


def test_a_pack_folder_of_your_own_is_limited(tmp_path, capsys):
    own = tmp_path / "mine"
    shutil.copytree(REPO / "rules" / "hongfeng", own)
    assert main(["rules", "lint", str(own), "--max-records", "30"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err and all(limit_named("max_records") in line for line in err)
    assert main(["rules", "lint", str(own)]) == 0


def test_the_dataset_is_limited(tmp_path, capsys):
    data = small_dataset(tmp_path)
    size = (data / "teams.json").stat().st_size
    assert main(["check", str(data), *WHEN, "--max-file-bytes", str(size - 1)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"error: {data / 'teams.json'}: file is {size} bytes, larger than the limit of {size - 1} "
                   + limit_named("max_file_bytes")]
    assert main(["check", str(data), *WHEN, "--max-file-bytes", str(size), "--format", "json"]) in (0, 1)
