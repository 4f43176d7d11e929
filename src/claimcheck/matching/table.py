"""Sentence features, batch-first: many sentences -> one `SentenceTable` of id arrays.

Each sentence is tokenised once into sets of ids over one vocabulary (content words, names,
negated words, synonym classes, word pairs, figures, years, weekdays, event polarities), stored
as CSR arrays (`indptr`, `indices`) so pair features are array work over thousands of pairs at
once (`pairs.pair_matrix`). Word rarities (IDF over the collection) are one float per id.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from claimcheck.matching.normalise import (
    CLAUSE_WORDS,
    NEGATION_SKIP,
    NEGATIONS,
    POLARITY,
    STOP_WORDS,
    TOKEN_RE,
    WEEKDAYS,
    normal_token,
    normalise_text,
    soft_key,
    SOFT_CLASS,
)

SAY_CLASS = 0  # the first synonym class: say / said / told / stated ...
from claimcheck.matching.quantities import Quantity, quantities

FIELDS = ("content", "entity", "negated", "soft", "bigram", "number", "year", "weekday", "polarity", "antipolarity",
          "figure_topic", "figure_value")
_NOT_UN_EXCEPTIONS = frozenset({"united", "unified", "understood", "undertaked", "unexpected"})


@dataclass(frozen=True, slots=True)
class Parsed:
    """One sentence's tokens, as strings (before they get vocabulary ids)."""

    content: list[str]
    entity: set[str]
    negated: set[str]
    polarity: set[int]
    quantities: tuple[Quantity, ...]
    question: bool


_PUNCT, _DIGIT, _NEGATION, _SKIP, _WORD = range(5)
# What each surface token is, worked out once per distinct token (news vocabulary repeats):
# (kind, normalised token, polarity ids, capitalised, all capitals, opens a clause, "un...ed",
# opens a quote or clause for the name rule).
_INFO: dict[str, tuple] = {}


_SAY_SKIP = frozenset("say says said tell told".split())


def _token_info(raw: str) -> tuple:
    c = raw[0]
    if not c.isalnum():
        info: tuple = (_PUNCT, None, None, False, False, False, False, raw in ('"', "(", "—", "–", ":"))
    elif c.isdigit():
        info = (_DIGIT, None, None, False, False, False, False, False)
    else:
        low = raw.lower()
        cap, caps = c.isupper(), len(raw) > 1 and raw.isupper()
        unneg = False
        kind = _WORD
        if "'" in low:
            head, _, tail = low.partition("'")
            if tail == "t" and head.endswith("n"):
                kind = _NEGATION
            low = head
        if kind == _WORD and low in NEGATIONS:
            kind = _NEGATION
        if kind == _WORD and low.startswith("un") and len(low) >= 7 and low.endswith("ed") and low not in _NOT_UN_EXCEPTIONS:
            unneg = True
            low = low[2:]
        clause = low in CLAUSE_WORDS
        if kind == _WORD and (low in STOP_WORDS or len(low) < 2 or low in NEGATION_SKIP):
            kind = _SKIP
        token = normal_token(low) if kind == _WORD else None
        info = (kind, token, POLARITY.get(token) if token else None, cap, caps, clause, unneg, False)
    if len(_INFO) < 500_000:
        _INFO[raw] = info
    return info


def parse(text: str) -> Parsed:
    """Tokenise and normalise one sentence."""
    norm = normalise_text(text)
    content: list[str] = []
    entity: set[str] = set()
    negated: set[str] = set()
    polarity: set[int] = set()
    pending = 0
    first = True
    shouting = norm.isupper()  # an all-capitals headline: capitals mark no names
    get = _INFO.get
    for raw in TOKEN_RE.findall(norm):
        info = get(raw) or _token_info(raw)
        kind = info[0]
        if kind == _PUNCT:
            pending = 0
            first = first or info[7]
            continue
        if kind == _DIGIT:
            first = False
            continue
        is_entity = not shouting and ((not first and info[3]) or info[4])
        first = False
        if kind == _NEGATION:
            pending = 2
            continue
        if info[6]:
            pending = 2
        if info[5]:
            pending = 0
        if kind == _SKIP:
            if pending and raw.lower() in _SAY_SKIP:
                pending = 0  # "would not say why the permit was denied" negates no claim
            continue
        token = info[1]
        content.append(token)
        if pending:
            if SOFT_CLASS.get(token) != SAY_CLASS:  # "would not say", "declined to comment": no claim negated
                negated.add(token)
            pending = 0
        if is_entity:
            entity.add(token)
        if info[2]:
            polarity.update(info[2])
    quants = quantities(norm)
    # A sentence with both sides of an opposition ("open the door ... close the door") takes no side.
    polarity = {p for p in polarity if p ^ 1 not in polarity}
    return Parsed(content, entity, negated, polarity, quants, norm.rstrip().endswith("?"))


@cache
def _soft(token: str) -> str:
    return "s" + soft_key(token)


class Vocabulary:
    """Interned ids for every token string of every field (one dict, prefixes keep fields apart),
    plus `extra` ids that need no name after the table is built (word pairs)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.extra = 0

    def __len__(self) -> int:
        return len(self.ids) + self.extra


class TextColumn(Sequence[str]):
    """Many strings in one buffer with offsets (a str object per row costs ~50 bytes more)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._buffer = "".join(texts)
        self._offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=self._offsets[1:])

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        return self._buffer[self._offsets[i]: self._offsets[i + 1]]

    def nbytes(self) -> int:
        return len(self._buffer.encode("utf-32-le")) // 4 * (1 if self._buffer.isascii() else 4) + self._offsets.nbytes


class _Tokens(Sequence[tuple[str, ...]]):
    """Each row's content words, split from `SentenceTable.content_text` when asked for."""

    def __init__(self, content_text: Sequence[str]) -> None:
        self._text = content_text

    def __len__(self) -> int:
        return len(self._text)

    def __getitem__(self, i):
        text = self._text[i]
        return tuple(text.split(" ")) if text else ()


class _Rows:
    """CSR rows being built: ids flat in one int64 array, and each row's length."""

    def __init__(self) -> None:
        self.flat = array("q")
        self.lengths = array("q")

    def append(self, ids) -> None:
        before = len(self.flat)
        self.flat.extend(ids)
        self.lengths.append(len(self.flat) - before)


@dataclass(frozen=True)
class CSR:
    """Rows of sorted unique ids: row i is indices[indptr[i]:indptr[i+1]] (int32)."""

    indptr: np.ndarray
    indices: np.ndarray

    @staticmethod
    def from_rows(rows: Sequence[Sequence[int]] | _Rows) -> CSR:
        if not isinstance(rows, _Rows):
            built = _Rows()
            for r in rows:
                built.append(r)
            rows = built
        lengths = np.frombuffer(rows.lengths, dtype=np.int64) if len(rows.lengths) else np.zeros(0, dtype=np.int64)
        flat = np.frombuffer(rows.flat, dtype=np.int64) if len(rows.flat) else np.zeros(0, dtype=np.int64)
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        row_of = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        order = np.lexsort((flat, row_of))
        return CSR(indptr, flat[order].astype(np.int32))  # ids < 2^31 (12 per claim)

    def lengths(self) -> np.ndarray:
        return np.diff(self.indptr)

    def row(self, i: int) -> np.ndarray:
        return self.indices[self.indptr[i]: self.indptr[i + 1]]

    def row_sums(self, weights: np.ndarray) -> np.ndarray:
        """Sum of `weights` over each row's ids."""
        if not len(self.indices):
            return np.zeros(len(self.indptr) - 1)
        rows = np.repeat(np.arange(len(self.indptr) - 1), self.lengths())
        return np.bincount(rows, weights=weights[self.indices], minlength=len(self.indptr) - 1)


@dataclass(frozen=True)
class SentenceTable:
    """Features of many sentences, in arrays; see the module docstring."""

    texts: tuple[str, ...]
    vocab: Vocabulary
    fields: dict[str, CSR]
    content_text: Sequence[str]  # a TextColumn
    n_content: np.ndarray
    questions: np.ndarray
    quantities: tuple[tuple[Quantity, ...], ...]
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def tokens(self) -> Sequence[tuple[str, ...]]:
        """Each row's content words, in order."""
        return _Tokens(self.content_text)

    def nbytes(self) -> int:
        """Bytes the table's own arrays and objects hold (not `texts`, the caller's strings;
        shared Quantity objects counted once per row), for the bytes-per-claim figure."""
        import sys

        arrays = sum(c.indptr.nbytes + c.indices.nbytes for c in self.fields.values())
        arrays += self.n_content.nbytes + self.questions.nbytes
        text = self.content_text.nbytes() if isinstance(self.content_text, TextColumn) else \
            sum(sys.getsizeof(t) for t in self.content_text)
        vocab = sys.getsizeof(self.vocab.ids) + sum(sys.getsizeof(k) for k in self.vocab.ids)
        quants = sys.getsizeof(self.quantities) + sum(
            sys.getsizeof(q) + sum(sys.getsizeof(x) for x in q) for q in self.quantities)
        return arrays + text + vocab + quants + sys.getsizeof(self.texts)

    def row_weights(self, name: str, weights: np.ndarray) -> np.ndarray:
        """`CSR.row_sums` of a field, computed once per weight vector."""
        key = (name, id(weights))
        got = self.memo.get(key)
        if got is None or got[0] is not weights:
            got = self.memo[key] = (weights, self.fields[name].row_sums(weights))
        return got[1]

    def idf(self) -> np.ndarray:
        """Rarity of each id in this collection, IDF scaled to [0, 1]: an id in every sentence
        weighs ~0, one in a single sentence 1."""
        return idf_weights(self.document_frequencies(), len(self))

    def document_frequencies(self) -> np.ndarray:
        """In how many sentences each id occurs (ids are unique within a row)."""
        df = np.zeros(len(self.vocab), dtype=np.int64)
        for csr in self.fields.values():
            df += np.bincount(csr.indices, minlength=len(self.vocab))
        return df

    def weights_from(self, frequencies: Mapping[str, int], n: int) -> np.ndarray:
        """Rarities for this table's ids from outside document frequencies (unknown ids weigh 1)."""
        top = math.log((n + 1) / 2) or 1.0
        out = np.ones(len(self.vocab))
        for token, i in self.vocab.ids.items():
            d = frequencies.get(token)
            if d is not None:
                out[i] = max(math.log((n + 1) / (d + 1)), 0.0) / top
        return out


def idf_weights(df: np.ndarray, n: int) -> np.ndarray:
    top = math.log((n + 1) / 2) or 1.0
    return np.maximum(np.log((n + 1) / (df + 1.0)), 0.0) / top


def build_table(texts: Sequence[str]) -> SentenceTable:
    """Featurise `texts` into one table (the per-sentence work of the matcher, done once)."""
    vocab = Vocabulary()
    rows = {f: _Rows() for f in FIELDS}
    content_text: list[str] = []
    n_content = np.zeros(len(texts), dtype=np.int64)
    questions = np.zeros(len(texts), dtype=bool)
    quants: list[tuple[Quantity, ...]] = []
    ids = vocab.ids
    pairs: dict[int, int] = {}  # word pair (two word ids) -> id; dropped once the table is built
    for k, text in enumerate(texts):
        p = parse(text)
        content = p.content
        cset = set(content)
        cid = {t: ids.setdefault("w" + t, len(ids) + len(pairs)) for t in cset}
        rows["content"].append(cid.values())
        rows["entity"].append([cid[t] for t in p.entity])
        rows["negated"].append([cid[t] for t in p.negated])
        rows["soft"].append({ids.setdefault(_soft(t), len(ids) + len(pairs)) for t in cset})
        rows["bigram"].append({pairs.setdefault((cid[a] << 32) | cid[b], len(ids) + len(pairs))
                               for a, b in zip(content, content[1:])})
        numbers, years, topics, values = set(), set(), set(), set()
        for q in p.quantities:
            if q.is_figure:
                for topic in q.topics:
                    topics.add(ids.setdefault(f"t{q.kind}{q.unit}:{topic}", len(ids) + len(pairs)))
                    values.add(ids.setdefault(f"v{q.kind}{q.unit}:{topic}={q.value:g}", len(ids) + len(pairs)))
            if q.value is None:
                continue
            if q.kind == "date" and 1900 <= q.value <= 2100:
                years.add(ids.setdefault(f"y{q.value:g}", len(ids) + len(pairs)))
            else:
                numbers.add(ids.setdefault("n" + q.key, len(ids) + len(pairs)))
        rows["number"].append(numbers)
        rows["figure_topic"].append(topics)
        rows["figure_value"].append(values)
        rows["year"].append(years)
        rows["weekday"].append([cid[t] for t in cset & WEEKDAYS] if cset & WEEKDAYS else ())
        if p.polarity:
            rows["polarity"].append({ids.setdefault(f"p{i}", len(ids) + len(pairs)) for i in p.polarity})
            rows["antipolarity"].append({ids.setdefault(f"p{i ^ 1}", len(ids) + len(pairs)) for i in p.polarity})
        else:
            rows["polarity"].append(())
            rows["antipolarity"].append(())
        content_text.append(" ".join(content))
        n_content[k] = len(cset)
        questions[k] = p.question
        quants.append(p.quantities)
    vocab.extra = len(pairs)
    del pairs
    return SentenceTable(
        texts=tuple(texts),
        vocab=vocab,
        fields={f: CSR.from_rows(r) for f, r in rows.items()},
        content_text=TextColumn(content_text),
        n_content=n_content,
        questions=questions,
        quantities=tuple(quants),
    )
