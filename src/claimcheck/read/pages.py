"""Saved web pages -> article text and metadata: charset, trafilatura's main text, what the page declares.

trafilatura (and lxml) are imported only when a page is read, so text-only runs keep their start-up
time. Metadata prefers what the page declares (Open Graph, JSON-LD, canonical link) over guesses,
and records where each field came from.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from claimcheck.read.files import SkipFile, binary_kind, decode

# A byline or publisher credit longer than this is text, not a credit.
MAX_CREDIT_WORDS = 12
# Fewer words than this after extraction: an index page, a paywall stub, a cookie wall, an error page.
MIN_ARTICLE_WORDS = 40

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_WEB_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                "ascii": "cp1252", "iso8859-1": "cp1252"}


def looks_like_html(data: bytes) -> bool:
    """Whether bytes open like an HTML document (for stdin and files of other suffixes)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WEB_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_page(data: bytes, header_charset: str | None = None) -> tuple[str, str, str | None]:
    """Decode page bytes: (text, encoding, note). The order browsers use: a byte-order mark, the
    HTTP charset, `<meta charset>` / `http-equiv` in the first 4 kB, then UTF-8, then cp1252.

    Raises SkipFile for binary data (a PDF gets a hint).
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or binary_kind(data):
        return decode(data)
    declared = _codec(header_charset)
    origin = "HTTP Content-Type"
    if declared is None:
        m = _META_CHARSET_RE.search(data[:4096])
        declared, origin = _codec(m.group(1).decode("ascii", "replace")) if m else None, "<meta> charset"
    if declared is not None and not declared.startswith("utf-16"):
        try:
            return data.decode(declared), declared, None
        except UnicodeDecodeError:
            return data.decode(declared, errors="replace"), declared, (
                f"bytes that are not valid {declared} (declared by {origin}) replaced with U+FFFD"
            )
    return decode(data)


@dataclass
class Meta:
    """Page metadata: field -> (value, where it came from), and every credit the page gives."""

    fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    credits: list[tuple[str, str]] = field(default_factory=list)

    def credit(self, value: object, origin: str) -> None:
        """Record a byline or publisher (each distinct value once, the first origin kept)."""
        if not isinstance(value, str):
            return
        value = " ".join(value.split())
        if value and len(value.split()) <= MAX_CREDIT_WORDS and value not in (c for c, _ in self.credits):
            self.credits.append((value, origin))

    def offer(self, name: str, value: object, origin: str) -> None:
        """Keep the first non-empty value offered for a field (callers offer the best source first)."""
        if name in self.fields or not isinstance(value, str):
            return
        value = " ".join(value.split())
        if value:
            self.fields[name] = (value, origin)

    def get(self, name: str) -> str | None:
        return self.fields[name][0] if name in self.fields else None


@dataclass(frozen=True)
class Page:
    """What a page holds: its main text (one paragraph a line) and metadata with origins."""

    text: str
    meta: dict[str, tuple[str, str]]
    encoding: str
    credits: tuple[tuple[str, str], ...] = ()
    note: str | None = None
    page_words: int = 0  # words of visible text on the whole page (navigation, footers and all)


_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "liveblogposting", "opinionnewsarticle", "backgroundnewsarticle", "report", "webpage",
                  "socialmediaposting"}


def _ld_objects(tree) -> list[dict]:
    """JSON-LD objects of the page, @graph flattened, articles first."""
    found: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null", strict=False)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                if "@graph" in obj:
                    stack.extend(obj["@graph"] if isinstance(obj["@graph"], list) else [obj["@graph"]])
                found.append(obj)

    def rank(obj: dict) -> int:
        types = obj.get("@type")
        types = [t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]
        if any(t in _ARTICLE_TYPES and t != "webpage" for t in types):
            return 0
        return 1 if "webpage" in types else 2

    return sorted(found, key=rank)


def _ld_name(value: object) -> str | None:
    """A JSON-LD person or organisation as a name (lists joined)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _first(tree, xpath: str) -> str | None:
    hits = tree.xpath(xpath)
    for hit in hits:
        text = hit if isinstance(hit, str) else hit.text_content()
        if text and text.strip():
            return str(text).strip()
    return None


_TITLE_SEPARATORS_RE = re.compile(r"\s+(?:[|–—-]|::|·|•)\s+")


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _names_outlet(part: str, keys: list[str]) -> bool:
    """Whether a `<title>` part is the outlet's name (`keys`: the declared name, the domain label)."""
    got = _squash(part)
    if not got:
        return False
    for key in keys:
        if got in (key, "the" + key) or key in (got, "the" + got) or (len(key) >= 4 and key in got and len(part.split()) <= 5):
            return True
    return False


def _split_title(title: str, outlet: str | None, domain: str | None = None) -> tuple[str, str | None]:
    """`<title>` without its ' - Outlet' / ' | Outlet' suffix (or prefix): (headline, the outlet
    part or None). The part must name the declared outlet or the page's domain; with neither
    known, a last part of two to four capitalised words (or a known outlet's name) is taken."""
    from claimcheck.read.naming import known_outlet

    seps = list(_TITLE_SEPARATORS_RE.finditer(title))
    if not seps:
        return title, None
    first, last = title[: seps[0].start()].strip(), title[seps[-1].end():].strip()
    keys = [k for k in (_squash(outlet or ""), _squash(domain or "")) if k]
    if keys:
        if _names_outlet(last, keys):
            return title[: seps[-1].start()].strip(), last
        if _names_outlet(first, keys):
            return title[seps[0].end():].strip(), first
        if outlet:
            return title, None
    words = last.split()
    capitalised = all(w[:1].isupper() or w[:1].isdigit() for w in words)
    if known_outlet(last) or (2 <= len(words) <= 4 and capitalised):
        return title[: seps[-1].start()].strip(), last
    return title, None


def page_metadata(tree, base_url: str | None = None) -> Meta:
    """Outlet, headline, date, URL and author as the page declares them (best source first)."""
    from claimcheck.read.naming import domain_label, iso_date, name_from_url

    meta = Meta()
    ld = _ld_objects(tree)
    og = {m.get("property", "").lower() or m.get("name", "").lower(): m.get("content", "")
          for m in tree.xpath("//meta[@content]") if (m.get("property") or m.get("name"))}

    def url(value: str | None) -> str | None:
        if not value or not isinstance(value, str):
            return None
        value = value.strip()
        return urljoin(base_url, value) if base_url else value

    # URL first: the outlet's domain is a fallback for its name.
    meta.offer("url", url(_first(tree, '//link[@rel="canonical"]/@href')), "<link rel=canonical>")
    meta.offer("url", url(og.get("og:url")), "og:url")
    for obj in ld:
        page = obj.get("mainEntityOfPage")
        meta.offer("url", url(obj.get("url") if isinstance(obj.get("url"), str) else None), "JSON-LD url")
        meta.offer("url", url(page.get("@id") if isinstance(page, dict) else page), "JSON-LD mainEntityOfPage")

    meta.offer("name", og.get("og:site_name"), "og:site_name")
    for obj in ld:
        meta.offer("name", _ld_name(obj.get("publisher")), "JSON-LD publisher.name")
    for obj in ld:
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(t in ("NewsMediaOrganization", "Organization", "WebSite") for t in types):
            meta.offer("name", obj.get("name"), f"JSON-LD {types[0]}.name")
    meta.offer("name", og.get("application-name"), "<meta name=application-name>")

    raw_title = _first(tree, "//head/title") or _first(tree, "//title")
    meta.offer("title", og.get("og:title"), "og:title")
    for obj in ld:
        meta.offer("title", obj.get("headline"), "JSON-LD headline")
    meta.offer("title", og.get("twitter:title"), "twitter:title")
    meta.offer("title", _first(tree, "//article//h1") or _first(tree, "//h1"), "<h1>")
    if raw_title:
        domain = domain_label(meta.get("url") or base_url or "") or None
        headline, suffix = _split_title(raw_title, meta.get("name"), domain)
        if meta.get("title") and (meta.get("name") or suffix):
            headline, _ = _split_title(meta.get("title") or "", meta.get("name") or suffix, domain)
            if headline != meta.get("title"):
                meta.fields["title"] = (headline, meta.fields["title"][1] + " minus the outlet suffix")
        meta.offer("title", headline, "<title> minus the outlet suffix" if suffix else "<title>")
        if suffix:
            meta.offer("name", suffix, "<title> suffix")
    if meta.get("url"):
        meta.offer("name", name_from_url(meta.get("url") or ""), "canonical URL's domain")

    def date(value: object, origin: str) -> None:
        if isinstance(value, str) and iso_date(value):
            meta.offer("date", iso_date(value), origin)

    date(og.get("article:published_time"), "article:published_time")
    for obj in ld:
        date(obj.get("datePublished"), "JSON-LD datePublished")
    for key in ("date", "pubdate", "publishdate", "parsely-pub-date", "dc.date", "dc.date.issued",
                "sailthru.date", "og:published_time", "article.published"):
        date(og.get(key), f"<meta name={key}>")
    for value in tree.xpath("//article//time/@datetime | //time[@pubdate]/@datetime | //time/@datetime"):
        date(str(value), "<time datetime>")
        break
    date(og.get("article:modified_time"), "article:modified_time")
    for obj in ld:
        date(obj.get("dateModified"), "JSON-LD dateModified")

    for obj in ld:
        meta.offer("author", _ld_name(obj.get("author")), "JSON-LD author")
    meta.offer("author", og.get("author"), "<meta name=author>")
    article_author = og.get("article:author", "")
    if article_author and "://" not in article_author:
        meta.offer("author", article_author, "article:author")
    meta.offer("author", _first(tree, '//a[@rel="author"]'), "<a rel=author>")
    _credits(meta, tree, ld, og)
    return meta


def _credits(meta: Meta, tree, ld: list[dict], og: dict[str, str]) -> None:
    """Every byline and publisher the page declares, for wire detection ("Danny Kemp for AFP" in
    `<a rel=author>` while `<meta name=author>` says "Danny Kemp"; a JSON-LD author "Reuters")."""
    for obj in ld:
        for key in ("author", "creator", "publisher", "sourceOrganization", "provider"):
            values = obj.get(key)
            for value in values if isinstance(values, list) else [values]:
                meta.credit(_ld_name(value), f"JSON-LD {key}")
    for key in ("author", "article:author", "dc.creator", "dc.publisher", "byl", "sailthru.author",
                "parsely-author", "og:site_name"):
        value = og.get(key, "")
        if "://" not in value:
            meta.credit(value, f"<meta {key}>")
    for hit in tree.xpath('//a[@rel="author"] | //*[@rel="author"] | //*[@itemprop="author"]'):
        meta.credit(hit.text_content(), "<a rel=author>")
    for hit in tree.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " byline ") '
                          'or contains(@class, "byline__") or contains(@class, "article-byline")]'):
        meta.credit(hit.text_content(), "byline element")


def _parse(text: str):
    import lxml.html

    text = _XML_DECL_RE.sub("", text, count=1)
    try:
        return lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise SkipFile(f"not a readable HTML page ({exc})") from None


def extract_page(data: bytes | str, *, url: str | None = None, header_charset: str | None = None) -> Page:
    """A page's main text and metadata. Raises SkipFile for binary data, markup lxml cannot
    parse, or a page with under MIN_ARTICLE_WORDS words of main text (not an article)."""
    if isinstance(data, bytes):
        text, encoding, note = decode_page(data, header_charset)
    else:
        text, encoding, note = data, "utf-8", None
    if not text.strip():
        raise SkipFile("empty file")
    tree = _parse(text)
    meta = page_metadata(tree, url)
    page_words = sum(len(t.split()) for t in tree.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"))
    import trafilatura

    try:
        body = trafilatura.extract(
            tree, url=url, include_comments=False, include_tables=False, include_images=False,
            include_links=False, output_format="txt", with_metadata=False, deduplicate=False,
        ) or ""
    except Exception as exc:  # a page trafilatura chokes on is one skipped file, never the run
        raise SkipFile(f"the page could not be extracted ({type(exc).__name__}: {exc})") from None
    words = len(body.split())
    if words < MIN_ARTICLE_WORDS:
        what = f"only {words} word(s)" if words else "no text"
        raise SkipFile(
            f"not an article ({what} of main text found; an index page, paywall, cookie wall or error page?)"
        )
    return Page(text=body, meta=dict(meta.fields), encoding=encoding, note=note, page_words=page_words,
                credits=tuple(meta.credits))
