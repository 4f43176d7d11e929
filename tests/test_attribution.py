"""Tests for claimcheck.sources.attribution: quality floors on hand-labelled sets, the forms, robustness."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.sources.attribution import (
    KINDS,
    DocumentAttributions,
    attribute,
    attribute_document,
    may_name_outlet,
    outlet_key,
    outlets_in,
)
from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("bench_attribution", ROOT / "bench" / "attribution.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_attribution"] = bench
_spec.loader.exec_module(bench)  # type: ignore[union-attr]

# Floors per set and kind, (precision, recall). The dev set (189 sentences) is the one the rules
# were written against, so its floors guard against regressions only; the held-out set (60
# sentences, labelled before the rules first ran on it) is the estimate of quality on new text.
FLOORS = {
    "dev": {"reporter": (0.95, 0.95), "named": (0.95, 0.95), "anonymous": (0.95, 0.95), "outlet": (0.95, 0.95),
            "document": (0.9, 0.9)},
    "held-out": {"reporter": (0.85, 0.9), "named": (0.85, 0.9), "anonymous": (0.85, 0.85),
                 "outlet": (0.85, 0.85), "document": (0.8, 0.8)},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_floors(name: str) -> None:
    docs = bench.load(bench.SETS[name])
    res = bench.evaluate(docs)
    assert res["sentences"] >= (150 if name == "dev" else 50)
    low = {k: (round(v["precision"], 3), round(v["recall"], 3)) for k, v in res["per_kind"].items()
           if v["precision"] < FLOORS[name][k][0] or v["recall"] < FLOORS[name][k][1]}
    assert not low, f"{name}: below floor {low}; errors: {res['errors']}"
    assert res["who"] >= 0.9, res["who"]
    assert res["via"] >= 0.8, res["via"]


def test_labelled_sets_cover_every_kind_and_style() -> None:
    rows = [r for rows in bench.load(bench.SETS["dev"]).values() for r in rows]
    kinds = {r["kind"] for r in rows}
    styles = {r["style"] for r in rows}
    assert kinds == set(KINDS)
    assert {"sample", "wire", "tabloid", "broadsheet", "live blog", "headlines"} <= styles
    assert sum(r["doc"].startswith("sample:") for r in rows) >= 70


@pytest.mark.parametrize(
    ("text", "kind", "who", "via"),
    [
        ("Prices have doubled since March.", "reporter", None, ()),
        ("Blinken said the United States had adapted.", "named", "Blinken", ()),
        ('"We will respond," Kremlin spokesman Dmitry Peskov told reporters.', "named", "Kremlin spokesman Dmitry Peskov", ()),
        ('"The president directed his team," said one U.S. official.', "anonymous", "one U.S. official", ()),
        ("The strike hit a depot, according to two people familiar with the matter.", "anonymous",
         "two people familiar with the matter", ()),
        ("The Washington Post, citing a White House official, reported that it was approved.", "outlet",
         "The Washington Post", ("a White House official",)),
        ("According to Politico, one of the US officials stated that the order was given.", "outlet", "Politico",
         ("one of the US officials",)),
        ("The mayor told the Kyiv Post that water was restored.", "outlet", "the Kyiv Post", ("The mayor",)),
        ("Ukraine can now strike (according to two U.S. officials).", "anonymous", "two U.S. officials", ()),
        ("A statement from the general staff said 1,100 troops were killed.", "document",
         "A statement from the general staff", ()),
        ("Russia fires 40 missiles at the grid - officials", "anonymous", "officials", ()),
        ("Reuters: Ukraine hit two airfields overnight", "outlet", "Reuters", ()),
        ("The Zelensky office did not immediately confirm the decision.", "reporter", None, ()),
        ("The official spoke on condition of anonymity to discuss the plan.", "reporter", None, ()),
    ],
)
def test_forms(text: str, kind: str, who: str | None, via: tuple[str, ...]) -> None:
    att = attribute(text)
    assert (att.kind, att.who, att.via) == (kind, who, via)


def test_pronoun_resolves_to_the_previous_speaker() -> None:
    atts = attribute_document([
        '"We will respond to every attack," Kremlin spokesman Dmitry Peskov told reporters.',
        "Oil prices rose.",
        "He added that talks were not on the agenda.",
    ])
    assert (atts[2].kind, atts[2].who) == ("named", "Kremlin spokesman Dmitry Peskov")
    alone = attribute("He added that talks were not on the agenda.")
    assert (alone.kind, alone.who) == ("named", "He")


def test_quote_only_sentence_continues_the_previous_speaker() -> None:
    atts = attribute_document(['"It is late," said Rob Lee, a fellow.', '"Before now, it was worse."'])
    assert atts[1].who == "Rob Lee"


def test_publisher_citing_itself_is_its_own_voice() -> None:
    text = "A defence insider told The Sun: \"This is a humiliation.\""
    assert attribute(text).kind == "outlet"
    assert (attribute(text, publisher="The Sun").kind, attribute(text, publisher="The Sun").who) == (
        "anonymous", "A defence insider")
    assert attribute("The New York Times reported last month that it began.", publisher="The New York Times").kind \
        == "reporter"


def test_outlet_names_are_canonical() -> None:
    assert outlets_in("reported The Washington Times and Reuters, citing AP") == (
        "The Washington Times", "Reuters", "Associated Press")
    assert outlet_key("Associated Press") == outlet_key("AP") == outlet_key("the Associated Press")
    assert outlet_key("BBC News") == outlet_key("BBC")
    assert outlets_in("the ap stylebook and a soft ft") == ()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_kind(text: str) -> None:
    assert attribute(text).kind in KINDS


@pytest.mark.parametrize("unit", ["officials said that ", "x ", "according to ", "(", "\u201c", "citing , "])
def test_long_input_is_bounded(unit: str) -> None:
    assert attribute(unit * 50_000).kind in KINDS  # bounded windows: returns at once, never hangs


# --- on demand: what the independence stage reads ------------------------------------------


def _labelled_documents() -> list[tuple[list[str], str | None]]:
    return [([r["text"] for r in rows], rows[0]["publisher"])
            for path in bench.SETS.values() for rows in bench.load(path).values()]


@pytest.mark.parametrize("order", ["forward", "backward", "shuffled"])
def test_on_demand_equals_the_whole_document(order: str) -> None:
    import random

    for texts, publisher in _labelled_documents():
        lazy = DocumentAttributions(texts, publisher=publisher)
        wanted = list(range(len(texts)))
        if order == "backward":
            wanted.reverse()
        elif order == "shuffled":
            random.Random(len(texts)).shuffle(wanted)
        got = {i: lazy[i] for i in wanted}
        assert [got[i] for i in range(len(texts))] == attribute_document(texts, publisher=publisher)


def test_on_demand_long_chain_has_no_deep_recursion() -> None:
    # Every quote-only line continues the previous speaker: the last depends on all before it.
    texts = ['"It is late," said Rob Lee, a fellow.'] + [f'"Line {i} of the quote."' for i in range(3000)]
    lazy = DocumentAttributions(texts)
    assert lazy[-1].who == "Rob Lee"
    assert list(lazy) == attribute_document(texts)
    with pytest.raises(IndexError):
        lazy[len(texts)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Reuters", "AP", "A.P.", "the", "said", "according to", "citing", ",", ";", ":",
                                 "\"", "officials", "He", "told", "Associated", "Press", "  ", "\n", "reported"]),
                max_size=20))
def test_may_name_outlet_never_misses_an_outlet(words: list[str]) -> None:
    text = " ".join(words)
    if not may_name_outlet(text):
        assert attribute(text).outlets == ()


def test_may_name_outlet_on_labelled_sentences() -> None:
    texts = [t for doc, _ in _labelled_documents() for t in doc]
    named = [t for t in texts if attribute(t).outlets]
    assert named and all(may_name_outlet(t) for t in named)
    assert sum(not may_name_outlet(t) for t in texts) > len(texts) / 2  # it does skip most sentences


# --- speakers: who a quote or a claim is credited to ------------------------------------------


def test_he_said_is_the_nearest_person_not_the_group_that_claimed_the_attack() -> None:
    atts = attribute_document([
        "French President Francois Hollande declared a state of emergency after the attacks.",
        "The Islamic State group, ISIS, claimed responsibility in a statement posted online.",
        'He said early Saturday, "We will lead the fight, and we will be ruthless."',
    ])
    assert (atts[2].kind, atts[2].who) == ("named", "French President Francois Hollande")


def test_a_survivors_words_are_not_the_agency_quoted_before() -> None:
    atts = attribute_document([
        "The UN Office for the Co-ordination of Humanitarian Affairs said at least 40 people had died.",
        "Maria Lopez, a fisherman's widow, was on the beach when the wave came.",
        '"I grabbed my daughter\'s hand and we ran," she said.',
    ])
    assert (atts[2].kind, atts[2].who) == ("named", "Maria Lopez")


@pytest.mark.parametrize("text", [
    "The UK said it would send a search and rescue team.",
    "Tsunami warnings were issued for Japan, Australia and New Zealand.",
    "Five said they had felt the building sway.",
    '"I am confident that we will find more survivors," he said.',
    "This whole incident, officials said, could have been avoided.",
    '"We will not let America down," Bush said.',
])
def test_no_place_number_or_clause_is_a_speaker(text: str) -> None:
    from claimcheck.sources.attribution import is_speaker

    att = attribute(text)
    assert att.who is None or is_speaker(att.who), att
    assert att.who not in ("UK", "Japan", "Australia", "New Zealand", "Five", "America", "This whole incident")
    assert not (att.who or "").startswith(("I am", "I "))


@pytest.mark.parametrize("phrase, ok", [
    ("UK", False), ("New Zealand", False), ("the United States", False), ("five", False), ("12", False),
    ("Preliminary", False), ("I am confident that we", False), ("This whole incident", False),
    ("When those attempts", False), ("Having told everyone", False), ("It's official", False),
    ("he", True), ("police", True), ("officials", True), ("Francois Hollande", True), ("the NYPD", True),
    ("Moscow", True),  # a capital standing for its government ("Moscow denied the claim")
])
def test_is_speaker(phrase: str, ok: bool) -> None:
    from claimcheck.sources.attribution import is_speaker

    assert is_speaker(phrase) is ok


# Speaker precision / recall (the speaker's name, per kind) on 312 sentences of real articles
# (ECB+ and ../shared/data/stories) labelled before the rules changed; see bench/attribution.py.
SPEAKER_FLOORS = {"overall": (0.92, 0.9), "named": (0.92, 0.95), "anonymous": (0.88, 0.85),
                  "outlet": (0.95, 0.7), "document": (0.95, 0.4)}


def test_speaker_quality_floors_on_real_articles() -> None:
    if not bench.DATA.exists():
        pytest.skip(f"{bench.DATA} not found (../shared is beside the checkout in CI)")
    res = bench.speaker_scores(bench.speaker_rows())
    assert res["sentences"] >= 300
    scores = {"overall": res["overall"], **res["per_kind"]}
    low = {k: (round(v["precision"], 3), round(v["recall"], 3)) for k, v in scores.items()
           if v["precision"] < SPEAKER_FLOORS[k][0] or v["recall"] < SPEAKER_FLOORS[k][1]}
    assert not low, f"below floor {low}"
