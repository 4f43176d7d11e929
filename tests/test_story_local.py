"""Story-local matching: a story's groups depend on its own claims only (not on the other
stories of the run, nor on the input order), on both the all-pairs and the candidate path."""

from __future__ import annotations

import random

import pytest

from claimcheck import matching
from claimcheck.matching import group_claims, match_story
from claimcheck.models import Sentence, Settings

from .conftest import shared_file
from .test_candidates import _scale_bench


def _story_claims(prefix: str, seed: int, n_articles: int) -> list[Sentence]:
    scale = _scale_bench()
    corpus = scale.generate(n_articles, seed=seed, pairs_per_article=3)
    return [Sentence(source=f"{prefix}{k:03d}", index=i, text=text, start=0, end=len(text))
            for k, sentences in enumerate(corpus.articles) for i, text in enumerate(sentences)]


@pytest.fixture(scope="module")
def two_stories() -> tuple[list[Sentence], list[Sentence]]:
    shared_file("data", "mrpc", "msr_paraphrase_train.txt")
    return _story_claims("a", 3, 14), _story_claims("b", 4, 30)


def _dump(groups) -> list[str]:
    return [g.model_copy(update={"id": ""}).model_dump_json() for g in groups]


def _of(groups, prefix: str) -> list[str]:
    return sorted(_dump([g for g in groups if g.members[0].source.startswith(prefix)]))


@pytest.mark.parametrize("large", [10**9, 100])  # all pairs; the candidate path
def test_a_story_gives_the_same_groups_alone_with_others_and_in_any_order(two_stories, monkeypatch, large) -> None:
    monkeypatch.setattr(matching, "LARGE", large)
    a, b = two_stories
    settings = Settings()
    alone = group_claims(a, settings, {c.source: "s1" for c in a})[0]
    stories = {**{c.source: "s1" for c in a}, **{c.source: "s2" for c in b}}
    mixed = a + b
    random.Random(7).shuffle(mixed)
    together = group_claims(mixed, settings, stories)[0]
    assert sum(g.support >= 2 for g in alone) >= 10
    assert _of(together, "a") == sorted(_dump(alone))
    # match_story itself: the same groups for the claims in any order
    shuffled = list(a)
    random.Random(1).shuffle(shuffled)
    assert sorted(_dump(match_story(shuffled, settings, "s1")[0])) == sorted(_dump(alone))


def test_group_claims_numbers_the_story_results_by_support_then_position() -> None:
    text = "Biden has authorized Ukraine to use American weapons to strike targets in Russia."
    other = "The central bank raised interest rates by half a point on Thursday."
    claims = [Sentence(source=s, index=0, text=t, start=0, end=len(t))
              for s, t in (("x", other), ("a", text), ("b", text), ("y", other), ("z", other))]
    groups, _ = group_claims(claims, Settings(), {"a": "s2", "b": "s2", "x": "s1", "y": "s1", "z": "s1"})
    assert [(g.id, g.support, g.story) for g in groups] == [("c1", 3, "s1"), ("c2", 2, "s2")]


def test_the_feature_table_holds_at_most_2_kb_per_claim(two_stories) -> None:
    import gc
    import tracemalloc

    from claimcheck.matching import build_table

    a, b = two_stories
    texts = [c.text for c in a + b]
    build_table(texts)  # fills the per-token caches the process keeps (not the table's)
    gc.collect()
    tracemalloc.start()
    try:
        table = build_table(texts)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(table) == len(texts)
    assert held / len(texts) <= 2048
    assert table.tokens[0] == tuple(table.content_text[0].split(" "))


def test_a_giant_story_is_matched_as_sub_stories_and_said(two_stories, monkeypatch) -> None:
    from claimcheck.matching import split_story

    a, _ = two_stories
    parts = split_story(a, limit=150)
    assert len(parts) == -(-len(a) // 150)
    assert sum(map(len, parts)) == len(a)
    assert all(len({c.source for c in p} & {c.source for c in q}) == 0 for p in parts for q in parts if p is not q)
    assert max(map(len, parts)) <= 150 + max(sum(c.source == s for c in a) for s in {c.source for c in a})
    assert split_story(list(reversed(a)), limit=150) == split_story(a, limit=150)
    monkeypatch.setattr(matching, "MAX_STORY_CLAIMS", 150)
    said: list[str] = []
    groups, _ = group_claims(a, Settings(), {c.source: "s1" for c in a}, warn=said.append)
    assert len(said) == 1 and f"{len(parts)} sub-stories" in said[0]
    part_of = {c.source: k for k, p in enumerate(parts) for c in p}
    assert all(len({part_of[m.source] for m in g.members}) == 1 for g in groups)
    assert sorted((m.source, m.sentence_index) for g in groups for m in g.members) == sorted((c.source, c.index) for c in a)
