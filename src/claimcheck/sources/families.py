"""Copies of one text matched as one voice: group across origins first, then list every copy.

Sources that print one text (copy links, `find_copies`) form a family; its representative is the
member that prints the family's most common wordings. A copy's claim that the representative prints too (the same words at
the copy score, the same numbers, the same negations) is left out of matching and joins each group
the representative's sentence joins, with its score. So 300 lightly edited copies of five articles
are matched as the five articles are, and every copy is still listed under its origin's claims;
what a copy adds or changes is matched as any other sentence.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz, process

from claimcheck.models import ClaimGroup, Member, Sentence
from claimcheck.sources.independence import (
    COPY_MIN_MATCHED, COPY_MIN_SHARE, COPY_SCORE, CopyLink, _eligible_words, _longest_increasing, find_copies)

_WORD_RE = re.compile(r"\w+")
# Distinct wordings of one sentence across a small family that are matched (a light edit may match
# another source's wording better); in a family of more than SMALL_FAMILY sources every copy's
# sentence joins its representative's groups (hundreds of wordings would crowd out other links).
MAX_VARIANTS = 3
SMALL_FAMILY = 4
_NEGATION = frozenset({"not", "no", "never", "nor", "without", "t"})  # "t": the end of "didn't"


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def _same_facts(a: list[str], b: list[str]) -> bool:
    """The same numbers and negations: a copy that changes a figure or a "not" is matched on its own."""
    return [w for w in a if w[:1].isdigit()] == [w for w in b if w[:1].isdigit()] and \
        [w for w in a if w in _NEGATION] == [w for w in b if w in _NEGATION]


def shared_sentence_links(sentences: Mapping[str, Sequence[Sentence]],
                          known: set[tuple[str, str]] = frozenset()) -> list[CopyLink]:
    """Copy links between sources that print the same sentences word for word, by the copy
    rule (COPY_MIN_MATCHED sentences, COPY_MIN_SHARE of the shorter, half of them in order).

    `find_copies` leaves out word 4-grams in more than MAX_POSTING sentences (boilerplate), so
    it finds no link among hundreds of copies of one article; identical sentences, indexed
    whole, find them at the cost of the pairs that share one. Pairs in `known` are skipped.
    """
    eligible = {sid: [" ".join(w) for w in _eligible_words(sentences[sid])] for sid in sorted(sentences)}
    postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for sid, texts in eligible.items():
        seen: set[str] = set()
        for i, t in enumerate(texts):
            if t not in seen:
                seen.add(t)
                postings[t].append((sid, i))
    shared: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for entries in postings.values():
        if len(entries) < 2 or len({sid for sid, _ in entries}) < 2:
            continue
        for k, (a, ia) in enumerate(entries):
            for b, ib in entries[k + 1:]:
                if a != b and (a, b) not in known:
                    shared[(a, b)].append((ia, ib))
    links = []
    for (a, b), pairs in sorted(shared.items()):
        shorter = min(len(eligible[a]), len(eligible[b]))
        if len(pairs) < COPY_MIN_MATCHED or len(pairs) < COPY_MIN_SHARE * shorter:
            continue
        in_order = _longest_increasing([ib for _, ib in sorted(pairs)])
        if 2 * in_order >= len(pairs):
            links.append((a, b, len(pairs), in_order, round(len(pairs) / shorter, 3)))
    return links


class CopyFamilies:
    """Which claims of copies are matched through their family's representative, and their groups after."""

    def __init__(self, sentences: Mapping[str, Sequence[Sentence]], links: Sequence[CopyLink] | None = None) -> None:
        self.links: list[CopyLink] = list(find_copies(sentences) if links is None else links)
        self.links = sorted(set(self.links) | set(shared_sentence_links(sentences, {(a, b) for a, b, *_ in self.links})))
        # (representative, its sentence index) -> the copies' sentences that print it
        self._copies: dict[tuple[str, int], list[Sentence]] = defaultdict(list)
        self._aligned: dict[str, set[int]] = defaultdict(set)  # copy source -> its sentences matched via the rep
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b, *_ in self.links:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        families: dict[str, list[str]] = defaultdict(list)
        for sid in sorted(parent):
            families[find(sid)].append(sid)
        claims = {sid: [s for s in sentences[sid] if s.is_claim] for sid in parent}
        for members in families.values():
            # The representative prints the family's most common wordings (the original, when
            # the copies each edit it a little), then the most claims.
            common = Counter(" ".join(_words(s.text)) for sid in members for s in claims[sid])
            rep = min(members, key=lambda sid: (-sum(common[" ".join(_words(s.text))] for s in claims[sid]),
                                                -len(claims[sid]), sid))
            # Each representative claim's wordings matched so far: the claim itself, then a copy's
            # edit of it, up to MAX_VARIANTS (a light edit may match another source's wording
            # better); a copy's sentence with one of those wordings joins that wording's groups.
            variants: dict[int, list[tuple[list[str], Sentence]]] = {
                j: [(_words(s.text), s)] for j, s in enumerate(claims[rep])}
            most = MAX_VARIANTS if len(members) <= SMALL_FAMILY else 1
            for sid in members:
                if sid != rep:
                    self._align(claims[sid], claims[rep], variants, most)

    def _align(self, copy: Sequence[Sentence], rep: Sequence[Sentence],
               variants: dict[int, list[tuple[list[str], Sentence]]], most: int) -> None:
        """Pair the copy's claims one-to-one with the representative's that they print, best
        first; each joins a wording of its pair already matched, or is matched as a new one."""
        if not copy or not rep:
            return
        copy_words = [_words(s.text) for s in copy]
        rep_words = [v[0][0] for _, v in sorted(variants.items())]
        scores = process.cdist([" ".join(w) for w in copy_words], [" ".join(w) for w in rep_words],
                               scorer=fuzz.ratio, processor=None, score_cutoff=COPY_SCORE, workers=1)
        pairs = sorted((-float(scores[i, j]), int(i), int(j)) for i, j in zip(*scores.nonzero(), strict=True))
        used_copy: set[int] = set()
        used_rep: set[int] = set()
        for _, i, j in pairs:
            if i in used_copy or j in used_rep or not _same_facts(copy_words[i], rep_words[j]):
                continue
            used_copy.add(i)
            used_rep.add(j)
            same = next((s for words, s in variants[j] if words == copy_words[i]), None)
            if same is None and len(variants[j]) < most:
                variants[j].append((copy_words[i], copy[i]))  # a new wording: matched itself
                continue
            onto = same or variants[j][0][1]
            self._copies[(onto.source, onto.index)].append(copy[i])
            self._aligned[copy[i].source].add(copy[i].index)

    def matched(self, claims: Sequence[Sentence]) -> list[Sentence]:
        """The claims to match: all but the copies' sentences their representative prints."""
        return [c for c in claims if c.index not in self._aligned.get(c.source, ())]

    def expand(self, groups: Sequence[ClaimGroup]) -> list[ClaimGroup]:
        """Each group with the copies of its members' sentences added (a source at most once)."""
        out = []
        for g in groups:
            extra = [Member(source=c.source, text=c.text, sentence_index=c.index, score=m.score)
                     for m in g.members for c in self._copies.get((m.source, m.sentence_index), ())]
            if not extra:
                out.append(g)
                continue
            members = list(g.members)
            present = {m.source for m in members}
            for m in extra:
                if m.source not in present:
                    members.append(m)
                    present.add(m.source)
            members.sort(key=lambda m: (m.source, m.sentence_index, m.text))
            out.append(g.model_copy(update={"members": tuple(members), "sources": tuple(sorted(present)),
                                            "support": len(present)}))
        return out
