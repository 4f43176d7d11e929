"""Naming sources: wire ids in datelines, domains, dates, the names file."""

from __future__ import annotations

import pytest

from claimcheck.errors import InputError
from claimcheck.read.files import build_document
from claimcheck.read.naming import domain_label, folder_outlet, iso_date, name_from_url, parse_names

BODY = "officials said on Thursday that the talks would resume next week in the capital, after a pause of two months."


@pytest.mark.parametrize(
    ("first", "name"),
    [
        (f"KYIV (Reuters) - Ukrainian {BODY}", "Reuters"),
        (f"BEIJING, Jan. 26 (Xinhua) -- Chinese {BODY}", "Xinhua"),
        (f"(CNN) — American {BODY}", "CNN"),
        (f"PARIS, May 3, 2024 (AFP) - French {BODY}", "AFP"),
        (f"WASHINGTON (AP) — US {BODY}", "AP"),
        (f"Ukrainian {BODY} (Reuters)", "file-stem"),  # a credit at the end is not a dateline
        ("KYIV (Reuters) -", "file-stem"),  # too short to be a wire story's first paragraph
        (f"Joe Biden (D) - {BODY}", "file-stem"),
    ],
)
def test_wire_ids_name_the_outlet(first, name):
    doc = build_document(f"Talks to resume\n\n{first}\n\nMore text follows here, said an official.",
                         source_id="s", path="p", stem="file-stem")
    assert doc.name == name
    assert doc.provenance["name"] == ("wire id in the dateline" if name != "file-stem" else "file stem")


def test_a_copyright_line_beats_a_wire_id():
    doc = build_document(f"KYIV (Reuters) - Ukrainian {BODY}\n\n© 2024 Kyiv Post. All rights reserved.",
                         source_id="s", path="p", stem="x")
    assert (doc.name, doc.provenance["name"]) == ("Kyiv Post", "copyright line")


@pytest.mark.parametrize(
    ("url", "label", "name"),
    [
        ("https://www.reuters.com/world/x", "reuters", "Reuters"),
        ("https://www.bbc.co.uk/news/1", "bbc", "BBC News"),
        ("https://news.example.org/a", "example", "example"),
        ("http://127.0.0.1:8000/a.html", "127.0.0.1", "127.0.0.1"),
        ("https://kyivindependent.com/x", "kyivindependent", "The Kyiv Independent"),
    ],
)
def test_domains(url, label, name):
    assert domain_label(url) == label and name_from_url(url) == name


@pytest.mark.parametrize(
    ("value", "iso"),
    [("2024-05-31T10:00:00Z", "2024-05-31"), ("2024-05-31 09:00", "2024-05-31"), ("May 31, 2024", "2024-05-31"),
     ("31 May 2024", "2024-05-31"), ("yesterday", None), ("1717149600", None)],
)
def test_iso_date(value, iso):
    assert iso_date(value) == iso


def test_folder_outlet(tmp_path):
    for folder in ("reuters", "2024-05-31", "html", "the-moscow-times"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text("x")
    (tmp_path / "top.txt").write_text("x")
    got = {f: folder_outlet(str(tmp_path / f / "a.txt"), [str(tmp_path)])
           for f in ("reuters", "2024-05-31", "html", "the-moscow-times")}
    assert got == {"reuters": "Reuters", "2024-05-31": None, "html": None, "the-moscow-times": "The Moscow Times"}
    assert folder_outlet(str(tmp_path / "top.txt"), [str(tmp_path)]) is None
    assert folder_outlet(str(tmp_path / "reuters" / "a.txt"), [str(tmp_path / "reuters")]) is None


def test_names_csv_without_a_header_and_lookup_order(tmp_path):
    names = parse_names(b"https://e.org/a,Example\nsrc-id,By Id\n" + str(tmp_path).encode() + b",Folder\n", "n.csv")
    assert names.lookup(urls=["https://e.org/a"]).name == "Example"
    assert names.lookup(source_id="src-id").name == "By Id"
    assert names.lookup(path=str(tmp_path / "sub" / "f.txt")).name == "Folder"
    assert names.lookup(path="/elsewhere/f.txt") is None
    assert names.unused() == []


def test_names_json_list(tmp_path):
    names = parse_names(b'[{"url": "https://e.org/a", "outlet": "E", "date": "2024-05-31T00:00:00Z"}]', "n.json")
    entry = names.lookup(urls=["https://e.org/a"])
    assert (entry.name, entry.date) == ("E", "2024-05-31")


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"\xff\xfe\x00", "not UTF-8"), (b"path,name\n,X\n", "no path, url or id column"),
     (b"[1]", "item 0: expected an object"), (b"{}", "no entries"), (b"path,name\na.txt,\n", "no name for a.txt")],
)
def test_bad_names_files(data, message):
    with pytest.raises(InputError, match=message):
        parse_names(data, "n")
