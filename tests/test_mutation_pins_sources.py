"""Pins of `sources.mapping` and `sources.fields` found by mutation testing (issue 24, docs/testing.md): each
test fails on a mutant the other tests let through."""
from __future__ import annotations

from pathlib import Path

import yaml

from hongfeng_rules.sources.mapping import propose_for


def test_mapping_init_reads_a_csv_in_the_encoding_it_is_given_and_tidies_its_headers(tmp_path: Path):
    """`--encoding` reaches the CSV reader; a header's inner white space becomes one space and a blank header
    is left out (not proposed, not listed as unplaced)."""
    (tmp_path / "队员.csv").write_bytes('编号,,"出生\n 日期",  ,姓名\n'.encode("utf-16"))
    text, unplaced = propose_for(str(tmp_path / "队员.csv"), encoding="utf-16")
    assert yaml.safe_load(text) == {"collections": {"members": {
        "sheet": "队员", "columns": {"编号": "id", "出生 日期": "birth_date", "姓名": "name"}}}}
    assert unplaced == []
