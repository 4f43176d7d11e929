"""Grouping: claims -> clusters of the same claim, one sentence per source, without chaining.

Candidates are every cross-source pair within a story (below `candidates.LARGE` claims) or the
top-k neighbours and shared rare anchors from `candidates.py` (above). They are scored in one
batch; pairs at or above the threshold seed a best-first merge. Two clusters merge only if
they share no source and the mean score over their cross pairs still reaches the threshold:
exactly over all cross pairs while both are small, over the first `SAMPLE` members of each (by
position) beyond that, so a merge costs at most SAMPLE^2 scores however large the groups grow,
and a sentence never joins through one weak link.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence

import numpy as np

SAMPLE = 8


class PairScores:
    """Scores of candidate pairs, computed in batches; other pairs scored on demand."""

    def __init__(self, score_batch: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
        self._batch = score_batch
        self.known: dict[tuple[int, int], float] = {}

    def add(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        s = self._batch(left, right) if len(left) else np.zeros(0)
        for i, j, v in zip(left.tolist(), right.tolist(), s.tolist()):
            self.known[(i, j) if i < j else (j, i)] = v
        return s

    def mean(self, a: Sequence[int], b: Sequence[int]) -> float:
        """Mean score over the cross pairs of two clusters (sampled past SAMPLE members each)."""
        a, b = a[:SAMPLE], b[:SAMPLE]
        keys = [(i, j) if i < j else (j, i) for i in a for j in b]
        missing = [k for k in keys if k not in self.known]
        if missing:
            self.add(np.array([k[0] for k in missing]), np.array([k[1] for k in missing]))
        known = self.known
        return sum(known[k] for k in keys) / len(keys)


def agglomerate(sources: Sequence[str], left: np.ndarray, right: np.ndarray, scores: PairScores,
                threshold: float) -> list[list[int]]:
    """Best-first merging of matched candidate pairs into clusters with one member per source.

    `left`/`right` are candidate pairs, already scored in `scores`. Ties are broken by position,
    so the result does not depend on input order once positions are canonical.
    """
    heap = []
    for i, j in zip(left.tolist(), right.tolist()):
        key = (i, j) if i < j else (j, i)
        s = scores.known[key]
        if s >= threshold:
            heap.append((-s, key[0], key[1]))
    heapq.heapify(heap)
    owner = list(range(len(sources)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(sources))}
    seen: dict[int, set[str]] = {i: {s} for i, s in enumerate(sources)}
    while heap:
        neg, i, j = heapq.heappop(heap)
        ci, cj = owner[i], owner[j]
        if ci == cj or seen[ci] & seen[cj]:
            continue
        if len(members[ci]) == 1 and len(members[cj]) == 1:
            link = -neg
        else:
            link = scores.mean(members[ci], members[cj])
        if link < threshold:
            continue
        if link < -neg - 1e-9:
            heapq.heappush(heap, (-link, i, j))  # the clusters grew since: queue at the new value
            continue
        keep, gone = min(ci, cj), max(ci, cj)
        members[keep] = sorted(members[keep] + members.pop(gone))
        seen[keep] |= seen.pop(gone)
        for k in members[keep]:
            owner[k] = keep
    return [members[k] for k in sorted(members)]
