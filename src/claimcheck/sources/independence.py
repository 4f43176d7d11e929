"""Which sources are one report: copies, wire credits, one outlet in several files, relayed claims.

Each source gets a story origin (`SourceOrigin`); each claim member counts for its source's origin,
or for the outlet its sentence relays ("Reuters reports, citing ..."); a claim's
`independent_support` is the number of distinct origins among its members. Groups are consumed
only through their members (source, sentence_index, text), so any grouping can feed this stage.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from itertools import chain
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import numpy as np
from rapidfuzz import fuzz

from claimcheck.sources.attribution import (DocumentAttributions, is_stem_name as _is_stem_name, may_name_outlet,
                                           outlet_key, outlet_name_key, outlets_in)
from claimcheck.sources.direction import shorten, direction
from claimcheck.read.files import reduce_markdown
from claimcheck.models import (
    Attribution,
    ClaimGroup,
    Document,
    Member,
    OriginEvidence,
    Sentence,
    SourceOrigin,
)

# Copy detection. Two sentences are "the same" at a normalised rapidfuzz ratio of COPY_SCORE or
# more (light edits: a word changed, a clause cut); two sources are copies of one story when at
# least COPY_MIN_MATCHED sentences match one-to-one, covering COPY_MIN_SHARE of the shorter
# source, and at least half of them run in the same order (paragraphs may be cut or moved).
COPY_SCORE = 85.0
COPY_MIN_MATCHED = 3
COPY_MIN_SHARE = 0.5
COPY_MIN_WORDS = 5
# Longer "sentences" are run-on text without punctuation (not claims either): nothing to compare.
COPY_MAX_WORDS = 250
SHINGLE = 4
# A word 4-gram in more sentences than this is boilerplate or a stock phrase: it proposes no pairs.
MAX_POSTING = 50

_WORD_RE = re.compile(r"\w+")
_CREDIT_LINE_RE = re.compile(
    r"\b(?:contributed to this (?:report|story|article)|contributed reporting|contributed\b|"
    r"(?:originally|first) (?:published|appeared) (?:by|in|on|at)|republished (?:from|with permission)|"
    r"(?:this|the) (?:story|article|report) (?:was )?(?:first )?(?:published|appeared) (?:by|in|on)|"
    r"reporting by|writing by|editing by)\b",
    re.I,
)
_STANDALONE_CREDIT_RE = re.compile(r"^[\s(\u2014\u2013-]*([A-Z][\w .&/-]{1,40}?)[\s).]*$")


# --------------------------------------------------------------------------- copies


# ASCII text read as _WORD_RE reads it: letters lowered, digits and "_" kept, every other byte a space.
_ASCII_WORDS = bytes(
    (ord(chr(i).lower()) if chr(i).isalnum() or chr(i) == "_" else 32) if i < 128 else i for i in range(256)
)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while millions of small lists and strings are made (it
    would walk the whole heap again and again: a third of copy detection's time at 10k articles);
    nothing built here holds a reference cycle."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _eligible_words(sentences: Sequence[Sentence]) -> list[list[str]]:
    """The words of each normalised body sentence that copy detection compares."""
    out = []
    for s in sentences:
        if s.is_headline or s.text.count(" ") >= COPY_MAX_WORDS * 3:
            continue
        if s.text.isascii():  # the same words as the regex, at a fraction of the cost
            words = s.text.encode().translate(_ASCII_WORDS).decode().split()
        else:
            words = _WORD_RE.findall(s.text.lower())
        if COPY_MIN_WORDS <= len(words) <= COPY_MAX_WORDS:
            out.append(words)
    return out


def _longest_increasing(values: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting, O(n log n))."""
    tails: list[int] = []
    for v in values:
        i = bisect_left(tails, v)
        if i == len(tails):
            tails.append(v)
        else:
            tails[i] = v
    return len(tails)


CopyLink = tuple[str, str, int, int, float]
# Word ids below this pack four to a 64-bit shingle key; a larger vocabulary numbers word pairs first.
_PACK_VOCABULARY = 1 << 16


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (a sort and a mask: cheaper than np.unique's hash table here)."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def _ranks(values: np.ndarray) -> np.ndarray:
    """Each value's rank among the distinct values (np.unique's inverse, by one sort)."""
    if not len(values):
        return values.astype(np.int64)
    order = np.argsort(values)
    step = np.concatenate([[0], (values[order][1:] != values[order][:-1]).astype(np.int64)])
    out = np.empty(len(values), dtype=np.int64)
    out[order] = np.cumsum(step)
    return out


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each run of equal values in a sorted array."""
    if not len(values):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    first = np.flatnonzero(np.concatenate([[True], values[1:] != values[:-1]]))
    return first, np.diff(np.concatenate([first, [len(values)]]))


def _spans(first: np.ndarray, size: np.ndarray) -> np.ndarray:
    """first[k], first[k] + 1, ..., first[k] + size[k] - 1 for every k, concatenated."""
    return np.repeat(first, size) + (np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size))


def _shingle_keys(ids: np.ndarray, vocabulary: int) -> np.ndarray:
    """An exact integer key for the word 4-gram starting at each word of `ids` (word ids; the
    last SHINGLE - 1 positions start none)."""
    a, b, c, d = (ids[k:len(ids) - SHINGLE + 1 + k] for k in range(SHINGLE))
    if vocabulary <= _PACK_VOCABULARY:
        return (a << 48) | (b << 32) | (c << 16) | d
    # Number the distinct word pairs (fewer than 2**32 of them), then pack two pair numbers.
    pairs = _ranks(np.concatenate([(a << 32) | b, (c << 32) | d]))
    return (pairs[: len(a)] << 32) | pairs[len(a):]


# Buckets of the first pass that drops 4-grams seen once (most of them) before the sort.
_BUCKET_BITS = 23


def _candidate_pairs(words: Sequence[list[str]], doc_of: np.ndarray,
                     chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sentence pairs (left < right, of different documents) sharing a word 4-gram that at most
    MAX_POSTING sentences contain and at least two documents, each pair once, but for pairs
    whose lengths (`chars`, of the normalised text) are too far apart to reach COPY_SCORE.

    An inverted index built with numpy: 4-gram keys mixed from the words' hashes, the 4-grams
    alone in their key's bucket dropped (most are), the rest sorted into posting lists, and the
    pairs inside each short list (at most MAX_POSTING**2 / 2 per 4-gram). Exact, but for two
    different words with one 64-bit str hash (about 1e-9 in a 100k-word vocabulary); two
    4-grams under one key are caught by a second key and send the exact path.
    """
    empty = np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    if not np.maximum(lengths - SHINGLE + 1, 0).sum():
        return empty, empty
    hashes = np.fromiter(map(hash, chain.from_iterable(words)), dtype=np.int64, count=int(lengths.sum()))
    of_word = np.repeat(np.arange(len(words), dtype=np.int64), lengths)
    keys, check = _mixed_keys(hashes, _MIX), _mixed_keys(hashes, _MIX_CHECK)
    sentence = of_word[: len(keys)]
    inside = sentence == of_word[SHINGLE - 1:]  # the 4-gram ends in the sentence it starts in
    keys, check, sentence = keys[inside], check[inside], sentence[inside]
    bucket = (keys.view(np.uint64) >> np.uint64(64 - _BUCKET_BITS)).astype(np.int64)
    shared = np.bincount(bucket, minlength=1 << _BUCKET_BITS)[bucket] >= 2
    keys, check, sentence = keys[shared], check[shared], sentence[shared]
    order = np.lexsort((sentence, keys))
    keys, check, sentence = keys[order], check[order], sentence[order]
    if np.any((keys[1:] == keys[:-1]) & (check[1:] != check[:-1])):  # two 4-grams under one key
        return _candidate_pairs_exact(words, doc_of, chars, hashes)
    return _pairs_in_postings(keys, sentence, doc_of, chars)


# Odd 64-bit multipliers mixing four word hashes into a 4-gram key, and into a second key that
# catches two 4-grams sharing the first (about 1e-6 at 10k articles; then the exact path runs).
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX_CHECK = np.uint64(0xC2B2AE3D27D4EB4F)


def _mixed_keys(hashes: np.ndarray, mix: np.uint64) -> np.ndarray:
    """A 64-bit key for the 4-gram starting at each word (wrapping arithmetic on the hashes)."""
    h = hashes.view(np.uint64)
    key = np.zeros(len(h) - SHINGLE + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            key = (key ^ h[k:len(h) - SHINGLE + 1 + k]) * mix
            key ^= key >> np.uint64(29)
    return key.view(np.int64)


def _candidate_pairs_exact(words: Sequence[list[str]], doc_of: np.ndarray, chars: np.ndarray,
                           hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`_candidate_pairs` with word ids numbered by a sort and 4-gram keys packed from them."""
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ids = _ranks(hashes)
    of_word = np.repeat(np.arange(len(words), dtype=np.int64), lengths)
    keys = _shingle_keys(ids, int(ids.max()) + 1)
    sentence = of_word[: len(keys)]
    inside = sentence == of_word[SHINGLE - 1:]
    keys, sentence = keys[inside], sentence[inside]
    order = np.lexsort((sentence, keys))
    return _pairs_in_postings(keys[order], sentence[order], doc_of, chars)


def _pairs_in_postings(keys: np.ndarray, sentence: np.ndarray, doc_of: np.ndarray,
                       chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs from 4-gram occurrences sorted by (key, sentence)."""
    empty = np.zeros(0, dtype=np.int64)
    if not len(keys):
        return empty, empty
    keep = np.concatenate([[True], (keys[1:] != keys[:-1]) | (sentence[1:] != sentence[:-1])])
    keys, sentence = keys[keep], sentence[keep]  # a 4-gram twice in one sentence counts once
    first, size = _runs(keys)
    docs = doc_of[sentence]
    # Sentences sort by document within a posting list: two documents iff first and last differ.
    usable = (size >= 2) & (size <= MAX_POSTING) & (docs[first] != docs[first + size - 1])
    first, size = first[usable], size[usable]
    if not len(first):
        return empty, empty
    # Each posting list ordered by sentence length: every entry is paired with the entries after
    # it up to the longest length fuzz.ratio allows, 200 * short / (short + long) >= COPY_SCORE - 1
    # (the ratio is at most that bound), i.e. long <= short * (201 - COPY_SCORE) / (COPY_SCORE - 1).
    entry = _spans(first, size)
    posting = np.repeat(np.arange(len(first), dtype=np.int64), size)
    length = chars[sentence[entry]]
    order = np.lexsort((length, posting))
    entry, length = entry[order], length[order]
    span = np.int64(length.max() + 1)
    longest = (length * int(201 - COPY_SCORE)) // int(COPY_SCORE - 1)
    at = posting * span + length  # sorted
    after = np.searchsorted(at, posting * span + np.minimum(longest, span - 1), side="right") - np.arange(len(at)) - 1
    position = np.arange(len(at), dtype=np.int64)
    a, b = sentence[entry[np.repeat(position, after)]], sentence[entry[_spans(position + 1, after)]]
    differ = doc_of[a] != doc_of[b]
    a, b = a[differ], b[differ]
    n = np.int64(len(chars))
    unique = _distinct(np.minimum(a, b) * n + np.maximum(a, b))
    return unique // n, unique % n


def find_copies(sentences: Mapping[str, Sequence[Sentence]],
                words: Mapping[str, list[list[str]]] | None = None) -> list[CopyLink]:
    """Pairs of sources that print one story: (a, b, matched, in_order, share), a < b, sorted.

    Candidate sentence pairs share a word 4-gram that is not common in the collection (an
    inverted index, so the cost grows with the shared n-grams, not with all pairs); each
    candidate is verified with rapidfuzz's ratio on normalised text. Document pairs whose
    candidates cannot reach COPY_MIN_MATCHED sentences and COPY_MIN_SHARE of the shorter source
    (sentence lengths too far apart for the ratio to reach COPY_SCORE are left out first) are
    dropped before any sentence is scored.
    """
    with _gc_paused():
        return _find_copies(sentences, words)


def _find_copies(sentences: Mapping[str, Sequence[Sentence]],
                 words: Mapping[str, list[list[str]]] | None) -> list[CopyLink]:
    ids = sorted(sentences)
    words = words or {sid: _eligible_words(sentences[sid]) for sid in ids}
    flat_words = [w for sid in ids for w in words[sid]]
    counts = np.array([len(words[sid]) for sid in ids], dtype=np.int64)
    doc_of = np.repeat(np.arange(len(ids), dtype=np.int64), counts)
    base = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    chars = np.fromiter((sum(map(len, w)) + len(w) - 1 for w in flat_words), dtype=np.int64, count=len(flat_words))
    left, right = _candidate_pairs(flat_words, doc_of, chars)
    if not len(left):
        return []
    da, db = doc_of[left], doc_of[right]
    n_docs = np.int64(len(ids))
    pair_doc = da * n_docs + db
    # At most as many sentences match one-to-one as either side has distinct candidates.
    n_sent = np.int64(len(flat_words))
    side_a = _distinct(pair_doc * n_sent + left) // n_sent  # document pair of each distinct sentence
    side_b = _distinct(pair_doc * n_sent + right) // n_sent
    first_a, count_a = _runs(side_a)
    _, count_b = _runs(side_b)  # the same document pairs, in the same order
    docs_a = side_a[first_a]
    bound = np.minimum(count_a, count_b)
    shorter = np.minimum(counts[docs_a // n_docs], counts[docs_a % n_docs])
    viable = docs_a[(bound >= COPY_MIN_MATCHED) & (2 * bound >= shorter)]
    pick = np.isin(pair_doc, viable)
    out: list[CopyLink] = []
    grouped: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for p, x, y in zip(pair_doc[pick].tolist(), left[pick].tolist(), right[pick].tolist(), strict=True):
        grouped[p].append((x, y))
    for p in sorted(grouped):
        a, b = ids[p // len(ids)], ids[p % len(ids)]
        off_a, off_b = int(base[p // len(ids)]), int(base[p % len(ids)])
        scored = []
        for x, y in grouped[p]:
            ia, ib = x - off_a, y - off_b
            score = fuzz.ratio(" ".join(flat_words[x]), " ".join(flat_words[y]), processor=None,
                               score_cutoff=COPY_SCORE)
            if score:
                scored.append((-score, ia, ib))
        link = _verify(a, b, scored, int(min(counts[p // len(ids)], counts[p % len(ids)])))
        if link:
            out.append(link)
    return out


def _verify(a: str, b: str, scored: list[tuple[float, int, int]], shorter: int) -> CopyLink | None:
    """The copy link between `a` and `b` from their scored sentence pairs, or None: sentences
    matched one-to-one, best score first, and the share and order that makes them one story."""
    scored.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched: list[tuple[int, int]] = []
    for _, ia, ib in scored:
        if ia not in used_a and ib not in used_b:
            used_a.add(ia)
            used_b.add(ib)
            matched.append((ia, ib))
    if len(matched) < COPY_MIN_MATCHED or not shorter:
        return None
    share = len(matched) / shorter
    in_order = _longest_increasing([ib for _, ib in sorted(matched)])
    if share >= COPY_MIN_SHARE and in_order * 2 >= len(matched):
        return (a, b, len(matched), in_order, round(share, 3))
    return None


# --------------------------------------------------------------------------- credits


def wire_credits(doc: Document) -> list[tuple[str, str]]:
    """(outlet, the line) for each credit to another news organisation in the document.

    A wire byline ("By Danny Kemp for AFP"), a dateline tag ("(Reuters) -"), a credit line
    ("AFP contributed to this report", "Originally published by Politico") or a line that is
    only a wire's name ("Associated Press"). The publisher's own name is not a credit.
    """
    own = outlet_key(doc.name)
    found: list[tuple[str, str]] = []

    def add(line: str) -> None:
        line = reduce_markdown(0, line).text.strip()  # "By [Danny Kemp for AFP](#)" as read
        for outlet in outlets_in(line):
            if outlet_key(outlet) != own and outlet not in [o for o, _ in found]:
                found.append((outlet, line))

    for credit, _ in doc.credits:  # the page's or record's byline and publisher
        add(credit)
    for d in doc.dropped:
        if "photo" in d.reason or "caption" in d.reason:  # "Zuma / TASS" credits the picture, not the story
            continue
        if d.reason in ("byline", "dateline") or _CREDIT_LINE_RE.search(d.text):
            add(d.text)
        elif len(d.text.split()) <= 4 and _STANDALONE_CREDIT_RE.match(d.text):
            add(d.text)
    lines = doc.text.split("\n")
    for line in lines[:3] + lines[-4:]:
        if len(line.split()) <= 40 and _CREDIT_LINE_RE.search(line):
            add(line)
        elif len(line.split()) <= 4 and (m := _STANDALONE_CREDIT_RE.match(line)) and outlets_in(m.group(1)):
            add(line)
    return found


def relay_credit(sentences: Sequence[Sentence], attributions: Sequence[Attribution]) -> tuple[tuple[str, ...], str]:
    """Outlets the headline or the lead sentence credits for the whole story, and that sentence."""
    headline = next((i for i, s in enumerate(sentences) if s.is_headline), None)
    lead = next((i for i, s in enumerate(sentences) if not s.is_headline and s.is_claim), None)
    for i in (headline, lead):
        if i is not None and may_name_outlet(sentences[i].text) and attributions[i].kind == "outlet" \
                and attributions[i].outlets:
            return attributions[i].outlets, sentences[i].text
    return (), ""


_GENERIC_CREDIT_RE = re.compile(
    r"\b(?:journalists?|reporters?|correspondents?|the (?:newspaper|paper|agency|outlet|publication|broadcaster))\b",
    re.I)


def relay_span(text: str, sentences: Sequence[Sentence], attributions: Sequence[Attribution],
               outlets: Sequence[str]) -> int:
    """The index of the last sentence of a relayed story in a document (`text`): the end of the
    last paragraph that names one of `outlets` or credits "the newspaper", "journalists"; what
    follows is the outlet's own (background added below the relayed report)."""
    keys = {outlet_key(o) for o in outlets}
    last = -1
    for i, s in enumerate(sentences):
        if s.is_headline:
            continue
        if may_name_outlet(s.text) and any(outlet_key(o) in keys for o in outlets_in(s.text)):
            last = i
        elif _GENERIC_CREDIT_RE.search(s.text) and attributions[i].kind == "outlet" and not attributions[i].outlets:
            last = i
    if last < 0:
        return -1
    paragraph_end = text.find("\n", sentences[last].end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    while last + 1 < len(sentences) and sentences[last + 1].start < paragraph_end:
        last += 1
    return last


# --------------------------------------------------------------------------- origins


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class Independence:
    """Origins of every source and, when first read, the attribution of any sentence: ready to annotate groups."""

    def __init__(self, docs: Sequence[Document], sentences: Mapping[str, Sequence[Sentence]],
                 contradicting: Iterable[tuple[str, str]] = (), links: Sequence[CopyLink] | None = None) -> None:
        """`contradicting`: pairs of sources that contradict each other, which are never copies of each other;
        `links`: `find_copies` of these sentences when already computed."""
        self._links = links
        self.docs = {d.id: d for d in docs}
        self._apart = {frozenset(p) for p in contradicting}
        self._stem_named = {d.id for d in docs if _is_stem_name(d)}  # PurePath once per document
        # Computed when first read: only group members and leads are ever attributed.
        self.attributions: dict[str, DocumentAttributions] = {
            d.id: DocumentAttributions([s.text for s in sentences[d.id]],
                                       publisher=None if d.id in self._stem_named else d.name)
            for d in docs
        }
        self.origins: dict[str, SourceOrigin] = {}
        self.keys: dict[str, frozenset[str]] = {}
        self._own_keys: dict[str, frozenset[str]] = {}
        self._relay_until: dict[str, int] = {}  # relays: the last sentence of the relayed part
        with _gc_paused():
            self._build(sentences)

    def _build(self, sentences: Mapping[str, Sequence[Sentence]]) -> None:
        ids = sorted(self.docs)
        evidence: dict[str, list[OriginEvidence]] = defaultdict(list)
        union = _Union()
        eligible = {sid: _eligible_words(sentences[sid]) for sid in ids}
        copy_of: dict[str, dict[str, str]] = defaultdict(dict)  # copy -> {original: why}
        for a, b, link in self._copy_links(ids, sentences, eligible):
            if frozenset((a, b)) in self._apart:
                continue  # sources that contradict each other are not copies of each other
            union.union(a, b)
            found = direction(self.docs[a], self.docs[b], [" ".join(w) for w in eligible[a]],
                              [" ".join(w) for w in eligible[b]], a not in self._stem_named, b not in self._stem_named)
            if found:
                copy_of[found[0]][found[1]] = found[2]
            for this, other in ((a, b), (b, a)):
                if found is None:
                    lead = f"same text as {other} (which came first is unknown)"
                elif found[0] == this:
                    lead = f"copy of {other}: {found[2]}"
                else:
                    lead = f"{other} is its copy: {found[2]}"
                if link is None:
                    evidence[this].append(OriginEvidence(kind="copy", source=other, detail=f"{lead}; identical text"))
                    continue
                _, _, matched, in_order, share = link
                evidence[this].append(OriginEvidence(
                    kind="copy", source=other, matched_sentences=matched, in_order=in_order, share=share,
                    detail=f"{lead}; shares {matched} near-identical sentences ({in_order} in the same "
                           f"order), {share:.0%} of the shorter",
                ))
        by_name: dict[str, list[str]] = defaultdict(list)
        for sid in ids:
            if sid not in self._stem_named:
                by_name[outlet_key(self.docs[sid].name)].append(sid)
        for same in by_name.values():
            for sid in same[1:]:
                union.union(same[0], sid)
            for sid in same:
                for other in same:
                    if other != sid:
                        evidence[sid].append(OriginEvidence(
                            kind="same_outlet", source=other,
                            detail=f"same outlet as {other} ({self.docs[sid].name})"))
        credits = {sid: wire_credits(self.docs[sid]) for sid in ids}
        components: dict[str, list[str]] = defaultdict(list)
        for sid in ids:
            components[union.find(sid)].append(sid)
        for members in components.values():
            wires = Counter(o for sid in members for o, _ in credits[sid])
            if wires:
                wire = min(wires, key=lambda o: (-wires[o], o))
                for sid in members:
                    ev = tuple(evidence[sid]) + tuple(
                        OriginEvidence(kind="wire_credit", detail=f"credit line '{line}'") for _, line in credits[sid])
                    kind = "wire" if any(o == wire for o, _ in credits[sid]) else "copy"
                    self.origins[sid] = SourceOrigin(name=wire, kind=kind, evidence=ev)
                    self.keys[sid] = frozenset({outlet_key(wire)})
            elif len(members) > 1:
                self._shared_origin(members, evidence, copy_of)
            else:
                self._single_origin(members[0], sentences[members[0]], evidence[members[0]])

    def _copy_links(self, ids: Sequence[str], sentences: Mapping[str, Sequence[Sentence]],
                    eligible: Mapping[str, list[list[str]]]) -> list[tuple[str, str, CopyLink | None]]:
        """(a, b, the copy link or None for identical text), a < b: sources that print one text."""
        by_text: dict[str, list[str]] = defaultdict(list)
        for sid in ids:
            by_text[self.docs[sid].text].append(sid)
        links: list[tuple[str, str, CopyLink | None]] = []
        identical = set()
        for same in by_text.values():
            for i, a in enumerate(same):
                for b in same[i + 1:]:
                    links.append((a, b, None))
                    identical.add((a, b))
        found = find_copies(sentences, eligible) if self._links is None else self._links
        links += [(link[0], link[1], link) for link in found if (link[0], link[1]) not in identical]
        return sorted(links, key=lambda x: (x[0], x[1]))

    def _shared_origin(self, members: Sequence[str], evidence: Mapping[str, list[OriginEvidence]],
                       copy_of: Mapping[str, Mapping[str, str]]) -> None:
        """Origins of sources that print one text: the one no evidence shows copying is the origin
        (the others its copies); with several such, which came first is unknown (same_text)."""
        roots = [sid for sid in members if not copy_of.get(sid)] or list(members)
        heads: dict[str, str] = {}  # one root per outlet: another file of it is the same outlet
        for sid in roots:
            key = f"source:{sid}" if sid in self._stem_named else outlet_key(self.docs[sid].name)
            heads.setdefault(key, sid)
        first = sorted(heads.values())
        name = ", ".join(dict.fromkeys(self.docs[sid].name for sid in first))
        keys = {f"source:{min(members)}"} | {outlet_key(self.docs[sid].name) for sid in first
                                             if sid not in self._stem_named}
        for sid in members:
            if sid in first:
                kind = "own" if len(first) == 1 else "same_text"
            else:
                kind = "same_outlet" if sid in roots else "copy"
            self.origins[sid] = SourceOrigin(name=name, kind=kind, evidence=tuple(evidence[sid]))
            self.keys[sid] = frozenset(keys)

    def _single_origin(self, sid: str, sentences: Sequence[Sentence], evidence: list[OriginEvidence]) -> None:
        """A source that shares its text with none: its own story, or a relay of the outlet its
        headline or lead credits (up to the last paragraph that names that outlet)."""
        own = {f"source:{sid}"} | ({outlet_key(self.docs[sid].name)} if sid not in self._stem_named else set())
        outlets, line = relay_credit(sentences, self.attributions[sid])
        if not outlets:
            self.origins[sid] = SourceOrigin(name=self.docs[sid].name, kind="own", evidence=tuple(evidence))
            self.keys[sid] = frozenset(own)
            return
        ev = OriginEvidence(kind="relay_credit", detail=f"the story is credited to {', '.join(outlets)}: '{shorten(line)}'")
        self.origins[sid] = SourceOrigin(name=", ".join(outlets), kind="relay", evidence=(*evidence, ev))
        self.keys[sid] = frozenset(outlet_key(o) for o in outlets)
        self._own_keys[sid] = frozenset(own)
        self._relay_until[sid] = relay_span(self.docs[sid].text, sentences, self.attributions[sid], outlets)

    def member(self, m: Member) -> Member:
        """The member with its attribution, the origin it counts for, and whether that is a relay."""
        atts = self.attributions.get(m.source, [])
        att = atts[m.sentence_index] if 0 <= m.sentence_index < len(atts) else Attribution()
        origin = self.origins[m.source]
        if att.kind == "outlet" and att.outlets:
            return m.model_copy(update={"attribution": att, "origin": ", ".join(att.outlets), "relayed": True})
        if self._beyond_relay(m):
            return m.model_copy(update={"attribution": att, "origin": self.docs[m.source].name, "relayed": False})
        relayed = origin.kind in ("wire", "copy", "relay")
        return m.model_copy(update={"attribution": att, "origin": origin.name, "relayed": relayed})

    def member_keys(self, m: Member) -> frozenset[str]:
        if m.attribution.kind == "outlet" and m.attribution.outlets:
            return frozenset(outlet_key(o) for o in m.attribution.outlets)
        if self._beyond_relay(m):
            return self._own_keys[m.source]
        return self.keys[m.source]

    def _beyond_relay(self, m: Member) -> bool:
        """The member is the outlet's own words after the part of its story it credits to another
        (background added below the relayed report). A sentence there that quotes a source
        ("the official emphasized") still reports what the relayed story's sources said."""
        if m.source not in self._relay_until or m.sentence_index <= self._relay_until[m.source]:
            return False
        atts = self.attributions[m.source]
        return 0 <= m.sentence_index < len(atts) and atts[m.sentence_index].kind == "reporter"

    def annotate(self, group: ClaimGroup) -> ClaimGroup:
        """The group with member attributions and origins and its `independent_support`."""
        members = tuple(self.member(m) for m in group.members)
        if len(members) == 1:
            return group.model_copy(update={"members": members, "independent_support": 1})
        union = _Union()
        roots = []
        for m in members:
            keys = sorted(self.member_keys(m))
            for k in keys[1:]:
                union.union(keys[0], k)
            roots.append(keys[0])
        # Two members of one source are one origin too (a group may hold several per source).
        by_source: dict[str, str] = {}
        for m, k in zip(members, roots, strict=True):
            if m.source in by_source:
                union.union(by_source[m.source], k)
            by_source.setdefault(m.source, k)
        independent = len({union.find(k) for k in roots})
        return group.model_copy(update={"members": members, "independent_support": independent})


def member_note(member: Member, origin: SourceOrigin, names: Mapping[str, str]) -> str | None:
    """Why a member counts for another origin than its source, in words (for --explain)."""
    att = member.attribution
    if att.kind == "outlet" and att.outlets:
        chain = f", citing {', '.join(att.via)}" if att.via else ""
        return f"relays {', '.join(att.outlets)} (the sentence cites {att.who}{chain})"
    if origin.kind == "wire":
        credit = next((e.detail for e in origin.evidence if e.kind == "wire_credit"), "")
        return f"prints {origin.name}'s story ({credit})"
    if origin.kind == "copy":
        copy = max((e for e in origin.evidence if e.kind == "copy"),
                   key=lambda e: (e.detail.startswith("copy of"), e.matched_sentences or 0, e.source or ""),
                   default=None)
        of = names.get(copy.source, copy.source) if copy and copy.source else origin.name
        detail = (f"{copy.matched_sentences} sentences match, {copy.share:.0%} of the shorter"
                  if copy and copy.share is not None else "")
        return f"copy of {of}'s story, origin {origin.name}" + (f" ({detail})" if detail else "")
    if origin.kind == "same_outlet":
        return f"same outlet as another file ({origin.name}): counts once"
    if origin.kind == "same_text":
        return f"same text as {origin.name} (which came first is unknown): counts once"
    if origin.kind == "relay" and member.relayed:
        return f"relays {origin.name} ({next((e.detail for e in origin.evidence if e.kind == 'relay_credit'), '')})"
    return None
