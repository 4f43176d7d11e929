"""Matching: claim sentences -> ClaimGroup list. The data flow, one module per step:

1. `table.build_table`: every claim featurised once into id arrays (`normalise`, `quantities`).
2. candidates: all cross-source pairs within a story, or `candidates.candidate_pairs` at scale.
3. `pairs.pair_matrix`: the pairs' features as one matrix; `model.scores`: learned probability
   x 100, cut where the two contradict each other (negation, opposed event words).
4. `grouping.agglomerate`: best-first merging without chaining, one member per source.
5. `disagreements.find_disagreements`: figures the members give for the same thing that differ.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources

import numpy as np

from claimcheck.matching.disagreements import find_disagreements
from claimcheck.matching.grouping import PairScores, agglomerate
from claimcheck.matching.model import (CONTRADICTION_KINDS, CONTRADICTION_REASONS, load_model,
                                       reported_contradictions, score_many, score_pairs)
from claimcheck.matching.pairs import FEATURE_NAMES, pair_matrix
from claimcheck.matching.quantities import Quantity, extract_quantities
from claimcheck.matching.table import SentenceTable, build_table, idf_weights

LARGE = 2000  # claims; from here on, `candidates.py` proposes the pairs
from claimcheck.models import ClaimGroup, Contradiction, MatchResult, Member, Sentence, Settings

__all__ = [
    "candidate_pairs",
    "FEATURE_NAMES", "Quantity", "build_table", "collection_weights", "extract_quantities",
    "find_disagreements", "group_claims", "load_model", "match_pair", "match_story", "merge_stories",
    "pair_matrix", "split_story", "story_parts",
]


def collection_weights(texts: Sequence[str]) -> dict[str, float]:
    """Rarity of each content word over a collection of sentences, as `group_claims` weighs them."""
    table = build_table(texts)
    return _word_weights(table, table.idf())


def _word_weights(table: SentenceTable, weights: np.ndarray) -> dict[str, float]:
    return {tok[1:]: float(weights[i]) for tok, i in table.vocab.ids.items() if tok[0] == "w"}


@cache
def _mrpc_frequencies() -> tuple[dict[str, int], int]:
    raw = json.loads(resources.files("claimcheck").joinpath("match_idf.json").read_text(encoding="utf-8"))
    return {"w" + k: v for k, v in raw["df"].items()}, raw["sentences"]


def _pair_weights(table: SentenceTable, weights: Mapping[str, float] | None) -> np.ndarray:
    if weights is None:
        df, n = _mrpc_frequencies()
        return table.weights_from(df, n)
    out = np.ones(len(table.vocab))
    for tok, i in table.vocab.ids.items():
        if tok[0] == "w" and tok[1:] in weights:
            out[i] = weights[tok[1:]]
    return out


def match_pair(a: str, b: str, settings: Settings | None = None, *,
               weights: Mapping[str, float] | None = None, same_story: bool = False) -> MatchResult:
    """Decide whether two sentences state the same claim, and say why.

    `score` is 100 x the learned probability that the two report the same event and claim
    (cut to a fifth where they contradict each other); `matched` is `score >= threshold`, the
    decision `group_claims` uses. `weights` are word rarities of the collection compared
    (`collection_weights`); without them, rarities over MRPC's news sentences. With
    `same_story` (as grouping compares claims of one story), figures that differ about the same
    thing count as a disagreement rather than as evidence of two events.
    """
    settings = settings or Settings()
    table = build_table([a, b])
    s, why, _, X = score_pairs(table, np.array([0]), np.array([1]), _pair_weights(table, weights),
                               load_model(settings.semantic), same_story=same_story,
                               vectors=_vectors([a, b], settings))
    score = float(s[0])
    ca, cb = set(table.tokens[0]), set(table.tokens[1])
    return MatchResult(
        score=score,
        matched=score >= settings.threshold,
        shared=tuple(sorted(ca & cb)),
        only_a=tuple(sorted(ca - cb)),
        only_b=tuple(sorted(cb - ca)),
        numbers_a=tuple(q.text for q in table.quantities[0]),
        numbers_b=tuple(q.text for q in table.quantities[1]),
        reasons=_reasons(table, X[0], score, int(why[0]), settings.threshold),
    )


def _reasons(table: SentenceTable, x: np.ndarray, score: float, why: int, threshold: float) -> tuple[str, ...]:
    f = dict(zip(FEATURE_NAMES, x.tolist()))
    verdict = "match" if score >= threshold else "no match"
    out = [f"{verdict}: score {score:.1f} vs threshold {threshold:.1f}"]
    shared = len(set(table.tokens[0]) & set(table.tokens[1]))
    out.append(f"{shared} shared content words; covers {f['content_cover_min']:.0%} of one sentence "
               f"and {f['content_cover_max']:.0%} of the other")
    out.append(f"weighted by rarity, {f['weighted_cover_min']:.0%} / {f['weighted_cover_max']:.0%} of each side is shared")
    if why:
        out.append(f"contradiction: {CONTRADICTION_REASONS[why]}")
    if f["entity_conflict"]:
        out.append("each side names someone or something the other does not")
    if f["numbers_conflict"]:
        out.append("both give numbers and none agree")
    if f["years_conflict"] or f["weekday_conflict"]:
        out.append("different years or weekdays")
    if len(x) > len(FEATURE_NAMES):
        out.append(f"sentence embeddings: cosine {x[len(FEATURE_NAMES)]:.2f}")
    return tuple(out)


def _vectors(texts: Sequence[str], settings: Settings) -> np.ndarray | None:
    """The sentence embeddings of `texts` when the semantic backend is on (`semantic.py`), else None."""
    if not settings.semantic:
        return None
    from claimcheck.matching.semantic import embed

    return embed(list(texts))


def _threads() -> int:
    """Threads for a large story's array work: $CLAIMCHECK_THREADS when set (a Dask worker of
    one thread sets 1: its share of the machine), else this process' cores, at most 4."""
    given = os.environ.get("CLAIMCHECK_THREADS", "")
    if given.isdigit():
        return max(1, int(given))
    try:
        return max(1, min(4, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(4, os.cpu_count() or 1))


def candidate_pairs(table: SentenceTable, weights: np.ndarray, sources: Sequence[str], stories: Sequence,
                    workers: int = 1, large: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) from two different sources of the same story worth scoring: all of them
    below `LARGE` claims, nearest neighbours and shared anchors from there on."""
    n = len(sources)
    if n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    src = np.unique(np.asarray(sources), return_inverse=True)[1]
    story = np.asarray(stories)
    if n >= (LARGE if large is None else large) and n >= 2:
        from claimcheck.matching import candidates

        return candidates.candidate_pairs(table, weights, src, story, workers)
    left, right = np.triu_indices(n, k=1)
    keep = (src[left] != src[right]) & (story[left] == story[right])
    return left[keep].astype(np.int64), right[keep].astype(np.int64)


def _medoid_grid(pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The representative's candidates (the first MEDOID_SAMPLE members) and whom they are
    compared with (all members, or MEDOID_SAMPLE spread over them for large groups)."""
    n = len(pos)
    return pos[:MEDOID_SAMPLE], pos[:MEDOID_SAMPLE] if n <= MEDOID_SAMPLE else pos[np.linspace(0, n - 1, MEDOID_SAMPLE).astype(int)]


def _medoids(clusters: Sequence[Sequence[int]], pair_scores: PairScores) -> list[tuple[int, np.ndarray]]:
    """Per cluster (positions): the member (index into it) with the highest total score against
    the others (see `_medoid_grid`), and every member's score against it. The scores the
    clusters need are computed in two batches (the grids, then everyone against the medoid)."""
    out: list[tuple[int, np.ndarray]] = [(0, np.array([100.0]))] * len(clusters)
    multi = [k for k, c in enumerate(clusters) if len(c) > 1]
    clusters = [clusters[k] for k in multi]
    grids = [_medoid_grid(np.asarray(c)) for c in clusters]
    pair_scores.prefetch(np.concatenate([np.repeat(c, len(o)) for c, o in grids] or [np.zeros(0, np.int64)]),
                         np.concatenate([np.tile(o, len(c)) for c, o in grids] or [np.zeros(0, np.int64)]))
    best = []
    for cand, others in grids:
        grid = pair_scores.known(np.repeat(cand, len(others)), np.tile(others, len(cand))).reshape(len(cand), len(others))
        grid[cand[:, None] == others[None, :]] = 0.0
        best.append(int(np.argmax(grid.sum(axis=1))))  # first of the best: earliest position on ties
    pos = [np.asarray(c) for c in clusters]
    at = [np.full(len(p), p[k]) for p, k in zip(pos, best)]
    pair_scores.prefetch(np.concatenate(pos or [np.zeros(0, np.int64)]), np.concatenate(at or [np.zeros(0, np.int64)]))
    for k, b, p, a in zip(multi, best, pos, at):
        out[k] = (b, pair_scores.known(p, a))
    return out


MEDOID_SAMPLE = 64


def match_story(claims: Sequence[Sentence], settings: Settings,
                story: str | None = None) -> tuple[list[ClaimGroup], list[Contradiction]]:
    """Group the claims of one story; the unit of matching (a process pool or a cluster runs one
    call per story).

    Everything the result depends on (word rarities, the candidate rule, `LARGE`, k, the anchor
    caps) is computed from these claims alone, and ties break on (source, index, text), so the
    result depends on the set of claims only: not on what else is in the run, nor on their
    order. Members are in (source, index, text) order, groups sorted by support, then by their
    first member; `ClaimGroup.story` is `story`; ids are left empty ("") for the caller to
    number (`merge_stories`). Contradictions are sorted by score, then by (source, index, text).
    """
    canonical = sorted(range(len(claims)), key=lambda i: (claims[i].source, claims[i].index, claims[i].text))
    ordered = [claims[i] for i in canonical]
    sources = [c.source for c in ordered]
    table = build_table([c.text for c in ordered])
    weights = table.idf()
    model = load_model(settings.semantic)
    vectors = _vectors([c.text for c in ordered], settings)
    workers = _threads() if len(ordered) >= LARGE else 1

    def score_batch(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        return score_pairs(table, left, right, weights, model, workers, vectors=vectors)[0]

    pair_scores = PairScores(score_batch)
    left, right = candidate_pairs(table, weights, sources, [""] * len(sources), workers)
    s, why, raw = score_many(table, left, right, weights, model, workers, vectors=vectors)
    pair_scores.set_batch(left, right, s)
    hit = reported_contradictions(table, left, right, why, raw, settings.threshold)
    found_contradictions = [(int(left[k]), int(right[k]), int(why[k]), float(raw[k])) for k in hit]
    found = agglomerate(sources, left, right, s, pair_scores, settings.threshold)
    clusters = sorted(found, key=lambda m: (-len({sources[k] for k in m}), m[0]))  # members sorted
    groups: list[ClaimGroup] = []
    for members, (medoid, member_scores) in zip(clusters, _medoids(clusters, pair_scores)):
        idx = [canonical[k] for k in members]
        local = dict(zip(idx, members))
        medoid = idx[medoid]
        confidence = 100.0 if len(idx) == 1 else round(float(np.mean(np.delete(member_scores, idx.index(medoid)))), 1)
        groups.append(ClaimGroup(
            id="",
            text=claims[medoid].text,
            sources=tuple(claims[i].source for i in idx),
            story=story,
            support=len({claims[i].source for i in idx}),
            members=tuple(
                Member(source=claims[i].source, text=claims[i].text, sentence_index=claims[i].index,
                       score=100.0 if i == medoid else round(float(v), 1))
                for i, v in zip(idx, member_scores)
            ),
            disagreements=find_disagreements([claims[i] for i in idx], [table.quantities[local[i]] for i in idx]),
            confidence=confidence,
            possible=len(idx) > 1 and confidence < settings.min_confidence,
        ))
    contradictions = [
        Contradiction(
            a=Member(source=ordered[i].source, text=ordered[i].text, sentence_index=ordered[i].index, score=round(r, 1)),
            b=Member(source=ordered[j].source, text=ordered[j].text, sentence_index=ordered[j].index, score=round(r, 1)),
            reason=CONTRADICTION_REASONS[w],
            kind=CONTRADICTION_KINDS[w],
            story=story,
        )
        for i, j, w, r in sorted(found_contradictions, key=lambda t: (-t[3], t[0], t[1]))
    ]
    return groups, contradictions


def _member_key(m: Member) -> tuple[str, int, str]:
    return m.source, m.sentence_index, m.text


def merge_stories(results: Sequence[tuple[Sequence[ClaimGroup], Sequence[Contradiction]]],
                  ) -> tuple[list[ClaimGroup], list[Contradiction]]:
    """The `match_story` results of a run's stories as one result: groups sorted by support, then
    by their first member's (source, index, text), numbered c1, c2, ...; contradictions sorted
    by score, then by (source, index, text) of each side. The same results in any order give
    the same output."""
    groups = [g for result in results for g in result[0]]
    order = sorted(range(len(groups)), key=lambda k: (-groups[k].support, _member_key(groups[k].members[0])))
    numbered = [groups[k].model_copy(update={"id": f"c{n}"}) for n, k in enumerate(order, 1)]
    contradictions = sorted((c for result in results for c in result[1]),
                            key=lambda c: (-c.a.score, _member_key(c.a), _member_key(c.b)))
    return numbered, contradictions


# A story with more claims is matched as sub-stories of at most about this many: ~11,500 articles,
# above the 10,000-article single-story target; at ~16 KB of peak RSS a claim (2,000 articles:
# 984 MiB) a sub-story stays within a ~6 GiB worker.
MAX_STORY_CLAIMS = 350_000


def split_story(claims: Sequence[Sentence], limit: int | None = None) -> list[list[Sentence]]:
    """A story's claims as sub-stories of about `limit` claims at most (one part when it fits):
    whole sources in (source id) order, cut into ceil(claims / limit) parts of about equal size
    (a source goes where its middle claim falls, so a part exceeds the even share by at most
    half a source). Claims of
    two parts are never compared, so a claim the parts share is reported once per part; the
    split depends on the story's claims only (a distributed run splits it the same way).
    `limit` defaults to MAX_STORY_CLAIMS."""
    limit = MAX_STORY_CLAIMS if limit is None else limit
    if len(claims) <= limit:
        return [list(claims)]
    by_source: dict[str, list[Sentence]] = {}
    for c in sorted(claims, key=lambda c: (c.source, c.index, c.text)):
        by_source.setdefault(c.source, []).append(c)
    count = -(-len(claims) // limit)
    size = len(claims) / count
    parts: list[list[Sentence]] = [[] for _ in range(count)]
    done = 0
    for source in sorted(by_source):
        rows = by_source[source]
        parts[min(count - 1, int((done + len(rows) / 2) / size))].extend(rows)  # by the source's middle claim
        done += len(rows)
    parts = [p for p in parts if p]
    return parts


def group_claims(claims: Sequence[Sentence], settings: Settings,
                 stories: Mapping[str, str] | None = None,
                 warn: Callable[[str], None] | None = None) -> tuple[list[ClaimGroup], list[Contradiction]]:
    """Group claim sentences that state the same thing across sources: `match_story` on each
    story's claims (a story above MAX_STORY_CLAIMS on each of its `split_story` parts, said
    through `warn`), then `merge_stories`.

    `stories` maps each source to its story id (`ClaimGroup.story`); claims of different stories
    are never compared, and a story's groups do not depend on the other stories.
    Every input sentence ends in exactly one group (singletons included); a group holds at most
    one sentence per source. Members are in (source, index, text) order; groups are sorted by
    support, then by their first member, and numbered c1, c2, ...; `text` is the medoid.
    Also returns the contradictions: pairs that match but for a negation or opposed event word.
    The result does not depend on the input order.
    """
    return merge_stories([match_story(piece, settings, story) for story, piece in story_parts(claims, stories, warn)])


def story_parts(claims: Sequence[Sentence], stories: Mapping[str, str] | None = None,
                warn: Callable[[str], None] | None = None) -> list[tuple[str | None, list[Sentence]]]:
    """The units of matching: each story's claims (`stories` maps source -> story id; without it
    one story, None), a story above MAX_STORY_CLAIMS as its `split_story` parts (said through
    `warn`), in story id order."""
    by_story: dict[str | None, list[Sentence]] = {}
    for c in claims:
        by_story.setdefault(stories.get(c.source) if stories else None, []).append(c)
    units = []
    for story, part in sorted(by_story.items(), key=lambda kv: (kv[0] is not None, kv[0] or "")):
        pieces = split_story(part)
        if len(pieces) > 1 and warn:
            warn(f"story {story or '(all)'} has {len(part):,} claims: matched as {len(pieces)} sub-stories of at most "
                 f"{max(map(len, pieces)):,} claims (whole sources each); a claim they share is listed once per sub-story")
        units.extend((story, piece) for piece in pieces)
    return units
