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
    pytest.skip("../shared/sources is not beside the repository")
'''


@pytest.mark.parametrize("ci, reason, code", [("true", "../shared is missing", 1), ("", "../shared is missing", 0),
                                              ("true", "not applicable here: root can read anything", 0)])
def test_a_skip_fails_only_under_ci(tmp_path, ci, reason, code):
    (tmp_path / "test_probe.py").write_text(PROBE.replace("../shared/sources is not beside the repository", reason),
                                            encoding="utf-8")
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(TESTS)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "ci_prerequisites", "-p", "no:cacheprovider",
                          "--rootdir", str(tmp_path), str(tmp_path / "test_probe.py")],
                         env=env, capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == code, run.stdout + run.stderr


def test_ci_run_fails_when_a_prerequisite_cannot_be_installed():
    script = (TESTS.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert script.count("missing") >= 3 and "durable-rules" in script and "chromium" in script
    assert "will be skipped" not in script
