"""Labelled pair data for training and measuring the matcher, read from ../shared (never copied).

- MRPC train: 4,076 news sentence pairs labelled paraphrase or not.
- ECB+ train / dev (Cybulska & Vossen, LREC 2014; CC BY 3.0): sentence pairs labelled same event
  or not, with `kind` same_subtopic / other_subtopic (a similar but different event) / other_topic.

Word rarities for a pair come from the collection the tool would compare it in: for ECB+, every
document line of the pair's topic folder(s) (both sub-topics, as when a user puts both events'
articles in one folder); for MRPC, the file's sentences.
"""

from __future__ import annotations

import collections
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MRPC_TRAIN = SHARED / "data" / "mrpc" / "msr_paraphrase_train.txt"
ECBPLUS = SHARED / "data" / "ecbplus"


@dataclass
class PairSet:
    """A feature matrix with labels; `kind` is the ECB+ pair kind (or "mrpc")."""

    X: np.ndarray
    disagree: np.ndarray
    swapped: np.ndarray
    y: np.ndarray
    kind: np.ndarray
    texts: list[tuple[str, str]]


def read_mrpc(path: Path = MRPC_TRAIN) -> list[tuple[int, str, str]]:
    """(label, sentence 1, sentence 2) rows of an MRPC tab-separated file."""
    rows = []
    with path.open(encoding="utf-8-sig") as handle:
        next(handle)
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5:
                rows.append((int(parts[0]), parts[3], parts[4]))
    return rows


def read_ecb_pairs(split: str) -> list[dict]:
    with (ECBPLUS / split / "pairs.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def ecb_topic_lines(split: str) -> dict[str, list[str]]:
    """Every document line of each topic folder (both sub-topics), sorted by file."""
    out: dict[str, list[str]] = collections.defaultdict(list)
    for path in sorted((ECBPLUS / split / "docs").glob("*/*.txt")):
        topic = path.parent.name.split("_")[0]
        out[topic] += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def featurise_pairs(pairs: list[tuple[str, str]], collection: list[str]):
    """Feature matrix of `pairs` with word rarities over `collection` plus the pairs' own texts,
    and which pairs count the same thing with different figures (`pairs.figure_disagreement`)."""
    from claimcheck.matching.pairs import figure_disagreement, name_swap, pair_matrix
    from claimcheck.matching.table import build_table

    texts = sorted({t for pair in pairs for t in pair})
    table = build_table(list(collection) + texts)
    at = {t: len(collection) + k for k, t in enumerate(texts)}
    left = np.array([at[a] for a, _ in pairs], dtype=np.int64)
    right = np.array([at[b] for _, b in pairs], dtype=np.int64)
    return (pair_matrix(table, left, right, table.idf()), figure_disagreement(table, left, right),
            name_swap(table, left, right))


def ecb_set(split: str) -> PairSet:
    """ECB+ pairs of `split`, featurised per topic folder (pairs across topics: both folders)."""
    from claimcheck.matching.pairs import FEATURE_NAMES

    rows = read_ecb_pairs(split)
    lines = ecb_topic_lines(split)
    by_folder: dict[tuple[str, ...], list[int]] = collections.defaultdict(list)
    for k, p in enumerate(rows):
        by_folder[tuple(sorted({p["topic_a"], p["topic_b"]}))].append(k)
    X = np.zeros((len(rows), len(FEATURE_NAMES)))
    D = np.zeros(len(rows), dtype=bool)
    S = np.zeros(len(rows), dtype=bool)
    for folder in sorted(by_folder):
        ks = by_folder[folder]
        X[ks], D[ks], S[ks] = featurise_pairs([(rows[k]["text_a"], rows[k]["text_b"]) for k in ks],
                                [line for t in folder for line in lines[t]])
    return PairSet(X, D, S, np.array([p["label"] for p in rows]), np.array([p["kind"] for p in rows]),
                   [(p["text_a"], p["text_b"]) for p in rows])


def mrpc_set() -> PairSet:
    rows = read_mrpc()
    X, D, S = featurise_pairs([(a, b) for _, a, b in rows], [])
    return PairSet(X, D, S, np.array([r[0] for r in rows]), np.array(["mrpc"] * len(rows)), [(a, b) for _, a, b in rows])


def scored(s: PairSet, model: dict | None = None, same_story: bool = False) -> np.ndarray:
    """The runtime scores (0-100) of a featurised pair set, as `match_pair` gives them (sentences
    compared on their own, or with `same_story` as grouping compares them within a story)."""
    from claimcheck.matching.model import scores

    return scores(s.X, model, s.disagree if same_story else None, s.swapped)[0]


def average_precision(y: np.ndarray, scores: np.ndarray) -> float:
    """Area under the precision-recall curve, ranking by score (ties broken pessimistically)."""
    order = np.lexsort((y, -scores))  # among equal scores, negatives first
    hits = y[order] == 1
    if not hits.any():
        return 0.0
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].mean())


def ecb_figures(s: PairSet, scores: np.ndarray, threshold: float) -> dict[str, float]:
    """The issue's ECB+ figures for one score vector (0-100) at one threshold."""
    other = s.kind == "other_subtopic"
    return {
        "average_precision": average_precision(s.y, scores),
        "false_match_other_subtopic": float((scores[other] >= threshold).mean()),
        "recall_same_event": float((scores[s.y == 1] >= threshold).mean()),
        "false_match_same_subtopic_negatives": float((scores[(s.kind == "same_subtopic") & (s.y == 0)] >= threshold).mean()),
        "false_match_other_topic": float((scores[s.kind == "other_topic"] >= threshold).mean()),
    }


DUC = Path(__file__).resolve().parents[2] / "shared" / "data" / "pyramid-duc2006"


def duc_set() -> tuple[PairSet, np.ndarray]:
    """DUC 2006 pyramid sentence pairs (same content unit by two writers = 1; same topic, no shared
    unit = 0), featurised per topic with the topic's summary sentences as the collection; and each
    pair's topic (for cross-validation by topic)."""
    from claimcheck.matching.pairs import FEATURE_NAMES

    rows = [json.loads(line) for line in (DUC / "pairs.jsonl").read_text(encoding="utf-8").splitlines() if line]
    sentences = [json.loads(line) for line in (DUC / "sentences.jsonl").read_text(encoding="utf-8").splitlines() if line]
    by_topic: dict[str, list[int]] = collections.defaultdict(list)
    for k, r in enumerate(rows):
        by_topic[r["topic"]].append(k)
    X = np.zeros((len(rows), len(FEATURE_NAMES)))
    D = np.zeros(len(rows), dtype=bool)
    S = np.zeros(len(rows), dtype=bool)
    for topic in sorted(by_topic):
        ks = by_topic[topic]
        collection = [s["text"] for s in sentences if s["id"].split(".")[0] == topic]
        X[ks], D[ks], S[ks] = featurise_pairs([(rows[k]["a"], rows[k]["b"]) for k in ks], collection)
    return (PairSet(X, D, S, np.array([r["label"] for r in rows]), np.array(["duc"] * len(rows)),
                    [(r["a"], r["b"]) for r in rows]), np.array([r["topic"] for r in rows]))


def stories_set() -> tuple[PairSet, np.ndarray]:
    """Every cross-article pair of claim sentences of the ../shared/data/stories gold (1 = they share
    a gold claim), featurised per story with rarities over the story (`story_pairs`); and each
    pair's story."""
    import story_pairs
    from claimcheck.matching.pairs import figure_disagreement, name_swap, pair_matrix
    from claimcheck.matching.table import build_table

    parts, names = [], []
    for sp in story_pairs.load_all():
        table = build_table(sp.texts)
        X = pair_matrix(table, sp.left, sp.right, table.idf())
        parts.append((X, figure_disagreement(table, sp.left, sp.right), name_swap(table, sp.left, sp.right), sp.y,
                      [(sp.texts[i], sp.texts[j]) for i, j in zip(sp.left.tolist(), sp.right.tolist())]))
        names += [sp.name] * len(sp.y)
    return (PairSet(np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                    np.concatenate([p[2] for p in parts]), np.concatenate([p[3] for p in parts]),
                    np.array(["story"] * len(names)), [t for p in parts for t in p[4]]), np.array(names))
