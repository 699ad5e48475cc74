"""The README's host-application example runs as written (on the shipped example instead of an export)."""
import re

from helpers import REPO


def test_host_example_runs(capsys, monkeypatch):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For host applications"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(REPO)
    exec(compile(code.replace('"export/"', '"examples/hongfeng"'), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("False [") and "hf-5.2.6-core-members" in printed
