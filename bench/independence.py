"""Independence stage speed: Independence construction and annotate() on generated corpora.

    python bench/independence.py                 # N = 1000, 3000, 10000 articles
    python bench/independence.py --sizes 1000 --repeat 3

Corpora come from bench/scale.py's generator (it needs ../shared MRPC data), written to a
temporary folder and read with the pipeline's own reader and sentence extraction. Groups are
synthetic and realistic in shape: every claim sentence is a singleton group, as group_claims
returns them, except the planted MRPC pairs, which form two-source groups (about one per
article, as on the real matcher's output for these corpora). A few articles are reprinted with
light edits so that copy detection has copies to find.

Times are CPU seconds (time.process_time: the machine is shared), medians of --repeat runs,
for this tree's stage and for main's (`git show main:src/claimcheck/independence.py`, loaded
as a temporary module, measured in the same process), with the ratio; the outputs of the two
are compared (origins, keys and every annotated group) and the bench fails if they differ.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402

from claimcheck.sources import independence as current  # noqa: E402
from claimcheck.models import ClaimGroup, Member, Settings  # noqa: E402
from claimcheck.pipeline import _read  # noqa: E402


def baseline_module(tmp: Path):
    """main's independence.py and attribution.py as temporary modules, or None outside a git checkout."""
    try:
        for name in ("attribution", "independence"):
            text = subprocess.run(["git", "show", f"main:src/claimcheck/{name}.py"], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout
            text = text.replace("from claimcheck.sources.attribution import", "from base_attribution import")
            (tmp / f"base_{name}.py").write_text(text, encoding="utf-8")
    except (OSError, subprocess.CalledProcessError):
        return None
    sys.path.insert(0, str(tmp))
    spec = importlib.util.spec_from_file_location("base_independence", tmp / "base_independence.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def corpus(n: int, folder: Path):
    """The parsed generated corpus, a few articles reprinted, and groups over its claims."""
    gen = scale.generate(n, seed=1)
    rnd = random.Random(n)
    for k in range(max(2, n // 100)):  # reprints: same sentences, one cut and one light edit
        src = list(gen.articles[rnd.randrange(n)])
        del src[rnd.randrange(len(src))]
        src[0] = src[0].replace(" the ", " a ", 1)
        gen.articles.append(src)
    scale.write_corpus(gen, folder)
    parsed = _read([str(folder)], lambda _m: None, None, None, Settings())
    docs = [d for d, _ in parsed]
    sentences = {d.id: s for d, s in parsed}
    where = {}
    for d, ss in parsed:
        for s in ss:
            if s.is_claim:
                where.setdefault(s.text, (d.id, s.index))
    groups, paired = [], set()
    for x, ta, y, tb in gen.planted:
        a, b = where.get(ta), where.get(tb)
        if a and b and a[0] != b[0] and a not in paired and b not in paired:
            paired |= {a, b}
            groups.append([(a, ta), (b, tb)])
    for d, ss in parsed:
        for s in ss:
            if s.is_claim and (d.id, s.index) not in paired:
                groups.append([((d.id, s.index), s.text)])
    claim_groups = [
        ClaimGroup(id=f"c{i}", text=members[0][1], sources=tuple(sorted({m[0][0] for m in members})),
                   support=len({m[0][0] for m in members}),
                   members=tuple(Member(source=src, sentence_index=idx, text=t, score=100.0)
                                 for (src, idx), t in members))
        for i, members in enumerate(groups, 1)
    ]
    return docs, sentences, claim_groups


def timed(module, docs, sentences, groups, multi_only: bool):
    t0 = time.process_time()
    ind = module.Independence(docs, sentences)
    t1 = time.process_time()
    out = [ind.annotate(g) for g in groups if not multi_only or g.support >= 2]
    t2 = time.process_time()
    return t1 - t0, t2 - t1, ind, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimcheck-independence-") as tmp:
        base = None if args.no_baseline else baseline_module(Path(tmp))
        for n in args.sizes:
            folder = Path(tmp) / f"articles-{n}"
            folder.mkdir()
            docs, sentences, groups = corpus(n, folder)
            multi = sum(g.support >= 2 for g in groups)
            print(f"\nN={n}: {len(docs)} sources, {sum(map(len, sentences.values()))} sentences, "
                  f"{len(groups)} groups ({multi} with two sources)")
            runs = {"this tree": current} | ({"main": base} if base else {})
            for label, module in runs.items():
                for multi_only in (False, True):
                    if module is base and multi_only is False and n > 3000:
                        continue  # main at 10k attributes every sentence: minutes, and the same story as 3k
                    built, annotated, results = [], [], None
                    for _ in range(args.repeat if module is current else 1):
                        b, a, ind, out = timed(module, docs, sentences, groups, multi_only)
                        built.append(b)
                        annotated.append(a)
                        results = (ind, out)
                    med_b, med_a = statistics.median(built), statistics.median(annotated)
                    what = "groups with 2+ sources" if multi_only else "every group"
                    print(f"  {label:<10} construct {med_b:7.2f} s  annotate {what:<23} {med_a:7.2f} s  "
                          f"total {med_b + med_a:7.2f} s  (CPU, median of {len(built)})")
                    runs_key = (label, multi_only)
                    timings[runs_key] = med_b + med_a
                    outputs[runs_key] = results
            if base:
                for multi_only in (False, True):
                    if ("main", multi_only) not in outputs:
                        continue
                    new_ind, new_out = outputs[("this tree", multi_only)]
                    old_ind, old_out = outputs[("main", multi_only)]
                    same = new_ind.origins == old_ind.origins and new_ind.keys == old_ind.keys and new_out == old_out
                    ratio = timings[("main", multi_only)] / timings[("this tree", multi_only)]
                    print(f"  main / this tree ({'2+ sources' if multi_only else 'every group'}): {ratio:.1f}x; "
                          f"same origins and annotated groups: {same}")
                    if not same:
                        return 1
            timings.clear()
            outputs.clear()
    return 0


timings: dict = {}
outputs: dict = {}

if __name__ == "__main__":
    raise SystemExit(main())
