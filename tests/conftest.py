"""Shared pytest setup: under CI=true a skipped test fails (ci_prerequisites); a Hypothesis profile for
mutation testing (mutation/run.py, docs/testing.md).

`--hypothesis-profile=mutation` draws the same examples every run and skips shrinking: a mutant is killed by the
first failing example, and a minimal counter-example is of no use there."""
from hypothesis import Phase, settings

from ci_prerequisites import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401  (pytest hooks)

settings.register_profile("mutation", derandomize=True, deadline=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])
