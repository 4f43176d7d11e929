"""Tests for claimcheck.sources.families: copies matched through one representative, listed after."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from claimcheck.models import ClaimGroup, Member, Sentence, Settings
from claimcheck.pipeline import compare
from claimcheck.sources.families import CopyFamilies

from .conftest import bench_module

BASE = [f"Sentence number {i} of the wire story says something specific about item {i} today." for i in range(6)]


def _sentences(source: str, texts: list[str]) -> list[Sentence]:
    return [Sentence(source=source, index=i, text=t, start=0, end=len(t)) for i, t in enumerate(texts)]


def test_a_copys_sentences_join_the_representatives_groups() -> None:
    copy = list(BASE)
    copy[2] = copy[2].replace("item 2", "item 22")  # a changed figure is matched on its own
    families = CopyFamilies({"a": _sentences("a", BASE), "b": _sentences("b", copy)})
    claims = _sentences("a", BASE) + _sentences("b", copy)
    assert [(c.source, c.index) for c in families.matched(claims) if c.source == "b"] == [("b", 2)]
    group = ClaimGroup(id="c1", text=BASE[1], sources=("a", "z"), support=2, members=(
        Member(source="a", text=BASE[1], sentence_index=1, score=100.0),
        Member(source="z", text="Another outlet's wording.", sentence_index=0, score=80.0)))
    (out,) = families.expand([group])
    assert (out.sources, out.support) == (("a", "b", "z"), 3)
    assert [(m.source, m.sentence_index, m.score) for m in out.members] == [("a", 1, 100.0), ("b", 1, 100.0),
                                                                             ("z", 0, 80.0)]


def test_sources_without_copies_are_matched_as_they_are() -> None:
    other = [f"An unrelated report number {i} covers a different angle of event {i} now." for i in range(6)]
    families = CopyFamilies({"a": _sentences("a", BASE), "b": _sentences("b", other)})
    claims = _sentences("a", BASE) + _sentences("b", other)
    assert families.matched(claims) == claims and families.links == []


@pytest.mark.parametrize("edited", [False, True])
def test_sixty_copies_of_the_sample_articles_keep_the_cross_origin_groups(edited: bool) -> None:
    bench = bench_module("copies")
    with tempfile.TemporaryDirectory() as tmp:
        originals = bench.write_corpus(Path(tmp), 0, False)
        base = bench.cross_origin(compare([tmp], Settings(one_story=True), warn=lambda _: None), originals)
    with tempfile.TemporaryDirectory() as tmp:
        bench.write_corpus(Path(tmp), 60, edited)
        report = compare([tmp], Settings(one_story=True), warn=lambda _: None)
    got = bench.cross_origin(report, originals)
    assert report.summary.sources == 65  # every copy is listed
    want, have = bench.linked(base), bench.linked(got)
    if edited:  # a few edited sentences are matched on their own and move a member or two
        assert len(want & have) >= 0.7 * len(want) and len(have - want) <= 0.2 * len(want), (want, have)
    else:
        assert got == base
