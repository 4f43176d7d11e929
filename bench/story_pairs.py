"""Cross-article sentence pairs of the ../shared/data/stories gold, labelled, for training and
choosing settings of the matcher (bench only).

Every claim sentence the tool reads (claimcheck's own reader and sentence splitter) is aligned to
the gold members it overlaps by at least half of the shorter span; a pair of sentences from two
articles is positive when they share a gold claim, negative otherwise (the gold is exhaustive).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stories_eval  # noqa: E402


@dataclass
class StoryPairs:
    name: str
    texts: list[str]          # claim sentences, in (doc, index) order
    docs: list[str]           # file name of each
    claims: list[frozenset]   # gold claim ids of each
    left: np.ndarray
    right: np.ndarray
    y: np.ndarray


def load_story(story: Path, all_sentences: bool = False) -> StoryPairs:
    from claimcheck.pipeline import parse
    from claimcheck.models import Settings

    report = parse([str(story)], Settings(), warn=lambda m: None)
    members, _ = stories_eval.gold_members(story)
    texts, docs, claims = [], [], []
    for src in report.sources:
        doc = Path(src.path).name
        raw = (story / doc).read_text(encoding="utf-8")
        for s in src.sentences:
            if not (s.is_claim or all_sentences):
                continue
            span = stories_eval.span(raw, s.text)
            texts.append(s.text)
            docs.append(doc)
            claims.append(stories_eval._align(members.get(doc, []), *span) if span else frozenset())
    n = len(texts)
    left, right = np.triu_indices(n, k=1)
    d = np.array(docs)
    keep = d[left] != d[right]
    left, right = left[keep], right[keep]
    y = np.array([1 if claims[i] & claims[j] else 0 for i, j in zip(left.tolist(), right.tolist())])
    return StoryPairs(story.name, texts, docs, claims, left, right, y)


def load_all() -> list[StoryPairs]:
    return [load_story(p) for p in stories_eval.story_dirs()]


def recall_at_precision(y: np.ndarray, s: np.ndarray, p: float = 0.9) -> tuple[float, float]:
    """The largest recall with precision >= p over thresholds, and that threshold."""
    order = np.lexsort((y, -s))
    hits = y[order] == 1
    tp = np.cumsum(hits)
    prec = tp / np.arange(1, len(hits) + 1)
    ok = np.flatnonzero(prec >= p)
    if not len(ok):
        return 0.0, float("nan")
    k = ok[-1]
    return float(tp[k] / max(1, hits.sum())), float(s[order][k])
