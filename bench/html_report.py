"""How the HTML report holds up as the input grows: writer time, page size, load and filter time in Chromium.

    python bench/html_report.py                   # the sample set, then 50 and 200 generated articles
    python bench/html_report.py --sizes 20 --min-sources 1

Generated corpora come from bench/scale.py (real news text, planted paraphrase pairs). Per case it
prints the page size, the median time of `to_html` (5 runs, the report computed once before), the
median time headless Chromium takes to load the page (navigation to load event, the script run
included), and the median time one min-support filter change takes in the page (measured in the
page with performance.now(), layout forced). Needs Debian's `chromium` for the browser columns.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scale import generate, write_corpus  # noqa: E402
from claimcheck.report import html as html_report  # noqa: E402
from claimcheck.models import Settings  # noqa: E402
from claimcheck.pipeline import compare_sources  # noqa: E402
from tests.browser import Browser, find_chromium  # noqa: E402

FILTER_JS = """(() => {
  const i = document.getElementById('f-min'), t0 = performance.now();
  i.value = String(+i.value + 1); i.dispatchEvent(new Event('input')); document.body.offsetHeight;
  const dt = performance.now() - t0;
  i.value = i.defaultValue; i.dispatchEvent(new Event('input'));
  return dt; })()"""


def measure(label: str, paths: list[str], settings: Settings, browser: Browser | None, tmp: Path) -> None:
    report, parsed = compare_sources(paths, settings, warn=lambda m: None)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        page = html_report.to_html(report, parsed)
        times.append(time.perf_counter() - t)
    path = tmp / f"{label}.html"
    path.write_text(page, encoding="utf-8")
    row = (f"| {label} | {len(report.sources)} | {len(report.claims)} | {len(page.encode()) / 1024:,.0f} KiB | "
           f"{statistics.median(times) * 1000:,.0f} ms |")
    if browser is None:
        print(row + " - | - |")
        return
    loads, filters = [], []
    for _ in range(5):
        t = time.perf_counter()
        browser.open(path.as_uri())
        loads.append(time.perf_counter() - t)
        filters.append(browser.eval(FILTER_JS))
    errors = browser.console_errors()
    print(row + f" {statistics.median(loads) * 1000:,.0f} ms | {statistics.median(filters):,.1f} ms |"
          + (f" console errors: {errors}" if errors else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[50, 200], help="generated corpus sizes (articles)")
    ap.add_argument("--min-sources", type=int, default=2)
    args = ap.parse_args(argv)
    settings = Settings(min_sources=args.min_sources)
    os.chdir(ROOT)
    browser = Browser() if find_chromium() else None
    print("| input | sources | claims listed | page | to_html | Chromium load | filter change |")
    print("|---|---|---|---|---|---|---|")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            measure("sample", ["sample_articles"], settings, browser, Path(tmp))
            for n in args.sizes:
                folder = Path(tmp) / f"corpus{n}"
                folder.mkdir()
                write_corpus(generate(n), folder)
                measure(f"{n} generated", [str(folder)], settings, browser, Path(tmp))
    finally:
        if browser is not None:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
