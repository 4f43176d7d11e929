"""Pages per second through extraction: the sample set as saved HTML pages, 100 copies.

Run from the repository root: ``.venv/bin/python bench/pages.py [--copies 100] [--runs 5]``.
Each sample article is wrapped in a news-site page (navigation, share bar, JSON-LD, related links,
footer); each copy gets its own URL and a varied sentence so no two pages are identical. A page goes
through what `compare` does with a saved page: decoding, metadata, trafilatura's main text, our line
rules (`claimcheck.read.inputs.load`). The text path over the same articles runs in the same process as
the baseline. Prints medians over the runs, one process, no pool.
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "sample_articles"

try:
    from claimcheck.read.inputs import load
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(ROOT / "src"))
    from claimcheck.read.inputs import load
from claimcheck.read.files import InputFile


def page(text: str, n: int, stem: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    title, body = lines[0], lines[1:]
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": "2024-05-31T10:00:00Z", "publisher": {"@type": "Organization", "name": f"Outlet {n}"}})
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | Outlet {n}</title>
<link rel="canonical" href="https://outlet{n}.example/{stem}"><meta property="og:site_name" content="Outlet {n}">
<script type="application/ld+json">{ld}</script></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a> <a href="/subscribe">Subscribe</a></nav></header>
<div class="cookie">We use cookies to improve your experience. <button>Accept</button></div>
<main><article><h1>{html.escape(title)}</h1><div class="byline">By Staff {n} · <time datetime="2024-05-31">May 31, 2024</time></div>
<div class="share"><a>Facebook</a> <a>Twitter</a> <a>Email</a></div>
{paras}
<p>Copy {n} of this article was saved for the benchmark on day {n % 28 + 1}.</p>
</article><aside><h3>Related</h3><ul><li><a href="/a">Another story {n}</a></li><li><a href="/b">And one more</a></li></ul></aside></main>
<footer>&copy; 2024 Outlet {n}. All rights reserved.</footer></body></html>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(ARTICLES.iterdir())}
    with tempfile.TemporaryDirectory() as tmp:
        pages, plain = [], []
        for n in range(args.copies):
            for stem, text in texts.items():
                path = Path(tmp) / f"{stem}-{n}.html"
                path.write_text(page(text, n, stem), encoding="utf-8")
                pages.append(InputFile(str(path)))
                txt = Path(tmp) / f"{stem}-{n}.txt"
                txt.write_text(text + f"\n\nCopy {n} of this article was saved for the benchmark.\n", encoding="utf-8")
                plain.append(InputFile(str(txt)))
        load(pages[0], "warm-up")  # imports trafilatura and lxml once, outside the timing
        page_rates, text_rates = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            docs = [load(item, "s") for item in pages]
            page_rates.append(len(pages) / (time.perf_counter() - start))
            start = time.perf_counter()
            for item in plain:
                load(item, "s")
            text_rates.append(len(plain) / (time.perf_counter() - start))
        mb = sum(Path(item.path).stat().st_size for item in pages) / 1e6
    words = sum(len(d.text.split()) for d in docs) / len(docs)
    pages_s, text_s = statistics.median(page_rates), statistics.median(text_rates)
    print(f"{len(pages)} pages ({mb:.1f} MB of HTML, {words:.0f} words of text a page), {args.runs} runs, medians:")
    print(f"  saved pages: {pages_s:,.0f} pages/s ({pages_s * mb / len(pages):.2f} MB/s of HTML)")
    print(f"  text files (same articles): {text_s:,.0f} files/s; pages run at {pages_s / text_s:.2f}x the text path")


if __name__ == "__main__":
    main()
