"""Grouping: claims -> clusters of the same claim, one sentence per source, without chaining.

Candidates are every cross-source pair within a story (below `matching.LARGE` claims) or the
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
    """Scores of pairs: the candidates' in sorted arrays (one batch), others scored on demand."""

    def __init__(self, score_batch: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
        self._batch = score_batch
        self._keys = np.zeros(0, dtype=np.int64)
        self._values = np.zeros(0, dtype=np.float32)
        self.extra: dict[tuple[int, int], float] = {}

    @staticmethod
    def _key(i, j):
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        return (lo.astype(np.int64) << 32) | hi.astype(np.int64)

    def set_batch(self, left: np.ndarray, right: np.ndarray, values: np.ndarray) -> None:
        """The candidates' scores, already computed (replaces any earlier batch)."""
        keys = self._key(left, right)
        order = np.argsort(keys, kind="stable")
        self._keys, self._values = keys[order], np.asarray(values, dtype=np.float32)[order]

    def add(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Score pairs now and remember them."""
        s = self._batch(left, right) if len(left) else np.zeros(0)
        for i, j, v in zip(left.tolist(), right.tolist(), s.tolist()):
            self.extra[(i, j) if i < j else (j, i)] = v
        return s

    def _lookup(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Known scores of pairs, NaN where unknown."""
        keys = self._key(i, j)
        out = np.full(len(keys), np.nan)
        if len(self._keys):
            pos = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
            hit = self._keys[pos] == keys
            out[hit] = self._values[pos[hit]]
        if self.extra:
            for k in np.flatnonzero(np.isnan(out)).tolist():
                a, b = int(i[k]), int(j[k])
                v = self.extra.get((a, b) if a < b else (b, a))
                if v is not None:
                    out[k] = v
        return out

    def lookup(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Scores of the pairs (i[k], j[k]), scoring the unknown ones in one batch (i == j: 100)."""
        values = self._lookup(i, j)
        values[i == j] = 100.0
        missing = np.isnan(values)
        if missing.any():
            values[missing] = self.add(i[missing], j[missing])
        return values

    def mean(self, a: Sequence[int], b: Sequence[int]) -> float:
        """Mean score over the cross pairs of two clusters (sampled past SAMPLE members each)."""
        a, b = np.asarray(a[:SAMPLE]), np.asarray(b[:SAMPLE])
        return float(self.lookup(np.repeat(a, len(b)), np.tile(b, len(a))).mean())


def agglomerate(sources: Sequence[str], left: np.ndarray, right: np.ndarray, values: np.ndarray,
                scores: PairScores, threshold: float) -> list[list[int]]:
    """Best-first merging of matched candidate pairs into clusters with one member per source.

    `left`/`right` are candidate pairs and `values` their scores (also given to `scores`, which
    scores other pairs on demand). Ties are broken by position, so the result does not depend
    on input order once positions are canonical.
    """
    hit = np.flatnonzero(values >= threshold)
    lo, hi = np.minimum(left[hit], right[hit]), np.maximum(left[hit], right[hit])
    heap = [(-float(v), int(i), int(j)) for v, i, j in zip(values[hit].tolist(), lo.tolist(), hi.tolist())]
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
        # The larger cluster keeps its id, so each merge relabels only the smaller one's members.
        keep, gone = (ci, cj) if (len(members[ci]), -ci) >= (len(members[cj]), -cj) else (cj, ci)
        moved = members.pop(gone)
        members[keep] = list(heapq.merge(members[keep], moved))
        seen[keep] |= seen.pop(gone)
        for k in moved:
            owner[k] = keep
    return sorted(members.values())
