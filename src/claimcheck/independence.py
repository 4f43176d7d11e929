"""Which sources are one report: copies, wire credits, one outlet in several files, relayed claims.

Each source gets a story origin (`SourceOrigin`); each claim member counts for its source's origin,
or for the outlet its sentence relays ("Reuters reports, citing ..."); a claim's
`independent_support` is the number of distinct origins among its members. Groups are consumed
only through their members (source, sentence_index, text), so any grouping can feed this stage.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import PurePath

from rapidfuzz import fuzz

from claimcheck.attribution import attribute_document, outlet_key, outlets_in
from claimcheck.loading import reduce_markdown
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

_NORM_RE = re.compile(r"[^\w]+")
_CREDIT_LINE_RE = re.compile(
    r"\b(?:contributed to this (?:report|story|article)|contributed reporting|contributed\b|"
    r"(?:originally|first) (?:published|appeared) (?:by|in|on|at)|republished (?:from|with permission)|"
    r"(?:this|the) (?:story|article|report) (?:was )?(?:first )?(?:published|appeared) (?:by|in|on)|"
    r"reporting by|writing by|editing by)\b",
    re.I,
)
_STANDALONE_CREDIT_RE = re.compile(r"^[\s(\u2014\u2013-]*([A-Z][\w .&/-]{1,40}?)[\s).]*$")


def _norm(text: str) -> str:
    return " ".join(_NORM_RE.sub(" ", text.lower()).split())


# --------------------------------------------------------------------------- copies


def _eligible(sentences: Sequence[Sentence]) -> list[str]:
    """The normalised body sentences that copy detection compares."""
    out = []
    for s in sentences:
        if s.is_headline or s.text.count(" ") >= COPY_MAX_WORDS * 3:
            continue
        n = _norm(s.text)
        if COPY_MIN_WORDS <= n.count(" ") + 1 <= COPY_MAX_WORDS:
            out.append(n)
    return out


def _longest_increasing(values: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting, O(n log n))."""
    from bisect import bisect_left

    tails: list[int] = []
    for v in values:
        i = bisect_left(tails, v)
        if i == len(tails):
            tails.append(v)
        else:
            tails[i] = v
    return len(tails)


CopyLink = tuple[str, str, int, int, float]


def find_copies(sentences: Mapping[str, Sequence[Sentence]],
                texts: Mapping[str, list[str]] | None = None) -> list[CopyLink]:
    """Pairs of sources that print one story: (a, b, matched, in_order, share), a < b, sorted.

    Candidate sentence pairs share a word 4-gram that is not common in the collection (an
    inverted index, so the cost grows with the shared n-grams, not with all pairs); each
    candidate is verified with rapidfuzz's ratio on normalised text.
    """
    ids = sorted(sentences)
    texts = texts or {sid: _eligible(sentences[sid]) for sid in ids}
    postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for sid in ids:
        for i, text in enumerate(texts[sid]):
            words = text.split()
            for gram in {" ".join(words[k:k + SHINGLE]) for k in range(len(words) - SHINGLE + 1)}:
                postings[gram].append((sid, i))
    candidates: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    for entries in postings.values():
        if len(entries) > MAX_POSTING or len({sid for sid, _ in entries}) < 2:
            continue
        for x, (sa, ia) in enumerate(entries):
            for sb, ib in entries[x + 1:]:
                if sa != sb:
                    key = (sa, sb) if sa < sb else (sb, sa)
                    candidates[key].add((ia, ib) if sa < sb else (ib, ia))
    out: list[CopyLink] = []
    for (a, b), pairs in sorted(candidates.items()):
        if len(pairs) < COPY_MIN_MATCHED:
            continue
        scored = []
        for ia, ib in pairs:
            score = fuzz.ratio(texts[a][ia], texts[b][ib], processor=None, score_cutoff=COPY_SCORE)
            if score:
                scored.append((-score, ia, ib))
        scored.sort()
        used_a: set[int] = set()
        used_b: set[int] = set()
        matched: list[tuple[int, int]] = []
        for _, ia, ib in scored:
            if ia not in used_a and ib not in used_b:
                used_a.add(ia)
                used_b.add(ib)
                matched.append((ia, ib))
        shorter = min(len(texts[a]), len(texts[b]))
        if len(matched) < COPY_MIN_MATCHED or not shorter:
            continue
        share = len(matched) / shorter
        in_order = _longest_increasing([ib for _, ib in sorted(matched)])
        if share >= COPY_MIN_SHARE and in_order * 2 >= len(matched):
            out.append((a, b, len(matched), in_order, round(share, 3)))
    return out


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
        if i is not None and attributions[i].kind == "outlet" and attributions[i].outlets:
            return attributions[i].outlets, sentences[i].text
    return (), ""


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


def _is_stem_name(doc: Document) -> bool:
    """The name fell back to the file stem: it names a file, not an outlet."""
    return doc.name == PurePath(doc.path).stem


class Independence:
    """Origins of every source and the attribution of every sentence, ready to annotate groups."""

    def __init__(self, docs: Sequence[Document], sentences: Mapping[str, Sequence[Sentence]]) -> None:
        self.docs = {d.id: d for d in docs}
        self.attributions: dict[str, list[Attribution]] = {
            d.id: attribute_document([s.text for s in sentences[d.id]],
                                     publisher=None if _is_stem_name(d) else d.name)
            for d in docs
        }
        self.origins: dict[str, SourceOrigin] = {}
        self.keys: dict[str, frozenset[str]] = {}
        self._build(sentences)

    def _build(self, sentences: Mapping[str, Sequence[Sentence]]) -> None:
        ids = sorted(self.docs)
        evidence: dict[str, list[OriginEvidence]] = defaultdict(list)
        union = _Union()
        eligible = {sid: _eligible(sentences[sid]) for sid in ids}
        for a, b, matched, in_order, share in find_copies(sentences, eligible):
            for this, other in ((a, b), (b, a)):
                evidence[this].append(OriginEvidence(
                    kind="copy", source=other, matched_sentences=matched, in_order=in_order, share=share,
                    detail=f"shares {matched} near-identical sentences with {other} ({in_order} in the same "
                           f"order), {share:.0%} of the shorter",
                ))
            union.union(a, b)
        by_name: dict[str, list[str]] = defaultdict(list)
        for sid in ids:
            if not _is_stem_name(self.docs[sid]):
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
            size = {sid: len(eligible[sid]) for sid in members}
            rep = min(members, key=lambda sid: (-size[sid], sid))
            for sid in members:
                ev = list(evidence[sid])
                ev += [OriginEvidence(kind="wire_credit", detail=f"credit line '{line}'") for _, line in credits[sid]]
                if wires:
                    wire = min(wires, key=lambda o: (-wires[o], o))
                    kind = "wire" if any(o == wire for o, _ in credits[sid]) else "copy"
                    origin = SourceOrigin(name=wire, kind=kind, evidence=tuple(ev))
                    keys = {outlet_key(wire)}
                elif len(members) > 1:
                    is_copy = any(e.kind == "copy" for e in evidence[sid])
                    kind = "own" if sid == rep else ("copy" if is_copy else "same_outlet")
                    origin = SourceOrigin(name=self.docs[rep].name, kind=kind, evidence=tuple(ev))
                    keys = {f"source:{rep}"}
                else:
                    outlets, line = relay_credit(sentences[sid], self.attributions[sid])
                    if outlets:
                        ev.append(OriginEvidence(kind="relay_credit", detail=f"the story is credited to "
                                                 f"{', '.join(outlets)}: '{_short(line)}'"))
                        origin = SourceOrigin(name=", ".join(outlets), kind="relay", evidence=tuple(ev))
                        keys = {outlet_key(o) for o in outlets}
                    else:
                        origin = SourceOrigin(name=self.docs[sid].name, kind="own", evidence=tuple(ev))
                        keys = {f"source:{sid}"}
                if not _is_stem_name(self.docs[rep]) and origin.kind in ("own", "copy", "same_outlet"):
                    keys.add(outlet_key(self.docs[rep].name))  # another source relaying this outlet by name
                self.origins[sid] = origin
                self.keys[sid] = frozenset(keys)

    def member(self, m: Member) -> Member:
        """The member with its attribution, the origin it counts for, and whether that is a relay."""
        atts = self.attributions.get(m.source, [])
        att = atts[m.sentence_index] if 0 <= m.sentence_index < len(atts) else Attribution()
        origin = self.origins[m.source]
        if att.kind == "outlet" and att.outlets:
            return m.model_copy(update={"attribution": att, "origin": ", ".join(att.outlets), "relayed": True})
        relayed = origin.kind in ("wire", "copy", "relay")
        return m.model_copy(update={"attribution": att, "origin": origin.name, "relayed": relayed})

    def member_keys(self, m: Member) -> frozenset[str]:
        if m.attribution.kind == "outlet" and m.attribution.outlets:
            return frozenset(outlet_key(o) for o in m.attribution.outlets)
        return self.keys[m.source]

    def annotate(self, group: ClaimGroup) -> ClaimGroup:
        """The group with member attributions and origins and its `independent_support`."""
        members = tuple(self.member(m) for m in group.members)
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


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


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
                   key=lambda e: (e.matched_sentences or 0, e.source or ""), default=None)
        of = names.get(copy.source, copy.source) if copy and copy.source else origin.name
        detail = (f"{copy.matched_sentences} sentences match, {copy.share:.0%} of the shorter"
                  if copy and copy.share is not None else "")
        return f"copy of {of}'s story, origin {origin.name}" + (f" ({detail})" if detail else "")
    if origin.kind == "same_outlet":
        return f"same outlet as another file ({origin.name}): counts once"
    if origin.kind == "relay":
        return f"relays {origin.name} ({next((e.detail for e in origin.evidence if e.kind == 'relay_credit'), '')})"
    return None
