"""Naming sources: the `--names` file, outlet folders, URL domains, dates written as ISO.

Every name carries where it came from, so a report can say why a source is called what it is.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from claimcheck.errors import InputError
from claimcheck.read.files import _KNOWN_OUTLETS, _extract_date, display_path, slugify

# Folder names that say what a folder holds, not who wrote it.
_GENERIC_FOLDERS = {
    "articles", "article", "data", "raw", "html", "htm", "text", "texts", "txt", "pages", "page", "json",
    "jsonl", "dumps", "dump", "saved", "downloads", "input", "inputs", "sources", "news", "corpus", "md",
    "files", "docs", "tmp", "misc", "other", "new", "old", "archive",
}
_ISO_RE = re.compile(r"^\s*((?:19|20)\d\d)-([01]\d)-([0-3]\d)")


def iso_date(value: str) -> str | None:
    """A date as YYYY-MM-DD from ISO 8601 ('2024-05-31T10:00:00Z') or a written date; else None."""
    m = _ISO_RE.match(value)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if len(value) > 80:
        return None
    return _extract_date(value)[0]


def known_outlet(label: str) -> str | None:
    """The outlet's usual name for a label such as 'reuters', 'the-moscow-times'; else None."""
    key = re.sub(r"[\s_.-]+", "", label.lower())
    return _KNOWN_OUTLETS.get(key) or _KNOWN_OUTLETS.get(key.removeprefix("the"))


def host_of(url: str) -> str:
    """The host of a URL without a leading 'www.', lowercased ('' when there is none)."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu"}


def domain_label(url: str) -> str:
    """The registrable name of a URL's host: 'reuters' for www.reuters.com, 'bbc' for bbc.co.uk,
    the whole host for an IP address or a single-label host."""
    host = host_of(url)
    if not host or re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return host
    parts = host.split(".")
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else parts[0]


def name_from_url(url: str) -> str | None:
    """An outlet name from a URL's domain: a known outlet's name, else the domain label."""
    label = domain_label(url)
    if not label:
        return None
    return known_outlet(label) or label


def url_id(url: str) -> str:
    """A source id for a URL: its domain label as a slug."""
    return slugify(domain_label(url) or "url")


def folder_outlet(path: str, directories: list[str]) -> str | None:
    """The outlet folder a file sits in: the first folder below a directory the user named
    (`corpus/reuters/a.txt` for `compare corpus/`), unless its name only says what it holds."""
    real = os.path.realpath(path)
    for top in directories:
        root = os.path.realpath(top)
        if not real.startswith(root.rstrip(os.sep) + os.sep):
            continue
        parts = os.path.relpath(real, root).split(os.sep)
        if len(parts) < 2:
            continue
        folder = parts[0]
        if folder.lower() in _GENERIC_FOLDERS or not re.search(r"[^\W\d_]", folder) or iso_date(folder):
            continue
        return known_outlet(folder) or folder
    return None


@dataclass(frozen=True)
class NameEntry:
    """One row of a names file: what it names, and the outlet (and optional URL and date)."""

    key: str
    name: str | None
    url: str | None = None
    date: str | None = None


class Names:
    """A `--names` file: keys are paths (a file or a folder), URLs or source ids."""

    def __init__(self, entries: list[NameEntry], shown: str, option: str = "--names") -> None:
        self.entries = entries
        self.shown = shown
        self.origin = f"{option} {shown}"  # what provenance says a name came from
        self.used: set[int] = set()
        self._by_key = {e.key: i for i, e in enumerate(entries)}
        self._paths = [(os.path.realpath(e.key), i) for i, e in enumerate(entries) if "://" not in e.key]

    def lookup(self, *, path: str | None = None, urls: list[str] | tuple[str, ...] = (),
               source_id: str | None = None) -> NameEntry | None:
        """The entry for a source: by exact key (its URLs, id, path), then by the file or a folder
        holding it (the deepest folder wins)."""
        for key in (*urls, source_id, path):
            if key is not None and key in self._by_key:
                self.used.add(self._by_key[key])
                return self.entries[self._by_key[key]]
        if path is None:
            return None
        real = os.path.realpath(path)
        best: tuple[int, int] | None = None
        for root, i in self._paths:
            if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
                if best is None or len(root) > best[0]:
                    best = (len(root), i)
        if best is None:
            return None
        self.used.add(best[1])
        return self.entries[best[1]]

    def unused(self) -> list[str]:
        """Keys that named no source (a typo the user should hear about)."""
        return sorted(e.key for i, e in enumerate(self.entries) if i not in self.used)


_KEY_COLUMNS = ("path", "file", "url", "id", "source", "key")
_NAME_COLUMNS = ("name", "outlet", "publisher", "source_name")


def _entry(row: dict, where: str) -> NameEntry:
    lower = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    key = next((str(lower[c]).strip() for c in _KEY_COLUMNS if lower.get(c) not in (None, "")), None)
    name = next((str(lower[c]).strip() for c in _NAME_COLUMNS if lower.get(c) not in (None, "")), None)
    if key is None:
        raise InputError(f"{where}: no path, url or id column")
    url = str(lower["url"]).strip() if lower.get("url") and lower.get("url") != key else None
    date = iso_date(str(lower["date"])) if lower.get("date") else None
    if name is None and url is None and date is None:
        raise InputError(f"{where}: no name for {key}")
    return NameEntry(key=key, name=name, url=url, date=date)


def parse_names(data: bytes, shown: str) -> Names:
    """Read a names file: JSON ({key: name}, {key: {name, url, date}} or a list of objects) or CSV
    with a header (path/url/id, name, optional url, date) or two columns without one.

    Raises InputError naming the file and the problem.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{shown}: names file is not UTF-8 text") from None
    entries: list[NameEntry] = []
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{shown}: names file is not valid JSON (line {exc.lineno}: {exc.msg})") from None
        if isinstance(doc, dict):
            for key, value in doc.items():
                if isinstance(value, str):
                    entries.append(NameEntry(key=key, name=value))
                elif isinstance(value, dict):
                    entries.append(_entry({"key": key, **value}, f"{shown}: {key}"))
                else:
                    raise InputError(f"{shown}: {key}: expected a name or an object")
        else:
            for i, value in enumerate(doc):
                if not isinstance(value, dict):
                    raise InputError(f"{shown}: item {i}: expected an object")
                entries.append(_entry(value, f"{shown}: item {i}"))
    else:
        rows = list(csv.reader(io.StringIO(text)))
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            raise InputError(f"{shown}: names file is empty")
        header = [c.strip().lower() for c in rows[0]]
        if any(c in _KEY_COLUMNS for c in header) and any(c in _NAME_COLUMNS + ("date",) for c in header):
            for n, row in enumerate(rows[1:], start=2):
                entries.append(_entry(dict(zip(header, row)), f"{shown}: line {n}"))
        else:
            for n, row in enumerate(rows, start=1):
                if len(row) < 2 or not row[0].strip() or not row[1].strip():
                    raise InputError(f"{shown}: line {n}: expected KEY,NAME")
                entries.append(NameEntry(key=row[0].strip(), name=row[1].strip()))
    if not entries:
        raise InputError(f"{shown}: names file has no entries")
    return Names(entries, shown)


def read_names(path: str) -> Names:
    """`parse_names` on a file; an unreadable file is an InputError."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(f"{display_path(path)}: cannot read names file ({exc.strerror or exc})") from None
    return parse_names(data, display_path(path))
