"""Tests for claimcheck.sources.independence: copies, wire credits, one outlet in several files, relays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimcheck.sources.independence import find_copies
from claimcheck.models import Report, Sentence, Settings
from claimcheck.pipeline import compare

from .conftest import FIXTURES, SAMPLE_DIR

WIRE = FIXTURES / "wire"


def run(*paths: Path, **settings) -> Report:
    return compare([str(p) for p in paths], Settings(**settings), warn=lambda _: None)


def claim_with(report: Report, *words: str):
    found = [c for c in report.claims if all(w.lower() in c.text.lower() for w in words)]
    assert found, f"no claim with {words}: {[c.text for c in report.claims]}"
    return found[0]


def origins(report: Report) -> dict[str, tuple[str, str]]:
    return {s.id: (s.origin.kind, s.origin.name) for s in report.sources}


# --- the wire fixture: one AP story printed by three outlets, plus one independent report -----


@pytest.fixture(scope="module")
def wire() -> Report:
    return run(WIRE)


def test_wire_story_reprinted_three_times_is_one_origin(wire: Report) -> None:
    c = claim_with(wire, "Zmiiv", "destroyed")
    assert (c.support, c.independent_support) == (4, 2)
    assert origins(wire) == {
        "lakeview-herald": ("wire", "Associated Press"),  # byline "By ..., Associated Press"
        "northern-ledger": ("copy", "Associated Press"),  # no credit: a copy of the credited text
        "daily-meridian": ("copy", "Associated Press"),
        "kharkiv-observer": ("own", "Kharkiv Observer"),
    }
    by_source = {m.source: m for m in c.members}
    assert by_source["kharkiv-observer"].origin == "Kharkiv Observer" and not by_source["kharkiv-observer"].relayed
    assert all(by_source[s].relayed and by_source[s].origin == "Associated Press"
               for s in ("lakeview-herald", "northern-ledger", "daily-meridian"))


def test_copy_evidence_counts_matched_sentences(wire: Report) -> None:
    ledger = next(s for s in wire.sources if s.id == "northern-ledger").origin
    copy = next(e for e in ledger.evidence if e.kind == "copy" and e.source == "lakeview-herald")
    # Northern Ledger reorders paragraphs, cuts two and edits two lightly: 7 of its 7 body sentences match.
    assert (copy.matched_sentences, copy.share) == (7, 1.0)
    assert copy.in_order < copy.matched_sentences  # the moved paragraph breaks the order
    assert not any(e.kind == "copy" for e in next(s for s in wire.sources if s.id == "kharkiv-observer").origin.evidence)


def test_min_independent_filters(wire: Report) -> None:
    strict = run(WIRE, min_independent=2)
    assert [c.text for c in strict.claims] == [claim_with(wire, "Zmiiv", "destroyed").text]
    assert strict.summary.independent == wire.summary.independent == 1


def test_origins_do_not_depend_on_file_order(tmp_path: Path, wire: Report) -> None:
    for i, src in enumerate(sorted(WIRE.iterdir(), reverse=True)):
        shutil.copy(src, tmp_path / f"{i}-{src.name}")
    again = run(tmp_path)
    assert sorted(o for o in origins(again).values()) == sorted(origins(wire).values())
    assert [(c.support, c.independent_support) for c in again.claims] == [
        (c.support, c.independent_support) for c in wire.claims]


# --- credits, one outlet, relays --------------------------------------------------------------

STORY = "A Russian drone strike hit a grain terminal in the port of Izmail on Tuesday, injuring three workers"


def write(path: Path, *paragraphs: str) -> Path:
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("credit", [
    "IZMAIL, Ukraine (Reuters) - " + STORY + ", officials said.",
    "AFP contributed to this report.",
    "This article was originally published by Politico.",
])
def test_wire_credit_without_a_second_copy(tmp_path: Path, credit: str) -> None:
    body = [STORY + ", officials said.", "The terminal handles about a fifth of Ukraine's grain exports by river."]
    paragraphs = [credit] + body[1:] if credit.startswith("IZMAIL") else body + [credit]
    write(tmp_path / "a.txt", "Drone strike hits Izmail port", *paragraphs, "Copyright 2024 Danube Post")
    write(tmp_path / "b.txt", "Port attacked", "Russian drones struck a grain terminal in Izmail port on Tuesday, "
          "injuring three workers, the regional governor said.", "Copyright 2024 Odesa Gazette")
    report = run(tmp_path)
    expected = {"IZMAIL": "Reuters", "AFP": "AFP", "This": "Politico"}[credit.split()[0].rstrip(",")]
    assert origins(report)["a"] == ("wire", expected)
    assert origins(report)["b"] == ("own", "Odesa Gazette")


def izmail_claim(tmp_path: Path, articles: list[tuple[str, str, str]]):
    """Write one article per (file name, sentence, outlet) and return the report and its Izmail claim."""
    for name, sentence, outlet in articles:
        write(tmp_path / name, "Izmail port hit", sentence, f"Copyright 2024 {outlet}")
    report = run(tmp_path)
    return report, claim_with(report, "Izmail")


def test_one_outlet_in_two_files_counts_once(tmp_path: Path) -> None:
    report, c = izmail_claim(tmp_path, [
        ("page.md", STORY + ", the governor said.", "Danube Post"),
        ("print.txt", "Three workers were injured when a Russian drone strike hit a grain terminal in Izmail port "
         "on Tuesday, the governor said.", "Danube Post"),
        ("other.txt", "Russian drones struck a grain terminal in Izmail port on Tuesday, injuring three workers, "
         "the regional governor said.", "Odesa Gazette"),
    ])
    assert (c.support, c.independent_support) == (3, 2)
    assert {origins(report)["page"][0], origins(report)["print"][0]} == {"own", "same_outlet"}


def test_two_outlets_relaying_reuters_are_one(tmp_path: Path) -> None:
    _, c = izmail_claim(tmp_path, [
        ("a.txt", STORY + ", Reuters reported.", "Danube Post"),
        ("b.txt", "According to Reuters, a Russian drone strike hit a grain terminal in Izmail port on Tuesday and "
         "injured three workers.", "Odesa Gazette"),
        ("c.txt", "Russian drones struck a grain terminal in the port of Izmail on Tuesday, injuring three workers, "
         "the regional governor said.", "Black Sea Times"),
    ])
    assert (c.support, c.independent_support) == (3, 2)
    relays = {m.source: m.origin for m in c.members if m.relayed}
    assert relays == {"a": "Reuters", "b": "Reuters"}
    assert {m.source: m.attribution.kind for m in c.members} == {"a": "outlet", "b": "outlet", "c": "named"}


# --- the sample set ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Report:
    return run(SAMPLE_DIR)


def test_sample_authorisation_claim_names_its_relays_and_the_afp_copy(sample: Report) -> None:
    c = claim_with(sample, "authorized", "Kharkiv")
    by_source = {m.source: m for m in c.members}
    # 000's member: "... reported The Washington Times and Reuters, citing American officials".
    assert by_source["000-6b80f982273ad421"].origin == "The Washington Times, Reuters"
    assert by_source["000-6b80f982273ad421"].attribution.kind == "outlet"
    assert by_source["euromaidanpress"].origin == "Politico" and by_source["euromaidanpress"].relayed
    assert by_source["themoscowtimes"].origin == "AFP"  # byline "By Danny Kemp for AFP"
    assert origins(sample)["themoscowtimes"] == ("wire", "AFP")
    assert origins(sample)["euromaidanpress"] == ("relay", "Politico")  # headline "Politico: ..."
    assert origins(sample)["000-6b80f982273ad421"] == ("relay", "The Washington Times, Reuters")
    # Each carrier traces to a different origin (Reuters + The Washington Times, Politico, AFP and two
    # outlets' own reporting), so on today's grouping the claim has as many origins as sources.
    assert (c.support, c.independent_support) == (5, 5)


def test_sample_set_has_no_copies(sample: Report) -> None:
    # CorruptionLedger and The Moscow Times print the same two official quotes, nothing more.
    assert not any(e.kind == "copy" for s in sample.sources for e in s.origin.evidence)


def _sentences(source: str, texts: list[str]) -> list[Sentence]:
    return [Sentence(source=source, index=i, text=t, start=0, end=len(t)) for i, t in enumerate(texts)]


def test_find_copies_needs_a_large_share() -> None:
    base = [f"Sentence number {i} of the wire story says something specific about item {i}." for i in range(10)]
    cut = [base[i].replace("says", "states") for i in (7, 1, 2, 3, 4)]
    other = [f"An unrelated report number {i} covers a different angle of event {i}." for i in range(8)]
    shared_two = other[:6] + base[:2]
    links = find_copies({"a": _sentences("a", base), "b": _sentences("b", cut), "c": _sentences("c", shared_two)})
    assert [(a, b, matched) for a, b, matched, _, _ in links] == [("a", "b", 5)]
    assert links[0][3] == 4 and links[0][4] == 1.0  # four of five in order; all of the shorter matched


def _reference_copies(sentences) -> list[tuple]:
    """find_copies by its definition: every pair of sentences of two sources that share a 4-gram
    in at most MAX_POSTING sentences, scored, matched one-to-one (a plain dict index)."""
    from collections import defaultdict

    from rapidfuzz import fuzz

    from claimcheck.sources.independence import MAX_POSTING, _eligible_words, _verify

    texts = {sid: [" ".join(w) for w in _eligible_words(ss)] for sid, ss in sentences.items()}
    postings = defaultdict(set)
    for sid, ts in texts.items():
        for i, t in enumerate(ts):
            w = t.split()
            for k in range(len(w) - 3):
                postings[" ".join(w[k:k + 4])].add((sid, i))
    pairs = defaultdict(set)
    for entries in postings.values():
        if len(entries) <= MAX_POSTING:
            for sa, ia in entries:
                for sb, ib in entries:
                    if sa < sb:
                        pairs[(sa, sb)].add((ia, ib))
    out = []
    for (a, b), found in sorted(pairs.items()):
        scored = [(-s, ia, ib) for ia, ib in found
                  if (s := fuzz.ratio(texts[a][ia], texts[b][ib], processor=None, score_cutoff=85.0))]
        link = _verify(a, b, scored, min(len(texts[a]), len(texts[b])))
        if link:
            out.append(link)
    return out


@pytest.mark.parametrize("path", ["hashed", "exact", "exact, large vocabulary"])
def test_find_copies_equals_its_definition(monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    import random

    import numpy as np

    import claimcheck.sources.independence as independence

    if path != "hashed":  # every 4-gram under one key: the collision check sends the exact path
        monkeypatch.setattr(independence, "_MIX", np.uint64(0))
    if path == "exact, large vocabulary":  # the path a vocabulary over 65,536 words takes
        monkeypatch.setattr(independence, "_PACK_VOCABULARY", 0)
    rnd = random.Random(7)
    vocab = [f"w{i}" for i in range(300)] + ["the", "of", "a", "said", "in"] * 20
    stories = [[" ".join(rnd.choice(vocab) for _ in range(rnd.randint(6, 30))) + "." for _ in range(12)]
               for _ in range(30)]
    docs = {f"s{k:02d}": list(story) for k, story in enumerate(stories)}
    for k in range(15):  # reprints: cut, reordered, a word changed, some sentences of another story
        story = [t for t in rnd.choice(stories) if rnd.random() < 0.8]
        if k % 3 == 0:
            rnd.shuffle(story)
        story = [t.replace(" the ", " an ", 1) for t in story] + rnd.choice(stories)[: rnd.randint(0, 6)]
        docs[f"r{k:02d}"] = story
    sentences = {sid: _sentences(sid, ts) for sid, ts in docs.items()}
    links = find_copies(sentences)
    assert len(links) >= 10
    assert links == _reference_copies(sentences)


def test_find_copies_with_nothing_to_compare() -> None:
    long = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    assert find_copies({}) == []
    assert find_copies({"a": _sentences("a", ["Too short."])}) == []
    # A shared 4-gram, but lengths too far apart for the ratio to reach the copy score.
    assert find_copies({"a": _sentences("a", ["one two three four five"] * 3),
                        "b": _sentences("b", [long] * 3)}) == []


@pytest.mark.parametrize("exact", [False, True])
def test_find_copies_when_no_4gram_is_shared(monkeypatch: pytest.MonkeyPatch, exact: bool) -> None:
    import numpy as np

    import claimcheck.sources.independence as independence

    if exact:
        monkeypatch.setattr(independence, "_MIX", np.uint64(0))
    one = ["alpha beta gamma delta epsilon zeta", "eta theta iota kappa lambda mu"]
    assert find_copies({"a": _sentences("a", one), "b": _sentences("b", ["nu xi omicron pi rho sigma"] * 2)}) == []
    assert find_copies({"a": _sentences("a", one * 3)}) == []  # shared only inside one source


@pytest.mark.parametrize("text", [
    "Kyiv's MAYOR_2 said: \"It's 3.5% (up), OK?\" -- U.S. officials\ttold AFP; e-mail & co.",
    "Zelensky’s office — “we will” — said the 12th brigade, naïve café Straße ΑΘΗΝΑ",
    "plain lower case words only here today",
])
def test_eligible_words_are_the_normalised_words(text: str) -> None:
    import re

    from claimcheck.sources.independence import _eligible_words

    expected = re.sub(r"[^\w]+", " ", text.lower()).split()  # the normalisation copy detection compares
    assert _eligible_words(_sentences("a", [text])) == [expected]


# --- who copied whom -----------------------------------------------------------------------------

PENSION = [
    "Greece's parliament on Thursday approved a pension reform that raises the retirement age to 67 for most workers.",
    "The bill passed with 153 votes in the 300-seat chamber after a two-day debate, parliament officials said.",
    "Labour Minister Adonis Georgiadis told lawmakers the reform would secure pensions for the next generation.",
    "Unions staged a protest outside parliament in Athens as the vote took place, with several thousand marchers.",
    "The opposition Syriza party said it would repeal the law if it returned to power after the next election.",
    "The reform is the third overhaul of the pension system since the start of the debt crisis in 2010.",
]
COMMENTARY = ("Another week, another pension reform in Athens: our readers will remember the last two, and the "
              "protests that came with them. Here is how the story was reported this morning.")


def pension(tmp_path: Path, aggregator_lines: list[str], *, enet_date: str = "", digest_date: str = "") -> Report:
    write(tmp_path / "enet.txt", "Greek parliament approves new pension reform", *([enet_date] if enet_date else []),
          *PENSION, "Copyright 2024 EnetEnglish")
    write(tmp_path / "digest.txt", "Greece raises retirement age", *([digest_date] if digest_date else []),
          *aggregator_lines, "Copyright 2024 Balkan News Digest")
    return run(tmp_path)


def test_the_aggregator_that_says_via_is_the_copy(tmp_path: Path) -> None:
    report = pension(tmp_path, [COMMENTARY, "Via EnetEnglish", *PENSION])
    assert origins(report) == {"enet": ("own", "EnetEnglish"), "digest": ("copy", "EnetEnglish")}
    digest = next(s for s in report.sources if s.id == "digest").origin
    assert any("Via EnetEnglish" in e.detail for e in digest.evidence)


@pytest.mark.parametrize("credit", ["EnetEnglish reported on Thursday.", "This article was first published by "
                                    "EnetEnglish.", "(EnetEnglish) - Athens"])
def test_a_credit_anywhere_in_the_head_or_tail_gives_the_direction(tmp_path: Path, credit: str) -> None:
    # The credit alone decides, even with the shared text in the same place and no extra commentary.
    report = pension(tmp_path, [*PENSION, credit])
    assert origins(report) == {"enet": ("own", "EnetEnglish"), "digest": ("copy", "EnetEnglish")}


def test_containment_alone_the_text_inside_the_other_is_the_original(tmp_path: Path) -> None:
    report = pension(tmp_path, [COMMENTARY, *PENSION])
    assert origins(report) == {"enet": ("own", "EnetEnglish"), "digest": ("copy", "EnetEnglish")}


def test_a_trimmed_copy_has_no_direction(tmp_path: Path) -> None:
    # One text is the other minus its last paragraph: a trimmed reprint or an extended original.
    report = pension(tmp_path, PENSION[:5])
    assert origins(report) == {"enet": ("same_text", "Balkan News Digest, EnetEnglish"),
                               "digest": ("same_text", "Balkan News Digest, EnetEnglish")}
    assert all("which came first is unknown" in e.detail
               for s in report.sources for e in s.origin.evidence if e.kind == "copy")


def test_dates_give_the_direction(tmp_path: Path) -> None:
    report = pension(tmp_path, PENSION, enet_date="June 3, 2024", digest_date="June 5, 2024")
    assert origins(report) == {"enet": ("own", "EnetEnglish"), "digest": ("copy", "EnetEnglish")}


def test_identical_text_from_two_outlets_is_one_origin_both_listed(tmp_path: Path) -> None:
    body = ["Izmail port hit", STORY + ", the governor said."]
    write(tmp_path / "a.txt", *body, "Copyright 2024 Danube Post")
    write(tmp_path / "b.txt", *body, "Copyright 2024 Odesa Gazette")
    write(tmp_path / "c.txt", "Port attacked", "Russian drones struck a grain terminal in Izmail port on Tuesday, "
          "injuring three workers, the regional governor said.", "Copyright 2024 Black Sea Times")
    warnings: list[str] = []
    report = compare([str(tmp_path)], Settings(), warn=warnings.append)
    assert not warnings
    assert origins(report) == {"a": ("same_text", "Danube Post, Odesa Gazette"),
                               "b": ("same_text", "Danube Post, Odesa Gazette"),
                               "c": ("own", "Black Sea Times")}
    c = claim_with(report, "Izmail")
    assert (c.support, c.independent_support) == (3, 2)


def test_the_same_outlet_twice_collapses_and_says_so(tmp_path: Path) -> None:
    body = ["Izmail port hit", STORY + ", the governor said.", "Copyright 2024 Danube Post"]
    write(tmp_path / "a.txt", *body)
    write(tmp_path / "b.txt", *body)
    warnings: list[str] = []
    report = compare([str(tmp_path)], Settings(), warn=warnings.append)
    assert [s.id for s in report.sources] == ["a"]
    assert any("b.txt: skipped, same article text as" in w and "same outlet (Danube Post)" in w for w in warnings)


def test_a_relay_does_not_cover_the_outlets_own_background(sample: Report) -> None:
    # 000 credits the story to The Washington Times and Reuters up to the paragraph "According to
    # journalists, ... In particular, ...";
    # its paragraph about the May 25 hypermarket strike is its own background.
    from claimcheck.pipeline import read_documents
    from claimcheck.sources.independence import Independence
    from claimcheck.text.claims import document_sentences
    from claimcheck.models import Member

    docs = read_documents([str(SAMPLE_DIR)], warn=lambda _: None)
    sentences = {d.id: document_sentences(d) for d in docs}
    ind = Independence(docs, sentences)
    sid = "000-6b80f982273ad421"
    by_text = {s.text.split(",")[0]: s.index for s in sentences[sid]}
    relayed = ind.member(Member(source=sid, text="", sentence_index=by_text["In particular"], score=100))
    own = ind.member(Member(source=sid, text="", sentence_index=by_text["On the afternoon of May 25"], score=100))
    assert (relayed.origin, relayed.relayed) == ("The Washington Times, Reuters", True)
    assert (own.origin, own.relayed) == (next(d.name for d in docs if d.id == sid), False)


# --- credits from page metadata ---------------------------------------------------------------


def moscow_times_page() -> str:
    """The Moscow Times sample saved as a page: the byline only in `<a rel=author>` and the metadata."""
    import html

    lines = [ln.strip() for ln in (SAMPLE_DIR / "themoscowtimes.md").read_text(encoding="utf-8").splitlines()]
    title = next(ln[2:] for ln in lines if ln.startswith("# "))
    body = [ln for ln in lines if ln and not ln.startswith(("#", "By ", "May 31", "Zuma"))]
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    return f"""<!doctype html><html><head><title>{html.escape(title)} - The Moscow Times</title>
<meta property="og:site_name" content="The Moscow Times"><meta name="author" content="Danny Kemp">
<meta property="og:title" content="{html.escape(title)}"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{html.escape(title)}</h1>
<div class="article__byline"><a rel="author" href="/authors/danny-kemp">Danny Kemp for AFP</a></div>
<time datetime="2024-05-31T09:00:00Z">May 31, 2024</time>
{paragraphs}</article><footer>© The Moscow Times</footer></body></html>"""


@pytest.mark.parametrize("second_pickup", [False, True])
def test_a_saved_page_keeps_its_wire_byline(tmp_path: Path, second_pickup: bool) -> None:
    for src in SAMPLE_DIR.iterdir():
        if src.name != "themoscowtimes.md":
            shutil.copy(src, tmp_path / src.name)
    (tmp_path / "themoscowtimes.html").write_text(moscow_times_page(), encoding="utf-8")
    if second_pickup:  # another outlet printing the same AFP story, credited only by its dateline
        text = (SAMPLE_DIR / "themoscowtimes.md").read_text(encoding="utf-8").split("Zuma / TASS")[1]
        write(tmp_path / "barrons.txt", "Biden Lets Ukraine Hit Russia With US Arms", "WASHINGTON (AFP) - "
              + text.strip(), "Copyright 2024 Barron's")
    report = run(tmp_path)
    mt = next(s for s in report.sources if s.id == "themoscowtimes")
    assert (mt.name, mt.origin.kind, mt.origin.name) == ("The Moscow Times", "wire", "AFP")
    assert any("Danny Kemp for AFP" in e.detail for e in mt.origin.evidence)
    member = next(m for m in claim_with(report, "authorized", "Kharkiv").members if m.source == "themoscowtimes")
    assert (member.origin, member.relayed) == ("AFP", True)  # shown as "The Moscow Times (via AFP)"
    if second_pickup:
        assert origins(report)["barrons"] == ("wire", "AFP")


def test_page_credits_list_every_byline_and_publisher() -> None:
    from claimcheck.read.pages import extract_page

    page = extract_page(moscow_times_page())
    assert ("Danny Kemp for AFP", "<a rel=author>") in page.credits
    assert ("Danny Kemp", "<meta author>") in page.credits
    assert ("The Moscow Times", "<meta og:site_name>") in page.credits


def test_a_dump_records_author_is_a_wire_credit(tmp_path: Path) -> None:
    import json

    records = [
        {"outlet": "Danube Post", "author": "Associated Press", "title": "Izmail port hit",
         "text": STORY + ", the governor said.\n\nThe terminal handles about a fifth of Ukraine's grain exports."},
        {"outlet": "Odesa Gazette", "author": "Olena Koval", "title": "Port attacked",
         "text": "Russian drones struck a grain terminal in Izmail port on Tuesday, injuring three workers, "
                 "the regional governor said."},
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    report = run(tmp_path)
    assert sorted(origins(report).values()) == [("own", "Odesa Gazette"), ("wire", "Associated Press")]
