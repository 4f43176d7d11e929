"""Matcher benchmark: MRPC cross-validated accuracy, speed, and sample-set precision/recall.

    python bench/matching.py           # all figures, and the curve across thresholds
    python bench/matching.py --quick   # skip the MRPC cross-validation

Sample-set figures are pairwise over cross-outlet links, against the hand labels in
tests/fixtures/sample_groups.json (see `score_links`); tests/test_matching.py pins them.
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    from claimcheck.matching import group_claims, load_weights, pair_score, sentence_features, word_weights
    from claimcheck.models import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the MRPC cross-validation")
    parser.add_argument("--verbose", action="store_true", help="list wrong and missed links")
    args = parser.parse_args(argv)

    model = load_weights()
    default = Settings().threshold
    print(f"default threshold {default:g}; shipped model: {len(model['features'])} features, "
          f"{model['kind']} model, MRPC {model['cv']['folds']}-fold CV accuracy {model['cv']['accuracy']:.4f} "
          f"precision {model['cv']['precision']:.4f} (from training)")

    mrpc = None
    if MRPC_TRAIN.exists():
        sys.path.insert(0, str(ROOT / "bench"))
        import numpy as np
        import train_matcher as tm

        rows = tm.read_mrpc(MRPC_TRAIN)
        start = time.perf_counter()
        texts = {t: sentence_features(t) for _, a, b in rows for t in (a, b)}
        featurise_s = time.perf_counter() - start
        weights = word_weights([texts[t] for t in sorted(texts)])
        start = time.perf_counter()
        probs = np.array([pair_score(texts[a], texts[b], weights) / 100.0 for _, a, b in rows])
        score_s = time.perf_counter() - start
        y = np.array([label for label, _, _ in rows], dtype=float)
        mrpc_threshold = model["threshold"]
        print(f"speed: {len(rows) / score_s:,.0f} pairs/s scored from precomputed sentence features "
              f"(MRPC, {len(rows)} pairs); {len(texts) / featurise_s:,.0f} sentences/s featurised")
        shipped = tm.metrics(probs, y, mrpc_threshold / 100.0)
        print(f"MRPC train file at its CV-chosen threshold {mrpc_threshold:g}, shipped weights (in-sample): "
              f"accuracy {shipped['accuracy']:.4f} "
              f"precision {shipped['precision']:.4f} recall {shipped['recall']:.4f}")
        if not args.quick:
            X, _ = tm.featurise(rows)
            fold = tm.folds(y, tm.FOLDS, tm.SEED)
            oof = tm.cross_validate_logistic(X, y, fold)[model["l2"]]
            cv = tm.metrics(oof, y, mrpc_threshold / 100.0)
            print(f"MRPC {tm.FOLDS}-fold CV at threshold {mrpc_threshold:g}: accuracy {cv['accuracy']:.4f} "
                  f"precision {cv['precision']:.4f} recall {cv['recall']:.4f} F1 {cv['f1']:.4f}")
            mrpc = (oof, y, tm)
    else:
        print(f"MRPC not found at {MRPC_TRAIN}: skipping MRPC figures")

    claims = sample_claims()
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    start = time.perf_counter()
    groups = group_claims(claims, Settings())
    group_s = time.perf_counter() - start
    result = score_links(groups, claims, fixture)
    print(f"sample set: {len(claims)} claims grouped in {group_s * 1000:.0f} ms; cross-outlet links: "
          f"precision {result.precision:.3f} ({result.correct}/{result.links}) "
          f"recall {result.recall:.3f} ({result.found}/{result.gold})")
    if result.unresolved:
        print(f"  fixture labels not found among the claims: {result.unresolved}")
    if args.verbose:
        for a, b in result.wrong:
            print(f"  wrong: {a[:70]!r} ~ {b[:70]!r}")
        for name, s1, s2 in result.missed:
            print(f"  missed: {name}: {s1} ~ {s2}")

    print("\nthreshold curve (sample precision / recall; MRPC CV accuracy / precision):")
    for t in range(5, 50, 5):
        r = score_links(group_claims(claims, Settings(threshold=t)), claims, fixture)
        line = f"  {t:5.1f}  sample P {r.precision:.3f}  R {r.recall:.3f}  links {r.links:3d}"
        if mrpc:
            oof, y, tm = mrpc
            m = tm.metrics(oof, y, t / 100.0)
            line += f"   MRPC acc {m['accuracy']:.4f}  P {m['precision']:.4f}"
        print(line + ("   <- default" if t == default else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
