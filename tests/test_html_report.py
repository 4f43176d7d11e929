"""The HTML report: golden file, structure, escaping, the CSP, the source view, later fields.

What the page does in a browser is checked in test_html_browser.py. Rewrite the golden file on
purpose only: `pytest tests/test_html_report.py --update-golden`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from claimcheck.report import html as html_report
from claimcheck.cli import app
from claimcheck.models import Settings
from claimcheck.pipeline import compare, compare_sources

from .conftest import FIXTURES, ROOT, SAMPLE_DIR

GOLDEN = Path(__file__).resolve().parent / "golden"
runner = CliRunner()

# --------------------------------------------------------------------------- a small DOM


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter() if (tag is None or n.tag == tag)
                and (cls is None or cls in (n.attrs.get("class") or "").split())]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def has_ancestor(self, tag: str) -> bool:
        n = self.parent
        while n is not None:
            if n.tag == tag:
                return True
            n = n.parent
        return False


VOID = {"meta", "input", "br", "img", "link", "hr", "source", "wbr", "area", "base", "col", "embed", "param", "track"}


class TreeBuilder(HTMLParser):
    """html.parser into a tree; fails on a close tag that does not match the open one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, dict(attrs), self.cur))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.cur.tag != tag:
            self.problems.append(f"</{tag}> closes <{self.cur.tag}>")
            return
        self.cur = self.cur.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.problems == [], builder.problems[:5]
    assert builder.cur is builder.root, f"<{builder.cur.tag}> left open"
    return builder.root


# --------------------------------------------------------------------------- fixtures


def _run(paths: list[str], settings: Settings | None = None):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return compare_sources(paths, settings or Settings(), warn=lambda m: None)
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def sample():
    return _run(["sample_articles"])


@pytest.fixture(scope="module")
def sample_html(sample) -> str:
    return html_report.to_html(*sample)


@pytest.fixture(scope="module")
def dom(sample_html) -> Node:
    return parse(sample_html)


def test_golden(sample_html, update_golden):
    path = GOLDEN / "compare.html"
    if update_golden:
        path.write_text(sample_html, encoding="utf-8")
    assert path.exists(), f"{path} missing: run pytest --update-golden"
    assert sample_html == path.read_text(encoding="utf-8")


def test_compare_sources_is_compare_plus_the_parsed_sources(sample):
    report, parsed = sample
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert report == compare(["sample_articles"], Settings(), warn=lambda m: None)
    finally:
        os.chdir(cwd)
    assert [doc.id for doc, _ in parsed] == [s.id for s in report.sources]
    assert [len(sentences) for _, sentences in parsed] == [s.sentences for s in report.sources]


# --------------------------------------------------------------------------- structure


def test_matrix_has_a_row_per_claim_and_a_column_per_source(sample, dom):
    report, _ = sample
    (matrix,) = dom.find_all("table", "matrix")
    (thead,) = matrix.find_all("thead")
    assert [th.attrs["data-sort"] for th in thead.find_all("th", "src")] == [f"src:{s.id}" for s in report.sources]
    rows = matrix.find_all("tbody")[0].find_all("tr")
    assert [r.attrs["data-claim"] for r in rows] == [g.id for g in report.claims]
    for row, g in zip(rows, report.claims, strict=True):
        cells = row.find_all("td", "cell")
        assert len(cells) == len(report.sources)
        on = [s.id for s, c in zip(report.sources, cells, strict=True) if "on" in c.attrs["class"].split()]
        assert on == list(g.sources)
        assert row.attrs["data-support"] == str(g.support)
    totals = matrix.find_all("tfoot")[0].find_all("tr")[0].find_all("td", "num")
    assert [t.text() for t in totals] == [str(sum(s.id in g.sources for g in report.claims)) for s in report.sources]


def test_alone_missing_and_exclusives(sample, dom):
    report, parsed = sample
    n = len(report.sources)
    notes = " ".join(li.text() for li in dom.find_all("ul", "notes")[0].find_all("li"))
    for s in report.sources:
        missing = [g.id for g in report.claims if g.support == n - 1 and s.id not in g.sources]
        if missing:
            assert f"{s.name} is the only source missing {', '.join(missing)}." in notes
    listed = {(m.source, m.sentence_index) for g in report.claims for m in g.members}
    alone = {doc.id: sum(x.is_claim and (doc.id, x.index) not in listed for x in sents) for doc, sents in parsed}
    assert sum(alone.values()) == report.summary.groups - report.summary.corroborated - report.summary.possible  # support-1 groups
    for s in report.sources:
        assert f"{s.name} alone states {alone[s.id]} claim" in notes


def test_claims_strongest_first_with_members_in_details(sample, dom):
    report, _ = sample
    cards = dom.find_all("article", "claim")
    shown = [g for g in report.claims if not g.possible] + [g for g in report.claims if g.possible]  # possible apart
    assert [c.attrs["id"] for c in cards] == [g.id for g in shown]
    for card, g in zip(cards, shown, strict=True):
        assert "hidden" not in card.attrs  # readable without JS
        assert card.find_all("p", "rep")[0].text() == g.text
        members = card.find_all("li", "member")
        assert all(m.has_ancestor("details") for m in members)
        assert [m.attrs["data-source"] for m in members] == [m.source for m in g.members]
        assert [m.find_all("p", "said")[0].text() for m in members] == [m.text for m in g.members]
        rep = [m for m in members if "rep-member" in m.attrs["class"].split()]
        assert len(rep) == 1 and not rep[0].find_all("mark")


def test_header_names_every_source_with_counts_and_url(sample, dom):
    report, _ = sample
    (table,) = dom.find_all("table", "sources")
    rows = table.find_all("tbody")[0].find_all("tr")
    assert [r.find_all("th")[0].text() for r in rows] == [s.name for s in report.sources]
    for row, s in zip(rows, report.sources, strict=True):
        cells = [c.text() for c in row.find_all("td")]
        counts = cells[4:7] if any(getattr(x, "origin", None) for x in report.sources) else cells[3:6]
        assert counts == [str(s.sentences), str(s.claims), str(s.dropped)]
    links = [a.attrs["href"] for a in table.find_all("a") if not a.attrs["href"].startswith("#")]
    assert links == ["https://www.themoscowtimes.com/2024/05/31/biden-lets-ukraine-hit-russia-with-us-arms-to-defend-kharkiv-official-a85275"]
    s = report.summary
    assert f"{s.sources} sources · {s.claims} claims in {s.groups} groups" in dom.find_all("p", "counts")[0].text()
    assert dom.find_all("h1")[0].text() in {x.title for x in report.sources}


def test_controls_are_hidden_until_the_script_shows_them(dom):
    (controls,) = [n for n in dom.iter() if n.attrs.get("id") == "controls"]
    assert "hidden" in controls.attrs


# --------------------------------------------------------------------------- the source view


def test_source_view_shades_sentences_by_corroboration(sample, dom):
    report, parsed = sample
    claim_of = {(m.source, m.sentence_index): g for g in report.claims for m in g.members}
    ids = {n.attrs["id"]: n for n in dom.iter() if "id" in n.attrs}
    for doc, sentences in parsed:
        assert f"src-{doc.id}" in ids
        for s in sentences:
            node = ids[f"s-{doc.id}-{s.index}"]
            assert node.text() == s.text
            g = claim_of.get((doc.id, s.index))
            classes = node.attrs["class"].split()
            if g is None:
                assert not any(re.fullmatch(r"k\d", c) for c in classes)
            else:
                assert node.tag == "a" and node.attrs["href"] == f"#{g.id}"
                assert f"k{min(g.support - 1, 4)}" in classes


def test_dropped_lines_sit_where_they_were_and_are_collapsed(sample, dom):
    _, parsed = sample
    (doc,) = [d for d, _ in parsed if d.id == "themoscowtimes"]
    (article,) = [n for n in dom.find_all("article", "doc") if n.attrs["id"] == "src-themoscowtimes"]
    body = article.find_all("div", "doc-body")[0]
    blocks = [c for c in body.children if isinstance(c, Node)]
    kinds = ["dropped" if b.tag == "details" else b.tag for b in blocks]
    # headline, then byline + date line + photo credit before the first paragraph; the URL lines last
    assert kinds[:3] == ["h4", "dropped", "p"] and kinds[-1] == "dropped"
    assert [li.text().split(" ", 2)[1] for li in blocks[1].find_all("li")] == ["5", "7", "11"]
    dropped_shown = sum(len(b.find_all("li")) for b in blocks if b.tag == "details")
    assert dropped_shown == len(doc.dropped)
    assert all("open" not in b.attrs for b in blocks if b.tag == "details")


def test_document_without_line_positions_lists_dropped_lines_first(sample):
    report, parsed = sample
    stripped = [(doc.model_copy(update={"lines": ()}), s) for doc, s in parsed]
    dom = parse(html_report.to_html(report, stripped))
    for article in dom.find_all("article", "doc"):
        body = article.find_all("div", "doc-body")[0]
        first = [c for c in body.children if isinstance(c, Node)][0]
        assert first.tag == "details"


def test_report_without_sources_has_no_source_view(sample):
    report, _ = sample
    dom = parse(html_report.to_html(report))
    assert not dom.find_all("article", "doc")
    assert len(dom.find_all("article", "claim")) == len(report.claims)


# --------------------------------------------------------------------------- safety


def test_csp_allows_only_the_inline_style_and_script(dom):
    (meta,) = [m for m in dom.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in meta.attrs["content"].split(";"))
    assert policy["default-src"] == "'none'" and policy["img-src"] == "'none'"

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    (style,) = dom.find_all("style")
    (script,) = dom.find_all("script")
    assert policy["style-src"] == sha(style.text())
    assert policy["script-src"] == sha(script.text())
    for node in dom.iter():
        assert "src" not in node.attrs and "style" not in node.attrs
        assert not any(a.startswith("on") for a in node.attrs), node.tag
        if node.tag == "a":
            assert node.attrs["href"].startswith(("#", "https://", "http://"))
    assert not dom.find_all("link") and not dom.find_all("iframe") and not dom.find_all("img")


WRITER_TAGS = {"#root", "html", "head", "meta", "title", "style", "body", "header", "p", "h1", "h2", "h3", "h4",
               "span", "div", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "nav", "label",
               "input", "main", "section", "ul", "ol", "li", "strong", "article", "details", "summary", "mark",
               "footer", "script"}
WRITER_ATTRS = {"lang", "data-sources", "charset", "http-equiv", "content", "name", "class", "id", "scope", "href",
                "rel", "title", "role", "hidden", "type", "min", "max", "value", "placeholder", "autocomplete",
                "aria-live", "data-sort", "data-claim", "data-support", "data-order", "data-dis", "data-label", "aria-label",
                "data-source", "tabindex", "colspan"}

HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)> \'><svg onload=alert(3)>'


def hostile_dir(tmp_path: Path) -> Path:
    d = tmp_path / "hostile"
    d.mkdir()
    body = (
        f"Headline {HOSTILE}\n\n"
        f"Officials said {HOSTILE} that the bridge over the river was closed on Monday after the storm.\n\n"
        "The mayor said the repairs would take at least three weeks and cost 2 million dollars.\n\n"
        f"Original url: https://example.org/a?x=\"><img src=x onerror=alert(4)>\n"
    )
    (d / 'evil"><img src=x onerror=alert(5)>.txt').write_text(body, encoding="utf-8")
    (d / "plain.txt").write_text(
        "Bridge closed\n\nOfficials said that the bridge over the river was closed on Monday after the storm.\n\n"
        "Repairs will take at least three weeks and cost 2 million dollars, the mayor said.\n",
        encoding="utf-8",
    )
    return d


def test_article_text_cannot_inject_markup(tmp_path):
    d = hostile_dir(tmp_path)
    report, parsed = compare_sources([str(d)], Settings(), warn=lambda m: None)
    html = html_report.to_html(report, parsed)
    dom = parse(html)
    assert len(dom.find_all("script")) == 1 and not dom.find_all("img") and not dom.find_all("svg")
    # Only the writer's own elements and attributes: none comes from the article.
    assert {n.tag for n in dom.iter()} <= WRITER_TAGS
    assert {a for n in dom.iter() for a in n.attrs} <= WRITER_ATTRS
    text = dom.text()
    assert "<script>alert(1)</script>" in text  # shown as text, not dropped
    assert "onerror=alert(2)" in text and "alert(5)" in text
    assert report.claims, "the two articles share a claim, so the hostile text is in a claim card too"
    assert any("<script>" in (s.title or "") for s in report.sources)  # in a headline
    assert any("<img" in s.path for s in report.sources)  # and a file name


# --------------------------------------------------------------------------- pieces


@pytest.mark.parametrize(("text", "expected"), [
    ("A strike killed at least 12 people on May 31, 2024.", ["at least 12"]),
    ("Some 30,000 troops and 19 tanks; 2.5% of the budget.", ["Some 30,000", "19", "2.5%"]),
    ("Dozens were hurt and two died in the G7 talks.", ["Dozens", "two"]),
    ("In 2024 the World War II ceremony was held.", []),
    ("It costs $4 million, up to 5 billion later.", ["$4 million", "up to 5 billion"]),
])
def test_quantity_spans(text, expected):
    assert [text[a:b] for a, b in html_report.quantity_spans(text)] == expected


@pytest.mark.parametrize(("text", "reference", "expected"), [
    ("A Russian strike killed 19 civilians.", "A Russian strike killed at least 12 people.", ["19 civilians"]),
    ("Biden approved the plan, officials said.", "Biden approved the plan.", ["officials said"]),
    ("US officials said so.", "U.S. officials said so.", []),
    ("“Same words,” he said.", '"Same words," he said.', []),
])
def test_diff_spans(text, reference, expected):
    assert [text[a:b] for a, b in html_report.diff_spans(text, reference)] == expected


def test_marked_nests_and_merges():
    text = "killed at least 12 people <now>"
    out = html_report.marked(text, d=[(7, 25)], q=[(7, 18)])
    assert out == ('killed <mark class="d"><strong class="q">at least 12</strong> people</mark> &lt;now&gt;')
    parse(out)


def test_story_title_is_the_most_shared_headline(sample):
    report, _ = sample
    title, words = html_report.story(report)
    assert title == "Biden allows Ukraine to use US weapons to hit targets in Russia"
    assert words[:3] == ["Ukraine", "Biden", "US"]
    empty = report.model_copy(update={"sources": tuple(s.model_copy(update={"title": None}) for s in report.sources)})
    assert html_report.story(empty) == ("5 sources compared", [])


def test_disagreement_is_flagged_in_the_row():
    report, parsed = _run([str(FIXTURES / "disagree")])
    dom = parse(html_report.to_html(report, parsed))
    (row,) = dom.find_all("table", "matrix")[0].find_all("tbody")[0].find_all("tr")
    assert row.attrs["data-dis"] == "1" and row.find_all("span", "flag")
    (flag,) = dom.find_all("p", "flag")
    assert flag.text() == "⚠ killed (compatible): outlet-a 19 vs outlet-b at least 12"
    (other,) = [m for m in dom.find_all("li", "member") if "rep-member" not in m.attrs["class"]]
    marks = " | ".join(m.text() for m in other.find_all("p", "said")[0].find_all("mark"))
    assert ("19 civilians" in marks or "at least 12 people" in marks) and "regional officials said" not in marks


def test_later_fields_render_when_present(sample):
    """stories, independent_support, contradictions, origin and attribution, as other branches add them."""
    report, parsed = sample

    def ns(model, **extra):
        return SimpleNamespace(**({k: getattr(model, k) for k in type(model).model_fields} | extra))

    claims = tuple(
        ns(g, independent_support=g.support - 1, contradictions=("says 'not changed'",) if i == 0 else (),
           members=tuple(ns(m, attribution="a US official") for m in g.members))
        for i, g in enumerate(report.claims)
    )
    sources = tuple(ns(s, origin="AFP" if s.id == "themoscowtimes" else None) for s in report.sources)
    story = SimpleNamespace(title="Biden and the Kharkiv strikes", sources=[s.id for s in report.sources])
    later = ns(report, claims=claims, sources=sources, stories=[story])
    dom = parse(html_report.to_html(later, parsed))  # type: ignore[arg-type]
    text = dom.text()
    assert "Biden and the Kharkiv strikes" in text and "Origin" in text and "AFP" in text
    assert f"({report.claims[0].support - 1} independent)" in text
    assert "contradiction: says 'not changed'" in text
    assert "attributed to a US official" in text
    assert dom.find_all("table", "matrix")[0].find_all("tr")[1].find_all("span", "flag")


# --------------------------------------------------------------------------- CLI


def test_cli_writes_html_to_a_file(tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["compare", str(SAMPLE_DIR), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.endswith("</html>\n")
    parse(html)


def test_cli_html_is_deterministic_whatever_the_order(tmp_path):
    files = sorted(str(p) for p in SAMPLE_DIR.iterdir())
    a = runner.invoke(app, ["compare", *files, "-f", "html"])
    b = runner.invoke(app, ["compare", *reversed(files), "-f", "html"])
    assert a.exit_code == b.exit_code == 0
    assert a.stdout == b.stdout and a.stdout.startswith("<!DOCTYPE html>")


def test_one_source_and_no_claims_still_make_a_page(tmp_path):
    (tmp_path / "only.txt").write_text("A headline here\n\nThe council approved the budget on Monday evening.\n")
    report, parsed = compare_sources([str(tmp_path)], Settings(), warn=lambda m: None)
    dom = parse(html_report.to_html(report, parsed))
    assert not dom.find_all("article", "claim") and not dom.find_all("table", "matrix")
    assert "No claim is carried by 2 or more sources." in dom.text()
    assert dom.find_all("article", "doc")[0].attrs["id"] == "src-only"


def test_long_reports_ask_for_lazy_layout(sample, monkeypatch):
    report, parsed = sample
    assert 'class="long"' not in html_report.to_html(report, parsed)
    monkeypatch.setattr(html_report, "LONG_CLAIMS", len(report.claims) - 1)
    assert '<html lang="en" data-sources="5" class="long">' in html_report.to_html(report, parsed)
