"""Under CI=true a skip is a failure, unless it says the test does not apply to this machine (issue 16)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
PROBE = '''
import pytest
def test_needs_shared():
    pytest.skip("REASON")
'''
MODULE_PROBE = '''
import pytest
pytest.importorskip("a_package_that_is_not_installed", reason="REASON")
def test_needs_the_package():
    pass
'''


@pytest.mark.parametrize("probe", [PROBE, MODULE_PROBE], ids=["in a test", "while collecting"])
@pytest.mark.parametrize("ci, reason, fails", [("true", "../shared is missing", True), ("", "../shared is missing", False),
                                               ("true", "not applicable here: root can read anything", False)])
def test_a_skip_fails_only_under_ci(tmp_path, probe, ci, reason, fails):
    (tmp_path / "test_probe.py").write_text(probe.replace("REASON", reason), encoding="utf-8")
    (tmp_path / "test_other.py").write_text("def test_runs():\n    pass\n", encoding="utf-8")
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(TESTS)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "ci_prerequisites", "-p", "no:cacheprovider",
                          "--rootdir", str(tmp_path), str(tmp_path)],
                         env=env, capture_output=True, text=True, cwd=tmp_path)
    assert (run.returncode != 0) == fails, run.stdout + run.stderr
    assert ("skipped under CI=true" in run.stdout) == fails


def test_ci_run_fails_when_a_prerequisite_cannot_be_installed():
    script = (TESTS.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert script.count("missing") >= 3 and "durable-rules" in script and "chromium" in script
    assert "will be skipped" not in script
