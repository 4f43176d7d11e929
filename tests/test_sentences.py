"""Tests for claimcheck.text.sentences: rules, real article text, quality floor, robustness."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.text.sentences import sentence_spans, split_sentences

GOLDEN_RULES = Path(__file__).resolve().parents[2] / "shared" / "data" / "golden_rules_en.json"
SAMPLE_ARTICLES = Path(__file__).resolve().parents[1] / "sample_articles"
GOLDEN_FLOOR = 47  # pySBD 0.3.4 scores 47/48

LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def assert_spans_valid(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans are ordered, disjoint, in bounds, stripped, non-empty, within a line, and lose no text."""
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        sentence = text[start:end]
        assert sentence == sentence.strip()
        assert not any(c in LINE_BREAKS for c in sentence)
        assert text[previous_end:start].strip() == "", "non-whitespace text outside every span"
        previous_end = end
    assert text[previous_end:].strip() == ""


# --- Quality floor ---------------------------------------------------------------------------


def test_golden_rules_floor() -> None:
    if not GOLDEN_RULES.exists():
        pytest.skip(f"Golden Rules data not found at {GOLDEN_RULES} (expected in ../shared/data)")
    cases = json.loads(GOLDEN_RULES.read_text(encoding="utf-8"))
    failed = [(c["id"], c["name"]) for c in cases if split_sentences(c["text"]) != c["expected"]]
    passed = len(cases) - len(failed)
    assert passed >= GOLDEN_FLOOR, f"{passed}/{len(cases)} Golden Rules pass; failing: {failed}"


# --- Rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I work for the U.S. Government in Virginia.",
        "The U.K. and the U.N. met the E.U. delegation.",
        "The U.S. Senate voted on the bill.",
        "J.D. Vance spoke in Ohio.",
        "J. D. Vance spoke in Ohio.",
        "Jonas E. Smith and George W. Bush met.",
        "Gen. Smith met Sen. Jones and Gov. Lee.",
        "Lt. Col. Hill briefed Mr. and Mrs. Brown and Ms. Wu.",
        "Dr. Watson and Prof. Moriarty visited St. Paul.",
        "Rep. Kay thanked Rev. King.",
        "Martin Luther King Jr. Day is in January.",
        "John Smith Sr. Director of Sales retired.",
        "It started Jan. 5 and ended Feb. 6.",
        "The attacks of Sept. 11 changed everything.",
        "They met on Aug. 7, Oct. 9, Nov. 10 and Dec. 11.",
        "He lives at No. 10 Downing St. in London.",
        "We met at 9 a.m. on Monday and left at 5 p.m. in a hurry.",
        "The vote is set for 5 p.m. Tuesday in Kyiv.",
        "Growth was 1.5 percent in the quarter.",
        "Version 3.11.2 fixed the bug.",
        "Fruits, e.g. apples, and vegetables, i.e. carrots, etc. are healthy.",
        "Roe v. Wade was decided in 1973.",
        "She works at Yahoo! in the accounting department.",
        "Please turn to p. 55 of the report.",
        "Apple Inc. CEO Tim Cook said so.",
        "She turned to him, \"This is great.\" she said.",
        "“Is it over?” he asked.",
        "The site is example.com and the mail is jane.doe@example.com today.",
        "He paused ... then went on.",
        "Sen. Chuck Schumer (D-N.Y.) said nothing.",
    ],
)
def test_no_split(text: str) -> None:
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said: “We will go.” Then he left.", ["He said: “We will go.”", "Then he left."]),
        ("She said \"Go.\" He went.", ["She said \"Go.\"", "He went."]),
        ("He asked, ‘Why?’ She shrugged.", ["He asked, ‘Why?’", "She shrugged."]),
        ("Wow! That worked. Did it? Yes.", ["Wow!", "That worked.", "Did it?", "Yes."]),
        ("Really?! No way.", ["Really?!", "No way."]),
        ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
        ("It was the E.U. Then it was over.", ["It was the E.U.", "Then it was over."]),
        ("He moved to the U.S. in 2001. It was cold.", ["He moved to the U.S. in 2001.", "It was cold."]),
        ("They sued Pitt & Co. It settled.", ["They sued Pitt & Co.", "It settled."]),
        ("Prices rose 5%. 12 people left.", ["Prices rose 5%.", "12 people left."]),
        ("She has $100.00. It is in her bag.", ["She has $100.00.", "It is in her bag."]),
        ("He left at 6 P.M. Mr. Smith stayed.", ["He left at 6 P.M.", "Mr. Smith stayed."]),
        ("We make a team, you and I. Did you see him?", ["We make a team, you and I.", "Did you see him?"]),
        ("I love it... She did not.", ["I love it...", "She did not."]),
        ("I love it… She did not.", ["I love it…", "She did not."]),
        ("A result (p. 5). Another one.", ["A result (p. 5).", "Another one."]),
        ("He left. (It was late.) She stayed.", ["He left.", "(It was late.)", "She stayed."]),
        ("It ended. “Nobody came,” she said.", ["It ended.", "“Nobody came,” she said."]),
        ("The iPhone sold well. iPhones are popular.", ["The iPhone sold well.", "iPhones are popular."]),
        ("1. First item 2. Second item", ["1. First item", "2. Second item"]),
        ("a) one b) two c) three", ["a) one", "b) two", "c) three"]),
        ("Done.\u200b Next one.", ["Done.\u200b", "Next one."]),
        ("Fire! 🔥 Run.", ["Fire!", "🔥 Run."]),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Headline\nFirst sentence. Second one.", ["Headline", "First sentence.", "Second one."]),
        ("One.\n\n   \n\t\nTwo.", ["One.", "Two."]),
        ("Dr.\nSmith", ["Dr.", "Smith"]),
        ("Windows line\r\nends here", ["Windows line", "ends here"]),
        ("Para\u2028graph", ["Para", "graph"]),
        ("  leading and trailing  \n", ["leading and trailing"]),
        ("", []),
        (" \n\t\r\n \u2029 ", []),
    ],
)
def test_line_breaks_end_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_spans_index_the_original_text() -> None:
    text = "  Mr. Smith left at 5 p.m. Tuesday.  He said: “Bye.”\n\nThe end!  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == split_sentences(text)
    assert split_sentences(text) == ["Mr. Smith left at 5 p.m. Tuesday.", "He said: “Bye.”", "The end!"]
    assert_spans_valid(text, spans)


# --- Real article text -----------------------------------------------------------------------

ARTICLE_PARAGRAPHS = [
    (
        "UKRAINE, KHARKIV, May 31 — U.S. President Joe Biden has authorized Ukraine to use American "
        "weapons to strike at Russian territory to protect Kharkiv, reported The Washington Times "
        "and Reuters, citing American officials who remain anonymous.",
        1,
    ),
    (
        "“President Joe Biden has quietly authorized Kyiv to launch U.S.-supplied weapons at military "
        "targets inside Russia that are supporting an offensive against the northeastern Ukrainian "
        "city of Kharkiv,” Reuters reports, citing four U.S. officials.",
        1,
    ),
    (
        "On the afternoon of May 25, Russian forces dropped two guided bombs [KAB] on a construction "
        "hypermarket in Kharkiv. Customers and employees were inside. A massive fire broke out at the "
        "hit site. The attack killed 19 civilians and injured 54.",
        4,
    ),
    (
        "In total, Russia has attacked Kharkiv with missiles, glide bombs, or drone strikes 1,700 times "
        "since January 2024, Oleh Syniehubov told Ukrainska Pravda, in an interview published on May "
        "25. More than 230 of them were missile attacks. ",
        2,
    ),
    (
        "“The president recently directed his team to ensure that Ukraine is able to use US-supplied "
        "weapons for counter-fire purposes in the Kharkiv region so Ukraine can hit back against "
        "Russian forces that are attacking them or preparing to attack them,” a US official said on "
        "Thursday. “Our policy with respect to prohibiting the use of Atacms or long-range strikes "
        "inside of Russia has not changed,” the official added, referring to a US ballistic missile "
        "system.",
        2,
    ),
    (
        "\"Our policy with respect to prohibiting the use of ATACMS or long-range strikes inside of "
        "Russia has not changed,\" the official said, referring to long-range missiles recently sent "
        "by Washington to Kyiv.",
        1,
    ),
    (
        "US-made HIMARS MLRS in Ukraine. Photo: General Staff of the Armed Forces of Ukraine.",
        2,
    ),
]


@pytest.mark.parametrize(("paragraph", "count"), ARTICLE_PARAGRAPHS)
def test_article_paragraphs(paragraph: str, count: int) -> None:
    sentences = split_sentences(paragraph)
    assert len(sentences) == count, sentences
    assert " ".join(sentences) == " ".join(paragraph.split())


@pytest.mark.parametrize(
    "sentence",
    [
        "U.S. President Joe Biden has authorized Ukraine to use American weapons to strike at Russian "
        "territory to protect Kharkiv, reported The Washington Times and Reuters, citing American "
        "officials who remain anonymous.",
        "“President Joe Biden has quietly authorized Kyiv to launch U.S.-supplied weapons at military "
        "targets inside Russia that are supporting an offensive against the northeastern Ukrainian city "
        "of Kharkiv,” Reuters reports, citing four U.S. officials.",
        "“Our policy with respect to prohibiting the use of Atacms or long-range strikes inside of "
        "Russia has not changed,” the official added, referring to a US ballistic missile system.",
        "The attack killed 19 civilians and injured 54.",
        "More than 230 of them were missile attacks.",
        "A second U.S. official confirmed Biden's change of policy.",
    ],
)
def test_sample_article_sentences_stay_whole(sentence: str) -> None:
    if not SAMPLE_ARTICLES.is_dir():
        pytest.skip(f"sample articles not found at {SAMPLE_ARTICLES}")
    found = {
        s
        for path in sorted(SAMPLE_ARTICLES.iterdir())
        for s in split_sentences(path.read_text(encoding="utf-8"))
    }
    assert any(s.endswith(sentence) for s in found), sentence


# --- Robustness ------------------------------------------------------------------------------

MB = 1_000_000
PATHOLOGICAL = {
    "no punctuation, one line": "word " * (MB // 5),
    "one huge word": "x" * MB + ". Next.",
    "unterminated quote": "“" + "He said. " * (MB // 9),
    "only periods": "." * MB,
    "periods and spaces": ". " * (MB // 2),
    "spaced ellipses": ". . . .x" * (MB // 8),
    "terminators and quotes": "?!.”’\") " * (MB // 8),
    "many short lines": "A.\n" * (MB // 3),
    "blank lines": "\n \r\n\t" * (MB // 4),
    "long whitespace": "a" + " " * MB + "b. C" + "\u3000" * MB,
    "control and zero-width": "Done.\u200b\u200e\u202e\x00\x07 Next \ufeff" * (MB // 17),
    "emoji and RTL": "שלום. 😀 مرحبا؟ 👍🏽. Ok. " * (MB // 24),
    "abbreviations": "U.S. Mr. a.m. No. J. e.g. Co. How " * (MB // 34),
    "numbered list": "1. item " + "".join(f"{i}. item " for i in range(2, MB // 10)),
    "lettered list": "a. x b. y " * (MB // 10),
    "brackets": "[...] (...) " * (MB // 12),
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_is_fast_and_valid(name: str) -> None:
    text = PATHOLOGICAL[name]
    started = time.perf_counter()
    spans = sentence_spans(text)
    elapsed = time.perf_counter() - started
    # About 1 MB each: linear-time code takes well under a second; anything quadratic takes hours.
    assert elapsed < 20, f"{name}: {elapsed:.1f}s for {len(text)} characters"
    assert_spans_valid(text, spans)


ALPHABET = st.sampled_from(
    list("aZé5 .!?…\"'“”‘’()[]•-,;:\n\t\r\u00a0\u200b\u200e\u2028😀")
    + ["Mr.", "U.S.", "a.m.", "No. 5", "J. ", "e.g.", " . . . ", "...", "1. ", "2) ", "Inc.", " The", " how"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_invariants_on_tricky_text(text: str) -> None:
    spans = sentence_spans(text)
    assert_spans_valid(text, spans)
    assert split_sentences(text) == [text[s:e] for s, e in spans]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_invariants_on_arbitrary_text(text: str) -> None:
    spans = sentence_spans(text)
    assert_spans_valid(text, spans)
    assert split_sentences(text) == [text[s:e] for s, e in spans]
