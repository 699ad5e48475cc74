"""An export larger than the limits (a 10,000-team province by default, docs/security.md "The defaults and a
province-sized export") is refused with one line per file over the limit, each naming the option that raises it,
from JSON and from typed Parquet alike; the defaults are the documented ones."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from hongfeng_rules.cli import main
from hongfeng_rules.limit_names import limit_named
from hongfeng_rules.safe_load import DEFAULT_LIMITS

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks.generate import generate, write  # noqa: E402

RUN = ["--period", "2025", "--as-of", "2026-01-15"]
FILE_LIMIT = " " + limit_named("max_file_bytes")


def test_the_defaults_are_the_documented_ones():
    text = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    assert (DEFAULT_LIMITS.max_file_bytes, DEFAULT_LIMITS.max_records) == (200 * 1024 * 1024, 5_000_000)
    assert "max_file_bytes: int = 200 * 1024 * 1024" in text and "max_records: int = 5_000_000" in text
    assert "limit of 209715200 " + limit_named("max_file_bytes") in text


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    write(generate(3, seed=1), folder)
    return folder


def test_every_json_file_over_the_limit_is_one_line_naming_the_option(export, capsys):
    sizes = sorted((p.stat().st_size, p.name) for p in export.glob("*.json"))
    limit = sizes[-3][0]  # the two largest files are over it, the third largest is at it
    code = main(["check", str(export), *RUN, "--max-file-bytes", str(limit)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err == [f"error: {export / name}: file is {size} bytes, larger than the limit of {limit}"
                   + FILE_LIMIT for size, name in sorted(sizes[-2:], key=lambda s: s[1])]


def test_typed_parquet_over_the_limit_by_what_it_decodes_names_the_option(export, tmp_path, capsys):
    pytest.importorskip("pyarrow")
    from hongfeng_rules.tables import load_tables
    from hongfeng_rules.tables.parquet import write_parquet

    folder = tmp_path / "parquet"
    write_parquet(load_tables(export), folder)
    largest = max(p.stat().st_size for p in folder.glob("*.parquet"))
    code = main(["check", str(folder), *RUN, "--max-file-bytes", str(largest)])  # every file fits as it is stored
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and err
    for line in err:
        assert re.fullmatch(rf"error: {re.escape(str(folder))}/\w+\.parquet: .*more than the limit of {largest}"
                            r".*\(limit: --max-file-bytes on the command line, .*\)", line), line
