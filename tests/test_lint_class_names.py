"""A rule file's type errors do not name the library's classes (`instance of Threshold`, `instance of Rule`)."""
from __future__ import annotations

import pytest

from hongfeng_rules import InputError, load_pack
from helpers import rule, write_pack


@pytest.mark.parametrize("bound", [5, "ten", [10]])
def test_a_threshold_that_is_not_a_mapping_names_no_class(tmp_path, bound):
    check = {"kind": "count", "of": "members", "at_least": bound}
    folder = write_pack(tmp_path / "p", rule(check))
    with pytest.raises(InputError) as caught:
        load_pack(folder)
    [line] = caught.value.lines()
    assert line.endswith("check.at_least: Input should be a valid dictionary")
    assert "instance of" not in line
