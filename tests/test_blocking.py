"""Blocking: exact for its cosine, deterministic, and keeps what the exhaustive matcher links."""

from __future__ import annotations

import importlib.util
import random
import sys

import numpy as np
import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from claimcheck.blocking import DEFAULT_MIN_COSINE, build_index, candidate_pairs, tokens

from .conftest import ROOT, shared_file

WORDS = (
    "kyiv ukraine russia strike missile border kharkiv biden weapons aid official said the a of "
    "allowed secretly counter attack artillery 12 19 2024 killed wounded civilians city region"
).split()


def _brute(texts: list[str], sources: list[str], min_cosine: float) -> set[tuple[int, int]]:
    """Every cross-source pair at or above `min_cosine`, from the dense similarity matrix."""
    index = build_index(texts)
    dense = np.zeros((index.size, max(len(index.df), 1)))
    for i in range(index.size):
        lo, hi = index.indptr[i], index.indptr[i + 1]
        dense[i, index.indices[lo:hi]] = index.data[lo:hi]
    sim = dense @ dense.T
    return {
        (i, j)
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if sources[i] != sources[j] and sim[i, j] >= min_cosine - 1e-9
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The company's shares rose 1,200 points.", ["company", "shar", "rose", "1200", "point"]),
        ("Shares, shared, sharing: share!", ["shar"]),
        ("It is what it is.", []),
        ("", []),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_small_inputs() -> None:
    assert candidate_pairs([], []) == []
    assert candidate_pairs(["Kyiv was struck by missiles."], ["a"]) == []
    # Same source never pairs; stop words alone never pair.
    assert candidate_pairs(["Kyiv was struck by missiles."] * 2, ["a", "a"]) == []
    assert candidate_pairs(["It is what it is.", "It is what it is."], ["a", "b"]) == []
    assert candidate_pairs(["Kyiv was struck by missiles."] * 2, ["a", "b"]) == [(0, 1)]
    with pytest.raises(ValueError):
        candidate_pairs(["x"], [])


@hsettings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from(WORDS), min_size=0, max_size=12), st.sampled_from("abcd")),
        min_size=0,
        max_size=40,
    ),
    st.sampled_from([0.05, 0.2, 0.35, 0.6]),
)
def test_exact_for_its_cosine(rows: list[tuple[list[str], str]], min_cosine: float) -> None:
    """Prefix filtering loses nothing: the result is every pair at or above the cosine, sorted."""
    texts = [" ".join(words) for words, _ in rows]
    sources = [source for _, source in rows]
    got = candidate_pairs(texts, sources, min_cosine=min_cosine)
    assert got == sorted(got)
    assert all(i < j and sources[i] != sources[j] for i, j in got)
    assert set(got) == _brute(texts, sources, min_cosine)


def test_deterministic_and_order_free() -> None:
    rnd = random.Random(7)
    texts = [" ".join(rnd.choices(WORDS, k=rnd.randint(3, 12))) for _ in range(300)]
    sources = [rnd.choice("abcdef") for _ in texts]
    first = candidate_pairs(texts, sources)
    assert first == candidate_pairs(list(texts), list(sources))
    perm = list(range(len(texts)))
    rnd.shuffle(perm)
    shuffled = candidate_pairs([texts[k] for k in perm], [sources[k] for k in perm])
    assert {tuple(sorted((perm[i], perm[j]))) for i, j in shuffled} == set(first)


def _scale_bench():
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_blocking_keeps_the_exhaustive_links(tmp_path) -> None:
    """Quality floor: on a generated corpus (real MRPC pairs planted across articles, real-vocabulary
    filler), blocking keeps >= 0.98 of the links (pairs scoring at or above the threshold) that
    exhaustive comparison makes, at the same settings and word weights.

    The exhaustive side scores every cross-source pair sharing a content token or a number; a
    sample of the pairs sharing none shows they never reach the threshold.
    """
    shared_file("data", "mrpc", "msr_paraphrase_train.txt")
    from claimcheck.matching import pair_score, sentence_features, word_weights
    from claimcheck.models import Settings

    scale = _scale_bench()
    corpus = scale.generate(20, seed=11, pairs_per_article=4)
    scale.write_corpus(corpus, tmp_path)
    claims = scale.parse(str(tmp_path))
    texts, sources = [c.text for c in claims], [c.source for c in claims]
    threshold = Settings().threshold
    features = [sentence_features(t) for t in texts]
    weights = word_weights(features)

    index = build_index(texts)
    sharing = candidate_pairs(texts, sources, min_cosine=1e-9, index=index)
    exhaustive = {(i, j) for i, j in sharing if pair_score(features[i], features[j], weights) >= threshold}
    fast = set(candidate_pairs(texts, sources, min_cosine=DEFAULT_MIN_COSINE, index=index))
    assert len(exhaustive) >= 50
    assert len(fast) < len(sharing) / 10
    recall = len(exhaustive & fast) / len(exhaustive)
    assert recall >= 0.98, sorted((texts[i], texts[j]) for i, j in exhaustive - fast)[:5]

    rnd = random.Random(3)
    token_sets = [set(tokens(t)) for t in texts]
    disjoint = []
    while len(disjoint) < 300:
        i, j = rnd.randrange(len(texts)), rnd.randrange(len(texts))
        if sources[i] != sources[j] and not token_sets[i] & token_sets[j]:
            disjoint.append((i, j))
    assert all(pair_score(features[i], features[j], weights) < threshold for i, j in disjoint)


def test_group_claims_on_the_blocked_path_links_what_all_pairs_links(tmp_path, monkeypatch) -> None:
    """End to end through `group_claims`: the groups' cross-source links with blocking are those
    of all-pairs comparison (>= 0.98 of them, and nothing all-pairs would not link)."""
    shared_file("data", "mrpc", "msr_paraphrase_train.txt")
    from claimcheck import blocking
    from claimcheck.matching import group_claims
    from claimcheck.models import Settings

    scale = _scale_bench()
    scale.write_corpus(scale.generate(6, seed=5, pairs_per_article=4), tmp_path)
    claims = scale.parse(str(tmp_path))

    def links(groups):
        return {
            tuple(sorted(((a.source, a.sentence_index), (b.source, b.sentence_index))))
            for g in groups for a in g.members for b in g.members if a.source < b.source
        }

    monkeypatch.setattr(blocking, "MIN_CLAIMS", 10**9)
    exhaustive = links(group_claims(claims, Settings()))
    monkeypatch.setattr(blocking, "MIN_CLAIMS", 0)
    blocked = links(group_claims(claims, Settings()))
    assert len(exhaustive) >= 10
    assert len(exhaustive & blocked) / len(exhaustive) >= 0.98
    assert len(blocked - exhaustive) <= 0.02 * len(exhaustive)
