"""Blocking: which claim pairs are worth verifying, without comparing every pair.

Each sentence becomes a binary bag of content tokens (lowercased words with a light stem,
numbers kept, stop words dropped) weighted by IDF over the collection and scaled to unit
length. Two sentences are candidates when the cosine of these vectors is at least
`min_cosine`, found exactly and sub-quadratically by prefix filtering (Bayardo et al., "Scaling
up all pairs similarity search", WWW 2007):

1. Order each sentence's tokens rarest first and index only the shortest prefix whose
   remaining suffix cannot reach `min_cosine` on its own: the suffix bound is
   min(|suffix|, sum of x_k * max_k) where max_k is the largest weight token k has in any
   sentence. A pair at or above `min_cosine` must then share a token of both prefixes, so only
   pairs inside one prefix posting list are generated. Common words rarely enter a prefix, so
   the lists stay short.
2. Generated pairs (cross-source only) are deduplicated and their exact cosine computed
   vectorised; those below `min_cosine` are dropped.

The verifier (`matching.pair_score` >= threshold) is unchanged and only ever sees survivors.
`min_cosine` is a recall knob, not a matcher: it is set so that the pairs the learned score
accepts are kept (measured on MRPC and the sample articles; tests/test_blocking.py pins
>= 0.98 of the exhaustive links on a generated corpus).

Cost: O(T log T) for T tokens in the collection, plus O(sum_k P_k^2) for prefix posting lists
P_k and O(C * L) to verify C generated pairs of L tokens; memory O(T + C). Needs numpy,
imported on first use so small runs pay nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimcheck.text import BASE_STOP_WORDS, stem

if TYPE_CHECKING:
    import numpy as np

__all__ = ["DEFAULT_MIN_COSINE", "MIN_CLAIMS", "TokenIndex", "build_index", "candidate_pairs", "idf_weight", "tokens"]

# Calibrated against the matcher at threshold 25 (tests/test_blocking.py): on the generated
# corpus every exhaustive link has cosine >= 0.15 (0.98 at 0.2, with 2.2x fewer candidates);
# on MRPC and the sample articles 0.999 of the accepted pairs do (v1 matcher).
DEFAULT_MIN_COSINE = 0.15
# Below this many claims, all-pairs verification costs under ~10 s and blocking is not worth
# importing numpy for (the sample articles stay on the exhaustive path).
MIN_CLAIMS = 200
# IDF weight of a number token relative to a word of the same rarity.
NUMBER_WEIGHT = 0.5

# progress(stage, done, total), as in pipeline.Progress.
Progress = Callable[[str, int, int], None]

_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*")
# The matcher's stop words, plus words too common in news to make two sentences candidates.
# (Quantity words the matcher drops, "least", "many", ..., stay: they tell candidates apart.)
_STOP_WORDS = (
    BASE_STOP_WORDS - {"approximately", "least", "many", "much", "nearly", "rough", "several"}
) | {"not", "no", "nor", "new", "year"}


def _stem(word: str) -> str:
    """The matcher's stem; numbers lose their thousands separators, words their possessive."""
    if word[0].isdigit():
        return word.replace(",", "")
    return stem(word.split("'", 1)[0])


def _token(surface: str) -> str | None:
    """The blocking token of one lower-cased word, or None for a stop word."""
    if surface in _STOP_WORDS or len(surface) < 2:
        return None
    token = _stem(surface)
    return None if token in _STOP_WORDS else token


def tokens(text: str) -> list[str]:
    """The blocking tokens of one sentence, in order of first appearance."""
    found = (_token(w) for w in _WORD_RE.findall(text.lower()))
    return list(dict.fromkeys(t for t in found if t))


@dataclass(frozen=True)
class TokenIndex:
    """Sentences as unit-length IDF vectors in CSR form (one row per sentence)."""

    indptr: np.ndarray  # int64, n + 1
    indices: np.ndarray  # int32 token ids, sorted within each row
    data: np.ndarray  # float64 weights; each row has unit norm
    df: np.ndarray  # int64 document frequency of each token
    words: tuple[str, ...]  # token id -> token
    surfaces: tuple[str, ...]  # every distinct lower-cased word
    surface_df: np.ndarray  # int64 document frequency of each surface word

    @property
    def size(self) -> int:
        return len(self.indptr) - 1

    def document_frequency(self, normalise: Callable[[str], str | None] | None = None) -> dict[str, int]:
        """How many sentences contain each token.

        With `normalise` (lower-cased word -> token, or None to skip it), the frequencies are
        those of another tokeniser's tokens, e.g. the matcher's content words, for its word
        weights: summed over the surface words that map to one token (a sentence holding two
        of them counts twice, which is rare and harmless for an IDF).
        """
        if normalise is None:
            return dict(zip(self.words, self.df.tolist()))
        out: dict[str, int] = {}
        for surface, count in zip(self.surfaces, self.surface_df.tolist()):
            token = normalise(surface)
            if token:
                out[token] = out.get(token, 0) + count
        return out


def build_index(texts: Sequence[str]) -> TokenIndex:
    """Tokenise every sentence and weight its tokens by IDF; O(total tokens)."""
    import numpy as np

    find = _WORD_RE.findall
    seen: dict[str, int] = {}
    rows: list[int] = []
    lengths = np.zeros(len(texts) + 1, dtype=np.int64)
    for i, text in enumerate(texts):
        ids = {seen.setdefault(w, len(seen)) for w in find(text.lower())}
        rows.extend(ids)
        lengths[i + 1] = len(ids)
    surfaces = tuple(seen)
    surface_ids = np.asarray(rows, dtype=np.int64)
    surface_df = np.bincount(surface_ids, minlength=len(surfaces))

    words: dict[str, int] = {}
    to_token = np.fromiter(
        (-1 if (t := _token(w)) is None else words.setdefault(t, len(words)) for w in surfaces),
        dtype=np.int64, count=len(surfaces),
    )
    vocab = max(len(words), 1)
    row = np.repeat(np.arange(len(texts), dtype=np.int64), lengths[1:])
    tok = to_token[surface_ids] if len(surface_ids) else surface_ids
    codes = np.unique(row[tok >= 0] * vocab + tok[tok >= 0])  # one entry per (row, token), sorted
    row, indices = codes // vocab, (codes % vocab).astype(np.int32)
    counts = np.bincount(row, minlength=len(texts))
    indptr = np.r_[0, np.cumsum(counts)].astype(np.int64)
    df = np.bincount(indices, minlength=len(words)).astype(np.int64)
    n = max(len(texts), 1)
    idf = np.log((n + 1) / np.maximum(df, 1))
    # A figure is rare, so at full IDF two sentences about the same thing with different
    # figures ("up 5.64 points, or 0.34 percent" / "rose 40.09 points, or 2.5 per cent") would
    # look unrelated; the matcher weighs figures as one piece of evidence among many.
    numeric = np.fromiter((w[0].isdigit() for w in words), dtype=bool, count=len(words))
    idf[numeric] *= NUMBER_WEIGHT
    data = idf[indices]
    norms = np.sqrt(np.bincount(row, weights=data * data, minlength=len(texts)))
    norms[norms == 0] = 1.0
    data = data / norms[row]
    return TokenIndex(
        indptr=indptr, indices=indices, data=data, df=df, words=tuple(words),
        surfaces=surfaces, surface_df=surface_df,
    )


def _prefix_mask(index: TokenIndex, min_cosine: float) -> np.ndarray:
    """Which (row, token) entries are indexed: each row's rarest tokens up to the suffix bound."""
    import numpy as np

    n = index.size
    lengths = np.diff(index.indptr)
    row = np.repeat(np.arange(n, dtype=np.int64), lengths)
    # Rows are sorted by token id; reorder each row rarest first (ties by token id).
    order = np.lexsort((index.indices, index.df[index.indices], row))
    tok = index.indices[order]
    x = index.data[order]
    max_w = np.zeros(len(index.df))
    np.maximum.at(max_w, index.indices, index.data)
    # Suffix sums (from the end of each row) of x^2 and of x * max_w.
    def suffix(values: np.ndarray) -> np.ndarray:
        total = np.cumsum(values[::-1])[::-1]
        ends = np.repeat(index.indptr[1:], lengths)
        return total - np.append(total, 0.0)[ends]

    bound = np.minimum(np.sqrt(np.maximum(suffix(x * x), 0.0)), suffix(x * max_w[tok]))
    # Entry e is in the prefix while the suffix starting at e could still reach min_cosine.
    keep = bound >= min_cosine - 1e-9
    mask = np.zeros(len(order), dtype=bool)
    mask[order] = keep
    return mask


def candidate_pairs(
    texts: Sequence[str],
    sources: Sequence[str],
    *,
    min_cosine: float = DEFAULT_MIN_COSINE,
    index: TokenIndex | None = None,
    progress: Progress | None = None,
    batch: int = 4_000_000,
) -> list[tuple[int, int]]:
    """Pairs (i < j) from different sources whose IDF cosine is at least `min_cosine`.

    Exact for that cosine (no pair at or above it is missed), sorted, deterministic.
    `texts[i]` comes from `sources[i]`. Pass `index` to reuse a `build_index(texts)`.
    `batch` bounds how many raw pairs are held at once (memory, not result).
    """
    import numpy as np

    if len(texts) != len(sources):
        raise ValueError("texts and sources differ in length")
    if len(texts) < 2:
        return []
    index = index or build_index(texts)
    _, source_ids = np.unique(np.asarray(sources, dtype=object).astype(str), return_inverse=True)
    source_ids = source_ids.astype(np.int64)
    n = index.size
    lengths = np.diff(index.indptr)
    row = np.repeat(np.arange(n, dtype=np.int64), lengths)
    mask = _prefix_mask(index, min_cosine)

    # Prefix posting lists: rows grouped by token.
    p_tok = index.indices[mask].astype(np.int64)
    p_row = row[mask]
    order = np.lexsort((p_row, p_tok))
    p_tok, p_row = p_tok[order], p_row[order]
    starts = np.flatnonzero(np.r_[True, p_tok[1:] != p_tok[:-1]]) if len(p_tok) else np.zeros(0, np.int64)
    sizes = np.diff(np.r_[starts, len(p_tok)])
    big = sizes >= 2
    starts, sizes = starts[big], sizes[big]
    work = sizes * (sizes - 1) // 2

    found: list[np.ndarray] = []
    total_work = int(work.sum())
    done = 0
    lo = 0
    bounds = np.cumsum(work)
    while lo < len(starts):
        hi = int(np.searchsorted(bounds, (bounds[lo - 1] if lo else 0) + batch, side="right"))
        hi = max(hi, lo + 1)
        found.append(_pairs_in_lists(p_row, starts[lo:hi], sizes[lo:hi], source_ids, n))
        done = int(bounds[hi - 1])
        if progress:
            progress("candidates", done, total_work)
        lo = hi
        if len(found) > 8:
            found = [np.unique(np.concatenate(found))]
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)
    if progress:
        progress("candidates", total_work, total_work)
    left, right = codes // n, codes % n
    keep = _cosines(index, left, right) >= min_cosine - 1e-9
    return list(zip(left[keep].tolist(), right[keep].tolist()))


def _pairs_in_lists(
    rows: np.ndarray, starts: np.ndarray, sizes: np.ndarray, source_ids: np.ndarray, n: int
) -> np.ndarray:
    """Unique codes i * n + j (i < j, different sources) of all pairs within each posting list."""
    import numpy as np

    # For list of size m at offset s: pairs (s + a, s + b) for 0 <= a < b < m, vectorised by
    # expanding each (list, a) to the m - a - 1 partners after it.
    first_len = np.repeat(sizes, sizes)  # list size for each member
    member_start = np.repeat(starts, sizes)
    pos = np.arange(len(member_start)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    partners = first_len - pos - 1
    a = np.repeat(member_start + pos, partners)
    offset = np.arange(len(a)) - np.repeat(np.cumsum(partners) - partners, partners)
    b = a + 1 + offset
    i, j = rows[a], rows[b]
    cross = source_ids[i] != source_ids[j]
    i, j = i[cross], j[cross]
    return np.unique(np.minimum(i, j) * n + np.maximum(i, j))


def _cosines(index: TokenIndex, left: np.ndarray, right: np.ndarray, chunk: int = 500_000) -> np.ndarray:
    """Exact cosine of each pair (left[k], right[k]): a sorted-key lookup of left's tokens in right."""
    import numpy as np

    out = np.zeros(len(left))
    if not len(left):
        return out
    vocab = np.int64(max(len(index.df), 1))
    lengths = np.diff(index.indptr)
    row = np.repeat(np.arange(index.size, dtype=np.int64), lengths)
    keys = row * vocab + index.indices  # sorted: rows in order, tokens sorted within a row
    for lo in range(0, len(left), chunk):
        a, b = left[lo : lo + chunk], right[lo : lo + chunk]
        swap = lengths[a] > lengths[b]  # walk the shorter row
        a, b = np.where(swap, b, a), np.where(swap, a, b)
        la = lengths[a]
        pair = np.repeat(np.arange(len(a)), la)
        entry = np.repeat(index.indptr[a], la) + (np.arange(int(la.sum())) - np.repeat(np.cumsum(la) - la, la))
        probe = b[pair] * vocab + index.indices[entry]
        at = np.searchsorted(keys, probe)
        at = np.minimum(at, len(keys) - 1)
        hit = keys[at] == probe
        out[lo : lo + chunk] = np.bincount(pair[hit], weights=index.data[entry[hit]] * index.data[at[hit]], minlength=len(a))
    return out


def idf_weight(df: int, n: int) -> float:
    """The matcher's word rarity for a word in `df` of `n` sentences (see matching.word_weights)."""
    top = math.log((n + 1) / 2) or 1.0
    return max(math.log((n + 1) / (df + 1)), 0.0) / top
