"""Story grouping: small inline cases, invariants, and quality floors on ECB+ dev and the sample."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.models import Document, Settings
from claimcheck.pipeline import extract_sentences, read_documents
from claimcheck.stories import group_stories

from .conftest import SAMPLE_DIR, shared_file

QUAKE = [
    ("quake-ap", "2024-03-04", "A magnitude 6.1 earthquake struck near Cobb in Northern California on Sunday, "
     "the U.S. Geological Survey said. The quake was centered about two miles from The Geysers. "
     "Residents of Lake County reported shaking but no serious damage."),
    ("quake-reuters", "2024-03-04", "An earthquake of magnitude 6.1 shook Lake County near Cobb on Sunday, "
     "according to the U.S. Geological Survey. Geologists said the quake hit close to The Geysers "
     "geothermal field. Lake County officials reported no serious damage."),
    ("quake-local", None, "Sunday's 6.1 magnitude quake near Cobb rattled homes across Lake County. "
     "The U.S. Geological Survey placed the epicentre near The Geysers. Sheriff Brian Martin said "
     "there was no serious damage in Lake County."),
]
SECT = [
    ("sect-bbc", "2024-06-10", "Police in Kenya arrested the leader of a religious sect, Paul Mackenzie, "
     "in Malindi on Monday. Prosecutors said Mackenzie told followers to starve themselves. "
     "Investigators exhumed more bodies in the Shakahola forest."),
    ("sect-nation", "2024-06-11", "Paul Mackenzie, the sect leader, was arrested in Malindi, police said. "
     "Detectives accuse Mackenzie of urging members to fast to death in the Shakahola forest. "
     "Kenya's interior minister visited Shakahola on Tuesday."),
]


def _doc(name: str, date: str | None, text: str) -> Document:
    return Document(id=name, path=f"{name}.txt", name=name, date=date, text=text)


def _group(items):
    docs = [_doc(*item) for item in items]
    sentences = [extract_sentences(d, Settings()) for d in docs]
    return docs, group_stories(docs, sentences)


def test_one_story_stays_one():
    _, grouping = _group(QUAKE)
    assert grouping.members == ((0, 1, 2),)
    story = grouping.stories[0]
    assert story.sources == ("quake-ap", "quake-local", "quake-reuters")
    assert story.similarity is not None and story.similarity > 0
    assert "Cobb" in story.terms or "Lake County" in story.terms


def test_two_different_stories_split():
    docs, grouping = _group(QUAKE + SECT)
    assert grouping.members == ((0, 1, 2), (3, 4))
    labels = [s.label for s in grouping.stories]
    assert any("Mackenzie" in label or "Shakahola" in label for label in labels)
    assert [s.id for s in grouping.stories] == ["s1", "s2"]


def test_order_does_not_change_stories():
    items = QUAKE + SECT
    _, reference = _group(items)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = items[:]
        rng.shuffle(shuffled)
        docs, grouping = _group(shuffled)
        assert grouping.stories == reference.stories
        for members, story in zip(grouping.members, grouping.stories, strict=True):
            assert tuple(sorted(docs[k].id for k in members)) == story.sources


def test_lone_document_and_empty_input():
    _, grouping = _group(SECT[:1])
    assert grouping.members == ((0,),)
    assert grouping.stories[0].similarity is None
    assert group_stories([], []).members == ()


def test_mismatched_sentence_lists_raise():
    with pytest.raises(ValueError):
        group_stories([_doc(*SECT[0])], [])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(QUAKE + SECT + [("empty", None, "Nothing."), ("x", None, "Read more.")]),
                min_size=1, max_size=7, unique_by=lambda t: t[0]))
def test_stories_partition_the_documents(items):
    docs, grouping = _group(items)
    flat = sorted(k for members in grouping.members for k in members)
    assert flat == list(range(len(docs)))
    assert all(list(m) == sorted(m) for m in grouping.members)
    firsts = [docs[m[0]].id for m in grouping.members]
    assert firsts == sorted(firsts)


def test_sample_articles_are_one_story():
    docs = read_documents([str(SAMPLE_DIR)], warn=lambda _: None)
    grouping = group_stories(docs, [extract_sentences(d, Settings()) for d in docs])
    assert len(grouping.members) == 1
    assert len(grouping.members[0]) == len(docs) == 5


# --------------------------------------------------------------------------- ECB+ dev floors
# Measured by bench/stories.py; floors a little under the measured figures.


@pytest.fixture(scope="module")
def ecb_dev():
    root = shared_file("data", "ecbplus", "dev", "docs")
    docs = read_documents([str(root)], warn=lambda _: None)
    return [(d, extract_sentences(d, Settings()), Path(d.path).parent.name) for d in docs]


def _labels(corpus):
    grouping = group_stories([c[0] for c in corpus], [c[1] for c in corpus])
    label = {}
    for number, members in enumerate(grouping.members):
        for k in members:
            label[k] = number
    return [label[k] for k in range(len(corpus))]


def _pairs(truth, pred):
    """(true positive, predicted positive, actual positive) pairs of "same story"."""

    def pairs(counts):
        return sum(c * (c - 1) // 2 for c in counts.values())

    return pairs(Counter(zip(truth, pred))), pairs(Counter(pred)), pairs(Counter(truth))


def _f1(tp, pp, ap):
    p, r = tp / pp, tp / ap
    return 2 * p * r / (p + r)


def test_ecb_dev_topic_folders_split_into_their_two_stories(ecb_dev):
    topics = defaultdict(list)
    for item in ecb_dev:
        topics[item[2].split("_")[0]].append(item)
    totals = [0, 0, 0]
    exact = 0
    for items in topics.values():
        truth = [c[2] for c in items]
        pred = _labels(items)
        for k, v in enumerate(_pairs(truth, pred)):
            totals[k] += v
        exact += len(set(pred)) == 2 and len(set(zip(truth, pred))) == 2
    assert _f1(*totals) >= 0.92  # measured 0.939
    assert exact >= 5  # of 8; measured 6


def test_ecb_dev_one_folder_and_sample_mixed_in(ecb_dev):
    docs = read_documents([str(SAMPLE_DIR)], warn=lambda _: None)
    sample = [(d, extract_sentences(d, Settings()), "sample") for d in docs]
    corpus = ecb_dev + sample
    truth = [c[2] for c in corpus]
    pred = _labels(corpus)
    assert _f1(*_pairs(truth, pred)) >= 0.92  # measured 0.936
    sample_labels = {pred[k] for k in range(len(ecb_dev), len(corpus))}
    assert len(sample_labels) == 1
    assert pred.count(next(iter(sample_labels))) == len(sample)


def test_ecb_dev_one_story_folders_stay_one(ecb_dev):
    stories = defaultdict(list)
    for item in ecb_dev:
        stories[item[2]].append(item)
    whole = sum(len(set(_labels(items))) == 1 for items in stories.values())
    assert whole >= 15  # of 16; measured 15


def test_story_terms_given_beforehand_group_as_computed_inside() -> None:
    from claimcheck.pipeline import _read
    from claimcheck.stories import group_stories, story_terms

    folders = [shared_file("data", "ecbplus", "dev", "docs") / name for name in ("2_ecb", "12_ecb", "18_ecb")]
    parsed = _read([str(f) for f in folders], lambda _m: None, None, None, Settings())
    docs, sentences = [d for d, _ in parsed], [s for _, s in parsed]
    inside = group_stories(docs, sentences)
    assert len(inside.stories) >= 3
    assert group_stories(docs, sentences, terms=[story_terms(s) for s in sentences]) == inside
