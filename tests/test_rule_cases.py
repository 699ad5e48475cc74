"""Every shipped rule passes its own `<rule>.cases.yaml` (one test per rule) and has a pass and a fail case."""
from __future__ import annotations

import pytest

from hongfeng_rules import InputError, load_pack
from hongfeng_rules.rulebook.cases import lint_cases, run_cases
from hongfeng_rules.rulebook.locate import pack_dirs
from hongfeng_rules.rulebook.pack import RulePack


def shipped_rules() -> list:
    params = []
    for folder in pack_dirs():
        try:
            pack = load_pack(folder)
        except InputError as exc:  # one failing test naming every problem, instead of a collection error
            params.append(pytest.param(None, None, exc, id=f"{folder.name}:load"))
            continue
        params += [pytest.param(pack, rule, None, id=f"{pack.name}:{rule.rule.id}") for rule in pack.rules]
    return params


@pytest.mark.parametrize("pack, rule, load_error", shipped_rules())
def test_rule_cases(pack, rule, load_error):
    assert load_error is None, "\n".join(load_error.lines())
    problems = lint_cases(rule)
    assert not problems, "\n".join(str(p) for p in problems)
    results = run_cases(RulePack(pack.manifest, pack.directory, [rule]))
    failures = [f"{r.case}: {f}" for r in results for f in r.failures]
    assert not failures, "\n".join(failures)
