"""Shared pytest setup: under CI=true a skipped test fails (ci_prerequisites); a Hypothesis profile for
mutation testing (mutation/run.py, docs/testing.md).

`--hypothesis-profile=mutation` draws the same examples every run and skips shrinking: a mutant is killed by the
first failing example, and a minimal counter-example is of no use there."""
import os
import sys

import pytest
from hypothesis import Phase, settings

from ci_prerequisites import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401  (pytest hooks)

settings.register_profile("mutation", derandomize=True, deadline=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])


# the packages whose functools caches are emptied before each test under mutmut: those pyproject's [tool.mutmut]
# only_mutate names, and all of columns (its caches hold expressions the mutated kinds and conditions build)
_MUTATED = tuple(f"hongfeng_rules.{p}" for p in ("timecalc", "derived", "checks.where", "columns", "sources", "validation"))

if "MUTANT_UNDER_TEST" in os.environ:  # only under mutmut (mutation/run.py), in its fork server too (set to "")
    @pytest.fixture(autouse=True)
    def _built_afresh_under_mutation():
        """Under mutation testing, each test builds its conditions, expressions, calendars and field specs itself:
        a process-wide cache filled by an earlier test (or at collection) would hide the mutant from this test, and
        mutmut would record only the first test as reaching the code that built it (docs/testing.md)."""
        from hongfeng_rules.columns import once, select, where

        where._COMPILED.clear()  # and with them each condition's expressions (Condition._built)
        select._COMPILED.clear()
        once._BUILT.clear()
        for name, module in list(sys.modules.items()):  # every @cache'd function of the mutated packages
            if name.startswith(_MUTATED):
                for cached in vars(module).values():
                    if hasattr(cached, "cache_clear") and getattr(cached, "__module__", None) == name:
                        cached.cache_clear()
