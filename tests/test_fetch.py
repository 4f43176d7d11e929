"""URLs: a real HTTP server on 127.0.0.1 serves the fixture pages and every failure; each failure
is one warning naming the URL and the reason, the run goes on, nothing hangs."""

from __future__ import annotations

import json
import threading
import time

import pytest
from typer.testing import CliRunner

from claimcheck.read import fetch
from claimcheck.cli import app
from claimcheck.read.fetch import Fetched, _connect_reason, fetch_all, read_cache
from claimcheck.models import InputOptions

from .conftest import FIXTURES
from .pageserver import PageServer, refused_url

runner = CliRunner()
PAGES = FIXTURES / "pages"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """A proxy from the environment would send local requests elsewhere."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def server():
    with PageServer() as srv:
        srv.add_dir(PAGES)
        yield srv


def compare(*args: str):
    result = runner.invoke(app, ["compare", *args, "--format", "json"])
    return result, result.stderr.splitlines()


def the_line(lines: list[str], url: str) -> str:
    hits = [ln for ln in lines if f"{url}:" in ln]
    assert len(hits) == 1, (url, lines)
    assert "Traceback" not in "\n".join(lines)
    return hits[0]


FAILURES = [
    ("/slow", "timed out after 1.5 s"),
    ("/drip", "timed out after 1.5 s"),
    ("/loop", "too many redirects (more than 5; a redirect loop?)"),
    ("/hops/5", "too many redirects"),  # six
    ("/big", "too large (over --max-bytes 10,000,000 bytes)"),
    ("/big-declared", "too large (50,000,000 bytes, over --max-bytes 10,000,000)"),
    ("/pdf", "not an HTML or text page (Content-Type application/pdf); download it and convert it with pdftotext"),
    ("/status/404", "HTTP 404 Not Found (the page does not exist)"),
    ("/status/410", "HTTP 410 Gone (the page was removed)"),
    ("/status/451", "HTTP 451 Unavailable For Legal Reasons (unavailable for legal reasons)"),
    ("/status/500", "HTTP 500 Internal Server Error (server error)"),
    ("/status/503", "HTTP 503 Service Unavailable (server error)"),
    ("/pages/index_page.html", "not an article (only 27 word(s) of main text found"),
]


def test_every_failure_is_one_warning_and_the_run_goes_on(server, tmp_path):
    good = [server.url("/pages/wordpress.html"), server.url("/pages/amp.html")]
    bad = [server.url(path) for path, _ in FAILURES] + [refused_url()]
    started = time.monotonic()
    # 1.5 s: well under the slow handlers' 3 s, and room for a busy machine to stream 10 MB.
    result, lines = compare(*good, *bad, "--timeout", "1.5", "--cache", str(tmp_path / "cache"))
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted(s["url"] for s in report["sources"]) == sorted(
        ["https://harbourgazette.example/2024/03/12/port-of-valdmar-reopens/",
         "https://coastlinedaily.example/news/2024/03/12/valdmar-port-strike-ends.html"])
    for (path, reason), url in zip(FAILURES, bad, strict=False):
        line = the_line(lines, url)
        assert line.startswith(f"Warning: {url}: skipped, "), line
        assert reason in line, (line, reason)
    assert "connection refused" in the_line(lines, bad[-1])
    assert elapsed < 60  # bounded: a hang would be caught here rather than by the CI timeout


def test_a_redirect_chain_within_the_limit_is_followed_and_recorded(server, tmp_path):
    url = server.url("/hops/4")  # five redirects: the limit
    result, lines = compare(url, server.url("/pages/wordpress.html"), "--cache", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    src = next(s for s in json.loads(result.stdout)["sources"] if s["path"] == url)
    assert src["name"] == "Coastline Daily"  # /hops/0 lands on amp.html, the first page by name
    cached = read_cache(str(tmp_path), url)
    assert cached is not None and cached.final_url == server.url("/pages/amp.html") and cached.status == 200


def test_nothing_readable_exits_1(server, tmp_path):
    result, lines = compare(server.url("/status/404"), refused_url(), "--cache", str(tmp_path))
    assert result.exit_code == 1
    assert lines[-1].startswith("Error: no readable articles in http://127.0.0.1:")


def test_cache_serves_a_rerun_and_no_cache_fetches_again(server, tmp_path):
    urls = [server.url("/pages/wordpress.html"), server.url("/pages/jsonld_cookie.html")]
    cache = tmp_path / "cache"
    first, _ = compare(*urls, "--cache", str(cache))
    assert first.exit_code == 0
    assert [server.hits[u[len(server.url("")):]] for u in urls] == [1, 1]
    meta = [json.loads(p.read_text()) for p in sorted(cache.glob("*.json"))]
    assert sorted(m["url"] for m in meta) == sorted(urls)
    assert all(m["status"] == 200 and m["final_url"] == m["url"] and m["fetched_at"].endswith("+00:00") for m in meta)
    again, _ = compare(*urls, "--cache", str(cache))
    assert again.stdout == first.stdout
    assert [server.hits[u[len(server.url("")):]] for u in urls] == [1, 1]  # nothing fetched
    fresh, _ = compare(*urls, "--cache", str(cache), "--no-cache")
    assert fresh.stdout == first.stdout
    assert [server.hits[u[len(server.url("")):]] for u in urls] == [2, 2]


def test_unwritable_cache_is_a_warning(server, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result, lines = compare(server.url("/pages/wordpress.html"), server.url("/pages/amp.html"),
                            "--cache", str(blocker / "cache"))
    assert result.exit_code == 0
    assert any("cannot write the cache" in ln for ln in lines)


def test_urls_file_mixed_with_files(server, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# saved for the story\n{server.url('/pages/amp.html')}\n\nnot a url\n"
                       f"{server.url('/pages/liveblog.html')}\n")
    result, lines = compare(str(PAGES / "wordpress.html"), "--urls", str(listing), "--cache", str(tmp_path / "c"))
    assert result.exit_code == 0, result.stderr
    names = sorted(s["name"] for s in json.loads(result.stdout)["sources"])
    assert names == ["Coastline Daily", "Harbour Gazette", "The Morning Ledger"]
    assert the_line(lines, "urls.txt:4").endswith("skipped, not an http(s) URL (not a url)")


def test_only_urls_file_and_a_missing_one(tmp_path):
    result = runner.invoke(app, ["compare", "--urls", str(tmp_path / "none.txt")])
    assert result.exit_code == 1
    assert "none.txt: cannot read URL list (No such file or directory)" in result.stderr


def test_requests_are_one_at_a_time_per_host_and_say_who_asks(server, tmp_path):
    urls = [server.add(f"p{i}.html", (PAGES / "amp.html").read_bytes()) for i in range(6)]
    ticks: list[tuple[str, int, int]] = []
    fetch_all(urls, InputOptions(use_cache=False), lambda m: None, lambda *tick: ticks.append(tick))
    assert server.max_in_flight == 1
    assert ticks == [("fetching", n, 6) for n in range(1, 7)]
    assert len(server.user_agents) == 1 and next(iter(server.user_agents)).startswith("claimcheck/")


def test_at_most_four_in_flight_across_hosts(monkeypatch):
    """The pool's bound, checked without the network: a fake fetch over eight hosts."""
    state = {"now": 0, "max": 0, "hosts": set(), "clash": False}
    lock = threading.Lock()

    def fake(client, url, options):
        host = url.split("/")[2]
        with lock:
            state["clash"] |= host in state["hosts"]
            state["hosts"].add(host)
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.02)
        with lock:
            state["now"] -= 1
            state["hosts"].discard(host)
        return "fake"

    monkeypatch.setattr(fetch, "fetch_one", fake)
    urls = [f"http://h{h}.test/{i}" for h in range(8) for i in range(3)]
    results = fetch_all(urls, InputOptions(use_cache=False), lambda m: None)
    assert results == dict.fromkeys(urls, "fake")
    assert state["max"] == fetch.MAX_IN_FLIGHT and not state["clash"]


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("[Errno -2] Name or service not known", "DNS lookup failed (no such host)"),
        ("[Errno -3] Temporary failure in name resolution", "DNS lookup failed (no such host)"),
        ("[Errno 111] Connection refused", "connection refused"),
        ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", "TLS error"),
    ],
)
def test_connect_errors_are_named(message, reason):
    assert _connect_reason(OSError(message)).startswith(reason)


def test_plain_text_urls_are_read_as_text(server, tmp_path):
    text = (FIXTURES.parent.parent / "sample_articles" / "euromaidanpress.txt").read_bytes()
    url = server.add("story.txt", text, "text/plain; charset=utf-8")
    result, _ = compare(url, server.url("/pages/amp.html"), "--cache", str(tmp_path))
    src = next(s for s in json.loads(result.stdout)["sources"] if s["path"] == url)
    assert src["name"] == "Euromaidan Press" and src["provenance"]["name"] == "copyright line"
    assert src["url"] == url and src["provenance"]["url"] == "the URL fetched"


def test_a_page_in_another_charset_uses_the_http_charset(server, tmp_path):
    page = (PAGES / "title_h1.html").read_text().replace("harbour pilot", "Hafenlotse Jürgen, harbour pilot")
    page = page.replace('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', "")
    url = server.add("latin.html", page.encode("cp1252"), "text/html; charset=windows-1252")
    result = runner.invoke(app, ["sentences", url, "--cache", str(tmp_path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    text = " ".join(s["text"] for s in json.loads(result.stdout)["sources"][0]["sentences"])
    assert "Jürgen" in text


def test_fetched_is_html():
    page = Fetched(url="u", final_url="u", status=200, content_type="application/xhtml+xml", charset=None,
                   body=b"", fetched_at="t")
    assert page.is_html


def test_names_file_names_a_url_as_given_or_where_it_led(server, tmp_path):
    names = tmp_path / "names.json"
    names.write_text(json.dumps({server.url("/hops/1"): "Redirected Outlet",
                                 server.url("/pages/wordpress.html"): {"name": "HG", "date": "2024-01-02"}}))
    result, lines = compare(server.url("/hops/1"), server.url("/pages/wordpress.html"), "--names", str(names),
                            "--cache", str(tmp_path / "c"))
    assert result.exit_code == 0, result.stderr
    got = sorted((s["name"], s["date"], s["provenance"]["name"]) for s in json.loads(result.stdout)["sources"])
    assert got == [("HG", "2024-01-02", f"--names {names}"), ("Redirected Outlet", "2024-03-12", f"--names {names}")]
