"""Inputs of every kind -> Documents: text files, saved pages, URLs, dump records, stdin.

`gather` turns the command line into a sorted list of sources with ids (fetching URLs, splitting
dumps into records, attaching the names the user gave); `load` turns one of them into a Document.
Metadata precedence, best first: what the user says (`--names`, an outlet folder), what the page or
record declares (Open Graph, JSON-LD, dump fields), what the text states (a copyright line, a wire
id), guesses (a `<title>` suffix, the URL's domain), the file stem. `Document.provenance` records
which one each field came from.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimcheck.read.dumps import Record, looks_like_json, read_dump
from claimcheck.read.manifest import read_manifest
from claimcheck.errors import InputError
from claimcheck.read.files import (
    DUMP_SUFFIXES,
    PAGE_SUFFIXES,
    STDIN,
    InputFile,
    SkipFile,
    assign_ids,
    build_document,
    collect_inputs,
    display_path,
    document_from_bytes,
    read_bytes,
    slugify,
)
from claimcheck.models import Document, InputOptions
from claimcheck.read.reports import skip_reason
from claimcheck.read.naming import Names, domain_label, folder_outlet, iso_date, name_from_url, read_names, url_id

Warn = Callable[[str], None]
Progress = Callable[[str, int, int], None]
Field3 = tuple[str, str, str]  # (field, value, where it came from)
FIELDS = ("name", "title", "date", "url", "author")
# Page metadata origins that are the outlet declaring itself; other name origins are guesses.
_DECLARED_NAME = ("og:site_name", "JSON-LD", "<meta name=application-name>")


@dataclass(frozen=True)
class Source(InputFile):
    """An input that is not simply a file to read: a fetched page, a dump record, stdin already
    read, or a file with names the user gave."""

    label: str = ""
    kind: str = "file"  # file | page | text | record
    data: bytes | None = None
    record: Record | None = None
    url: str | None = None
    charset: str | None = None
    given: tuple[Field3, ...] = ()  # from the user: wins over everything
    hints: tuple[Field3, ...] = ()  # weakest guesses (the fetched URL)
    id_hint: str | None = None
    order: tuple[str, int] = ("", 0)

    @property
    def shown(self) -> str:
        return self.label or super().shown

    @property
    def stem(self) -> str:
        return self.id_hint or super().stem


def _order(item: InputFile) -> tuple[bool, str, int]:
    if isinstance(item, Source) and item.order[0]:
        return (item.path != STDIN, *item.order)
    return (item.path != STDIN, item.path, -1)


def read_url_list(path: str, warn: Warn) -> list[str]:
    """URLs from a `--urls` file: one a line; blank lines and `#` comments skipped."""
    from claimcheck.read.fetch import is_url

    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8-sig", errors="replace")
    except OSError as exc:
        raise InputError(f"{display_path(path)}: cannot read URL list ({exc.strerror or exc})") from None
    urls = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if is_url(line):
            urls.append(line)
        else:
            warn(f"{display_path(path)}:{number}: skipped, not an http(s) URL ({line[:80]})")
    if not urls:
        warn(f"{display_path(path)}: no URLs in the list")
    return urls


def _record_sources(data: bytes, item: InputFile, options: InputOptions, warn: Warn) -> list[Source]:
    lines = item.path.lower().endswith((".jsonl", ".ndjson"))
    shown = item.shown
    records = read_dump(data, shown, lines=lines, overrides=options.fields, warn=warn)
    base = item.path
    out = []
    for rec in records:
        outlet = rec.get("name")
        if outlet and _is_domain(outlet):
            outlet = domain_label(_as_url(outlet))
        hint = slugify(outlet) if outlet else f"{slugify(item.stem)}-{rec.index}"
        out.append(Source(path=rec.where if item.path != STDIN else rec.where.replace("<stdin>", "-", 1),
                          label=rec.where, kind="record", record=rec, id_hint=hint, order=(base, rec.index)))
    return out


def _expand(item: InputFile, options: InputOptions, warn: Warn,
            stdin: Callable[[], bytes] | None) -> list[InputFile]:
    """A dump split into its records, stdin read and typed; other files as they are."""
    from claimcheck.read.pages import looks_like_html

    is_dump = item.path.lower().endswith(DUMP_SUFFIXES)
    if item.path != STDIN and not is_dump:
        return [item]
    try:
        data = read_bytes(item, stdin)
        _not_a_report(data)
        if item.path == STDIN and not looks_like_json(data):
            kind = "page" if looks_like_html(data) else "text"
            return [Source(path=STDIN, kind=kind, data=data)]
        return list(_record_sources(data, item, options, warn))
    except SkipFile as exc:
        warn(f"{item.shown}: skipped, {exc}")
        return []


def _fetched_sources(urls: list[str], options: InputOptions, warn: Warn, progress: Progress | None) -> list[Source]:
    from claimcheck.read.fetch import Fetched, fetch_all

    out = []
    for url, page in sorted(fetch_all(urls, options, warn, progress).items()):
        if not isinstance(page, Fetched):
            warn(f"{url}: skipped, {page}")
            continue
        kind = "page" if page.is_html or (page.content_type != "text/plain" and b"<html" in page.body[:4096].lower()) else "text"
        hints: list[Field3] = [("url", page.final_url, "the URL fetched" + (" (after redirects)" if page.final_url != url else ""))]
        if name_from_url(page.final_url):
            hints.append(("name", name_from_url(page.final_url) or "", "the fetched URL's domain"))
        out.append(Source(path=url, kind=kind, data=page.body, url=page.final_url, charset=page.charset,
                          hints=tuple(hints), id_hint=url_id(page.final_url), order=(url, 0)))
    return out


def gather(paths: Sequence[str], options: InputOptions, warn: Warn, stdin: Callable[[], bytes] | None = None,
           progress: Progress | None = None) -> tuple[list[InputFile], list[str]]:
    """The inputs named on the command line, sorted, with their source ids.

    Raises InputError for a missing path, an unreadable `--urls` or `--names` file, or no input at all.
    """
    from claimcheck.read.fetch import is_url

    manifest, listed = read_manifest(options.manifest) if options.manifest else ([], None)
    paths = [*paths, *manifest]
    urls = [p for p in paths if is_url(p)]
    rest = [p for p in paths if not is_url(p)]
    if options.urls_file:
        urls += read_url_list(options.urls_file, warn)
    if not rest and not urls and not options.urls_file:
        raise InputError("no input paths given")
    for p in rest:
        if not os.path.lexists(p) and re.match(r"^(?:www\.|[\w-]+\.(?:com|org|net|co\.uk)/)", p, re.I):
            raise InputError(f"{display_path(p)}: no such file or directory (a URL? write it with https://)")
    names = read_names(options.names_file) if options.names_file else listed
    if options.names_file and listed is not None:
        raise InputError("give outlets in --manifest or in --names, not both")
    items: list[InputFile] = []
    for item in collect_inputs(rest, warn) if rest else []:
        items.extend(_expand(item, options, warn, stdin))
    if urls:
        items.extend(_fetched_sources(sorted(set(urls)), options, warn, progress))
    items.sort(key=_order)
    ids = assign_ids(items)
    directories = [p for p in rest if p != STDIN and os.path.isdir(p)]
    items = [_with_given(item, sid, directories, names) for item, sid in zip(items, ids, strict=True)]
    if names is not None:
        for key in names.unused():
            warn(f"{names.shown}: {key}: names no source in this run")
    return items, ids


def _name_keys(item: InputFile) -> tuple[str | None, list[str]]:
    """The file path and the URLs a names entry can name an item by."""
    if not isinstance(item, Source):
        return (None if item.path == STDIN else item.path), []
    if item.kind == "record":
        url = item.record.get("url") if item.record is not None else None
        return (None if item.order[0] == STDIN else item.order[0]), [url] if url else []
    if item.url:  # fetched: the URL as given, then where it led
        return None, [item.path, item.url]
    return (None if item.path == STDIN else item.path), []


def _with_given(item: InputFile, source_id: str, directories: list[str], names: Names | None) -> InputFile:
    """The item with what the user said about it (a names entry, its outlet folder) attached."""
    given: list[Field3] = []
    path, urls = _name_keys(item)
    entry = names.lookup(path=path, urls=urls, source_id=source_id) if names is not None else None
    if entry is not None:
        origin = names.origin  # type: ignore[union-attr]
        given += [(f, v, origin) for f, v in (("name", entry.name), ("url", entry.url), ("date", entry.date)) if v]
    is_file = not isinstance(item, Source) or item.kind == "file"
    folder = folder_outlet(path, directories) if is_file and path else None
    if folder:
        given.append(("name", folder, f"outlet folder {Path(path).parent.name}/"))  # type: ignore[arg-type]
    if not given:
        return item
    if isinstance(item, Source):
        return dataclasses.replace(item, given=item.given + tuple(given))
    return Source(path=item.path, given=tuple(given))


# --------------------------------------------------------------------------- loading


def _not_a_report(data: bytes) -> None:
    """Raise SkipFile for one of claimcheck's own reports (a report.html left in the article folder)."""
    reason = skip_reason(data)
    if reason:
        raise SkipFile(reason)


def _is_page_file(path: str) -> bool:
    return path.lower().endswith(PAGE_SUFFIXES)


def load(item: InputFile, source_id: str, stdin: Callable[[], bytes] | None = None) -> Document:
    """One source as a Document. Raises SkipFile when it has no usable article text."""
    src = item if isinstance(item, Source) else Source(path=item.path)
    shown_path = src.path if src.path == STDIN or src.kind in ("record", "page", "text") else display_path(src.path)
    strong: list[Field3] = []
    if src.kind == "record" and src.record is not None:
        doc, strong = _record_document(src.record, source_id, shown_path, src.stem)
    elif src.kind in ("page", "text") and src.data is not None:
        _not_a_report(src.data if isinstance(src.data, bytes) else src.data.encode("utf-8"))
        if src.kind == "page":
            doc, strong = _page_document(src.data, source_id, shown_path, src.stem, src.url, src.charset)
        else:
            doc = document_from_bytes(src.data, source_id=source_id, path=shown_path, stem=src.stem)
    else:
        data = read_bytes(src, stdin)
        _not_a_report(data)
        from claimcheck.read.pages import looks_like_html

        if _is_page_file(src.path) or looks_like_html(data):
            doc, strong = _page_document(data, source_id, shown_path, src.stem, None, None)
        else:
            doc = document_from_bytes(data, source_id=source_id, path=shown_path, stem=src.stem)
    return _settle(doc, list(src.given), strong, list(src.hints))


def _only_headline(doc: Document) -> bool:
    """Whether nothing but the headline (which we put first) survived the line rules."""
    return all(not line.strip() or line == doc.title for line in doc.text.split("\n"))


def _page_document(data: bytes | str, source_id: str, path: str, stem: str, url: str | None,
                   charset: str | None) -> tuple[Document, list[Field3]]:
    from claimcheck.read.pages import extract_page

    page = extract_page(data, url=url, header_charset=charset)
    title = page.meta.get("title")
    # The headline goes first, as in a text file, so the line rules see it as the headline and
    # drop the copy trafilatura may keep as a repeated line.
    text = f"{title[0]}\n\n{page.text}" if title else page.text
    doc = build_document(text, source_id=source_id, path=path, stem=stem, encoding=page.encoding,
                         warnings=(page.note,) if page.note else ())
    if _only_headline(doc):
        raise SkipFile(f"no article text (all {len(doc.dropped)} extracted line(s) are boilerplate)")
    fields = [(f, v, o) for f, (v, o) in sorted(page.meta.items())]
    words = len(page.text.split())
    prov = dict(doc.provenance, text=f"trafilatura main text ({words:,} of the page's {max(words, page.page_words):,} words)")
    return doc.model_copy(update={"provenance": prov, "credits": page.credits}), fields


_DOMAIN_VALUE_RE = re.compile(r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}/?$", re.I)


def _is_domain(value: str) -> bool:
    return bool(_DOMAIN_VALUE_RE.match(value.strip()))


def _as_url(value: str) -> str:
    value = value.strip()
    return value if "://" in value else f"https://{value}"


def _record_document(rec: Record, source_id: str, path: str, stem: str) -> tuple[Document, list[Field3]]:
    fields: list[Field3] = []
    for role in FIELDS:
        value, key = rec.get(role), rec.key(role)
        if value is None or key is None:
            continue
        origin = f"record field '{key}'"
        if role == "name" and _is_domain(value):  # "reuters.com": a guess, like a URL's domain
            value = name_from_url(_as_url(value)) or value
            origin += " (a domain)"
        if role == "date":
            value = iso_date(value) or ""
        fields.append((role, value, origin))
    text = rec.get("text")
    # The record's byline and outlet feed wire detection as a page's metadata does.
    credits = tuple((v, f"record field '{rec.key(r)}'") for r in ("author", "name") if (v := rec.get(r)))
    if text is None:  # only html
        doc, page_fields = _page_document(rec.get("html") or "", source_id, path, stem, rec.get("url"), None)
        provenance = dict(doc.provenance, text=f"record field '{rec.key('html')}': {doc.provenance['text']}")
        return doc.model_copy(update={"provenance": provenance, "credits": credits + doc.credits}), fields + page_fields
    title = rec.get("title")
    body = f"{title}\n\n{text}" if title else text
    doc = build_document(body, source_id=source_id, path=path, stem=stem)
    if _only_headline(doc):
        raise SkipFile(f"no article text (all {len(doc.dropped)} line(s) are boilerplate)")
    provenance = dict(doc.provenance, text=f"record field '{rec.key('text')}'")
    doc = doc.model_copy(update={"credits": credits})
    if provenance["name"] == "file stem":
        provenance["name"] = "the dump's file name and the record's position"
    return doc.model_copy(update={"provenance": provenance}), fields


def _settle(doc: Document, given: list[Field3], declared: list[Field3], hints: list[Field3]) -> Document:
    """Each metadata field from the best source that has it (see the module docstring)."""
    provenance = dict(doc.provenance)
    strong = [c for c in declared
              if c[0] != "name" or (c[2].startswith((*_DECLARED_NAME, "record")) and "(a domain)" not in c[2])]
    weak = [c for c in declared if c not in strong] + hints
    own = {f for f in FIELDS if getattr(doc, f) and (f != "name" or provenance.get("name") != "file stem")}
    updates: dict[str, str] = {}
    for field in FIELDS:
        pick = next((c for c in given + strong if c[0] == field and c[1]), None)
        if pick is None and field not in own:
            pick = next((c for c in weak if c[0] == field and c[1]), None)
        if pick is not None:
            updates[field] = pick[1]
            provenance[field] = pick[2]
    return doc.model_copy(update={**updates, "provenance": dict(sorted(provenance.items()))})
