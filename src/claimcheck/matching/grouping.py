"""Grouping: claims -> clusters of the same claim, one sentence per source, without chaining.

Candidates are every cross-source pair within a story (below `matching.LARGE` claims) or the
top-k neighbours and shared rare anchors from `candidates.py` (above). They are scored in one
batch; pairs at or above the threshold seed a best-first merge. Two clusters merge only if
they share no source and the mean score over their cross pairs still reaches the threshold:
exactly over all cross pairs while both are small, over the first `SAMPLE` members of each (by
position) beyond that, so a merge costs at most SAMPLE^2 scores however large the groups grow,
and a sentence never joins through one weak link.

Cross pairs that are not candidates are scored in batches, not one merge at a time: when a
merge needs a score nobody has computed, the cross pairs of that merge and of the next `WINDOW`
queued merges (their clusters as they stand) are scored in one array call. Scores do not depend
on the batch they are computed in, so the merges are exactly those of scoring on demand; a
queued merge whose clusters change before its turn may need a few more (one more batch).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Sequence

import numpy as np

SAMPLE = 8
CHUNK = 50_000  # pairs per call of the scorer
WINDOW = 1024  # queued merges whose missing cross pairs are scored with the one that needs them


def _keys(i, j) -> np.ndarray:
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    return (np.minimum(i, j) << 32) | np.maximum(i, j)


class PairScores:
    """Scores of pairs, in sorted arrays: the candidates' (one batch) and those scored since."""

    def __init__(self, score_batch: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
        self._batch = score_batch
        self._keys = np.zeros(0, dtype=np.int64)
        self._values = np.zeros(0, dtype=np.float32)
        self._extra_keys = np.zeros(0, dtype=np.int64)
        self._extra_values = np.zeros(0, dtype=np.float64)
        self.batches = 0  # calls to score_batch
        self.scored = 0  # pairs scored by them

    def set_batch(self, left: np.ndarray, right: np.ndarray, values: np.ndarray) -> None:
        """The candidates' scores, already computed (replaces any earlier batch)."""
        keys = _keys(left, right)
        order = np.argsort(keys, kind="stable")
        self._keys, self._values = keys[order], np.asarray(values, dtype=np.float32)[order]

    def add(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Score pairs now (as (lower, higher) position) and remember them."""
        keys = _keys(left, right)
        lo, hi = keys >> 32, keys & 0xFFFFFFFF
        s = np.zeros(len(keys))
        for start in range(0, len(keys), CHUNK):  # bounded memory for the feature arrays
            s[start: start + CHUNK] = self._batch(lo[start: start + CHUNK], hi[start: start + CHUNK])
            self.batches += 1
        self.scored += len(keys)
        uniq, first = np.unique(keys, return_index=True)
        at = np.searchsorted(self._extra_keys, uniq)
        new = self._extra_keys[np.minimum(at, len(self._extra_keys) - 1)] != uniq if len(self._extra_keys) else \
            np.ones(len(uniq), dtype=bool)
        self._extra_keys = np.insert(self._extra_keys, at[new], uniq[new])
        self._extra_values = np.insert(self._extra_values, at[new], s[first[new]])
        return s

    @staticmethod
    def _find(keys: np.ndarray, sorted_keys: np.ndarray, sorted_values: np.ndarray, out: np.ndarray) -> None:
        if len(sorted_keys):
            pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
            hit = sorted_keys[pos] == keys
            out[hit] = sorted_values[pos[hit]]

    def known(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Known scores of pairs, NaN where unknown (i == j: 100)."""
        keys = _keys(i, j)
        out = np.full(len(keys), np.nan)
        self._find(keys, self._keys, self._values, out)
        missing = np.isnan(out)
        if missing.any() and len(self._extra_keys):
            got = out[missing]
            self._find(keys[missing], self._extra_keys, self._extra_values, got)
            out[missing] = got
        out[np.asarray(i) == np.asarray(j)] = 100.0
        return out

    def prefetch(self, i: np.ndarray, j: np.ndarray) -> None:
        """Score, in one batch, those of the pairs whose score is not known yet."""
        missing = np.isnan(self.known(i, j))
        if missing.any():
            self.add(np.asarray(i)[missing], np.asarray(j)[missing])

    def lookup(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Scores of the pairs (i[k], j[k]), scoring the unknown ones in one batch (i == j: 100)."""
        self.prefetch(i, j)
        return self.known(i, j)

    def mean(self, a: Sequence[int], b: Sequence[int]) -> float:
        """Mean score over the cross pairs of two clusters (sampled past SAMPLE members each)."""
        i, j = _cross(a, b)
        return float(self.lookup(i, j).mean())


def _cross(a: Sequence[int], b: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The cross pairs a merge of clusters `a` and `b` is judged on (first SAMPLE members each)."""
    a, b = np.asarray(a[:SAMPLE]), np.asarray(b[:SAMPLE])
    return np.repeat(a, len(b)), np.tile(b, len(a))


def agglomerate(sources: Sequence[str], left: np.ndarray, right: np.ndarray, values: np.ndarray,
                scores: PairScores, threshold: float, window: int = WINDOW) -> list[list[int]]:
    """Best-first merging of matched candidate pairs into clusters with one member per source.

    `left`/`right` are candidate pairs and `values` their scores (also given to `scores`, which
    scores other pairs in batches: see the module docstring). Ties are broken by position, so
    the result does not depend on input order once positions are canonical.
    """
    hit = np.flatnonzero(values >= threshold)
    lo, hi = np.minimum(left[hit], right[hit]), np.maximum(left[hit], right[hit])
    heap = [(-float(v), int(i), int(j)) for v, i, j in zip(values[hit].tolist(), lo.tolist(), hi.tolist())]
    heapq.heapify(heap)
    ahead: deque = deque()  # the next queued merges, taken off the heap to batch their scores (sorted)
    owner = list(range(len(sources)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(sources))}
    seen: dict[int, set[str]] = {i: {s} for i, s in enumerate(sources)}
    # Mean scores already computed, per cluster pair: clusters only grow, so a cluster id with
    # the same size has the same members and the same mean (a pair popped again costs nothing).
    links: dict[tuple[int, int, int, int], float] = {}

    def state(i: int, j: int) -> tuple[int, int, int, int] | None:
        """The clusters of i and j if they may merge and are not two single claims, else None."""
        ci, cj = owner[i], owner[j]
        if ci > cj:
            ci, cj = cj, ci
        if ci == cj or seen[ci] & seen[cj] or (len(members[ci]) == 1 and len(members[cj]) == 1):
            return None
        return ci, cj, len(members[ci]), len(members[cj])

    while heap or ahead:
        if ahead and (not heap or ahead[0] <= heap[0]):
            neg, i, j = ahead.popleft()
        else:
            neg, i, j = heapq.heappop(heap)
        ci, cj = owner[i], owner[j]
        if ci == cj or seen[ci] & seen[cj]:
            continue
        key = state(i, j)
        if key is None:
            link = -neg
        elif key in links:
            link = links[key]
        else:
            need = _cross(members[key[0]], members[key[1]])
            known = scores.known(*need)
            if np.isnan(known).any():
                pulled = [heapq.heappop(heap) for _ in range(min(window - len(ahead), len(heap)))]
                ahead = deque(heapq.merge(ahead, pulled))
                todo = {key} | {k for k in (state(a, b) for _, a, b in ahead) if k is not None and k not in links}
                pairs = [_cross(members[k[0]], members[k[1]]) for k in sorted(todo)]
                scores.prefetch(np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs]))
                known = scores.known(*need)
            link = links[key] = float(known.mean())
        if link < threshold:
            continue
        if link < -neg - 1e-9:
            heapq.heappush(heap, (-link, i, j))  # the clusters grew since: queue at the new value
            continue
        ci, cj = owner[i], owner[j]
        # The larger cluster keeps its id, so each merge relabels only the smaller one's members.
        keep, gone = (ci, cj) if (len(members[ci]), -ci) >= (len(members[cj]), -cj) else (cj, ci)
        moved = members.pop(gone)
        members[keep] = list(heapq.merge(members[keep], moved))
        seen[keep] |= seen.pop(gone)
        for k in moved:
            owner[k] = keep
    return sorted(members.values())
