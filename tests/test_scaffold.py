"""`rules new` writes a rule and its cases that quote the clause and fail lint until every TODO is filled."""
import shutil

import pytest

from hongfeng_rules import InputError, load_pack
from hongfeng_rules.cli import main
from helpers import REPO


@pytest.fixture
def pack(tmp_path):
    return shutil.copytree(REPO / "rules" / "hongfeng", tmp_path / "hongfeng")


def test_skeleton_quotes_the_clause_and_fails_lint_until_filled(pack, capsys):
    assert main(["rules", "new", "6.1.2", "publicity-count", "--pack", str(pack)]) == 0
    rule = (pack / "6.1.2-publicity-count.yaml").read_text(encoding="utf-8")
    assert "id: hf-6.1.2-publicity-count" in rule and "每年应组织开展专项义警活动不少于 12 次" in rule
    assert "modal: 应" in rule and "strength: shall" in rule
    capsys.readouterr()
    assert main(["rules", "lint", str(pack)]) == 2
    errors = capsys.readouterr().err
    assert "6.1.2-publicity-count.yaml:" in errors and "check.at_least.value" in errors


def test_several_modal_words_leave_the_choice_to_the_author(pack):
    main(["rules", "new", "5.2.6", "average-height", "--pack", str(pack)])
    rule = (pack / "5.2.6-average-height.yaml").read_text(encoding="utf-8")
    assert "modal: TODO" in rule and "应/宜" in rule


def test_never_overwrites_and_needs_a_listed_clause(pack, capsys):
    assert main(["rules", "new", "5.2.6", "core-members", "--pack", str(pack)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["rules", "new", "9.9.9", "x", "--pack", str(pack)]) == 2
    assert "not listed" in capsys.readouterr().err
    assert len(load_pack(pack).rules) == len(load_pack(REPO / "rules" / "hongfeng").rules)  # nothing was written


def test_words_must_be_an_id_fragment(pack):
    with pytest.raises(InputError, match="command line: words: lower-case words joined by '-', e.g. core-members"):
        from hongfeng_rules.rulebook.scaffold import new_rule
        new_rule(pack, "5.2.6", "Core Members")
