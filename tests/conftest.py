"""Shared pytest setup: under CI=true a skipped test fails (ci_prerequisites)."""
from ci_prerequisites import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401  (pytest hooks)
