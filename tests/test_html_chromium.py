"""The HTML report as a person sees it: rendered by headless Chromium (Debian's package, driven by playwright with
executable_path — no browser is downloaded), its DOM read back, screenshots kept in test-artifacts/.

The values asserted are worked out by hand for the small fixture, and recounted here from the JSON report for the
examples and a generated 1,000-team province."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hongfeng_rules.auditing import audit
from hongfeng_rules.cli import main, period_and_as_of
from hongfeng_rules.loading import load_dataset
from hongfeng_rules.report import html
from hongfeng_rules.rulebook.locate import load_packs

import report_fixture as rf

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-extensions"]
EXAMPLES = {
    "hongfeng": ["--period", "2025", "--as-of", "2026-01-15"],
    "gucheng": ["--pack", "gucheng", "--period", "2025-Q2", "--as-of", "2025-07-01"],
    "keqiao-zhucun": ["--pack", "keqiao-zhucun", "--period", "2025-Q1", "--as-of", "2025-04-01"],
    "yunge": ["--pack", "yunge", "--period", "2025", "--as-of", "2025-12-31"],
}


def chromium() -> str:
    """The browser's path, for tests that drive it through the command line (--dump-dom)."""
    found = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
    if found is None:
        missing("no chromium on PATH (Debian: apt-get install chromium)")
    return found


def browse(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium on the command line: `--dump-dom` prints the DOM after the page's script ran."""
    return subprocess.run([chromium(), "--headless", *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=120)


class Dom(HTMLParser):
    """Elements of a serialised DOM: (tag, attributes) in document order, and the text."""

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


def missing(what: str):
    """Skip on a developer's machine; fail under CI, where .ci/run installs everything."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} (CI must install it: see .ci/run)")
    pytest.skip(what)


@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=FLAGS)
        yield b
        b.close()


class Page:
    """A report opened at 1,400 px, with the script's errors collected."""

    def __init__(self, browser, path: Path, hash_: str = ""):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(path.as_uri() + hash_)
        self.ready()

    def ready(self):
        self.page.wait_for_function("document.documentElement.dataset.ready === '1'")

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def cards(self) -> list[dict]:
        self.page.wait_for_function("!document.getElementById('shown').textContent.includes('…')")
        return self.js("[...document.querySelectorAll('#cards .finding')].map(a => ({...a.dataset}))")

    def rates(self) -> dict[str, str]:
        return self.js("Object.fromEntries([...document.querySelectorAll('#tree .node')].map(n => [n.dataset.id, n.dataset.rate]))")

    def chart(self, name: str) -> dict[str, str]:
        return self.js("n => Object.fromEntries([...document.querySelectorAll(`svg[data-chart='${n}'] g[data-label]`)]"
                       ".map(g => [g.dataset.label, g.dataset.value]))", name)

    def overflow(self) -> dict[str, int]:
        """How far the page and each summary section reach past the 1,400 px window (0 = fits)."""
        return self.js("""() => {
            const out = {page: document.documentElement.scrollWidth - innerWidth};
            for (const id of ['tree', 'charts', 'trend', 'grid']) {
                const s = document.getElementById(id);
                if (s) out[id] = Math.max(0, Math.round(s.getBoundingClientRect().right) - innerWidth);
            }
            return out; }""")

    def shot(self, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=False)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def share(counts: dict) -> str:
    """pass ÷ (pass + fail + not assessable), with the page's four decimals — recounted, not read from the tree."""
    judged = counts["pass"] + counts["fail"] + counts["not_assessable"]
    return f"{counts['pass'] / judged:.4f}" if judged else ""


# --------------------------------------------------------------------------- the small fixture, worked by hand

@pytest.fixture
def fixture_page(tmp_path, browser):
    def open_(lang="en", hash_="", *extra):
        (tmp_path / lang).mkdir()
        pack, data = rf.make(tmp_path / lang)
        page = tmp_path / lang / "report.html"
        assert main(rf.check_args(pack, data, "--format", "html", "--lang", lang, "--out", str(page), *extra)) == 1
        return Page(browser, page, hash_)
    return open_


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tree_charts_grid_and_cards(fixture_page, lang):
    p = fixture_page(lang)
    # the tree: a1 has 4 passes of 8 judged; t1 3 of 5; t2 1 of 3, and t2 (non-conformant) comes first
    assert p.rates() == {"a1": "0.5000", "t2": "0.3333", "t1": "0.6000"}
    assert p.js("[...document.querySelectorAll('#tree .node')].map(n => n.dataset.id)") == ["a1", "t2", "t1"]
    assert p.js("document.querySelector('#tree .node[data-id=a1] .teams').dataset.teamsConformant") == "1"
    # charts: 5.2.6 fails in t2 of t1, t2; 5.2.7 in t1 (its member t1-m0); 5.3.1 is only not assessable
    assert p.chart("conformance") == {"County": "0.5000"}
    assert p.chart("clause-failures") == {"5.2.6": "0.5000", "5.2.7": "0.5000", "5.3.1": "0.0000"}
    assert p.chart("not-assessable") == {"County": "0.2500"}
    # the grid: one group (a1), a row per team, a cell per clause with the worst status
    cells = p.js("Object.fromEntries([...document.querySelectorAll('#grid tr[data-row]')].map(r => [r.dataset.row,"
                 " [...r.querySelectorAll('td')].map(td => td.className).join(' ')]))")
    assert cells == {"t1": "p f u", "t2": "f p u"}
    # cards: only what is not a pass; names and clause text stay text
    cards = p.cards()
    assert sorted((c["rule"], c["subject"], c["status"]) for c in cards) == [
        ("tp-5.2.6-core-members", "t2", "fail"), ("tp-5.2.7-member-skills", "t1-m0", "fail"),
        ("tp-5.3.1-trainings", "t1", "not_assessable"), ("tp-5.3.1-trainings", "t2", "not_assessable")]
    text = p.js("document.body.innerText")
    assert 'Team <two> & "co"' in text
    assert ("3 core members <b>&" if lang == "en" else "核心队员应不少于 3 人 <b>&") in text
    assert p.js("document.querySelectorAll('#cards b, #tree b:not(.rate)').length") == 0
    assert p.js("document.querySelectorAll('.finding details.why').length") == 0  # only with --explain
    words = ("Associations and teams", "Conformance per association") if lang == "en" else ("协会与队伍", "各协会符合率")
    assert all(w in text for w in words)
    assert p.overflow() == {"page": 0, "tree": 0, "charts": 0, "grid": 0}
    assert p.errors == []
    p.shot(f"report-{lang}")


def test_filters_search_and_drill_down(fixture_page):
    p = fixture_page("en", "#status=fail")
    assert {c["subject"] for c in p.cards()} == {"t2", "t1-m0"}
    p.page.goto(p.page.url.split("#")[0] + "#strength=should")
    p.ready()
    assert [c["rule"] for c in p.cards()] == ["tp-5.2.7-member-skills"]
    p.page.goto(p.page.url.split("#")[0] + "#clause=5.3.1&assoc=a1")
    p.ready()
    assert {c["subject"] for c in p.cards()} == {"t1", "t2"}
    # the search box, typed as a person would
    p.page.goto(p.page.url.split("#")[0] + "#")
    p.ready()
    assert len(p.cards()) == 4
    p.page.fill("#filters input[name=q]", "t1-m0")
    assert [c["subject"] for c in p.cards()] == ["t1-m0"]
    assert "q=t1-m0" in p.page.url  # the filter is in the address, so a link can be shared
    p.page.fill("#filters input[name=q]", "no such thing")
    assert p.cards() == [] and p.js("document.querySelector('#cards .none') !== null")
    p.page.uncheck("#filters input[value=not_assessable]")
    p.page.fill("#filters input[name=q]", "")
    assert {c["status"] for c in p.cards()} == {"fail"}
    # drill down: closing and opening the association's node
    node = "#tree details[data-id=a1]"
    assert p.js(f"document.querySelector('{node}').open")
    p.page.click(f"{node} > summary .name")
    assert not p.js(f"document.querySelector('{node}').open")
    p.page.click(f"{node} > summary .name")
    assert p.js(f"document.querySelector('{node}').open")
    # a node's "findings" link filters the cards to it
    p.page.click("#tree .row[data-id=t2] a.to-findings")
    p.ready()
    assert {c["subject"] for c in p.cards()} == {"t2"}
    assert p.errors == []


def test_the_why_of_an_explained_finding(fixture_page):
    p = fixture_page("en", "", "--explain", "tp-5.2.6-core-members")
    whys = p.js("[...document.querySelectorAll('.finding details.why')].map(d => [d.closest('.finding').dataset.subject,"
                " d.open, d.innerText])")
    assert [(subject, opened) for subject, opened, _ in whys] == [("t2", False)]  # collapsed until opened
    p.page.click(".finding details.why > summary")
    assert "counted 1:" in p.js("document.querySelector('.finding details.why').innerText")
    assert p.errors == []


def test_print_view_is_a4_landscape(fixture_page, tmp_path):
    p = fixture_page("zh")
    p.page.emulate_media(media="print")
    assert p.js("getComputedStyle(document.getElementById('filters')).display") == "none"
    assert p.js("getComputedStyle(document.querySelector('.tools')).display") == "none"
    pdf = p.page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 841.9) < 1.5 and abs(float(h) - 595.3) < 1.5 for w, h in boxes)
    p.page.emulate_media(media="screen")
    assert p.js("getComputedStyle(document.getElementById('filters')).display") != "none"


# --------------------------------------------------------------------------- the trend across periods

def test_compare_with_an_earlier_report(tmp_path, browser):
    pack, data = rf.make(tmp_path)
    earlier = rf.dataset()
    earlier["members"] = [rf.member(0, "t1", True, True), rf.member(1, "t1", False, True),
                          rf.member(2, "t1", False, True)] + [rf.member(i, "t2", True, True) for i in range(3)]
    old = tmp_path / "2024.json"
    (tmp_path / "old.json").write_text(json.dumps(earlier), encoding="utf-8")
    main(["check", str(tmp_path / "old.json"), "--rules", str(pack), "--period", "2024", "--as-of", "2024-12-31",
          "--format", "json", "--out", str(old)])
    page = tmp_path / "trend.html"
    assert main(rf.check_args(pack, data, "--format", "html", "--compare", str(old), "--out", str(page))) == 1
    p = Page(browser, page)
    # earlier: 7 of 10 judged findings passed (t1 had one core member); now 4 of 8
    series = p.js("Object.fromEntries([...document.querySelectorAll('svg[data-chart=trend] g.series')]"
                  ".map(g => [g.dataset.label, g.dataset.values]))")
    assert series == {"Overall": "0.7000,0.5000", "County": "0.7000,0.5000"}
    changes = p.js("Object.fromEntries([...document.querySelectorAll('#changes tr[data-id]')]"
                   ".map(r => [r.dataset.id, [...r.cells].slice(1).map(c => c.textContent)]))")
    assert changes == {"a1": ["2", "1"], "t1": ["tp-5.2.7-member-skills (t1-m0)", "tp-5.2.6-core-members"],
                       "t2": ["tp-5.2.6-core-members", "0"]}
    delta = p.js("document.querySelector('#tree details[data-id=a1] [data-delta]').dataset.delta")
    assert delta == "-0.2000"
    assert p.overflow()["trend"] == 0 and p.errors == []
    p.shot("report-trend")


def test_compare_with_a_file_that_is_no_report(tmp_path, capsys):
    pack, data = rf.make(tmp_path)
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    assert main(rf.check_args(pack, data, "--format", "html", "--compare", str(bad), "--out",
                              str(tmp_path / "r.html"))) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "notes.json" in err[0] and "JSON report" in err[0] and "Traceback" not in err[0]
    assert main(rf.check_args(pack, data, "--format", "html", "--compare", str(tmp_path / "absent.json"))) == 2


# --------------------------------------------------------------------------- the examples and a province

def check_against_json(p: Page, report: dict):
    """Every tree node's rate and the charts' values recounted from the JSON report."""
    expected = {s["id"]: share(s["counts"]["by_status"]) for s in report["associations"] + report["teams"]}
    assert p.rates() == expected
    names = {a["id"]: a["name"] or a["id"] for a in report["associations"]}
    if names:
        assert p.chart("conformance") == {names[i]: expected[i] for i in names}
    judged, failing = defaultdict(set), defaultdict(set)
    for f in report["findings"]:
        team = f["subject"]["team_id"]
        if team and f["status"] in ("pass", "fail", "not_assessable"):
            judged[f["clause"]].add(team)
            if f["status"] == "fail":
                failing[f["clause"]].add(team)
    assert p.chart("clause-failures") == {c: f"{len(failing[c]) / len(t):.4f}" for c, t in judged.items()}
    shown = sum(f["status"] in ("fail", "not_assessable", "pending", "waived", "not_used") for f in report["findings"])
    assert p.js("Number(document.documentElement.dataset.cards)") == shown


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_in_chromium(tmp_path, browser, name):
    args = ["check", str(REPO / "examples" / name), *EXAMPLES[name]]
    main([*args, "--format", "json", "--out", str(tmp_path / "r.json")])
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    for lang in ("en", "zh"):
        page = tmp_path / f"{name}-{lang}.html"
        main([*args, "--format", "html", "--lang", lang, "--out", str(page)])
        p = Page(browser, page)
        check_against_json(p, report)
        assert p.overflow() == dict.fromkeys(p.overflow(), 0)
        assert p.errors == []
        p.shot(f"example-{name}-{lang}")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate, write
    folder = tmp_path_factory.mktemp("province")
    write(generate(1000, seed=1), folder / "data")
    period, as_of = period_and_as_of("2025", "2026-01-15")
    report = audit(load_dataset(folder / "data"), load_packs(["hongfeng"]), period, as_of, dataset_label="province")
    (folder / "r.html").write_text(html.render(report, "zh"), encoding="utf-8")  # one audit for page and counts
    return folder / "r.html", report.model_dump(mode="json")


def test_a_province_of_1000_teams(browser, province):
    page, report = province
    assert page.stat().st_size <= 3 * 1024 * 1024  # the detail is compressed, per association
    p = Page(browser, page)
    assert p.js("document.querySelectorAll('script.chunk[data-enc=gzip]').length") > 50
    check_against_json(p, report)
    assert {k: v for k, v in p.overflow().items() if k != "grid"} == {"page": 0, "tree": 0, "charts": 0}
    # an association's filter inflates only what it needs, and still finds every card below it
    county = next(a for a in report["associations"] if a["parent_id"] and a["id"].count("-") == 2)
    p.page.goto(page.as_uri() + f"#assoc={county['id']}")
    p.ready()
    below = sum(f["status"] in ("fail", "not_assessable", "pending", "waived", "not_used")
                and f["subject"]["association_id"] == county["id"] for f in report["findings"])
    p.cards()
    assert p.js("Number(document.documentElement.dataset.cards)") == below
    assert p.errors == []
    p.shot("province-1000")
