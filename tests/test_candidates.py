"""Candidates at scale: the fast path keeps what exhaustive comparison links, and never chains."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest

from claimcheck import matching
from claimcheck.matching import build_table, candidate_pairs, group_claims
from claimcheck.matching.candidates import anchors, neighbour_count
from claimcheck.matching.model import score_pairs
from claimcheck.models import Sentence, Settings

from .conftest import ROOT, shared_file


def _scale_bench():
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_claims(tmp_path_factory) -> list[Sentence]:
    shared_file("data", "mrpc", "msr_paraphrase_train.txt")
    scale = _scale_bench()
    folder = tmp_path_factory.mktemp("corpus")
    scale.write_corpus(scale.generate(40, seed=11, pairs_per_article=3), folder)
    return scale.parse(str(folder))


def _linked(table, weights, left, right, threshold) -> dict[tuple[int, int], float]:
    s = score_pairs(table, left, right, weights)[0]
    return {(int(i), int(j)): float(v) for i, j, v in zip(left, right, s) if v >= threshold}


def test_fast_path_keeps_the_exhaustive_links(corpus_claims) -> None:
    claims = corpus_claims
    table = build_table([c.text for c in claims])
    weights = table.idf()
    sources = [c.source for c in claims]
    story = [0] * len(claims)
    threshold = Settings().threshold
    every = candidate_pairs(table, weights, sources, story, large=10**9)
    fast = candidate_pairs(table, weights, sources, story, large=0)
    assert len(fast[0]) < len(every[0]) / 5  # the fast path really is a cut
    exhaustive = _linked(table, weights, *every, threshold)
    found = _linked(table, weights, *fast, threshold)
    assert len(exhaustive) >= 50
    assert set(found) <= set(exhaustive)
    # The links the fast path misses are the scorer's weakest: here five of 196, all of them two
    # different market reports ("Nasdaq ... up 5.64 points" / "S&P 500 ... declined 10.65 points")
    # that share no content word the cosine prefilter counts.
    assert len(found.keys() & exhaustive.keys()) / len(exhaustive) >= 0.97
    clear = {k for k, v in exhaustive.items() if v >= threshold + 10}
    assert len(clear & found.keys()) / len(clear) >= 0.99


def test_group_claims_on_the_fast_path_links_what_all_pairs_links(corpus_claims, monkeypatch) -> None:
    def links(groups):
        return {
            tuple(sorted(((a.source, a.sentence_index), (b.source, b.sentence_index))))
            for g in groups for a in g.members for b in g.members if a.source < b.source
        }

    monkeypatch.setattr(matching, "LARGE", 10**9)
    exhaustive = links(group_claims(corpus_claims, Settings())[0])
    monkeypatch.setattr(matching, "LARGE", 0)
    fast = links(group_claims(corpus_claims, Settings())[0])
    assert len(exhaustive) >= 30
    assert len(exhaustive & fast) / len(exhaustive) >= 0.98
    assert len(fast - exhaustive) <= 0.02 * len(exhaustive)


def test_a_claim_carried_by_many_outlets_is_found_whole() -> None:
    # 120 outlets carry one figure-bearing claim, worded a little differently; k is far smaller.
    texts = [f"The strike on the Kharkiv hypermarket killed 19 civilians, outlet {k} reported." for k in range(120)]
    texts += [f"Unrelated claim number {k} about the weather in city {k}." for k in range(200)]
    table = build_table(texts)
    left, right = anchors(table)
    pairs = set(zip(left.tolist(), right.tolist()))
    assert neighbour_count(120) < 119
    assert all((i, j) in pairs for i in range(120) for j in range(i + 1, 120))


def test_candidates_are_cross_source_within_a_story() -> None:
    texts = ["Biden allowed Ukraine to strike Russia with US weapons."] * 6
    table = build_table(texts)
    left, right = candidate_pairs(table, table.idf(), ["a", "a", "b", "b", "c", "c"], [0, 0, 0, 0, 1, 1], large=0)
    for i, j in zip(left.tolist(), right.tolist()):
        assert i < j
        assert (i // 2) != (j // 2)  # different sources
        assert (i < 4) == (j < 4)  # same story
    assert set(zip(left.tolist(), right.tolist())) == {(0, 2), (0, 3), (1, 2), (1, 3)}
