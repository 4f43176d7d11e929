"""Time and memory of `compare` on very large inputs (10 MB by default).

Three generated articles, each run alone and beside the five sample articles:

  article     the sample articles' text repeated with variation (numbers, places, names, a
              paragraph counter), so no paragraph repeats and the loader drops nothing;
  nopunct     the same text with every sentence terminator and quote removed and no line breaks:
              one 10 MB line that no sentence rule can split;
  openquote   the article text with an opening quote at the start and every closing quote
              removed, so a quotation never ends.

Each case runs in a fresh subprocess (so peak RSS is its own) with a time limit:

    .venv/bin/python bench/large_input.py                 # all six cases, 10 MB, 600 s each
    .venv/bin/python bench/large_input.py --mb 1 --timeout 120
    .venv/bin/python bench/large_input.py --case article-alone --profile   # where the time goes
    .venv/bin/python bench/large_input.py --tracemalloc   # also the Python heap peak (slower)

Per case it prints wall seconds per stage (load = read + decode + clean + sentences + claims,
match = grouping, indep = attribution + independence), peak RSS and, with --tracemalloc, the tracemalloc peak.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_articles"
KINDS = ("article", "nopunct", "openquote")
CASES = tuple(f"{kind}-{where}" for kind in KINDS for where in ("alone", "beside"))

_PLACES = ["Kharkiv", "Kyiv", "Odesa", "Dnipro", "Sumy", "Lviv", "Zaporizhzhia", "Poltava"]
_NAMES = ["Biden", "Zelensky", "Blinken", "Austin", "Sullivan", "Kuleba", "Stoltenberg", "Scholz"]


def _paragraphs() -> list[str]:
    """The sample articles' cleaned paragraphs (what the loader keeps)."""
    sys.path.insert(0, str(ROOT / "src"))
    from claimcheck.pipeline import read_documents

    docs = read_documents([str(SAMPLE_DIR)], warn=lambda _: None)
    return [p for doc in docs for p in doc.text.split("\n") if len(p.split()) >= 5]


def _vary(paragraph: str, i: int) -> str:
    """A variant of `paragraph`: other figures, place and name; numbered so it never repeats."""
    text = re.sub(r"\d+", lambda m: str((int(m.group()) * 7 + i) % 997), paragraph)
    for k, place in enumerate(_PLACES):
        text = text.replace(place, _PLACES[(k + i) % len(_PLACES)])
    for k, name in enumerate(_NAMES):
        text = text.replace(name, _NAMES[(k + i // 8) % len(_NAMES)])
    return f"{text} (Update {i}.)" if i % 3 else f"In update {i}, {text[0].lower()}{text[1:]}"


def make_article(kind: str, size: int) -> str:
    """`size` bytes (about) of generated text of the given kind."""
    base = _paragraphs()
    out: list[str] = []
    total = i = 0
    while total < size:
        paragraph = _vary(base[i % len(base)], i)
        out.append(paragraph)
        total += len(paragraph.encode()) + 1
        i += 1
    text = "\n".join(out) + "\n"
    if kind == "nopunct":
        text = re.sub(r"[.!?…;:\"“”«»()\[\]]+", "", text).replace("\n", " ")
    elif kind == "openquote":
        text = "“" + re.sub(r"[”\"»]", "", text)
    return text


def run_case(case: str, size: int, use_tracemalloc: bool, profile: bool) -> dict:
    """Run one case in this process; the figures as a dict."""
    kind, where = case.split("-")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"large-{kind}.txt"
        path.write_text(make_article(kind, size), encoding="utf-8")
        paths = [str(path)] + ([str(SAMPLE_DIR)] if where == "beside" else [])

        from claimcheck.matching import group_claims
        from claimcheck.models import Settings
        from claimcheck.pipeline import extract_sentences, read_documents

        settings = Settings()
        if use_tracemalloc:
            tracemalloc.start()
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        t0 = time.perf_counter()
        docs = read_documents(paths, warn=lambda _: None)
        loaded = [(doc, extract_sentences(doc, settings)) for doc in docs]
        claims = [s for _, sentences in loaded for s in sentences if s.is_claim]
        t1 = time.perf_counter()
        groups, _ = group_claims(claims, settings)
        t2 = time.perf_counter()
        from claimcheck.sources.independence import Independence

        independence = Independence(docs, {doc.id: sentences for doc, sentences in loaded})
        groups = [independence.annotate(g) for g in groups if g.support >= 2]
        t3 = time.perf_counter()
        if profiler:
            profiler.disable()
        heap_peak = tracemalloc.get_traced_memory()[1] if use_tracemalloc else None
        large = next(s for d, s in loaded if d.path == str(path))
        figures = {
            "case": case,
            "bytes": path.stat().st_size,
            "sentences_large": len(large),
            "longest_sentence": max((len(s.text) for s in large), default=0),
            "claims": len(claims),
            "groups": len(groups),
            "load_s": round(t1 - t0, 2),
            "match_s": round(t2 - t1, 2),
            "independence_s": round(t3 - t2, 2),
            "total_s": round(t3 - t0, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "tracemalloc_peak_mb": round(heap_peak / 2**20, 1) if heap_peak is not None else None,
        }
        if profiler:
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(25)
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=10.0, help="size of each generated article in MB (default 10)")
    parser.add_argument("--case", choices=CASES, action="append", help="run only this case (repeatable)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per case before it counts as a hang")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the Python heap peak (slower)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary per case to stderr")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    size = int(args.mb * 1_000_000)
    cases = args.case or list(CASES)

    if args.child:  # one case, in this process
        print(json.dumps(run_case(cases[0], size, args.tracemalloc, args.profile)))
        return

    print(f"{'case':18} {'MB':>5} {'sentences':>9} {'longest':>9} {'claims':>7} {'load s':>7} {'match s':>8} "
          f"{'indep s':>8} {'total s':>8} {'peak RSS MB':>11} {'heap MB':>8}")
    for case in cases:
        command = [sys.executable, __file__, "--child", "--case", case, "--mb", str(args.mb)]
        command += ["--tracemalloc"] * args.tracemalloc + ["--profile"] * args.profile
        start = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout,
                                  env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        except subprocess.TimeoutExpired as exc:
            print(f"{case:18} {args.mb:5.1f}  did not finish in {args.timeout:.0f} s")
            if args.profile and exc.stderr:
                sys.stderr.write(exc.stderr if isinstance(exc.stderr, str) else exc.stderr.decode())
            continue
        if args.profile:
            sys.stderr.write(done.stderr)
        if done.returncode:
            print(f"{case:18} {args.mb:5.1f}  failed after {time.perf_counter() - start:.1f} s: "
                  f"{done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
            continue
        f = json.loads(done.stdout.strip().splitlines()[-1])
        heap = f"{f['tracemalloc_peak_mb']:8.1f}" if f["tracemalloc_peak_mb"] is not None else f"{'-':>8}"
        print(f"{case:18} {f['bytes'] / 1e6:5.1f} {f['sentences_large']:9d} {f['longest_sentence']:9d} "
              f"{f['claims']:7d} {f['load_s']:7.2f} {f['match_s']:8.2f} {f['independence_s']:8.2f} {f['total_s']:8.2f} "
              f"{f['peak_rss_mb']:11.1f} {heap}", flush=True)


if __name__ == "__main__":
    main()
