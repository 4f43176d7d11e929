"""Pair features as array work: (left, right) index arrays over a `SentenceTable` -> a matrix.

The core is `shared`: for each pair, the summed weight of the ids two rows have in common,
found by one `searchsorted` over pair-major keys (no Python loop over pairs). Every overlap
feature (content words plain and by rarity, names, synonym classes, word pairs, figures,
years, weekdays, negation, event polarity) is one or two such calls; two rapidfuzz scores
come from `process.cpdist`.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from claimcheck.matching.table import CSR, SentenceTable

FEATURE_NAMES: tuple[str, ...] = (
    "content_jaccard",
    "content_cover_min",
    "content_cover_max",
    "weighted_jaccard",
    "weighted_cover_min",
    "weighted_cover_max",
    "weighted_only_min",
    "weighted_only_max",
    "shared_weight",
    "shared_max_weight",
    "shared_rare",
    "soft_cover_min",
    "soft_cover_max",
    "bigram_cover_min",
    "bigram_cover_max",
    "entity_shared_weight",
    "entity_only_min",
    "entity_only_max",
    "entity_conflict",
    "numbers_both",
    "numbers_shared",
    "numbers_conflict",
    "years_conflict",
    "weekday_conflict",
    "negation_scoped",
    "polarity_conflict",
    "question",
    "length_log_ratio",
    "min_length_log",
    "fuzz_ratio",
    "fuzz_token_set",
)
RARE = 0.6  # a word this rare or rarer (scaled IDF) in the collection is distinctive


def _gather(csr: CSR, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pair number, id) for every id of every requested row, pair-major and sorted within a pair."""
    starts = csr.indptr[rows]
    lengths = csr.indptr[rows + 1] - starts
    total = int(lengths.sum())
    pair = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    if not total:
        return pair, np.zeros(0, dtype=np.int64)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return pair, csr.indices[np.repeat(starts, lengths) + offsets]


class Hits:
    """The ids rows a[left[k]] and b[right[k]] have in common, for every pair k at once."""

    def __init__(self, a: CSR, left: np.ndarray, b: CSR, right: np.ndarray, vocab_size: int) -> None:
        self.n = len(left)
        pa, ia = _gather(a, left)
        pb, ib = _gather(b, right)
        if not len(ia) or not len(ib):
            self.pair, self.ids = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
            return
        ka = pa * vocab_size + ia
        kb = pb * vocab_size + ib
        pos = np.searchsorted(kb, ka)
        pos[pos == len(kb)] = len(kb) - 1
        hit = kb[pos] == ka
        self.pair, self.ids = pa[hit], ia[hit]

    def count(self) -> np.ndarray:
        return np.bincount(self.pair, minlength=self.n).astype(float)

    def sum(self, weights: np.ndarray) -> np.ndarray:
        return np.bincount(self.pair, weights=weights[self.ids], minlength=self.n)

    def max(self, weights: np.ndarray) -> np.ndarray:
        out = np.zeros(self.n)
        np.maximum.at(out, self.pair, weights[self.ids])
        return out


def shared(a: CSR, left: np.ndarray, b: CSR, right: np.ndarray, weights: np.ndarray | None,
           vocab_size: int, reduce: str = "sum") -> np.ndarray:
    """Per pair k, the sum (or max) of `weights` over ids in both a[left[k]] and b[right[k]]
    (weight 1 each when `weights` is None: a count)."""
    hits = Hits(a, left, b, right, vocab_size)
    if weights is None:
        return hits.count()
    return hits.max(weights) if reduce == "max" else hits.sum(weights)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros_like(num, dtype=float), where=den > 0)


def pair_matrix(table: SentenceTable, left: np.ndarray, right: np.ndarray, weights: np.ndarray,
                workers: int = 1) -> np.ndarray:
    """The feature matrix (len(left) x len(FEATURE_NAMES)) of the pairs (left[k], right[k]).

    `weights` are the ids' rarities in the collection being compared (`SentenceTable.idf`).
    Symmetric in the two sides of each pair.
    """
    return pair_arrays(table, left, right, weights, workers)[0]


def pair_arrays(table: SentenceTable, left: np.ndarray, right: np.ndarray, weights: np.ndarray,
                workers: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """`pair_matrix`, and `name_swap` from the same intersections."""
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    V = len(table.vocab)
    f = table.fields
    n = len(left)

    def both(field: str) -> np.ndarray:
        return shared(f[field], left, f[field], right, None, V)

    content_w = table.row_weights("content", weights)
    la, lb = table.n_content[left].astype(float), table.n_content[right].astype(float)
    wa, wb = content_w[left], content_w[right]
    words = Hits(f["content"], left, f["content"], right, V)
    sc = words.count()
    sw = words.sum(weights)
    cover_a, cover_b = _ratio(sc, la), _ratio(sc, lb)
    wcover_a, wcover_b = _ratio(sw, wa), _ratio(sw, wb)
    soft_len = f["soft"].lengths().astype(float)
    ss = both("soft")
    soft_a, soft_b = _ratio(ss, soft_len[left]), _ratio(ss, soft_len[right])
    bi_len = f["bigram"].lengths().astype(float)
    sb = both("bigram")
    bi_a, bi_b = _ratio(sb, bi_len[left]), _ratio(sb, bi_len[right])
    # Names: a name one side gives that the other does not mention at all.
    ent_w = table.row_weights("entity", weights)
    names_b = Hits(f["entity"], left, f["content"], right, V)
    names_a = Hits(f["entity"], right, f["content"], left, V)
    ent_in_b, ent_in_a = names_b.sum(weights), names_a.sum(weights)
    only_ea, only_eb = ent_w[left] - ent_in_b, ent_w[right] - ent_in_a
    ent_cnt = f["entity"].lengths()
    lone_a = ent_cnt[left] - names_b.count()  # names of the left sentence the right one lacks
    lone_b = ent_cnt[right] - names_a.count()
    conflict_e = (lone_a > 0) & (lone_b > 0)
    only_a, only_b = la - sc, lb - sc
    swap = (only_a >= 1) & (only_b >= 1) & (lone_a >= only_a) & (lone_b >= only_b) & (sc >= 2)
    num_len = f["number"].lengths()
    sn = both("number")
    nboth = (num_len[left] > 0) & (num_len[right] > 0)
    years = f["year"].lengths()
    sy = both("year")
    days = f["weekday"].lengths()
    sd = both("weekday")
    # Negation on a word the other sentence states plainly.
    neg_a = shared(f["negated"], left, f["content"], right, None, V) - shared(f["negated"], left, f["negated"], right, None, V)
    neg_b = shared(f["negated"], right, f["content"], left, None, V) - shared(f["negated"], right, f["negated"], left, None, V)
    polar = shared(f["polarity"], left, f["antipolarity"], right, None, V)
    texts = table.content_text
    qa = [texts[i] for i in left]
    qb = [texts[i] for i in right]
    if n:
        ratio = process.cpdist(qa, qb, scorer=fuzz.ratio, processor=None, workers=workers) / 100.0
        tset = process.cpdist(qa, qb, scorer=fuzz.token_set_ratio, processor=None, workers=workers) / 100.0
    else:
        ratio = tset = np.zeros(0)
    union = la + lb - sc
    w_union = wa + wb - sw
    out = np.column_stack([
        _ratio(sc, union),
        np.minimum(cover_a, cover_b),
        np.maximum(cover_a, cover_b),
        _ratio(sw, w_union),
        np.minimum(wcover_a, wcover_b),
        np.maximum(wcover_a, wcover_b),
        np.log1p(np.minimum(wa - sw, wb - sw).clip(0)),
        np.log1p(np.maximum(wa - sw, wb - sw).clip(0)),
        sw,
        words.max(weights),
        words.sum((weights >= RARE).astype(float)),
        np.minimum(soft_a, soft_b),
        np.maximum(soft_a, soft_b),
        np.minimum(bi_a, bi_b),
        np.maximum(bi_a, bi_b),
        ent_in_a + ent_in_b,
        np.log1p(np.minimum(only_ea, only_eb).clip(0)),
        np.log1p(np.maximum(only_ea, only_eb).clip(0)),
        conflict_e.astype(float),
        nboth.astype(float),
        _ratio(sn, (num_len[left] + num_len[right] - sn).astype(float)),
        (nboth & (sn == 0)).astype(float),
        ((years[left] > 0) & (years[right] > 0) & (sy == 0)).astype(float),
        ((days[left] > 0) & (days[right] > 0) & (sd == 0)).astype(float),
        ((neg_a > 0) | (neg_b > 0)).astype(float),
        (polar > 0).astype(float),
        (table.questions[left] | table.questions[right]).astype(float),
        np.abs(np.log(np.maximum(la, 1) / np.maximum(lb, 1))),
        np.log(np.maximum(np.minimum(la, lb), 1)),
        ratio,
        tset,
    ]) if n else np.zeros((0, len(FEATURE_NAMES)))
    return out, swap


def figure_disagreement(table: SentenceTable, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair: True where the two count the same thing (same kind and topic: "killed") with
    different values and no other figure of theirs conflicts: a disagreement, not two events."""
    f = table.fields
    V = len(table.vocab)
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    topics = shared(f["figure_topic"], left, f["figure_topic"], right, None, V)
    values = shared(f["figure_value"], left, f["figure_value"], right, None, V)
    out = (topics > 0) & (values < topics)
    for k in np.flatnonzero(out).tolist():
        out[k] = not _far_apart(table.quantities[int(left[k])], table.quantities[int(right[k])])
    return out


# Two exact counts of one thing this far apart ("killed 12" / "four killed") are two counts
# (two places, two moments), not one figure reported two ways: the gold disagreements of one
# claim differ by at most 1.7x (128 / 129 seats, three / five deaths, four / five hours).
FAR_APART = 2.0


def _far_apart(a, b) -> bool:
    """Whether every topic the two sentences both count has only exact values more than
    FAR_APART times apart."""
    found = False
    for qa in a:
        for qb in b:
            if not (qa.is_figure and qb.is_figure and set(qa.topics) & set(qb.topics)):
                continue
            if qa.qualifier or qb.qualifier or not qa.value or not qb.value:
                return False
            if max(qa.value, qb.value) / min(qa.value, qb.value) <= FAR_APART:
                return False
            found = True
    return found


def name_swap(table: SentenceTable, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair: True where all that differs between the two is a name on each side ("Chargers'
    Jackson arrested" / "Chargers' Williams arrested"): the same kind of event about someone else."""
    return pair_arrays(table, left, right, np.ones(len(table.vocab)))[1]
