"""Shared pytest setup: under CI=true a skipped test fails (ci_prerequisites); a Hypothesis profile for
mutation testing (mutation/run.py, docs/testing.md).

`--hypothesis-profile=mutation` draws the same examples every run and skips shrinking: a mutant is killed by the
first failing example, and a minimal counter-example is of no use there."""
import os

import pytest
from hypothesis import Phase, settings

from ci_prerequisites import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401  (pytest hooks)

settings.register_profile("mutation", derandomize=True, deadline=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])


if "MUTANT_UNDER_TEST" in os.environ:  # only under mutmut (mutation/run.py), in its fork server too (set to "")
    @pytest.fixture(autouse=True)
    def _built_afresh_under_mutation():
        """Under mutation testing, each test builds its conditions, expressions, calendars and field specs itself:
        a process-wide cache filled by an earlier test (or at collection) would hide the mutant from this test, and
        mutmut would record only the first test as reaching the code that built it (docs/testing.md)."""
        from hongfeng_rules.columns import calendar, messages, once, select, where
        from hongfeng_rules.columns.kinds import count, result
        from hongfeng_rules.sources import fields as source_fields
        from hongfeng_rules.timecalc import workdays
        from hongfeng_rules.validation import fields, model_checks, rows, screen

        where._COMPILED.clear()  # and with them each condition's expressions (Condition._built)
        select._COMPILED.clear()
        once._BUILT.clear()
        for module in (calendar, messages, count, result, source_fields, workdays, fields, model_checks, rows, screen):  # every @cache'd function
            for cached in vars(module).values():
                if hasattr(cached, "cache_clear") and getattr(cached, "__module__", None) == module.__name__:
                    cached.cache_clear()
