"""The learned pair score: features -> probability, cut by contradictions; `match_pair`."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import numpy as np

from claimcheck.matching.pairs import FEATURE_NAMES, figure_disagreement, pair_arrays
from claimcheck.matching.table import SentenceTable

# A contradiction cuts the probability to this share: too few training pairs show how decisive it is.
VETO_FACTOR = 0.2
# Share of the shorter sentence's content words the other must carry for a negation or an
# opposed event word to make the pair a contradiction rather than two different statements.
CONTRADICTION_COVER = 0.75
_F = {name: k for k, name in enumerate(FEATURE_NAMES)}


# A fitted model used in place of the shipped one (bench/ only: scoring a story with a model
# trained without it); None at run time.
OVERRIDE: dict | None = None


@cache
def load_model(semantic: bool = False) -> dict:
    """The shipped model: feature names, standardisation, coefficients, the default threshold
    (with `semantic`, the model that also reads the embedding cosine: `semantic.SEMANTIC_NAMES`)."""
    if OVERRIDE is not None and not semantic:
        return OVERRIDE
    name = "match_weights_semantic.json" if semantic else "match_weights.json"
    raw = resources.files("claimcheck").joinpath(name).read_text(encoding="utf-8")
    model = json.loads(raw)
    expected = FEATURE_NAMES
    if semantic:
        from claimcheck.matching.semantic import SEMANTIC_NAMES

        expected += SEMANTIC_NAMES
    if tuple(model["features"]) != expected:
        raise RuntimeError(f"{name} does not fit this version of the matcher; re-run bench/train_matcher.py")
    for key in ("mean", "scale", "coef"):
        model[key] = np.asarray(model[key], dtype=float)
    return model


def margins(X: np.ndarray, model: dict | None = None) -> np.ndarray:
    """The model's log-odds, per row of a feature matrix, that the pair states the same thing."""
    model = model or load_model()
    if not len(X):
        return np.zeros(0)
    return ((X - model["mean"]) / model["scale"]) @ model["coef"] + model["intercept"]


def contradictions(X: np.ndarray, swapped: np.ndarray | None = None) -> np.ndarray:
    """Per pair: 0 none, 1 a word one side negates that the other states plainly, 2 opposed event
    words ("fired" / "hired"), both only where the two otherwise say the same thing; 3 different
    names with different figures or dates, or sentences that differ only in a name on each
    side (`swapped`, from `pairs.name_swap`): two events, not a contradiction."""
    if not len(X):
        return np.zeros(0, dtype=np.int8)
    close = X[:, _F["content_cover_min"]] >= CONTRADICTION_COVER
    out = np.zeros(len(X), dtype=np.int8)
    # Conflicting arguments: each side names someone the other does not, and their figures,
    # years or weekdays all differ ("S&P 500 rose 1.9%" / "Dow jumped 2.1%"): two events.
    other_event = (X[:, _F["entity_conflict"]] > 0) & (
        (X[:, _F["numbers_conflict"]] > 0) | (X[:, _F["years_conflict"]] > 0) | (X[:, _F["weekday_conflict"]] > 0))
    if swapped is not None:
        other_event |= swapped
    out[other_event] = 3
    out[close & (X[:, _F["polarity_conflict"]] > 0)] = 2
    out[close & (X[:, _F["negation_scoped"]] > 0)] = 1
    return out


CONTRADICTION_REASONS = {
    1: "one sentence negates what the other states",
    2: "opposed event words (e.g. fired / hired, arrested / released)",
    3: "different names with different figures or dates: two events",
}
CONTRADICTION_KINDS = {1: "negation", 2: "opposed"}


def reported_contradictions(table: SentenceTable, left: np.ndarray, right: np.ndarray, why: np.ndarray,
                            raw: np.ndarray, threshold: float) -> np.ndarray:
    """Positions of the scored pairs worth reporting as contradictions: a negation or opposed
    event words where the pair would otherwise match (`raw` >= threshold), but not a negation
    where both sides negate something: the negation moved ("I didn't feel we were executing" /
    "I feel we weren't executing"), the claim did not flip."""
    negated = table.fields["negated"].lengths()
    both = (why == 1) & (negated[left] > 0) & (negated[right] > 0)
    return np.flatnonzero(np.isin(why, REPORTED_CONTRADICTIONS) & (raw >= threshold) & ~both)
# The codes that are worth reporting as contradictions (the rest only keep a pair apart).
REPORTED_CONTRADICTIONS = (1, 2)


def scores(X: np.ndarray, model: dict | None = None, disagreeing: np.ndarray | None = None,
           swapped: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match scores 0-100 (100 x the probability, cut by a contradiction), the contradiction
    codes, and the scores before the cut (what the pair would score but for the contradiction).

    Where `disagreeing` marks pairs that count the same thing with different values
    (`pairs.figure_disagreement`), they are scored as if their figures agreed: whether "19
    killed" and "at least 12 killed" are one claim is a question about everything else they
    say, and the differing figure is reported as a disagreement, not taken as a second event.
    """
    if disagreeing is not None and disagreeing.any():
        X = X.copy()
        X[disagreeing, _F["numbers_conflict"]] = 0.0
        X[disagreeing, _F["numbers_shared"]] = 1.0
    z = margins(X, model)
    raw = 100.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
    why = contradictions(X, swapped)
    return np.where(why > 0, raw * VETO_FACTOR, raw), why, raw


def score_pairs(table: SentenceTable, left: np.ndarray, right: np.ndarray, weights: np.ndarray,
                model: dict | None = None, workers: int = 1, same_story: bool = True,
                vectors: np.ndarray | None = None):
    """Features and scores of the pairs (left[k], right[k]): (scores, contradiction codes,
    scores before a contradiction's cut, feature matrix).

    `vectors`: the rows' sentence embeddings (`semantic.embed`), for the semantic model
    (`load_model(semantic=True)`): their cosine joins the features.

    `same_story`: the two sentences are known to report one story (grouping compares claims
    within a story only), so figures that differ about the same thing are a disagreement; for
    sentences compared without that knowledge they are evidence of two events.
    """
    X, swapped = pair_arrays(table, left, right, weights, workers=workers)
    if vectors is not None:
        from claimcheck.matching.semantic import pair_cosine, with_semantic

        X = with_semantic(X, pair_cosine(vectors, left, right), X[:, _F["content_cover_min"]])
    s, why, raw = scores(X, model, figure_disagreement(table, left, right) if same_story else None, swapped)
    return s, why, raw, X


# Pairs verified per batch: large enough for array work to pay, small enough that the batch's
# intermediate arrays stay in cache-sized pieces and memory stays flat whatever the run's size.
CHUNK = 50_000


def score_many(table: SentenceTable, left: np.ndarray, right: np.ndarray, weights: np.ndarray,
               model: dict | None = None, workers: int = 1, same_story: bool = True,
               vectors: np.ndarray | None = None):
    """`score_pairs` in batches of CHUNK, without the feature matrix: (scores, codes, raw)."""
    model = model or load_model()
    n = len(left)
    out = np.zeros(n, dtype=np.float32)
    why = np.zeros(n, dtype=np.int8)
    raw = np.zeros(n, dtype=np.float32)
    for start in range(0, n, CHUNK):
        sl = slice(start, start + CHUNK)
        out[sl], why[sl], raw[sl], _ = score_pairs(table, left[sl], right[sl], weights, model, workers, same_story,
                                                      vectors)
    return out, why, raw
