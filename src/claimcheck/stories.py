"""Documents -> stories: which articles report the same story, before any claim is compared.

Each document becomes a TF-IDF vector over its content words (stemmed), its names (capitalised
words inside a sentence, and runs of them as one name), its numbers with the noun they count and
the years and calendar dates it mentions; names, figures and dates weigh more than plain words,
because two stories of the same kind (two earthquakes, two arrests) share their vocabulary but
not their places, people and dates. Publication dates a year apart halve a pair's similarity.

Stories are formed by average linkage over cosine similarities: two groups join while the mean
similarity over *all* their cross pairs reaches `STORY_CUT`, so one close pair cannot chain two
stories together. Each story found is then clustered again with word weights counted among its
own documents (up to `DEPTH` levels): a folder of seven stories splits by subject first, and a
subject holding two similar events splits on what tells the two apart. Up to `DENSE_MAX`
documents every pair is compared; beyond, each document keeps its `NEIGHBOURS` most similar
(the rest count as 0), so the work grows with N x neighbours, not N^2 pairs to cluster.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from claimcheck.models import Document, Sentence, Story
from claimcheck.text.words import BASE_STOP_WORDS, stem

# Chosen on ECB+ train (bench/stories.py), checked on dev.
STORY_CUT = 0.16
# Levels of re-clustering each story with its own word weights.
DEPTH = 3
# A lone document joins a story (of two or more) whose mean similarity to it reaches this.
ATTACH_CUT = 0.08
NAME_WEIGHT = 3.0
FIGURE_WEIGHT = 2.0
DATE_WEIGHT = 2.0
# Publication dates further apart than this many days multiply a pair's similarity by DATE_FACTOR.
DATE_GAP_DAYS = 365
DATE_FACTOR = 0.5
DENSE_MAX = 2000
NEIGHBOURS = 20
# Pairs less similar than this count as unrelated (0): they cannot decide a merge at STORY_CUT,
# and leaving them out keeps the clustering linear in the pairs that matter.
PAIR_FLOOR = 0.02
# Above DENSE_MAX documents, terms in more than this share of them (and more than 100) are left
# out of the similarities: they carry little weight (a fifth of it at 10,000 documents) and
# would make the inverted index nearly quadratic (4x the work).
MAX_DF_SHARE = 0.01

_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|co\.uk)\S*", re.I)
_TOKEN_RE = re.compile(r"\x00|\d+(?:[.,]\d+)*|[^\W\d_]+(?:['\u2019.-][^\W\d_]+)*")
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_STOP = BASE_STOP_WORDS | frozenset(
    """mr mrs ms dr st new year years time week day today yesterday tomorrow monday tuesday wednesday
    thursday friday saturday sunday ago last first people like get got make made take took back
    still even well now later earlier since around per cent percent""".split()
)
# Per-token helpers are memoised (most tokens repeat), bounded so a long-lived process stays small.
_cached = lru_cache(maxsize=1 << 18)
# Capitalised words that are not names when they open a name run ("The", "In") or stand alone.
_NOT_NAMES = _STOP | frozenset("the a an in on at of for and but or to by from with as".split())


@dataclass(frozen=True)
class Grouping:
    """Stories over a list of documents: `members[k]` are the indices (into the `docs` given)
    of `stories[k]`, ascending; stories in the order of their first document id (the order of
    their first member when `docs` are sorted by id, as the pipeline passes them)."""

    members: tuple[tuple[int, ...], ...]
    stories: tuple[Story, ...]


# --------------------------------------------------------------------------- terms


@_cached
def _word_key(token: str) -> str | None:
    """`w:` and the stem of a content word; None for stop words, numbers and short tokens."""
    low = token.lower().replace("\u2019", "'")
    if low.endswith("'s"):
        low = low[:-2]
    low = low.replace(".", "").replace("'", "")
    if len(low) < 3 or low in _STOP or not low.isalpha():
        return None
    return "w:" + stem(low)


@_cached
def _is_capitalised(token: str) -> bool:
    """A word that can be (part of) a name: capitalised, not a lone initial, not a stop word."""
    return len(token) > 1 and token[0].isupper() and token.lower() not in _NOT_NAMES


def _number(token: str) -> float | None:
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


_SEP = "\x00"  # between sentences in one token stream: no name starts a sentence


def _title_case(text: str) -> bool:
    """A headline that capitalises every word: its capitals say nothing about names."""
    if len(text) > 200:  # a sentence, not a headline
        return False
    words = [w for w in text.split() if w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


@_cached
def _starts_upper(token: str) -> bool:
    return token[0].isupper()


@_cached
def _starts_digit(token: str) -> bool:
    return token[0].isdigit()


def _names(tokens: list[str], terms: Counter[str], shown: dict[str, str]) -> None:
    """Names: capitalised words after a sentence's first word, each alone and each run of them
    ("Hugh Jackman") as one name; a possessive ends a run."""
    caps = list(map(_is_capitalised, tokens))
    run: list[str] = []
    last = -2
    for i in itertools.compress(range(1, len(tokens)), caps[1:]):
        if tokens[i - 1] == _SEP:
            continue
        if i != last + 1:
            _flush(run, terms, shown)
        tok = tokens[i]
        name = tok.replace("\u2019", "'").removesuffix("'s")
        key = "n:" + name.lower()
        terms[key] += NAME_WEIGHT
        shown[key] = name
        run.append(name)
        last = i
        if len(name) < len(tok):
            _flush(run, terms, shown)
            last = -2
    _flush(run, terms, shown)


def _flush(run: list[str], terms: Counter[str], shown: dict[str, str]) -> None:
    if len(run) > 1:
        key = "n:" + " ".join(run).lower()
        terms[key] += NAME_WEIGHT
        shown[key] = " ".join(run)
    run.clear()


def _figures(tokens: list[str], numbers: list[int], terms: Counter[str], shown: dict[str, str]) -> None:
    """Years, month-day dates, and numbers (`tokens[i]` for i in `numbers`) with the noun after
    them ("26 pirates")."""
    for i in numbers:
        tok = tokens[i]
        value = _number(tok)
        if value is None:
            continue
        prev = tokens[i - 1].lower()[:4].rstrip(".") if i else ""
        if 1900 <= value <= 2099 and tok.isdigit():
            key, form, weight = "y:" + tok, tok, DATE_WEIGHT
        elif prev in _MONTHS and 1 <= value <= 31 and tok.isdigit():
            key, form, weight = f"d:{_MONTHS[prev]:02d}-{int(value):02d}", f"{tokens[i - 1]} {tok}", DATE_WEIGHT
        elif i + 1 < len(tokens) and tokens[i + 1][0].isalpha() and (noun := _word_key(tokens[i + 1])):
            key, form, weight = f"q:{tok} {noun[2:]}", f"{tok} {tokens[i + 1]}", FIGURE_WEIGHT
        else:
            continue
        terms[key] += weight
        shown[key] = form


def document_terms(sentences: Sequence[str]) -> tuple[Counter[str], dict[str, str]]:
    """A document's weighted terms (`w:` word stem, `n:` name, `q:` figure with its noun, `y:`
    year, `d:` month-day) and, per term, how the document wrote it (for labels)."""
    texts = [_URL_RE.sub(" ", t) if "http" in t or "www." in t or "@" in t or ".com" in t else t
             for t in sentences]
    # Title-case lines are read in lower case: their words and figures count, their capitals
    # are not names. One token stream for the document, sentences apart by _SEP.
    tokens = _TOKEN_RE.findall(f" {_SEP} ".join(t.lower() if _title_case(t) else t for t in texts))
    keys = list(map(_word_key, tokens))
    terms: Counter[str] = Counter(filter(None, keys))
    shown: dict[str, str] = dict(zip(keys, tokens))
    shown.pop(None, None)  # type: ignore[call-overload]
    digits = list(map(_starts_digit, tokens))
    _figures(tokens, list(itertools.compress(range(len(tokens)), digits)), terms, shown)
    _names(tokens, terms, shown)
    return terms, shown


def story_terms(sentences: Sequence[Sentence]) -> tuple[Counter[str], dict[str, str]]:
    """`document_terms` of the sentences that say what a document's story is: its compact story
    vector, computed where the document is read (`pipeline.load_partition`)."""
    return document_terms(_story_text(sentences))


def _story_text(sentences: Sequence[Sentence]) -> list[str]:
    """The sentences that say what the story is: claims, the headline, and sentences that are no
    claim only for being vague, questions or headings (not boilerplate); all of them when a
    document has none of those."""
    chosen = [s.text for s in sentences if s.is_claim or s.is_headline
              or (s.reason or "").startswith(("generic", "question", "section heading"))]
    return chosen or [s.text for s in sentences]


# --------------------------------------------------------------------------- similarities


@dataclass(frozen=True)
class _Matrix:
    """L2-normalised TF-IDF rows in CSR form (columns numbered within the matrix)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    df: np.ndarray


@dataclass(frozen=True)
class _Bags:
    """Every document's terms as ids into one sorted vocabulary, with their weighted counts."""

    ids: list[np.ndarray]
    tf: list[np.ndarray]
    size: int

    @classmethod
    def of(cls, bags: Sequence[Counter[str]]) -> _Bags:
        vocab: dict[str, int] = {}
        ids, tf = [], []
        for bag in bags:
            ids.append(np.array([vocab.setdefault(t, len(vocab)) for t in bag], dtype=np.int64))
            tf.append(np.array(list(bag.values()), dtype=np.float64))
        return cls(ids, tf, len(vocab))


def _tfidf(bags: _Bags, subset: Sequence[int]) -> _Matrix:
    """TF-IDF rows of the documents in `subset`, document frequencies counted among them, over
    the terms at least two of them share: a term only one document has cannot make it similar
    to another, it would only lower its cosines by its length."""
    n = len(subset)
    lengths = np.fromiter((len(bags.ids[k]) for k in subset), dtype=np.int64, count=n)
    ids = np.concatenate([bags.ids[k] for k in subset]) if n else np.zeros(0, dtype=np.int64)
    tf = np.concatenate([bags.tf[k] for k in subset]) if n else np.zeros(0)
    rows = np.repeat(np.arange(n), lengths)
    df_all = np.bincount(ids, minlength=bags.size)
    keep = df_all[ids] >= 2
    ids, tf, rows = ids[keep], tf[keep], rows[keep]
    columns, indices = np.unique(ids, return_inverse=True)
    df = df_all[columns]
    idf = np.log((n + 1) / (df + 1)) + 1.0
    data = (1.0 + np.log(tf)) * idf[indices]
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n))
    data = data / np.where(norms > 0, norms, 1.0)[rows]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    return _Matrix(indptr, indices.astype(np.int64), data, df)


def _pairs(m: _Matrix, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cosine similarities (i < j, at least PAIR_FLOOR): all pairs up to DENSE_MAX documents,
    else each document's NEIGHBOURS nearest."""
    dense = n <= DENSE_MAX
    keep = np.ones(len(m.df), dtype=bool) if dense else m.df <= max(100, MAX_DF_SHARE * n)
    rows = np.repeat(np.arange(n), np.diff(m.indptr))
    mask = keep[m.indices]
    rows, cols, vals = rows[mask], m.indices[mask], m.data[mask]
    order = np.argsort(cols, kind="stable")
    post_rows, post_vals = rows[order], vals[order]
    col_ptr = np.concatenate([[0], np.cumsum(np.bincount(cols, minlength=len(m.df)))])
    row_ptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    out_i, out_j, out_s = [], [], []
    start = 0
    budget = 4_000_000  # expanded postings per block: bounds memory
    cost = np.bincount(rows, weights=(col_ptr[cols + 1] - col_ptr[cols]).astype(np.float64), minlength=n)
    while start < n:
        stop = start + 1
        acc = cost[start]
        while stop < n and acc + cost[stop] <= budget and (stop - start) * n < 50_000_000:
            acc += cost[stop]
            stop += 1
        lo, hi = row_ptr[start], row_ptr[stop]
        b_rows, b_cols, b_vals = rows[lo:hi] - start, cols[lo:hi], vals[lo:hi]
        lens = col_ptr[b_cols + 1] - col_ptr[b_cols]
        total = int(lens.sum())
        # Flat positions of every posting of every term in the block (a ragged arange).
        offsets = np.repeat(col_ptr[b_cols] - np.cumsum(lens) + lens, lens) + np.arange(total)
        flat = np.repeat(b_rows, lens) * n + post_rows[offsets]
        sims = np.bincount(flat, weights=np.repeat(b_vals, lens) * post_vals[offsets], minlength=(stop - start) * n)
        block = sims.reshape(stop - start, n)
        block[np.arange(stop - start), np.arange(start, stop)] = 0.0
        bi, bj = np.nonzero(block >= PAIR_FLOOR)
        bs = block[bi, bj]
        bi = bi + start
        if dense:
            sel = bi < bj
        else:
            # Each document's NEIGHBOURS most similar: rank within its row, best first.
            order = np.lexsort((-bs, bi))
            bi, bj, bs = bi[order], bj[order], bs[order]
            row_start = np.searchsorted(bi, bi, side="left")
            sel = np.arange(len(bi)) - row_start < NEIGHBOURS
        out_i.append(np.minimum(bi, bj)[sel])
        out_j.append(np.maximum(bi, bj)[sel])
        out_s.append(bs[sel])
        start = stop
    i = np.concatenate(out_i) if out_i else np.zeros(0, dtype=np.int64)
    j = np.concatenate(out_j) if out_j else np.zeros(0, dtype=np.int64)
    s = np.concatenate(out_s) if out_s else np.zeros(0)
    if not dense and len(i):
        # A pair found from both ends appears twice: keep one (the larger value, they agree).
        key = i * n + j
        order = np.lexsort((-s, key))
        key, i, j, s = key[order], i[order], j[order], s[order]
        first = np.concatenate([[True], key[1:] != key[:-1]])
        i, j, s = i[first], j[first], s[first]
    return i, j, s


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _date_factors(docs: Sequence[Document], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    days = np.array([d.toordinal() if d else -1 for d in map(_parse_date, (doc.date for doc in docs))],
                    dtype=np.int64)
    known = (days[i] >= 0) & (days[j] >= 0)
    far = known & (np.abs(days[i] - days[j]) > DATE_GAP_DAYS)
    return np.where(far, DATE_FACTOR, 1.0)


# --------------------------------------------------------------------------- clustering


def _average_linkage(n: int, i: np.ndarray, j: np.ndarray, s: np.ndarray, cut: float) -> list[list[int]]:
    """Merge the pair of groups with the highest mean cross similarity (absent pairs count 0)
    while it reaches `cut` (`ATTACH_CUT` for a lone document joining a group of two or more).
    Ties go to the lowest document indices, so the result is canonical."""
    low = min(cut, ATTACH_CUT)
    members: dict[int, list[int]] = {k: [k] for k in range(n)}
    links: dict[int, dict[int, float]] = {k: {} for k in range(n)}
    for a, b, v in zip(i.tolist(), j.tolist(), s.tolist()):
        links[a][b] = links[a].get(b, 0.0) + v
        links[b][a] = links[b].get(a, 0.0) + v
    heap = [(-v, a, b) for a, b, v in zip(i.tolist(), j.tolist(), s.tolist()) if v >= low]
    heapq.heapify(heap)

    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        cross = links[a].get(b, 0.0)
        mean = cross / (len(members[a]) * len(members[b]))
        if abs(mean + neg) > 1e-12:
            continue  # stale: one side has grown since this entry was pushed
        if mean < cut and not (min(len(members[a]), len(members[b])) == 1 < max(len(members[a]), len(members[b]))):
            continue
        keep, gone = (a, b) if len(members[a]) >= len(members[b]) else (b, a)
        members[keep].extend(members.pop(gone))
        gone_links = links.pop(gone)
        gone_links.pop(keep, None)
        links[keep].pop(gone, None)
        for c, v in gone_links.items():
            links[c].pop(gone)
            links[keep][c] = links[keep].get(c, 0.0) + v
            links[c][keep] = links[keep][c]
        size = len(members[keep])
        for c, v in links[keep].items():
            mean = v / (size * len(members[c]))
            if mean >= low:
                heapq.heappush(heap, (-mean, min(keep, c), max(keep, c)))
    return sorted(sorted(m) for m in members.values())


def _cluster(docs: Sequence[Document], bags: _Bags, subset: list[int], cut: float,
             depth: int) -> tuple[list[list[int]], dict[tuple[int, int], float]]:
    """Stories among `subset` (indices into `docs`), and the similarity of each pair inside one.

    Each story found is clustered again with word weights from its own documents, where the
    vocabulary it shares with a similar story no longer weighs and what tells them apart does:
    a folder of earthquake reports splits by topic first, then into the two earthquakes."""
    m = len(subset)
    matrix = _tfidf(bags, subset)
    i, j, s = _pairs(matrix, m)
    s = s * _date_factors([docs[k] for k in subset], i, j)
    local = _average_linkage(m, i, j, s, cut)
    sim = {(subset[a], subset[b]): v for a, b, v in zip(i.tolist(), j.tolist(), s.tolist())}
    if depth <= 1 or len(local) == 1:
        return [[subset[k] for k in g] for g in local], sim
    groups: list[list[int]] = []
    inside: dict[tuple[int, int], float] = {}
    for g in local:
        part = [subset[k] for k in g]
        if len(part) < 3:
            groups.append(part)
            inside.update({p: sim.get(p, 0.0) for p in itertools.combinations(part, 2)})
            continue
        sub, sub_sim = _cluster(docs, bags, part, cut, depth - 1)
        groups.extend(sub)
        inside.update(sub_sim)
    return sorted(groups), inside


# --------------------------------------------------------------------------- labels


def _label_terms(story: list[int], bags: Sequence[Counter[str]], shown: Sequence[dict[str, str]],
                 df: Counter[str], n: int, limit: int = 5) -> list[str]:
    """The story's most distinctive shared terms, as written: present in many of its documents,
    in few others; names and multi-word names first."""
    inside: Counter[str] = Counter()
    for k in story:
        inside.update(bags[k].keys())
    size = len(story)
    outside = n - size
    scored = []
    for term, count in inside.items():
        if size > 1 and count < 2:
            continue
        cover = count / size
        elsewhere = (df[term] - count) / outside if outside else 0.0
        boost = {"n": 2.0, "q": 1.2, "y": 0.6, "d": 0.6}.get(term[0], 1.0)
        if term.startswith("n:") and " " in term:
            boost = 3.0
        scored.append((-(cover * cover * (1.0 - elsewhere) * boost), term))
    scored.sort()
    # A name already shown in a longer one is not repeated ("Jackman" after "Hugh Jackman"), and
    # the longer one takes the shorter's place.
    chosen: list[tuple[frozenset[str], str]] = []
    for _, term in scored:
        forms = Counter(shown[k][term] for k in story if term in shown[k])
        text = min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if term.startswith("w:"):
            text = text.lower()
        words = frozenset(stem(w) for w in text.lower().split())
        if any(words <= other for other, _ in chosen):
            continue
        narrower = [k for k, (other, _) in enumerate(chosen) if other < words]
        if narrower:
            chosen[narrower[0]] = (words, text)
            chosen = [c for k, c in enumerate(chosen) if k not in narrower[1:]]
        else:
            chosen.append((words, text))
        if len(chosen) == limit:
            break
    return [text for _, text in chosen]


# --------------------------------------------------------------------------- entry point


def group_stories(docs: Sequence[Document], sentences: Sequence[Sequence[Sentence]], *,
                  cut: float = STORY_CUT, terms: Sequence[tuple[Counter[str], dict[str, str]]] | None = None) -> Grouping:
    """Partition `docs` (with `sentences[k]` the sentences of `docs[k]`) into stories; `terms[k]`,
    when given, is `story_terms(sentences[k])` computed beforehand (where the document was read).

    The result does not depend on the order of `docs`: documents are taken in `Document.id`
    order inside. Story ids are `s1`, `s2`, ... in the order of each story's first document id.
    """
    if len(docs) != len(sentences):
        raise ValueError("group_stories: one sentence list per document expected")
    order = sorted(range(len(docs)), key=lambda k: (docs[k].id, docs[k].path, docs[k].text))
    sorted_docs = [docs[k] for k in order]
    n = len(sorted_docs)
    if n == 0:
        return Grouping((), ())
    bags, shown = [], []
    for k in order:
        bag, forms = terms[k] if terms is not None else story_terms(sentences[k])
        bags.append(bag)
        shown.append(forms)
    groups, sim = _cluster(sorted_docs, _Bags.of(bags), list(range(n)), cut, DEPTH)
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    groups.sort(key=lambda g: g[0])
    story_of = {k: number for number, g in enumerate(groups) for k in g}
    inside = [0.0] * len(groups)
    for (a, b), v in sim.items():
        if story_of[a] == story_of[b]:
            inside[story_of[a]] += v
    stories, members = [], []
    for number, group in enumerate(groups, start=1):
        pairs = len(group) * (len(group) - 1) // 2
        mean = inside[number - 1] / pairs if pairs else None
        terms = _label_terms(group, bags, shown, df, n)
        stories.append(Story(
            id=f"s{number}",
            label=" / ".join(terms[:2]) if terms else sorted_docs[group[0]].name,
            terms=tuple(terms),
            sources=tuple(sorted_docs[k].id for k in group),
            similarity=None if mean is None else round(mean, 4),
        ))
        members.append(tuple(sorted(order[k] for k in group)))
    return Grouping(tuple(members), tuple(stories))

