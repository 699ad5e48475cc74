"""Pins of `sources.mapping` and `sources.fields` found by mutation testing (issue 24, docs/testing.md): each
test fails on a mutant the other tests let through."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hongfeng_rules import InputError
from hongfeng_rules.safe_load import Limits
from hongfeng_rules.sources.mapping import load_mapping, propose_for


def test_mapping_init_reads_a_csv_in_the_encoding_it_is_given_and_tidies_its_headers(tmp_path: Path):
    """`--encoding` reaches the CSV reader; a header's inner white space becomes one space and a blank header
    is left out (not proposed, not listed as unplaced)."""
    (tmp_path / "队员.csv").write_bytes('编号,,"出生\n 日期",  ,姓名\n'.encode("utf-16"))
    text, unplaced = propose_for(str(tmp_path / "队员.csv"), encoding="utf-16")
    assert yaml.safe_load(text) == {"collections": {"members": {
        "sheet": "队员", "columns": {"编号": "id", "出生 日期": "birth_date", "姓名": "name"}}}}
    assert unplaced == []


@pytest.mark.parametrize("margin", [-1, 0, 1])
def test_a_mapping_file_is_read_within_the_limits_it_is_given(tmp_path: Path, margin: int):
    """`load_mapping(path, limits)` reads the file under those limits (its size at n - 1, n, n + 1 bytes)."""
    path = tmp_path / "m.yaml"
    path.write_text("collections:\n  members:\n    sheet: 花名册\n", encoding="utf-8")
    size = path.stat().st_size
    limits = Limits(max_file_bytes=size + margin)
    if margin < 0:
        with pytest.raises(InputError, match=re.escape(f"{path}: file is {size} bytes, larger than the limit of "
                                                       f"{size - 1} (limit: --max-file-bytes")):
            load_mapping(path, limits)
    else:
        assert load_mapping(path, limits).collections["members"].sheet == "花名册"
