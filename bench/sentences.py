"""Benchmark claimcheck's sentence splitter against pySBD and a plain regex.

Run from the repository root: ``.venv/bin/python bench/sentences.py``. Needs the bench extra
(``pip install -e '.[bench]'``) for pySBD. The corpus is real text: the articles in
``sample_articles/`` plus the sentences of the MRPC training file (read in place from
``../shared``, never copied), joined five to a paragraph, one paragraph per line.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
GOLDEN = SHARED / "golden_rules_en.json"
MRPC = SHARED / "mrpc" / "msr_paraphrase_train.txt"
ARTICLES = ROOT / "sample_articles"

RUNS = 5
PYSBD_RUNS = 3
PYSBD_SUBSET = 150_000  # characters; pySBD is too slow for the whole corpus
SENTENCES_PER_PARAGRAPH = 5

try:
    import pysbd
except ImportError:
    print("pysbd is not installed; install the bench extra: pip install -e '.[bench]'", file=sys.stderr)
    sys.exit(1)

try:
    from claimcheck.text.sentences import split_sentences
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(ROOT / "src"))
    from claimcheck.text.sentences import split_sentences

_BASELINE = re.compile(r"(?<=[.!?])\s+")


def regex_baseline(text: str) -> list[str]:
    """Split at every line break and after every terminator followed by whitespace."""
    return [s for line in text.splitlines() for s in _BASELINE.split(line.strip()) if s]


def mrpc_paragraphs() -> list[str]:
    """The distinct sentences of the MRPC training file, joined into paragraphs."""
    sentences: dict[str, None] = {}
    with MRPC.open(encoding="utf-8-sig") as f:
        next(f)  # header: Quality, #1 ID, #2 ID, #1 String, #2 String
        for row in f:
            cols = row.rstrip("\n").split("\t")
            if len(cols) == 5:
                sentences.setdefault(cols[3].strip(), None)
                sentences.setdefault(cols[4].strip(), None)
    ordered = list(sentences)
    return [
        " ".join(ordered[i : i + SENTENCES_PER_PARAGRAPH])
        for i in range(0, len(ordered), SENTENCES_PER_PARAGRAPH)
    ]


def build_corpus() -> str:
    """Sample articles plus MRPC paragraphs, one paragraph per line."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.iterdir()) if p.is_file()]
    if MRPC.exists():
        parts.extend(mrpc_paragraphs())
    else:
        print(f"warning: {MRPC} not found; benchmarking on the sample articles only", file=sys.stderr)
    return "\n".join(parts)


def golden_score(split: Callable[[str], list[str]]) -> tuple[int, int, list[int]]:
    """Golden Rules passed, the total, and the ids of the failures."""
    cases = json.loads(GOLDEN.read_text(encoding="utf-8"))
    failed = [case["id"] for case in cases if split(case["text"]) != case["expected"]]
    return len(cases) - len(failed), len(cases), failed


def throughput(split: Callable[[str], list[str]], text: str, runs: int) -> float:
    """Median MB/s of ``split`` over ``runs`` runs on ``text`` (MB of UTF-8)."""
    size = len(text.encode("utf-8")) / 1e6
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        split(text)
        times.append(time.perf_counter() - start)
    return size / statistics.median(times)


def main() -> int:
    """Print the corpus size, Golden Rules scores, throughputs and ratios."""
    segmenter = pysbd.Segmenter(language="en", clean=False)

    def pysbd_split(text: str) -> list[str]:
        # Line by line, as claimcheck receives one paragraph per line.
        lines = (line for line in text.splitlines() if line.strip())
        return [s.strip() for line in lines for s in segmenter.segment(line) if s.strip()]

    corpus = build_corpus()
    subset = corpus[: corpus.rfind("\n", 0, PYSBD_SUBSET)]
    print(f"corpus: {len(corpus.encode('utf-8')) / 1e6:.2f} MB, {corpus.count(chr(10)) + 1} lines "
          f"(pysbd subset {len(subset.encode('utf-8')) / 1e6:.2f} MB)")

    if GOLDEN.exists():
        splitters = (("claimcheck", split_sentences), ("pysbd", pysbd_split), ("regex", regex_baseline))
        for name, split in splitters:
            passed, total, failed = golden_score(split)
            print(f"golden rules {name:<10}: {passed}/{total}  failed: {failed or 'none'}")
    else:
        print(f"warning: {GOLDEN} not found; skipping the Golden Rules", file=sys.stderr)

    ours = throughput(split_sentences, corpus, RUNS)
    ours_subset = throughput(split_sentences, subset, 3 * RUNS)  # short runs: more of them
    reference = throughput(pysbd_split, subset, PYSBD_RUNS)
    baseline = throughput(regex_baseline, corpus, RUNS)
    print(f"claimcheck: {ours:8.2f} MB/s (full corpus), {ours_subset:.2f} MB/s (pysbd subset)")
    print(f"pysbd     : {reference:8.2f} MB/s (subset)")
    print(f"regex     : {baseline:8.2f} MB/s (full corpus)")
    print(
        f"ratio claimcheck/pysbd: {ours / reference:.1f}x (full corpus), "
        f"{ours_subset / reference:.1f}x (same subset)"
    )
    print(f"ratio claimcheck/regex: {ours / baseline:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
