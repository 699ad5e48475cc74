"""The HTML report rendered by headless Chromium: the DOM it builds, and a screenshot kept in test-artifacts/."""
from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hongfeng_rules.cli import main

import report_fixture as rf

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium binary on PATH (CI installs Debian's package: apt-get install -y chromium)")


def browse(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


class Dom(HTMLParser):
    """Elements of the serialised DOM: (tag, attributes) in document order, and the text."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def having(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_report_renders_in_headless_chromium(tmp_path, lang):
    chromium()
    pack, data = rf.make(tmp_path)
    page = tmp_path / f"report-{lang}.html"
    assert main(rf.check_args(pack, data, "--format", "html", "--lang", lang, "--out", str(page))) == 1

    dumped = browse(page, tmp_path / "profile-dom", "--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = Dom(dumped.stdout)
    text = " ".join(dom.text)
    assert dom.having("table", id="overview") and dom.having("table", id="matrix")
    # the matrix: a row per team, t2's clause 5.2.6 cell is a failure, t1's is a pass
    cells = dom.having("td", **{"data-status": "fail"})
    assert len(cells) == 2  # t2 × 5.2.6 and t1 × 5.2.7
    assert dom.having("td", **{"data-status": "not_assessable"})
    assert dom.having("div", **{"data-rule": "tp-5.2.6-core-members", "data-subject": "t2"})
    assert 'Team <two> & "co"' in text  # escaped in the file, shown as text by the browser
    assert not dom.having("b")  # the "<b>" in the clause text stayed text
    assert not dom.having("script")
    if lang == "zh":
        assert "各队伍符合情况" in text and "核心队员应不少于 3 人" in text
    else:
        assert "Conformity per team" in text and "A team shall have no fewer than 3 core members" in text

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"report-{lang}.png"
    shot.unlink(missing_ok=True)
    taken = browse(page, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1280,1600")
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shutil.copy(page, ARTIFACTS / page.name)
