"""Article dumps: the record shapes of news-please, newspaper4k, trafilatura's JSON and news APIs;
field overrides; a bad record is a warning with its file and line or index."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app
from claimcheck.read.dumps import looks_like_json, read_dump
from claimcheck.read.files import SkipFile

from .conftest import SAMPLE_DIR

runner = CliRunner()
TEXT = (SAMPLE_DIR / "euromaidanpress.txt").read_text(encoding="utf-8")
OTHER = (SAMPLE_DIR / "corruptionledger.txt").read_text(encoding="utf-8")


def records(data: str | bytes, *, lines: bool = True, overrides: dict | None = None):
    warnings: list[str] = []
    got = read_dump(data.encode() if isinstance(data, str) else data, "d.jsonl", lines=lines,
                    overrides=overrides or {}, warn=warnings.append)
    return [dict((r, v) for r, v, _ in rec.fields) for rec in got], warnings


@pytest.mark.parametrize(
    ("record", "want"),
    [
        # news-please
        ({"maintext": "T", "title": "H", "source_domain": "reuters.com", "date_publish": "2024-05-31 09:00:00",
          "url": "https://reuters.com/a", "authors": ["A One", "B Two"]},
         {"text": "T", "title": "H", "name": "reuters.com", "date": "2024-05-31 09:00:00",
          "url": "https://reuters.com/a", "author": "A One, B Two"}),
        # newspaper4k / newspaper3k
        ({"text": "T", "title": "H", "publish_date": "2024-05-31T09:00:00", "source_url": "https://bbc.co.uk",
          "authors": []},
         {"text": "T", "title": "H", "date": "2024-05-31T09:00:00", "url": "https://bbc.co.uk"}),
        # trafilatura --json
        ({"raw_text": "R", "text": "T", "title": "H", "sitename": "Meduza", "date": "2024-05-31", "author": "X"},
         {"text": "T", "title": "H", "name": "Meduza", "date": "2024-05-31", "author": "X"}),
        # NewsAPI-style article
        ({"content": "T", "title": "H", "source": {"id": None, "name": "Politico"}, "publishedAt": "2024-05-31T10:00Z",
          "url": "https://politico.eu/x"},
         {"text": "T", "title": "H", "name": "Politico", "date": "2024-05-31T10:00Z", "url": "https://politico.eu/x"}),
        # paragraphs as a list, keys in another case
        ({"Body": ["P1", "P2"], "Headline": "H"}, {"text": "P1\n\nP2", "title": "H"}),
        # only html
        ({"html": "<p>x</p>", "link": "https://e.org"}, {"html": "<p>x</p>", "url": "https://e.org"}),
    ],
)
def test_common_record_shapes(record, want):
    got, warnings = records(json.dumps(record))
    assert got == [want] and warnings == []


def test_overrides_replace_the_field_names():
    rec = {"story": "S", "text": "not this", "hed": "H", "org": "Org"}
    got, _ = records(json.dumps(rec), overrides={"text": "story", "title": "hed", "name": "org"})
    assert got == [{"text": "S", "title": "H", "name": "Org"}]


def test_bad_records_are_warnings_with_line_numbers():
    data = "\n".join([json.dumps({"text": "a"}), "{broken", "", "[1, 2]", "null", json.dumps({"title": "no text"}),
                      json.dumps({"text": "   "}), json.dumps({"content": "b"})])
    got, warnings = records(data)
    assert got == [{"text": "a"}, {"text": "b"}]
    assert warnings == [
        "d.jsonl:2: skipped, invalid JSON (Expecting property name enclosed in double quotes at column 2)",
        "d.jsonl:4: skipped, not an object (a JSON list)",
        "d.jsonl:5: skipped, not an object (a JSON null)",
        "d.jsonl:6: skipped, no article text (no non-empty field text, content, body, maintext, article, raw_text, "
        "full_text, fulltext, article_text or html)",
        "d.jsonl:7: skipped, no article text (no non-empty field text, content, body, maintext, article, raw_text, "
        "full_text, fulltext, article_text or html)",
    ]


@pytest.mark.parametrize(
    ("doc", "wheres"),
    [
        ([{"text": "a"}, 3, {"text": "b"}], ["d.jsonl[0]", "d.jsonl[2]"]),
        ({"articles": [{"text": "a"}, {"text": "b"}], "totalResults": 2}, ["d.jsonl:articles[0]", "d.jsonl:articles[1]"]),
        ({"status": "ok", "results": [{"body": "a"}]}, ["d.jsonl:results[0]"]),
        ({"text": "a single article"}, ["d.jsonl"]),
    ],
)
def test_json_documents(doc, wheres):
    warnings: list[str] = []
    got = read_dump(json.dumps(doc).encode(), "d.jsonl", lines=False, overrides={}, warn=warnings.append)
    assert [r.where for r in got] == wheres


def test_a_json_file_holding_jsonl_is_read_as_jsonl():
    got, _ = records('{"text": "a"}\n{"text": "b"}\n', lines=False)
    assert got == [{"text": "a"}, {"text": "b"}]


@pytest.mark.parametrize(
    ("data", "lines", "message"),
    [
        ("", True, "empty file"),
        ("{broken\n", True, r"no usable records \(1 bad line\(s\)\)"),
        ("[1, 2", False, r"not valid JSON \(line 1, column 6"),
        ("42", False, "not an article dump"),
        ('{"status": "ok"}', False, "not an article dump"),
        ("[]", False, "no records"),
    ],
)
def test_dumps_without_records_are_skipped(data, lines, message):
    with pytest.raises(SkipFile, match=message):
        read_dump(data.encode(), "d", lines=lines, overrides={}, warn=lambda m: None)


def test_json_detection():
    assert looks_like_json(b' \n{"text": "a"}\n{"text": "b"}')
    assert looks_like_json(b"[1]")
    assert not looks_like_json(b"[Updated] Kyiv, May 31")
    assert not looks_like_json(b"Plain text")


def test_cli_dump_with_a_bad_line_names_it_and_reads_the_rest(tmp_path):
    dump = tmp_path / "export.ndjson"
    dump.write_text(json.dumps({"text": TEXT, "source": "EP"}) + "\nnot json\n" + json.dumps({"text": OTHER, "source": "EP"}) + "\n")
    result = runner.invoke(app, ["compare", str(dump), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert f"Warning: {dump}:2: skipped, invalid JSON" in result.stderr
    report = json.loads(result.stdout)
    assert [(s["id"], s["path"]) for s in report["sources"]] == [("ep", f"{dump}:1"), ("ep-2", f"{dump}:3")]


def test_cli_field_overrides(tmp_path):
    dump = tmp_path / "x.json"
    dump.write_text(json.dumps([{"story": TEXT, "org": "One"}, {"story": OTHER, "org": "Two"}]))
    result = runner.invoke(app, ["sentences", str(dump), "--text-field", "story", "--source-field", "org", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert [s["name"] for s in json.loads(result.stdout)["sources"]] == ["One", "Two"]
    plain = runner.invoke(app, ["sentences", str(dump)])
    assert plain.exit_code == 1 and "no article text" in plain.stderr


def test_record_with_only_html_goes_through_the_page_path(tmp_path):
    from .conftest import FIXTURES

    page = (FIXTURES / "pages" / "jsonld_cookie.html").read_text()
    dump = tmp_path / "crawl.jsonl"
    dump.write_text(json.dumps({"html": page, "url": "https://northerncourier.example/x"}) + "\n")
    result = runner.invoke(app, ["sentences", str(dump), "-f", "json"])
    (src,) = json.loads(result.stdout)["sources"]
    assert src["name"] == "The Northern Courier" and src["provenance"]["text"].startswith("record field 'html'")
    assert src["url"] == "https://northerncourier.example/x"  # the record's own URL beats the page's
