"""Candidates at scale: which pairs of claims are worth scoring, in time linear in the claims.

Two sources of candidates, unioned:

1. **Nearest neighbours**: each claim's top-k most similar claims by cosine over TF-IDF vectors
   of its content words and figures (a compiled sparse product with a per-row top-k:
   `sparse_dot_topn`, on `scipy.sparse` matrices). k grows with the number of sources, up to
   `MAX_K`, so the candidates grow with N x k, not N^2.
2. **Shared rare anchors**: every pair of claims sharing a figure with its noun ("killed=19")
   or a name that few claims carry, so a claim hundreds of outlets repeat is found whole even
   when it has more copies than k. Anchors are taken rarest first within a pair budget, and
   kept only where the two claims' cosine (the neighbour search's vectors) reaches MIN_COSINE:
   a cheap prefilter before the full pair features (most anchor pairs share one name or figure
   and nothing else; on 80 generated articles it drops 52k of 69k anchor pairs, 42% of all
   candidates, and keeps every planted paraphrase the scorer accepts: `bench/scale.py --exhaustive`).

scipy and sparse_dot_topn are imported here only, and this module only on runs with at least
`matching.LARGE` claims, so small runs pay no start-up cost for them.
"""

from __future__ import annotations

import numpy as np

from claimcheck.matching.table import CSR, SentenceTable

MAX_K = 48
MIN_K = 12
MIN_COSINE = 0.05
# Ids held by more than this share of the claims (and more than COMMON_MIN claims) are left out
# of the neighbour search's vectors.
COMMON_SHARE = 0.01
COMMON_MIN = 50
# Anchor pairs allowed per claim, and the most claims one anchor may join (beyond it, it is no
# longer rare: "Biden" in a story about Biden).
ANCHOR_BUDGET_PER_CLAIM = 40
ANCHOR_MAX_DF = 600


def neighbour_count(n_sources: int) -> int:
    """k: a few times the number of sources, within [MIN_K, MAX_K]."""
    return int(min(MAX_K, max(MIN_K, 3 * n_sources)))


def _vectors(table: SentenceTable, weights: np.ndarray):
    from scipy import sparse

    n = len(table)
    parts = [table.fields["content"], table.fields["number"]]
    indptr = np.zeros(n + 1, dtype=np.int64)
    lengths = sum(p.lengths() for p in parts)
    np.cumsum(lengths, out=indptr[1:])
    rows = np.concatenate([np.repeat(np.arange(n), p.lengths()) for p in parts])
    cols = np.concatenate([p.indices for p in parts])
    # Ids in a large share of the claims ("said", "Ukraine" in a Ukraine story) weigh ~0 in the
    # cosine but dominate the product's work (it grows with the sum of squared frequencies).
    df = np.bincount(cols, minlength=len(table.vocab))
    keep = df[cols] <= max(COMMON_SHARE * n, COMMON_MIN)
    rows, cols = rows[keep], cols[keep]
    data = weights[cols] + 1e-3  # an id in every sentence still counts a little
    m = sparse.csr_matrix((data, (rows, cols)), shape=(n, len(table.vocab)), dtype=np.float32)
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms).dot(m).tocsr().astype(np.float32)


def neighbours(table: SentenceTable, weights: np.ndarray, k: int, workers: int = 1,
               vectors=None) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) pairs, j among i's k most similar claims (cosine >= MIN_COSINE), i != j."""
    from sparse_dot_topn import sp_matmul_topn

    m = _vectors(table, weights) if vectors is None else vectors
    top = sp_matmul_topn(m, m.T.tocsr(), top_n=k + 1, threshold=MIN_COSINE, n_threads=max(workers, 1)).tocoo()
    keep = top.row != top.col
    return top.row[keep].astype(np.int64), top.col[keep].astype(np.int64)


def anchors(table: SentenceTable, fields: tuple[str, ...] = ("figure_value", "entity")) -> tuple[np.ndarray, np.ndarray]:
    """All pairs sharing an anchor id held by 2..ANCHOR_MAX_DF claims, rarest anchors first,
    until ANCHOR_BUDGET_PER_CLAIM x claims pairs."""
    n = len(table)
    rows_list, ids_list = [], []
    for name in fields:
        csr: CSR = table.fields[name]
        rows_list.append(np.repeat(np.arange(n, dtype=np.int64), csr.lengths()))
        ids_list.append(csr.indices)
    rows = np.concatenate(rows_list)
    ids = np.concatenate(ids_list)
    if not len(ids):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.lexsort((rows, ids))
    rows, ids = rows[order], ids[order]
    uniq, start, df = np.unique(ids, return_index=True, return_counts=True)
    usable = (df >= 2) & (df <= ANCHOR_MAX_DF)
    by_rarity = np.argsort(df[usable], kind="stable")
    starts, counts = start[usable][by_rarity], df[usable][by_rarity]
    cost = counts * (counts - 1) // 2
    within = np.cumsum(cost) <= ANCHOR_BUDGET_PER_CLAIM * n
    left, right = [], []
    for s, c in zip(starts[within].tolist(), counts[within].tolist()):
        members = rows[s: s + c]
        a, b = np.triu_indices(c, k=1)
        left.append(members[a])
        right.append(members[b])
    if not left:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(left), np.concatenate(right)


def cosines(m, left: np.ndarray, right: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """Row-wise cosine of the pairs (left[k], right[k]) of L2-normalised sparse rows `m`."""
    out = np.zeros(len(left), dtype=np.float32)
    for start in range(0, len(left), chunk):
        sl = slice(start, start + chunk)
        out[sl] = np.asarray(m[left[sl]].multiply(m[right[sl]]).sum(axis=1)).ravel()
    return out


def candidate_pairs(table: SentenceTable, weights: np.ndarray, sources: np.ndarray, stories: np.ndarray,
                    workers: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Unique pairs (i < j) of claims from different sources of one story: neighbours + anchors
    (those with a cosine of at least MIN_COSINE)."""
    k = neighbour_count(len(np.unique(sources)))
    m = _vectors(table, weights)
    a1, b1 = neighbours(table, weights, k, workers, vectors=m)
    a2, b2 = anchors(table)
    close = cosines(m, a2, b2) >= MIN_COSINE
    a2, b2 = a2[close], b2[close]
    left = np.concatenate([a1, a2])
    right = np.concatenate([b1, b2])
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    keep = (sources[lo] != sources[hi]) & (stories[lo] == stories[hi])
    key = np.unique(lo[keep] * len(table) + hi[keep])
    return key // len(table), key % len(table)
