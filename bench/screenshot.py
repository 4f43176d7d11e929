"""Write a PNG screenshot of the sample set's HTML report, as headless Chromium renders it.

    python bench/screenshot.py                      # docs/report.png, 1280 px wide, whole page
    python bench/screenshot.py --dark --out /tmp/dark.png

The first claim is expanded and selected (its sentences marked in every article), as a reader
would after one click. Needs Debian's `chromium` (or any Chromium on PATH / $CHROMIUM); the
browser is driven over a DevTools pipe by tests/browser.py, nothing is downloaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimcheck.report import html as html_report  # noqa: E402
from claimcheck.models import Settings  # noqa: E402
from claimcheck.pipeline import compare_sources  # noqa: E402
from tests.browser import Browser, find_chromium  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "report.png"), help="PNG to write")
    ap.add_argument("--width", type=int, default=1280, help="viewport width in CSS pixels")
    ap.add_argument("--height", type=int, default=0, help="crop to this many pixels (0: the whole page)")
    ap.add_argument("--dark", action="store_true", help="prefers-color-scheme: dark")
    args = ap.parse_args(argv)
    if find_chromium() is None:
        print("no chromium on PATH: apt-get install chromium", file=sys.stderr)
        return 1
    os.chdir(ROOT)  # paths in the report read sample_articles/...
    report, parsed = compare_sources(["sample_articles"], Settings())
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html_report.to_html(report, parsed), encoding="utf-8")
        with Browser(width=args.width, height=max(args.height, 900)) as b:
            if args.dark:
                b.call("Emulation.setEmulatedMedia",
                       {"features": [{"name": "prefers-color-scheme", "value": "dark"},
                                     {"name": "prefers-reduced-motion", "value": "reduce"}]})
            b.open(page.as_uri())
            if report.claims:
                first = report.claims[0].id
                b.click(f"#{first} details > summary")
                b.click(f"#{first} a.jump")
            b.eval("window.scrollTo(0, 0)")
            errors = b.console_errors()
            png = b.screenshot(full_page=not args.height)
    if errors:
        print("console errors: " + "; ".join(errors), file=sys.stderr)
        return 1
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)
    print(f"{out}: {len(png):,} bytes ({len(report.claims)} claims, {len(report.sources)} sources)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
