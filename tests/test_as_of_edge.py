"""A period that ends on the as-of day is over and judged: every `frequency` rule of every shipped pack,
on its example, at as-of = the last instant of the period's last whole unit and one microsecond before."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from hongfeng_rules import audit, load_dataset, load_pack
from hongfeng_rules.cli import main, period_and_as_of
from hongfeng_rules.rulebook.pack import RulePack
from hongfeng_rules.timecalc import Period, day_end, whole_periods
from helpers import REPO

PACKS = ("hongfeng", "yunge", "keqiao-zhucun", "gucheng")
EXAMPLE_PERIOD = {"hongfeng": "2025", "yunge": "2025", "keqiao-zhucun": "2025", "gucheng": "2025"}
MEASURED = re.compile(r"(\d+) of (\d+) (week|month|quarter|year)s met")


def frequency_rules():
    for name in PACKS:
        pack = load_pack(REPO / "rules" / name)
        for compiled in pack.rules:
            if compiled.rule.check.kind == "frequency":
                yield pytest.param(pack, compiled, id=compiled.rule.id)


def _judged_count(report, rule_id):
    """Units judged per subject: from 'k of n units met', 0 for a pending or not-applicable finding."""
    out = {}
    for f in report.findings:
        if f.rule_id == rule_id:
            m = MEASURED.fullmatch(f.measured or "")
            out[f.subject.id] = (f.status, int(m[2]) if m else 0)
    return out


@pytest.mark.parametrize("pack,compiled", list(frequency_rules()))
def test_every_frequency_rule_judges_the_unit_ending_at_as_of(pack, compiled):
    per = compiled.rule.check.per
    period = Period.parse(EXAMPLE_PERIOD[pack.manifest.pack])
    last = whole_periods(period, per, day_end(period.end))[0][-1]  # the last whole unit inside the period
    dataset = load_dataset(REPO / "examples" / pack.manifest.pack)
    one = RulePack(pack.manifest, pack.directory, [compiled])
    at = _judged_count(audit(dataset, [one], period.label, day_end(last.end)), compiled.rule.id)
    before = _judged_count(audit(dataset, [one], period.label, day_end(last.end) - timedelta(microseconds=1)),
                           compiled.rule.id)
    assert at and at.keys() == before.keys()
    judged_now = [s for s, (status, n) in at.items() if n > 0]
    assert judged_now, "no subject is judged at all"
    for subject in judged_now:  # the unit ending on the as-of day is one more judged unit than a microsecond before
        assert at[subject][1] == before[subject][1] + 1, (subject, at[subject], before[subject])
        assert at[subject][0] in {"pass", "fail"}


def _keqiao_without(collection, drop, period, as_of, tmp_path):
    """The Keqiao example with some records of one collection dropped, audited from the command line."""
    import shutil

    import yaml

    folder = tmp_path / f"kq-{collection}"
    shutil.copytree(REPO / "examples" / "keqiao-zhucun", folder)
    path = folder / f"{collection}.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    key = next(iter(records)) if isinstance(records, dict) else None
    rows = records[key] if key else records
    kept = [r for r in rows if not drop(r)]
    assert len(kept) < len(rows)
    path.write_text(yaml.safe_dump({key: kept} if key else kept, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "r.json"
    main(["check", str(folder), "--pack", "keqiao-zhucun", "--period", period, "--as-of", as_of,
          "--format", "json", "--out", str(out)])
    import json

    return json.loads(out.read_text(encoding="utf-8"))["findings"]


def test_the_issues_probes(tmp_path):
    """As of Sunday 2025-02-16 a W07 without a patrol fails; as of 2025-03-31 a March without the monthly check
    fails (the week and month the issue found passing)."""
    assert period_and_as_of(None, "2025-02-16")[1] == day_end(date(2025, 2, 16))
    findings = _keqiao_without("patrols", lambda r: r["patrol_team_id"] == "pt-v1" and
                               "2025-02-10" <= str(r["start"])[:10] <= "2025-02-16",
                               "2025-Q1", "2025-02-16", tmp_path)
    weekly = [f for f in findings if f["rule_id"] == "kz-P1.5-weekly-patrol" and f["subject"]["id"] == "pt-v1"]
    assert weekly[0]["status"] == "fail" and "2025-W07" in " ".join(weekly[0]["evidence_ids"])

    findings = _keqiao_without("patrol_team_checks", lambda r: r["patrol_team_id"] == "pt-v1" and
                               str(r["at"])[:7] == "2025-03", "2025-Q1", "2025-03-31", tmp_path)
    monthly = [f for f in findings if f["rule_id"] == "kz-P1.7-monthly-check" and f["subject"]["id"] == "pt-v1"]
    assert monthly[0]["status"] == "fail" and monthly[0]["measured"] == "2 of 3 months met"
