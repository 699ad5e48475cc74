"""What-if: `--set RULE.PARAM=VALUE`, `--overlay DIR` and `audit(..., overrides=...)` on the shipped example."""
from datetime import datetime

import pytest
import yaml

from hongfeng_rules import audit, load_dataset, load_packs
from hongfeng_rules.cli import main
from hongfeng_rules.whatif import apply_overrides, verdict_changes
from helpers import REPO

EXAMPLE = REPO / "examples" / "hongfeng"
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
AS_OF = datetime(2026, 1, 15, 23, 59, 59)
CORE = "hf-5.2.6-core-members"


@pytest.fixture(scope="module")
def example():
    return load_dataset(EXAMPLE), load_packs(["hongfeng"])


def core_counts(report):
    return {f.subject.id: (f.measured, f.status) for f in report.findings if f.rule_id == CORE}


def test_overrides_move_the_threshold_at_n_minus_1_n_n_plus_1(example):
    dataset, packs = example
    base = core_counts(audit(dataset, packs, "2025", AS_OF))
    measured = base["hf-t01"][0]
    for limit, status in ((measured - 1, "pass"), (measured, "pass"), (measured + 1, "fail")):
        got = core_counts(audit(dataset, packs, "2025", AS_OF, overrides={f"{CORE}.at_least": limit}))
        assert got["hf-t01"] == (measured, status), limit
        assert all((m >= limit) == (s == "pass") for m, s in got.values())


def test_overrides_leave_the_packs_alone(example):
    dataset, packs = example
    changed = apply_overrides(packs, {f"{CORE}.at_least": "13 person"})
    rule = next(r for p in changed for r in p.rules if r.rule.id == CORE)
    original = next(r for p in packs for r in p.rules if r.rule.id == CORE)
    assert rule.rule.check.at_least.value == 13 and original.rule.check.at_least.value == 10


def test_verdict_changes_by_association_and_team(example):
    dataset, packs = example
    before = audit(dataset, packs, "2025", AS_OF)
    after = audit(dataset, packs, "2025", AS_OF, overrides={f"{CORE}.at_least": 13})
    changes = verdict_changes(before, after)
    moved = {c.team_id: c for c in changes}
    twelve = {s for s, (m, st) in core_counts(before).items() if m == 12}
    assert set(moved) == twelve and twelve
    assert moved["hf-t01"].conformant_before and not moved["hf-t01"].conformant_after
    assert [(v.rule_id, v.before, v.after) for v in moved["hf-t01"].findings] == [(CORE, "pass", "fail")]
    assert [c.association_id for c in changes] == sorted(c.association_id for c in changes)
    assert verdict_changes(before, before) == []


def test_cli_set_prints_the_changes_beside_the_report(tmp_path, capsys):
    out = tmp_path / "r.json"
    code = main(["check", str(EXAMPLE), *WHEN, "--set", f"{CORE}.at_least=13person", "--format", "json",
                 "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    assert "team hf-t01: conformant → NON-CONFORMANT" in printed
    assert f"{CORE} team hf-t01: pass → fail (measured 12, expected ≥ 13 person)" in printed
    assert "== association zj-zhuji" in printed
    assert '"expected": "≥ 13 person"' in out.read_text(encoding="utf-8")


def test_cli_several_sets_and_deadlines(tmp_path, capsys):
    main(["check", str(EXAMPLE), *WHEN, "--out", str(tmp_path / "r.txt"),
          "--set", "hf-6.2.3-major-hazard-report.within=30", "--set", f"{CORE}.at_least=10"])
    printed = capsys.readouterr().out
    assert "hf-6.2.3-major-hazard-report hazard hf-t03-hz001: fail → pass" in printed
    assert CORE not in printed


def test_overlay_replaces_a_rule_by_id(tmp_path, capsys):
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    data = yaml.safe_load((REPO / "rules" / "hongfeng" / "5.2.6-core-members.yaml").read_text(encoding="utf-8"))
    data["check"]["at_least"]["value"] = 13
    (overlay / "core.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    main(["check", str(EXAMPLE), *WHEN, "--overlay", str(overlay), "--out", str(tmp_path / "r.txt")])
    assert "team hf-t01: conformant → NON-CONFORMANT" in capsys.readouterr().out
    data["id"] = "hf-5.2.6-no-such-rule"
    (overlay / "core.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["check", str(EXAMPLE), *WHEN, "--overlay", str(overlay)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "core.yaml" in err[0] and "hf-5.2.6-no-such-rule" in err[0]


@pytest.mark.parametrize("setting, words", [
    (f"{CORE}.at_lest=12", "no parameter 'check.at_lest'"),
    (f"{CORE}.at_least=12percent", "not a number in person"),
    (f"{CORE}.at_least=twelve", "not a number in person"),
    (f"{CORE}.at_least.unit=percent", "keeps its unit"),
    (f"{CORE}.at_least.value=abc", "at_least.value"),
    ("hf-9.9.9-nothing.at_least=1", "no loaded rule"),
    (f"{CORE}.at_least", "RULE_ID.PARAM=VALUE"),
    ("hf-6.2.3-major-hazard-report.within=2day", "not a number in hour"),
])
def test_a_bad_override_is_one_input_error(setting, words, capsys):
    assert main(["check", str(EXAMPLE), *WHEN, "--set", setting]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and "--set" in err[0] and "Traceback" not in err[0], err


def test_library_bad_override_raises_input_error(example):
    from hongfeng_rules import InputError
    dataset, packs = example
    with pytest.raises(InputError, match="not a number in person"):
        audit(dataset, packs, "2025", AS_OF, overrides={f"{CORE}.at_least": "12 year"})


def test_every_shipped_rule_survives_the_round_trip_an_override_takes():
    from hongfeng_rules.rulebook.spec import Rule
    for pack in load_packs(None):
        for r in pack.rules:
            assert Rule.model_validate(r.rule.model_dump(mode="json", exclude_none=True)) == r.rule, r.rule.id


def test_an_overlay_reads_a_rule_file_as_a_pack_does(tmp_path):
    """One reader of rule files (rulebook.pack.read_rule): a misspelt key is the same problem, line and field,
    in an overlay as in a pack holding the same file."""
    from hongfeng_rules import InputError
    from hongfeng_rules.rulebook.pack import load_pack
    from hongfeng_rules.whatif import apply_overlay

    text = (REPO / "rules" / "hongfeng" / "5.2.6-core-members.yaml").read_text(encoding="utf-8")
    bad = text.replace("\nmessage:", "\nmesage:", 1)
    assert bad != text
    overlay, pack = tmp_path / "overlay", tmp_path / "pack"
    overlay.mkdir()
    pack.mkdir()
    (overlay / "core.yaml").write_text(bad, encoding="utf-8")
    (pack / "core.yaml").write_text(bad, encoding="utf-8")
    (pack / "pack.yaml").write_text((REPO / "rules" / "hongfeng" / "pack.yaml").read_text(encoding="utf-8"),
                                    encoding="utf-8")
    with pytest.raises(InputError) as from_overlay:
        apply_overlay(load_packs(["hongfeng"]), overlay)
    with pytest.raises(InputError) as from_pack:
        load_pack(pack)
    seen = [(p.reason, p.line, p.field) for p in from_overlay.value.problems]
    assert seen == [(p.reason, p.line, p.field) for p in from_pack.value.problems]
    assert any(field and "mesage" in field for _, line, field in seen if line)
