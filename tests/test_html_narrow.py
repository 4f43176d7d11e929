"""The HTML report on a phone (390 CSS px, in headless Chromium): outlet and support stay on screen,
the matrix's support column stays pinned when a wide matrix scrolls; and the page links nothing local.

Skipped, with the reason, only where no Chromium is installed (`.ci/run` installs it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from claimcheck.models import Settings
from claimcheck.pipeline import compare_sources
from claimcheck.report import html as html_report

from .browser import Browser, find_chromium
from .conftest import ROOT

STORY = ("The city council of Lakeview approved a new budget of 12 million dollars on Tuesday after a long "
         "debate, the mayor's office said.\nThe vote was 7 to 2, and the new budget funds three new schools "
         "in the northern districts.\n")
needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="no Chromium on PATH: install Debian's `chromium`")

VISIBLE = """(sel => Array.from(document.querySelectorAll(sel)).map(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.left >= -0.5 && r.right <= window.innerWidth + 0.5;
}))"""


def _page(tmp: Path, name: str, paths: list[str]) -> str:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        report, parsed = compare_sources(paths, Settings(), warn=lambda m: None)
    finally:
        os.chdir(cwd)
    path = tmp / name
    path.write_text(html_report.to_html(report, parsed), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def phone():
    with Browser(width=390, height=844) as b:
        yield b


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("narrow")
    wide = tmp / "wide"
    wide.mkdir()
    for k in range(24):
        (wide / f"outlet-{k:02d}.txt").write_text(f"Budget news {k}\n\n{STORY}", encoding="utf-8")
    return {"sample": _page(tmp, "sample.html", ["sample_articles"]), "wide": _page(tmp, "wide.html", [str(wide)])}


@needs_chromium
def test_sample_at_390px_keeps_outlets_and_support_on_screen(phone, pages):
    phone.open(pages["sample"])
    assert phone.eval("window.innerWidth") == 390
    # the matrix: every outlet column and the support column, in the header and in every row
    assert all(phone.eval(VISIBLE + "('table.matrix thead th')"))
    assert all(phone.eval(VISIBLE + "('table.matrix tbody tr > :last-child')"))
    assert all(phone.eval(VISIBLE + "('table.matrix td.cell')"))
    # the sources: one block per outlet, the name on screen
    assert all(phone.eval(VISIBLE + "('table.sources th[data-label=Outlet]')"))
    # the claim cards: support and outlets (with "via") fit the width
    assert all(phone.eval(VISIBLE + "('article.claim .support')"))
    assert all(phone.eval(VISIBLE + "('article.claim .outlets')"))
    assert phone.eval("document.documentElement.scrollWidth") <= 390


@needs_chromium
def test_a_wide_matrix_scrolls_with_the_support_column_pinned(phone, pages):
    phone.open(pages["wide"])
    box = "document.querySelector('table.matrix').parentElement"
    assert phone.eval(f"{box}.scrollWidth > {box}.clientWidth")  # 24 outlets do not fit: the matrix scrolls
    outlets = VISIBLE + "('table.matrix thead th.src')"
    assert phone.eval(outlets)[-1] is False  # the control: the last outlet is off screen before scrolling
    assert all(phone.eval(VISIBLE + "('table.matrix tr > :last-child')"))  # support pinned
    phone.eval(f"{box}.scrollLeft = {box}.scrollWidth")
    assert all(phone.eval(VISIBLE + "('table.matrix tr > :last-child')"))
    assert phone.eval(outlets)[-1] is True


def test_no_local_links(tmp_path):
    page = tmp_path / "saved.html"
    words = " ".join(["The council approved the budget after a long debate on Tuesday evening."] * 8)
    page.write_text(f'<html><head><link rel="canonical" href="file:///home/me/saved.html">'
                    f'<meta property="og:url" content="file:///home/me/saved.html"></head>'
                    f"<body><article><h1>Budget</h1><p>{words}</p><p>Original url: file:///home/me/x.html</p>"
                    "</article></body></html>", encoding="utf-8")
    (tmp_path / "other.txt").write_text(f"Other\n\n{STORY}", encoding="utf-8")
    report, parsed = compare_sources([str(page), str(tmp_path / "other.txt")], Settings(), warn=lambda m: None)
    out = html_report.to_html(report, parsed)
    hrefs = re.findall(r'href="([^"]*)"', out)
    assert hrefs and all(h.startswith(("#", "http://", "https://")) for h in hrefs), hrefs
    assert html_report.web_url("file:///etc/passwd") is None and html_report.web_url("/home/me/a.html") is None
    assert html_report.web_url("https://example.org/a") == "https://example.org/a"
