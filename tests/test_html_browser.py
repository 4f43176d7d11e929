"""The HTML report in a real browser: headless Chromium (Debian's `chromium`), driven over a pipe.

Checked from the rendered DOM: the matrix and the claims, expanding a claim, the filters, sorting,
jumping to a claim's sentences, the page without JavaScript, dark mode and print; and that the
page logs no console error and attempts no network request. Two controls make sure those last two
checks can fail: a page that throws, and a page that asks a local server for an image.

Skipped, with the reason, only where no Chromium is installed (`.ci/run` installs it).
"""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from claimcheck.report import html as html_report
from claimcheck.models import Settings
from claimcheck.pipeline import compare_sources

from .browser import Browser, find_chromium
from .conftest import FIXTURES, ROOT

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason="no Chromium on PATH: install Debian's `chromium` package (.ci/run does) to run the browser tests",
)


@pytest.fixture(scope="module")
def browser():
    # An installed Chromium that does not start is a failure, not a skip.
    with Browser() as b:
        yield b


def _write(tmp: Path, name: str, paths: list[str], settings: Settings | None = None):
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        report, parsed = compare_sources(paths, settings or Settings(), warn=lambda m: None)
    finally:
        os.chdir(cwd)
    path = tmp / name
    path.write_text(html_report.to_html(report, parsed), encoding="utf-8")
    return report, path.as_uri()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("html")
    return {
        "sample": _write(tmp, "sample.html", ["sample_articles"]),
        "mixed": _write(tmp, "mixed.html", ["sample_articles", str(FIXTURES / "disagree")]),
    }


def visible(b: Browser, selector: str) -> list[str]:
    """ids (or data-claim, data-source) of the matching elements the browser renders as visible."""
    return b.eval(
        f"[...document.querySelectorAll({selector!r})].filter(e => e.checkVisibility())"
        ".map(e => e.id || e.dataset.claim || e.dataset.source)"
    )


def test_matrix_has_one_row_per_claim_and_one_column_per_source(browser, pages):
    report, url = pages["sample"]
    browser.events.clear()
    browser.open(url)
    assert visible(browser, "table.matrix tbody tr") == [f"m-{g.id}" for g in report.claims]
    assert browser.eval("document.querySelectorAll('table.matrix thead th.src').length") == len(report.sources)
    assert browser.eval(
        "[...document.querySelectorAll('table.matrix tbody tr')].map(r => r.querySelectorAll('td.cell').length)"
    ) == [len(report.sources)] * len(report.claims)
    filled = browser.eval("[...document.querySelectorAll('table.matrix tbody tr')]"
                          ".map(r => r.querySelectorAll('td.cell.on').length)")
    assert filled == [g.support for g in report.claims]
    assert browser.eval("document.getElementById('controls').hidden") is False
    assert browser.eval("document.getElementById('f-count').textContent") == (
        f"showing {len(report.claims)} of {len(report.claims)} claims")
    assert browser.console_errors() == []
    assert set(browser.requests()) == {url}


def test_expanding_a_claim_shows_its_members(browser, pages):
    report, url = pages["sample"]
    browser.open(url)
    g = report.claims[0]
    assert visible(browser, f"#{g.id} li.member") == []
    browser.click(f"#{g.id} details > summary")
    shown = visible(browser, f"#{g.id} li.member")
    assert shown == [m.source for m in g.members]
    marks = browser.eval(f"document.querySelectorAll('#{g.id} li.member:not(.rep-member) mark.d').length")
    assert marks > 0
    assert visible(browser, f"#{report.claims[1].id} li.member") == []


def _as_shown(report, ids):
    """Claim cards in page order: the corroborated claims, then the possible matches (listed apart)."""
    possible = {g.id for g in report.claims if g.possible}
    return [i for i in ids if i not in possible] + [i for i in ids if i in possible]


def test_min_support_filter_hides_claims(browser, pages):
    report, url = pages["sample"]
    browser.open(url)
    browser.eval("(() => { const i = document.getElementById('f-min'); i.value = '4';"
                 " i.dispatchEvent(new Event('input')); })()")
    strong = [g.id for g in report.claims if g.support >= 4]
    assert 0 < len(strong) < len(report.claims)
    assert visible(browser, "article.claim") == _as_shown(report, strong)
    assert visible(browser, "table.matrix tbody tr") == [f"m-{c}" for c in strong]
    assert browser.eval("location.hash") == "#min=4"
    # the filtered view is a link: opening it applies the filter
    browser.open(url + "#min=3")
    assert visible(browser, "article.claim") == _as_shown(report, [g.id for g in report.claims if g.support >= 3])
    assert browser.eval("document.getElementById('f-min').value") == "3"


def test_search_and_only_disagreements(browser, pages):
    report, url = pages["mixed"]
    browser.open(url)
    browser.click("#f-dis")
    dis = [g.id for g in report.claims if g.disagreements]
    assert dis and visible(browser, "article.claim") == _as_shown(report, dis)
    browser.click("#f-dis")
    browser.eval("(() => { const i = document.getElementById('f-q'); i.value = 'ATACMS';"
                 " i.dispatchEvent(new Event('input')); })()")
    hits = [g.id for g in report.claims if any("atacms" in m.text.lower() for m in g.members)]
    assert hits and visible(browser, "article.claim") == _as_shown(report, hits)
    browser.eval("(() => { const i = document.getElementById('f-q'); i.value = 'no such words anywhere';"
                 " i.dispatchEvent(new Event('input')); })()")
    assert visible(browser, "article.claim") == []
    assert visible(browser, "#none") == ["none"]
    assert browser.console_errors() == []


def test_sorting_by_a_source_column(browser, pages):
    report, url = pages["sample"]
    browser.open(url)
    src = report.sources[-1].id
    browser.click(f'th[data-sort="src:{src}"] button')
    expected = [g.id for g in report.claims if src in g.sources] + [g.id for g in report.claims if src not in g.sources]
    assert browser.eval("[...document.querySelectorAll('table.matrix tbody tr')].map(r => r.dataset.claim)") == expected
    assert visible(browser, "article.claim") == _as_shown(report, expected)
    browser.click('th[data-sort="order"] button')
    assert visible(browser, "article.claim") == _as_shown(report, [g.id for g in report.claims])


def test_matrix_cell_names_its_source_on_hover(browser, pages):
    report, url = pages["sample"]
    browser.open(url)
    g = report.claims[0]
    box = browser.eval(f"(() => {{ const c = document.querySelector('#m-{g.id} td.cell.on');"
                       " c.scrollIntoView({block: 'center', behavior: 'instant'}); const r = c.getBoundingClientRect();"
                       " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    browser.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": box[0], "y": box[1]})
    name = next(s.name for s in report.sources if s.id == g.sources[0])
    relayed = " (relayed or copied)" if next(m for m in g.members if m.source == g.sources[0]).relayed else ""
    assert browser.eval(f"document.querySelector('#m-{g.id} td.cell.on').title") == f"{name} carries {g.id}{relayed}"


def test_clicking_a_claim_marks_it_in_each_article(browser, pages):
    report, url = pages["sample"]
    browser.open(url)
    g = report.claims[0]
    browser.click(f"#{g.id} a.jump")
    selected = browser.eval("[...document.querySelectorAll('.s.sel')].map(s => s.id)")
    assert selected == [f"s-{m.source}-{m.sentence_index}" for m in g.members]
    # each article's pane is scrolled so the sentence is in view
    in_view = browser.eval(
        "[...document.querySelectorAll('.s.sel')].map(s => { const p = s.closest('.doc-body').getBoundingClientRect(),"
        " r = s.getBoundingClientRect(); return r.bottom > p.top && r.top < p.bottom; })"
    )
    assert all(in_view)
    # and a sentence in an article leads back to its claim, opened
    m = g.members[-1]
    browser.click(f"#s-{m.source}-{m.sentence_index}")
    assert browser.eval(f"document.querySelector('#{g.id} details').open") is True
    assert browser.eval("document.querySelector('article.claim.sel').id") == g.id


def test_readable_without_javascript(pages):
    report, url = pages["sample"]
    with Browser() as b:
        b.call("Emulation.setScriptExecutionDisabled", {"value": True})
        b.open(url)
        assert visible(b, "article.claim") == _as_shown(report, [g.id for g in report.claims])
        assert len(visible(b, "table.matrix tbody tr")) == len(report.claims)
        assert visible(b, "#controls") == []  # no dead controls
        b.click(f"#{report.claims[0].id} details > summary")
        assert len(visible(b, f"#{report.claims[0].id} li.member")) == len(report.claims[0].members)
        assert b.console_errors() == []


def test_dark_mode_and_print(pages):
    _, url = pages["sample"]
    with Browser() as b:
        b.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        b.open(url)
        bg = b.eval("getComputedStyle(document.body).backgroundColor")
        assert bg == "rgb(20, 23, 27)"
        b.call("Emulation.setEmulatedMedia", {"media": "print"})
        assert visible(b, "#controls") == []
        assert b.eval("getComputedStyle(document.querySelector('.doc-body')).overflowY") == "visible"


def test_hostile_article_runs_nothing(tmp_path):
    from .test_html_report import hostile_dir

    d = hostile_dir(tmp_path)
    _, url = _write(tmp_path, "hostile.html", [str(d)])
    with Browser() as b:
        b.open(url)
        assert b.eval("document.querySelectorAll('img, svg').length") == 0
        assert b.eval("document.scripts.length") == 1
        assert not [e for e in b.events if e.get("method") == "Page.javascriptDialogOpening"]
        assert "<script>alert(1)</script>" in b.eval("document.body.textContent")
        assert b.console_errors() == [] and set(b.requests()) == {url}


# --------------------------------------------------------------------------- the checks can fail


@pytest.fixture
def local_server():
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_harness_sees_requests_and_errors(tmp_path, local_server):
    base, hits = local_server
    page = tmp_path / "control.html"
    page.write_text(f'<!DOCTYPE html><p>x</p><img src="{base}/pixel.png"><script>throw new Error("boom")</script>')
    with Browser() as b:
        b.open(page.as_uri())
        assert f"{base}/pixel.png" in b.requests()
        assert any("boom" in e for e in b.console_errors())


def test_csp_blocks_what_the_report_did_not_write(tmp_path, pages, local_server):
    base, hits = local_server
    _, url = pages["sample"]
    html = Path(url.removeprefix("file://")).read_text(encoding="utf-8")
    injected = html.replace("<main>", f'<main><img src="{base}/tracker.png"><script>document.title="ran"</script>', 1)
    page = tmp_path / "injected.html"
    page.write_text(injected, encoding="utf-8")
    with Browser() as b:
        b.open(page.as_uri())
        assert hits == []
        assert b.eval("document.title") != "ran"
        assert any("Content Security Policy" in e for e in b.console_errors())
