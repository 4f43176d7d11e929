"""Matcher benchmark: MRPC cross-validated accuracy, speed, and sample-set precision/recall.

    python bench/matching.py           # all figures, and the curve across thresholds
    python bench/matching.py --quick   # skip the MRPC cross-validation

Sample-set figures are pairwise over cross-outlet links, against the hand labels in
tests/fixtures/sample_groups.json (see `score_links`); tests/test_matching.py pins them.
"""

from __future__ import annotations

import argparse
import os
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_articles"
FIXTURE = ROOT / "tests" / "fixtures" / "sample_groups.json"
MRPC_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "mrpc" / "msr_paraphrase_train.txt"


@dataclass
class LinkScore:
    """Pairwise precision/recall of cross-outlet links against the hand labels."""

    precision: float
    recall: float
    links: int
    correct: int
    gold: int
    found: int
    wrong: list[tuple[str, str]]
    missed: list[tuple[str, str, str]]
    unresolved: list[tuple[str, str]]


def resolve(fixture: dict, claims: Sequence) -> tuple[list[tuple[str, set[int], set[int]]], list[tuple[str, str]]]:
    """Map each labelled (source, substring) to claim indices: (name, members, maybe) per group."""
    unresolved: list[tuple[str, str]] = []

    def find(source: str, needle: str) -> set[int]:
        hits = {i for i, c in enumerate(claims) if c.source == source and needle in c.text}
        if not hits:
            unresolved.append((source, needle))
        return hits

    groups = []
    for g in fixture["groups"]:
        members = set().union(*(find(s, t) for s, t in g["members"])) if g["members"] else set()
        maybe = set().union(*(find(s, t) for s, t in g["maybe"])) if g["maybe"] else set()
        groups.append((g["name"], members, maybe))
    return groups, unresolved


def score_links(groups: Sequence, claims: Sequence, fixture: dict) -> LinkScore:
    """Precision: share of predicted cross-outlet links (two members of one predicted group,
    different sources) that some labelled group holds (members or maybe). Recall: share of
    labelled (group, source pair) links for which one predicted group holds a member of that
    labelled group from each of the two sources.
    """
    gold, unresolved = resolve(fixture, claims)
    position = {(c.source, c.index): i for i, c in enumerate(claims)}
    predicted = [[position[(m.source, m.sentence_index)] for m in g.members] for g in groups]
    links = correct = 0
    wrong = []
    for idx in predicted:
        for i, j in combinations(idx, 2):
            if claims[i].source == claims[j].source:
                continue
            links += 1
            if any({i, j} <= (members | maybe) for _, members, maybe in gold):
                correct += 1
            else:
                wrong.append((claims[i].text, claims[j].text))
    gold_links = found = 0
    missed = []
    for name, members, _ in gold:
        sources = sorted({claims[i].source for i in members})
        for s1, s2 in combinations(sources, 2):
            gold_links += 1
            if any(
                any(claims[i].source == s1 for i in idx if i in members)
                and any(claims[j].source == s2 for j in idx if j in members)
                for idx in predicted
            ):
                found += 1
            else:
                missed.append((name, s1, s2))
    return LinkScore(
        precision=correct / links if links else 1.0,
        recall=found / gold_links if gold_links else 1.0,
        links=links,
        correct=correct,
        gold=gold_links,
        found=found,
        wrong=wrong,
        missed=missed,
        unresolved=unresolved,
    )


def sample_claims():
    from claimcheck.models import Settings
    from claimcheck.pipeline import extract_claims

    return extract_claims(sorted(str(p) for p in SAMPLES.iterdir()), Settings(), warn=lambda m: None)


def sample_curve(claims, thresholds) -> list[tuple[float, LinkScore]]:
    from claimcheck.matching import group_claims
    from claimcheck.models import Settings

    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [(t, score_links(group_claims(claims, Settings(threshold=t))[0], claims, fixture)) for t in thresholds]


def speed(repeats: int = 3) -> tuple[float, float]:
    """Median sentences/s featurised (CPU time of this process: featurisation is one thread, so a
    busy machine distorts it less than wall time) and pairs/s verified (wall time, features +
    score with 2 threads), on MRPC's sentences and 300,000 random pairs of them."""
    import numpy as np

    import datasets
    from claimcheck.matching import build_table
    from claimcheck.matching.model import score_pairs

    texts = sorted({t for _, a, b in datasets.read_mrpc() for t in (a, b)})
    feat, verify = [], []
    for _ in range(repeats):
        start = time.process_time()
        table = build_table(texts)
        feat.append(len(texts) / (time.process_time() - start))
        rng = np.random.default_rng(0)
        left, right = rng.integers(0, len(texts), 300_000), rng.integers(0, len(texts), 300_000)
        w = table.idf()
        start = time.perf_counter()
        score_pairs(table, left, right, w, workers=2)
        verify.append(len(left) / (time.perf_counter() - start))
    return float(np.median(feat)), float(np.median(verify))


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    sys.path.insert(0, str(ROOT / "bench"))
    import datasets
    from claimcheck.matching import load_model
    from claimcheck.models import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list wrong and missed links")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--at", type=float, default=None, help="with --verbose: the threshold whose links to list")
    args = parser.parse_args(argv)
    default = Settings().threshold
    args.at = default if args.at is None else args.at
    model = load_model()
    print(f"default threshold {default:g} (model's ECB+ dev choice {model['threshold']:g})")
    if datasets.ECBPLUS.exists():
        dev = datasets.ecb_set("dev")
        s = datasets.scored(dev)
        for t in sorted({default, model["threshold"], 50.0, 60.0, 70.0}):
            f = datasets.ecb_figures(dev, s, t)
            print(f"ECB+ dev at {t:g}: AP {f['average_precision']:.3f}, other-sub-topic false matches "
                  f"{f['false_match_other_subtopic']:.3f}, same-event recall {f['recall_same_event']:.3f}, "
                  f"same-story negatives matched {f['false_match_same_subtopic_negatives']:.3f}, "
                  f"other-topic {f['false_match_other_topic']:.4f}")
    if datasets.MRPC_TRAIN.exists():
        mrpc = datasets.mrpc_set()
        s = datasets.scored(mrpc)
        for t in (default, 50.0):
            acc = float(((s >= t) == (mrpc.y == 1)).mean())
            print(f"MRPC train accuracy at {t:g}: {acc:.3f} (reported, not a target)")
    claims = sample_claims()
    curve = sample_curve(claims, sorted({10, 20, 30, 40, 50, 60, 70, 80, default, args.at}))
    print("sample set, cross-outlet links against tests/fixtures/sample_groups.json:")
    print("threshold  " + "  ".join(f"{t:>5g}" for t, _ in curve))
    print("precision  " + "  ".join(f"{r.precision:5.3f}" for _, r in curve))
    print("recall     " + "  ".join(f"{r.recall:5.3f}" for _, r in curve))
    print("links      " + "  ".join(f"{r.links:5d}" for _, r in curve))
    if args.verbose:
        for t, r in curve:
            if t == args.at:
                for a, b in r.wrong:
                    print(f"  WRONG: {a[:90]} || {b[:90]}")
                for m in r.missed:
                    print(f"  MISSED: {m}")
    if not args.no_speed:
        feat, verify = speed()
        print(f"speed (median of 3): {feat:,.0f} sentences/s featurised (CPU time); {verify:,.0f} pairs/s "
              f"verified (wall, features + score, 2 threads); load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
