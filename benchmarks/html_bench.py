"""HTML report at province scale (issue 21): page size, seconds to produce it beyond the audit, first render
in headless Chromium.

    python benchmarks/html_bench.py                    # 1,000 teams, seed 1, median of 3 renders
    python benchmarks/html_bench.py --teams 300 --repeat 5

The data comes from generate.py; the audit runs once (its seconds are printed, not judged). Then, for zh and
en: `report.html.render` timed `--repeat` times (median), the page's bytes, and Chromium (Debian's package,
driven by playwright with executable_path) opening the file from disk: seconds to the load event, the page
script's own clock when its first render ended (`data-render-ms`), first contentful paint, and when every card
chunk was inflated. Targets (page ≤ 3 MB, produced ≤ 2 s, first render ≤ 2 s) print as PASS/FAIL; the exit
status is 1 when one fails.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import timed  # noqa: E402  (benchmarks/ is on the path now)

MAX_BYTES = 3 * 1024 * 1024
MAX_PRODUCE_S = 2.0
MAX_RENDER_S = 2.0
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-extensions"]


def first_render(page: Path) -> dict:
    """Chromium opens the page from disk at 1,400 px: load event, the script's first render, paint, all cards."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch_persistent_context(profile, executable_path=shutil.which("chromium"),
                                                       args=FLAGS, viewport={"width": 1400, "height": 1000})
        tab = browser.new_page()
        start = time.perf_counter()
        tab.goto(page.as_uri(), wait_until="load")
        load = time.perf_counter() - start
        tab.wait_for_function("document.documentElement.dataset.cards !== undefined", timeout=60_000)
        cards = time.perf_counter() - start
        figures = tab.evaluate("""() => ({
            render_ms: Number(document.documentElement.dataset.renderMs),
            fcp_ms: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
            overflow: document.documentElement.scrollWidth - innerWidth})""")
        browser.close()
    return {"load_s": load, "all_cards_s": cards, **figures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from generate import AS_OF, PERIOD, generate, write
    from hongfeng_rules.auditing import audit
    from hongfeng_rules.cli import period_and_as_of
    from hongfeng_rules.loading import load_dataset
    from hongfeng_rules.report import html
    from hongfeng_rules.rulebook.locate import load_packs

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write(generate(args.teams, seed=args.seed), folder / "data")
        period, as_of = period_and_as_of(PERIOD, AS_OF)
        start = time.perf_counter()
        report = audit(load_dataset(folder / "data"), load_packs(["hongfeng"]), period, as_of, dataset_label="province")
        print(f"{args.teams} teams, {len(report.findings)} findings; load and audit {time.perf_counter() - start:.1f} s")
        ok = True
        for lang in ("zh", "en"):
            times, page = timed(lambda: html.render(report, lang), args.repeat)
            target = folder / f"report-{lang}.html"
            target.write_text(page, encoding="utf-8")
            size = target.stat().st_size
            produce = statistics.median(times)
            shown = first_render(target)
            checks = [("page", size <= MAX_BYTES, f"{size / 1024 / 1024:.2f} MB (≤ 3 MB)"),
                      ("produced", produce <= MAX_PRODUCE_S, f"{produce:.2f} s beyond the audit (≤ 2 s)"),
                      ("first render", shown["load_s"] <= MAX_RENDER_S,
                       f"{shown['load_s']:.2f} s to the load event (≤ 2 s); script done at {shown['render_ms']} ms, "
                       f"first paint {shown['fcp_ms']:.0f} ms, every card chunk inflated at {shown['all_cards_s']:.2f} s"),
                      ("width", shown["overflow"] <= 0, f"{shown['overflow']} px past 1,400 px")]
            for name, passed, text in checks:
                ok &= passed
                print(f"  {lang} {name:<12} {'PASS' if passed else 'FAIL'}  {text}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
