"""Claims: which sentences are claims, and the recorded reason for the others."""

from __future__ import annotations

import pytest

from claimcheck.text.claims import document_sentences, mark_claims, non_claim_reason, word_count
from claimcheck.read.files import build_document
from claimcheck.models import Sentence, Settings


def _sentence(text: str, **kw) -> Sentence:
    return Sentence(source="s", index=0, text=text, start=0, end=len(text), **kw)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Kyiv said so.", "fragment"),
        ("Read also:", "fragment"),
        ("Here is what we know so far:", "lead-in"),
        ("UKRAINE WAR LIVE UPDATES AND NEWS", "all capitals"),
        ("Read the full statement at https://example.org/statement now.", "contains a URL"),
        ("Please support us by disabling your ad blocker today.", "boilerplate"),
        ("— — — ... !!!", "no words"),
    ],
)
def test_non_claims_have_reasons(text, reason):
    assert (non_claim_reason(_sentence(text), Settings()) or "").startswith(reason)


@pytest.mark.parametrize(
    "text",
    [
        "“Our policy has not changed,” the official said.",
        "A second U.S. official confirmed Biden's change of policy.",
        "The attack killed 19 civilians and injured 54.",
        "Zelensky: we need more air defence now.",
    ],
)
def test_quotes_and_attributed_statements_are_claims(text):
    assert non_claim_reason(_sentence(text), Settings()) is None


def test_headline_is_not_a_claim():
    assert non_claim_reason(_sentence("Biden allows Ukraine to hit Russia", is_headline=True), Settings()).startswith("headline")


def test_min_claim_words_setting():
    assert non_claim_reason(_sentence("Russia fired missiles."), Settings(min_claim_words=3)) is None
    assert non_claim_reason(_sentence("Russia fired missiles."), Settings(min_claim_words=4)) is not None


def test_word_count_keeps_abbreviations_whole():
    assert word_count("The U.S. long-range ban, Kyiv’s view.") == 6


def test_document_sentences_offsets_and_headline():
    doc = build_document("Big News Headline Here\n\nFirst claim is made here. Second one follows, he said.", source_id="d", path="d.txt", stem="d")
    sentences = mark_claims(document_sentences(doc), Settings())
    assert [s.text for s in sentences] == ["Big News Headline Here", "First claim is made here.", "Second one follows, he said."]
    assert all(doc.text[s.start:s.end] == s.text for s in sentences)
    assert sentences[0].is_headline and not sentences[0].is_claim
    assert [s.is_claim for s in sentences[1:]] == [True, True]


@pytest.mark.parametrize("text, reason", [
    ("Make no mistake: this is a very good phone.", "opinion"),
    ("The camera, I think, is the best on any phone this year.", "opinion"),
    ("It is a stunning spectacle from start to finish.", "opinion"),
    ("WASHINGTON, July 1 (Xinhua)", "dateline"),
    ("NEW YORK, Sept. 27 (AP) --", "dateline"),
    ("Rescue workers search the rubble in Sendai (Reuters/Kim Kyung-Hoon).", "photo caption"),
    ("Photo: the wreckage of the two commuter trains near Chatsworth.", "photo caption"),
])
def test_opinions_datelines_and_captions_are_not_claims(text, reason):
    sentence = Sentence(source="a", index=3, text=text, start=0, end=len(text))
    assert (non_claim_reason(sentence, Settings()) or "").startswith(reason)


@pytest.mark.parametrize("text", [
    "Cobb County Police Officer Huel Clements was on I-75 when he saw the minivan.",
    '"This is a very good phone," the company\'s chief executive said on Monday.',
    "STAR WARS: EPISODE I _ THE PHANTOM MENACE opens on Wednesday in 2,970 theaters.",
    "The US said the strike was a good decision for the region's security.",
    "Samsung said the Galaxy S5 has a 16-megapixel camera and a 5.1-inch screen.",
])
def test_statements_stay_claims(text):
    sentence = Sentence(source="a", index=3, text=text, start=0, end=len(text))
    assert non_claim_reason(sentence, Settings()) is None
