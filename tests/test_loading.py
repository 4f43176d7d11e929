"""Loading: input discovery, decoding, markdown, boilerplate, hard wraps, metadata."""

from __future__ import annotations

import os

import pytest

from claimcheck.errors import InputError
from claimcheck.read.files import (
    InputFile,
    Line,
    SkipFile,
    build_document,
    classify_line,
    collect_inputs,
    decode,
    load_document,
    normalize,
    reduce_markdown,
    slugify,
    split_dateline,
)

from .conftest import SAMPLE_DIR


def _doc(text: str, stem: str = "x"):
    return build_document(text, source_id=slugify(stem), path=f"{stem}.txt", stem=stem)


def _sample(name: str):
    item = InputFile(str(SAMPLE_DIR / name))
    return load_document(item, slugify(item.stem))


# --------------------------------------------------------------------------- the sample set

# Hand-labelled: every line of the five sample files that is not article content.
SAMPLE_BOILERPLATE = {
    "000_6b80f982273ad421.txt": {
        "Read more",
        "• Russian attacks occur, “destroying our cities and villages",  # related-article teaser
        "UKRAINE, KHARKIV, May 31 —",  # dateline
    },
    "001_ef6061d1bffb85b4.txt": {
        "Breaking News",
        "Biden Permits Ukraine to Strike Select Russian Targets with US Weapons",  # headline repeated
        "Also Read: US Halts Weapons Shipment to Israel",
        "Facebook", "Twitter", "LinkedIn", "Pinterest", "WhatsApp",
    },
    "euromaidanpress.txt": {
        "date 2024-05-31 Eng", "Esp", "Copyright © 2024 Euromaidanpress.com",
        "The work of Euromaidan Press is supported by",
        "When referencing our materials", "Privacy and Cookie Policies.", "byYuri Zoria", "31/05/2024",
        "2 minute read", "politico us quietly allowed ukraine strike", "US-made HIMARS MLRS in Ukraine. Photo:",
        "Politico: US quietly allowed Ukraine to strike inside Russia, but solely near Kharkiv",  # repeated
        "Read also:", "You could close this page.", "To suggest a correction",
        "You can also highlight the text and press Ctrl + Enter", "Please leave your suggestions",
        "Euromaidan Press", "We are an independent media outlet", "Related Posts",
    },
    "corruptionledger.txt": {
        "- Any text modified or added by CorruptionLedger", "- [...] These characters indicate",
    },
    "themoscowtimes.md": {
        "By [Danny Kemp for AFP](#)", "May 31, 2024", "Zuma / TASS", "Original url:",
        "<https://www.themoscowtimes.com/2024/05/31/",
    },
}


@pytest.mark.parametrize("name", sorted(SAMPLE_BOILERPLATE))
def test_sample_boilerplate_dropped_and_nothing_else(name):
    doc = _sample(name)
    expected = SAMPLE_BOILERPLATE[name]
    dropped = [d.text for d in doc.dropped]
    for prefix in expected:
        assert any(d.startswith(prefix) for d in dropped), f"{name}: not dropped: {prefix!r}"
    for text in dropped:
        assert any(text.startswith(prefix) for prefix in expected), f"{name}: content dropped: {text!r}"
    assert all(d.reason for d in doc.dropped)


@pytest.mark.parametrize(
    ("name", "source_name", "title", "date"),
    [
        ("000_6b80f982273ad421.txt", "000_6b80f982273ad421", None, None),
        ("001_ef6061d1bffb85b4.txt", "001_ef6061d1bffb85b4",
         "Biden Permits Ukraine to Strike Select Russian Targets with US Weapons", None),
        ("euromaidanpress.txt", "Euromaidan Press",
         "Politico: US quietly allowed Ukraine to strike inside Russia, but solely near Kharkiv", "2024-05-31"),
        ("corruptionledger.txt", "CorruptionLedger", "Biden allows Ukraine to use US weapons to hit targets in Russia", None),
        ("themoscowtimes.md", "The Moscow Times",
         "Biden Lets Ukraine Hit Russia With U.S. Arms To Defend Kharkiv – Official", "2024-05-31"),
    ],
)
def test_sample_metadata(name, source_name, title, date):
    doc = _sample(name)
    assert (doc.name, doc.title, doc.date) == (source_name, title, date)


def test_sample_headline_kept_once_as_first_paragraph():
    doc = _sample("001_ef6061d1bffb85b4.txt")
    paragraphs = doc.text.split("\n")
    assert paragraphs[0] == doc.title
    assert paragraphs.count(doc.title) == 1


def test_sample_hard_wrapped_quote_rejoined():
    doc = _sample("themoscowtimes.md")
    assert "long-range strikes inside of Russia has not changed,\" the official said" in doc.text


def test_sample_keeps_original_wording():
    doc = _sample("corruptionledger.txt")
    assert "“unfair”" in doc.text and "Kyiv’s" in doc.text


# --------------------------------------------------------------------------- boilerplate rules, other outlets


@pytest.mark.parametrize(
    ("line", "reason_start"),
    [
        ("Share on Facebook", "share"),
        ("Telegram", "share"),
        ("Read more: Zelensky visits the front line", "link to another"),
        ("READ MORE", "related"),
        ("Related Articles", "related"),
        ("© 2023 The Associated Press. All rights reserved.", "copyright"),
        ("Copyright 2024 NPR", "copyright"),
        ("Support independent journalism: donate today.", "donation"),
        ("Please consider disabling your adblocker to support us.", "donation"),
        ("We use cookies to improve your experience. By continuing you accept our cookie policy.", "cookie"),
        ("Original link: https://example.org/news/1", "source URL"),
        ("https://www.reuters.com/world/europe/some-story-2024-05-31/", "bare URL"),
        ("By Jane Doe and John Roe", "byline"),
        ("Reporting by Jane Doe", "byline"),
        ("Published: 12 March 2024 14:05", "date"),
        ("Updated June 3, 2024 at 5:12 p.m. EDT", "date"),
        ("5 min read", "reading time"),
        ("Soldiers fire a howitzer near Bakhmut. (Photo by Jane Doe/Getty Images)", "image caption"),
        ("AP Photo/Efrem Lukatsky", "image caption"),
        ("Getty Images / AFP", "image caption"),
        ("Editor's note: this story has been updated with a statement.", "editorial"),
        ("ukraine russia war kharkiv biden weapons strikes nato politics", "keyword"),
    ],
)
def test_boilerplate_rules_generalise(line, reason_start):
    reason = classify_line(reduce_markdown(1, line))
    assert reason is not None and reason.startswith(reason_start), (line, reason)


@pytest.mark.parametrize(
    "line",
    [
        "The White House and State Department have not provided immediate comments.",
        "Readers of the report said the copyright dispute would go to court.",
        "Ukraine has asked its allies for more support, including air defence systems.",
        "By Thursday, Russian troops had advanced two kilometres.",
        "The photo, taken on May 25, shows the burning hypermarket.",
        "Biden allows Ukraine to use US weapons to hit targets in Russia",
        "May 31 was the deadline for the agreement, officials said.",
        "Zelensky thanked Washington for its support on Friday.",
    ],
)
def test_content_lines_not_boilerplate(line):
    assert classify_line(reduce_markdown(1, line)) is None


# --------------------------------------------------------------------------- markdown, wraps, datelines


def test_markdown_reduced_to_text():
    doc = _doc("# A **big** headline\n\nSome [linked text](http://x.org) and *emphasis* here, said `code` users.\n\n"
               "- A bullet item that is a long sentence about the war.\n> A quoted block line of text here.")
    assert doc.title == "A big headline"
    assert "Some linked text and emphasis here, said code users." in doc.text
    assert "A bullet item that is a long sentence about the war." in doc.text
    assert "A quoted block line of text here." in doc.text
    assert "*" not in doc.text and "](" not in doc.text


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("The minister said that the decision on the\nfinal budget was delayed.", True),
        ("The minister said the decision would come\n\nafter the vote, officials added.", True),
        ("“We will not stop until the\n\nwar is over,” he said.", True),
        ("A headline without a full stop\n\nThe first paragraph begins here.", False),
        ("The first paragraph ends here.\nThe second begins here.", False),
    ],
)
def test_hard_wrapped_lines(text, joined):
    doc = _doc(text)
    assert (doc.text.count("\n") == 0) is joined, doc.text


def test_dateline_split():
    assert split_dateline("KYIV, Ukraine (AP) — Russian forces attacked.") == ("KYIV, Ukraine (AP) —", "Russian forces attacked.")
    assert split_dateline("NATO — The alliance said.")[0] is None
    assert split_dateline("The US — and its allies — agreed.")[0] is None


def test_normalize_for_matching_keeps_display_text():
    raw = "“Don’t”\u00a0—\u200b say ﬁne"
    assert normalize(raw) == "\"Don't\" - say fine"
    assert "“Don’t”" in _doc(raw + " words here to be a sentence.").text


# --------------------------------------------------------------------------- decoding


def test_decode_utf8_bom_and_utf16():
    assert decode("\ufeffHéllo".encode("utf-8"))[0].lstrip("\ufeff") == "Héllo"
    assert decode("Héllo “x”".encode("utf-16"))[:2] == ("Héllo “x”", "utf-16")


def test_decode_cp1252_fallback_noted():
    text, encoding, note = decode("Kyiv’s “war” café".encode("cp1252"))
    assert text == "Kyiv’s “war” café" and encoding == "cp1252" and "UTF-8" in note


def test_decode_latin1_for_bytes_cp1252_lacks():
    text, encoding, _ = decode(b"caf\xe9 au lait, tr\xe8s bien \x81 merci")
    assert encoding == "latin-1" and text.startswith("café")


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + bytes(range(256)), b"%PDF-1.4\n%\xe2\xe3", bytes(range(256)) * 4, b"ab\x00cd" * 10],
)
def test_decode_binary_skipped(data):
    with pytest.raises(SkipFile, match="binary"):
        decode(data)


# --------------------------------------------------------------------------- input discovery


def test_collect_inputs_sorted_recursive_no_hidden_no_dupes(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("x")
    (tmp_path / "a.md").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / ".#lock.txt").write_text("x")
    (tmp_path / "backup.txt~").write_text("x")
    (tmp_path / "notes.docx").write_text("x")
    (tmp_path / "b" / "loop").symlink_to(tmp_path, target_is_directory=True)
    os.symlink(tmp_path / "a.md", tmp_path / "b" / "link.md")
    notes: list[str] = []
    files = collect_inputs([str(tmp_path), str(tmp_path / "a.md")], notes.append)
    assert [os.path.relpath(f.path, tmp_path) for f in files] == ["a.md", "b/z.txt"]
    assert any("notes.docx" in n and "skipped" in n for n in notes)
    assert any("3 hidden or backup" in n for n in notes)


def test_collect_inputs_missing_path_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        collect_inputs([str(tmp_path / "nope")], lambda _: None)


def test_load_document_only_boilerplate_is_skipped(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("Facebook\nTwitter\nRead more\nCopyright © 2024 Example News\n")
    with pytest.raises(SkipFile, match="boilerplate"):
        load_document(InputFile(str(path)), "x")


def test_slugify():
    assert slugify("000_6b80f982273ad421") == "000-6b80f982273ad421"
    assert slugify("Le Monde (édition)") == "le-monde-edition"
    assert slugify("???") == "source"


def test_reduce_markdown_flags():
    line = reduce_markdown(3, "## Sub *head*")
    assert line == Line(3, "## Sub *head*", "Sub head", heading=True, bullet=False)
