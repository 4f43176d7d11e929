"""URLs -> page bytes: bounded HTTP fetching (httpx) with a cache directory.

Every request has a timeout and a size cap, follows at most 5 redirects, names itself with a clear
user agent and accepts only HTML and text. At most 4 requests are in flight, one at a time per host.
A failure is a reason string, never an exception: the caller warns and goes on. httpx is imported
only when there is something to fetch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone

from claimcheck.models import InputOptions
from claimcheck.read.naming import host_of

MAX_REDIRECTS = 5
MAX_IN_FLIGHT = 4
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
_HTTP_REASONS = {
    401: "login required", 402: "payment required (paywall?)", 403: "forbidden (paywall or bot blocking?)",
    404: "the page does not exist", 410: "the page was removed", 429: "too many requests (rate limited)",
    451: "unavailable for legal reasons",
}
CACHE_VERSION = 1

Warn = Callable[[str], None]


def user_agent() -> str:
    """Who is asking: claimcheck, its version and what it does."""
    from claimcheck.version import tool_version

    return f"claimcheck/{tool_version()} (news cross-referencing; one request per host at a time)"


@dataclass(frozen=True)
class Fetched:
    """A page as fetched (or read back from the cache)."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    fetched_at: str
    from_cache: bool = False

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type or "xml" in self.content_type


def default_cache_dir() -> str:
    """The user cache dir for fetched pages (platformdirs: ~/.cache/claimcheck/pages on Linux)."""
    import platformdirs

    return os.path.join(platformdirs.user_cache_dir("claimcheck"), "pages")


def is_url(arg: str) -> bool:
    """Whether a command-line argument is a URL rather than a path."""
    return bool(re.match(r"^https?://", arg, re.I))


def _cache_paths(cache_dir: str, url: str) -> tuple[str, str]:
    key = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    return os.path.join(cache_dir, key + ".json"), os.path.join(cache_dir, key + ".body")


def read_cache(cache_dir: str, url: str) -> Fetched | None:
    """The cached copy of `url`, or None (missing, unreadable or from another cache version)."""
    meta_path, body_path = _cache_paths(cache_dir, url)
    try:
        with open(meta_path, encoding="utf-8") as fh:
            meta = json.load(fh)
        with open(body_path, "rb") as fh:
            body = fh.read()
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("version") != CACHE_VERSION or meta.get("url") != url:
        return None
    if len(body) != meta.get("bytes"):
        return None
    return Fetched(url=url, final_url=meta["final_url"], status=meta["status"], content_type=meta["content_type"],
                   charset=meta.get("charset"), body=body, fetched_at=meta["fetched_at"], from_cache=True)


def write_cache(cache_dir: str, page: Fetched) -> str | None:
    """Store a fetched page (body, and URL, final URL, status, fetch time beside it); the reason
    it could not be stored, or None."""
    meta_path, body_path = _cache_paths(cache_dir, page.url)
    meta = {"version": CACHE_VERSION, "url": page.url, "final_url": page.final_url, "status": page.status,
            "content_type": page.content_type, "charset": page.charset, "fetched_at": page.fetched_at,
            "bytes": len(page.body)}
    try:
        os.makedirs(cache_dir, exist_ok=True)
        for path, data in ((body_path, page.body), (meta_path, json.dumps(meta, indent=1).encode())):
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
    except OSError as exc:
        return f"cannot write the cache in {cache_dir} ({exc.strerror or exc})"
    return None


def _connect_reason(exc: Exception) -> str:
    text = str(exc)
    low = text.lower()
    if "refused" in low or "errno 111" in low:
        return "connection refused"
    if any(k in low for k in ("name or service not known", "nodename nor servname", "getaddrinfo",
                              "temporary failure in name resolution", "no address associated", "errno -2",
                              "errno -3", "errno -5")):
        return "DNS lookup failed (no such host)"
    if "certificate" in low or "ssl" in low:
        return f"TLS error ({text})"
    return f"cannot connect ({text or type(exc).__name__})"


def fetch_one(client, url: str, options: InputOptions) -> Fetched | str:
    """GET one URL within the options' limits: the page, or why not."""
    import httpx

    deadline = time.monotonic() + options.timeout
    try:
        with client.stream("GET", url) as response:
            status = response.status_code
            if status >= 400:
                why = _HTTP_REASONS.get(status) or ("server error" if status >= 500 else "client error")
                return f"HTTP {status} {response.reason_phrase or ''}".rstrip() + f" ({why})"
            if status != 200:
                return f"HTTP {status} {response.reason_phrase or ''}".rstrip() + " (no page)"
            ctype = response.headers.get("content-type", "")
            mime = ctype.split(";")[0].strip().lower()
            if mime and mime not in ACCEPTED_TYPES:
                hint = "; download it and convert it with pdftotext first" if mime == "application/pdf" else ""
                return f"not an HTML or text page (Content-Type {mime}){hint}"
            length = response.headers.get("content-length")
            if length and length.isdigit() and int(length) > options.max_bytes:
                return f"too large ({int(length):,} bytes, over --max-bytes {options.max_bytes:,})"
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > options.max_bytes:
                    return f"too large (over --max-bytes {options.max_bytes:,} bytes)"
                if time.monotonic() > deadline:
                    return f"timed out after {options.timeout:g} s (--timeout)"
                chunks.append(chunk)
            return Fetched(
                url=url, final_url=str(response.url), status=status, content_type=mime or "text/html",
                charset=response.charset_encoding, body=b"".join(chunks),
                fetched_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            )
    except httpx.TooManyRedirects:
        return f"too many redirects (more than {MAX_REDIRECTS}; a redirect loop?)"
    except httpx.TimeoutException:
        return f"timed out after {options.timeout:g} s (--timeout)"
    except httpx.ConnectError as exc:
        return _connect_reason(exc)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        return f"not a valid http(s) URL ({exc})"
    except httpx.HTTPError as exc:  # a protocol error, a reset connection, a bad encoding
        return f"network error ({type(exc).__name__}: {exc})"
    except (UnicodeError, ValueError) as exc:
        return f"not a valid URL ({exc})"


def fetch_all(urls: Sequence[str], options: InputOptions, warn: Warn,
              progress: Callable[[str, int, int], None] | None = None) -> dict[str, Fetched | str]:
    """Every URL fetched (or read from the cache): the page, or the reason it could not be had.

    At most MAX_IN_FLIGHT requests at once, and the URLs of one host one after another.
    `progress("fetching", done, total)` is called as each request ends.
    """
    results: dict[str, Fetched | str] = {}
    cache_dir = (options.cache_dir or default_cache_dir()) if options.use_cache else None
    todo: list[str] = []
    for url in urls:
        cached = read_cache(cache_dir, url) if cache_dir else None
        if cached is not None:
            results[url] = cached
        else:
            todo.append(url)
    if not todo:
        return results
    import httpx

    by_host: dict[str, list[str]] = {}
    for url in todo:
        by_host.setdefault(host_of(url), []).append(url)
    timeout = httpx.Timeout(options.timeout)
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT)
    headers = {"User-Agent": user_agent(), "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"}
    with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout, limits=limits,
                      headers=headers) as client:

        lock = threading.Lock()
        done = [0]

        def host_job(host_urls: list[str]) -> list[tuple[str, Fetched | str]]:
            out = []
            for url in host_urls:
                out.append((url, fetch_one(client, url, options)))
                if progress:
                    with lock:
                        done[0] += 1
                        progress("fetching", done[0], len(todo))
            return out

        with ThreadPoolExecutor(MAX_IN_FLIGHT) as pool:
            for batch in pool.map(host_job, [by_host[h] for h in sorted(by_host)]):
                results.update(batch)
    cache_problem = None
    for url in todo:
        page = results[url]
        if cache_dir and isinstance(page, Fetched):
            cache_problem = write_cache(cache_dir, page) or cache_problem
    if cache_problem:
        warn(cache_problem)
    return results
