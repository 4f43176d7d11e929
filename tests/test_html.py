"""Saved web pages: each fixture (own markup in the styles of real outlets) pins the extracted
paragraphs, the metadata and where each field came from; charsets; pages that are not articles."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.read.pages import _split_title, decode_page, extract_page, looks_like_html
from claimcheck.read.inputs import load
from claimcheck.read.files import InputFile, SkipFile

from .conftest import FIXTURES

PAGES = FIXTURES / "pages"

EXPECTED = {'amp': {'meta': {'name': 'Coastline Daily',
                  'title': 'Valdmar port back in business as strike ends',
                  'date': '2024-03-12',
                  'url': 'https://coastlinedaily.example/news/2024/03/12/valdmar-port-strike-ends.html',
                  'author': 'Jonas Brekke'},
         'provenance': {'author': 'JSON-LD author',
                        'date': 'JSON-LD datePublished',
                        'name': 'JSON-LD publisher.name',
                        'text': "trafilatura main text (98 of the page's 115 words)",
                        'title': 'JSON-LD headline',
                        'url': '<link rel=canonical>'},
         'paragraphs': ['Valdmar port back in business as strike ends',
                        'Container ships began unloading again at Valdmar on Monday after dock workers '
                        'accepted a deal that ends their three-week strike.',
                        'The union said its members had voted in favour of a 9 percent wage increase over two '
                        'years.',
                        'Around 1,200 dock workers had been on strike since February 19, and more than 40 '
                        'ships were stuck outside the harbour.',
                        'Regional business groups put the cost of the stoppage at about 60 million euros.',
                        '“This is a good day for the port and for the whole region,” said Mayor Karin Dahl.'],
         'dropped': ['repeated line (e.g. the headline again)']},
 'jsonld_cookie': {'meta': {'name': 'The Northern Courier',
                            'title': 'Valdmar dock strike ends with 9% pay deal',
                            'date': '2024-03-12',
                            'url': 'https://www.northerncourier.example/business/valdmar-dock-strike-ends-20240312',
                            'author': 'Erik Lund, Sara Nyqvist'},
                   'provenance': {'author': 'JSON-LD author',
                                  'date': 'JSON-LD datePublished',
                                  'name': 'JSON-LD publisher.name',
                                  'text': "trafilatura main text (111 of the page's 207 words)",
                                  'title': 'JSON-LD headline',
                                  'url': '<link rel=canonical>'},
                   'paragraphs': ['Valdmar dock strike ends with 9% pay deal',
                                  'Business',
                                  'Dock workers at the Port of Valdmar returned to work on Monday, ending a '
                                  'three-week strike that had stopped container traffic at the harbour.',
                                  'The agreement gives the roughly 1,200 workers a pay rise of 9 percent '
                                  'spread over two years, according to the union.',
                                  'More than 40 vessels had been left waiting at anchor during the walkout, '
                                  'which began on February 19.',
                                  'Port director Anja Holm said the harbour expected to clear the backlog of '
                                  'ships within ten days.',
                                  'The port will also hire 150 more crane operators, a key demand of the '
                                  'union, which had complained about excessive overtime.'],
                   'dropped': ['repeated line (e.g. the headline again)', 'page label or navigation']},
 'liveblog': {'meta': {'name': 'The Morning Ledger',
                       'title': 'Valdmar strike live: dock workers vote on pay offer',
                       'date': '2024-03-11',
                       'url': 'https://morningledger.example/live/2024/mar/11/valdmar-strike-vote-live',
                       'author': None},
              'provenance': {'date': 'article:published_time',
                             'name': 'og:site_name',
                             'text': "trafilatura main text (146 of the page's 198 words)",
                             'title': 'og:title',
                             'url': 'og:url'},
              'paragraphs': ['Valdmar strike live: dock workers vote on pay offer',
                             'Union members at the Port of Valdmar are voting on a two-year deal after three '
                             'weeks on strike.',
                             'Union announces result',
                             "The dockers' union says 78 percent of members who voted have accepted the pay "
                             'offer, which means the strike is over.',
                             'Workers will return to the port from Tuesday morning, union leader Tomas Reyk '
                             'told the crowd outside the union hall.',
                             'The offer on the table is a 9 percent rise over two years plus 150 new crane '
                             'operator jobs, according to documents seen by the Ledger.',
                             'Turnout had passed 60 percent by lunchtime, a union spokesperson said.',
                             'Voting opens',
                             'Good morning. Voting has opened for about 1,200 dock workers who have been on '
                             'strike since February 19.',
                             'More than 40 ships are still waiting outside the harbour, the port authority '
                             'said in its morning update.'],
              'dropped': ['repeated line (e.g. the headline again)']},
 'title_h1': {'meta': {'name': 'Valdmar Weekly Online',
                       'title': 'After three weeks, the cranes are moving again',
                       'date': '2024-03-13',
                       'url': None,
                       'author': 'Petra Sol'},
              'provenance': {'author': '<meta name=author>',
                             'date': '<meta name=date>',
                             'name': '<title> suffix',
                             'text': "trafilatura main text (117 of the page's 128 words)",
                             'title': '<h1>'},
              'paragraphs': ['After three weeks, the cranes are moving again',
                             "How the longest strike in the port's history came to an end.",
                             'The cranes at the Port of Valdmar started moving again this week, after the dock '
                             "workers' union accepted a new contract on Monday evening.",
                             "The strike, which began on February 19, was the longest in the port's 90-year "
                             'history, and kept more than 40 ships waiting at sea.',
                             'Workers will get 9 percent more pay over two years. The port authority also '
                             'promised to hire 150 crane operators.',
                             '"Nobody wins a strike like this," said harbour pilot Nils Aas, who has worked at '
                             'the port for 31 years.',
                             'Petra Sol is a staff writer for Valdmar Weekly.'],
              'dropped': ['repeated line (e.g. the headline again)']},
 'wordpress': {'meta': {'name': 'Harbour Gazette',
                        'title': 'Port of Valdmar reopens after three-week strike',
                        'date': '2024-03-12',
                        'url': 'https://harbourgazette.example/2024/03/12/port-of-valdmar-reopens/',
                        'author': 'Mira Ostrova'},
               'provenance': {'author': '<meta name=author>',
                              'date': 'article:published_time',
                              'name': 'og:site_name',
                              'text': "trafilatura main text (131 of the page's 239 words)",
                              'title': 'og:title',
                              'url': '<link rel=canonical>'},
               'paragraphs': ['Port of Valdmar reopens after three-week strike',
                              'The Port of Valdmar reopened on Monday after a three-week strike by dock '
                              'workers ended with a new wage agreement, the port authority said.',
                              'About 1,200 workers walked off the job on February 19, halting container '
                              'traffic at the region’s largest harbour and leaving more than 40 ships waiting '
                              'offshore.',
                              'Under the deal, wages will rise by 9 percent over two years, and the port will '
                              'hire 150 additional crane operators to reduce overtime, union leader Tomas Reyk '
                              'told reporters.',
                              '“We lost three weeks of trade, but we have a contract that both sides can live '
                              'with,” port director Anja Holm said at a press conference.',
                              'Local businesses estimated the strike cost the regional economy around 60 '
                              'million euros in delayed shipments.'],
               'dropped': ['link to another article']}}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_page_extraction_is_pinned(name):
    doc = load(InputFile(str(PAGES / f"{name}.html")), "page")
    want = EXPECTED[name]
    assert doc.text.splitlines() == want["paragraphs"]
    assert dict(name=doc.name, title=doc.title, date=doc.date, url=doc.url, author=doc.author) == want["meta"]
    assert doc.provenance == want["provenance"]
    assert [d.reason for d in doc.dropped] == want["dropped"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_page_chrome_reaches_the_text(name):
    text = load(InputFile(str(PAGES / f"{name}.html")), "page").text.lower()
    for chrome in ("cookie", "facebook", "subscribe", "sign up", "leave a reply", "recent posts", "related",
                   "all rights reserved", "skip to content", "more from business"):
        assert chrome not in text, (name, chrome)


@pytest.mark.parametrize("name", ["index_page", "cookie_wall"])
def test_pages_that_are_not_articles_are_skipped_saying_so(name):
    with pytest.raises(SkipFile, match=r"not an article \(only \d+ word\(s\) of main text"):
        load(InputFile(str(PAGES / f"{name}.html")), "page")


ARTICLE = (
    "<p>Die Hafenarbeiter in Valdmar haben nach drei Wochen Streik einen neuen Vertrag angenommen, "
    "teilte die Gewerkschaft am Montag mit.</p>"
    "<p>Die Löhne steigen über zwei Jahre um neun Prozent, und der Hafen stellt 150 Kranführer ein, "
    "sagte der Gewerkschaftschef Tomas Reyk vor Journalisten in der Stadt.</p>"
    "<p>Mehr als 40 Schiffe hatten während des Streiks vor dem Hafen gewartet, größer war der Stau nie.</p>"
)


def _page(head: str, body: str = ARTICLE) -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Streik beendet - Kuestenbote</title></head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        ('<meta charset="windows-1252">', "cp1252"),
        ('<meta charset="ISO-8859-1">', "cp1252"),  # as browsers read it
        ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">', "iso8859-15"),
        ("", "cp1252"),  # no declaration, not UTF-8: the cp1252 fallback, with a note
    ],
)
def test_declared_charsets_are_decoded(head, encoding):
    data = _page(head).encode(encoding)
    text, used, _ = decode_page(data)
    assert used == encoding
    assert "Löhne" in text and "größer" in text
    page = extract_page(data)
    assert "Die Löhne steigen" in page.text and page.encoding == encoding


def test_utf8_page_with_a_wrong_http_charset_keeps_the_bom():
    data = codecs.BOM_UTF8 + _page('<meta charset="utf-8">').encode("utf-8")
    page = extract_page(data, header_charset="iso-8859-1")
    assert "größer" in page.text


def test_http_charset_beats_the_meta_tag():
    data = _page('<meta charset="utf-8">').encode("cp1252")
    page = extract_page(data, header_charset="windows-1252")
    assert "größer" in page.text and page.note is None


def test_utf16_page_with_bom():
    data = _page('<meta charset="utf-16">').encode("utf-16")
    assert "Die Löhne steigen" in extract_page(data).text


def test_cyrillic_page_in_windows_1251():
    body = "".join(f"<p>{s}</p>" for s in [
        "Портовые рабочие в Валдмаре согласились на новый договор после трёх недель забастовки, сообщил профсоюз.",
        "Зарплаты вырастут на девять процентов за два года, а порт наймёт ещё 150 крановщиков, сказал лидер профсоюза.",
        "Более 40 судов ждали у входа в гавань во время забастовки, сообщили портовые власти в понедельник утром.",
    ])
    data = _page('<meta http-equiv="content-type" content="text/html; charset=windows-1251">', body).encode("cp1251")
    page = extract_page(data)
    assert page.encoding == "cp1251" and "крановщиков" in page.text


def test_xhtml_with_an_xml_declaration():
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>Streik</title></head><body><div>{ARTICLE}</div></body></html>")
    assert looks_like_html(page.encode())
    assert "Kranführer" in extract_page(page.encode()).text


def test_a_pdf_saved_as_html_gets_the_pdftotext_hint():
    with pytest.raises(SkipFile, match="PDF document.*pdftotext"):
        extract_page(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")


@pytest.mark.parametrize(
    ("title", "outlet", "want"),
    [
        ("Strike ends - Harbour Gazette", "Harbour Gazette", ("Strike ends", "Harbour Gazette")),
        ("Strike ends | The Northern Courier", "Northern Courier", ("Strike ends", "The Northern Courier")),
        ("Harbour Gazette | Strike ends at the port", "Harbour Gazette", ("Strike ends at the port", "Harbour Gazette")),
        ("Strike ends :: Valdmar Weekly Online", None, ("Strike ends", "Valdmar Weekly Online")),
        ("Strike ends - what it means for the port", None, ("Strike ends - what it means for the port", None)),
        ("Strike ends", "Harbour Gazette", ("Strike ends", None)),
        # a dash inside a headline is not an outlet suffix
        ("Biden Lets Ukraine Hit Russia With U.S. Arms To Defend Kharkiv – Official", None,
         ("Biden Lets Ukraine Hit Russia With U.S. Arms To Defend Kharkiv – Official", None)),
        ("Strike ends – Official", "Harbour Gazette", ("Strike ends – Official", None)),
        ("Strike ends - BBC", None, ("Strike ends", "BBC")),  # a known outlet
    ],
)
def test_title_outlet_suffix(title, outlet, want):
    assert _split_title(title, outlet) == want


def test_title_suffix_matching_the_domain():
    assert _split_title("Strike ends | HG", None, "hg") == ("Strike ends", "HG")
    assert _split_title("Strike ends | Valdmar Live", None, "harbourgazette") == ("Strike ends", "Valdmar Live")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.sampled_from(["<p>", "<div>", "<script>", "<!--", "<h1>", "</", "<meta charset=x>"]))
def test_arbitrary_markup_never_crashes(text, tag):
    data = f"<!DOCTYPE html><html><head><title>{text[:20]}</title></head><body>{tag}{text}{tag}{text}</body></html>"
    try:
        page = extract_page(data.encode("utf-8", "surrogatepass"))
    except SkipFile:
        return
    assert len(page.text.split()) >= 40


def test_bytes_invalid_in_the_declared_charset_are_replaced_with_a_note():
    ascii_article = ARTICLE.encode("ascii", "ignore").decode()
    data = _page('<meta charset="windows-1251">', ascii_article).encode("cp1251").replace(b"Journalisten",
                                                                                        b"Journa\x98listen")
    page = extract_page(data)
    assert page.note == "bytes that are not valid cp1251 (declared by <meta> charset) replaced with U+FFFD"
    assert "Journa\ufffdlisten" in page.text


def test_a_page_whose_main_text_is_all_boilerplate_is_skipped():
    pleas = "".join(f"<p>Support independent journalism: become a member today, it takes {n} minutes and "
                    f"helps us keep reporting from the region for everyone.</p>" for n in range(1, 6))
    with pytest.raises(SkipFile, match=r"no article text \(all \d+ extracted line\(s\) are boilerplate\)"):
        load(_source(_page("<meta charset='utf-8'>", pleas)), "p")


def _source(html: str):
    from claimcheck.read.inputs import Source

    return Source(path="page.html", kind="page", data=html.encode())
