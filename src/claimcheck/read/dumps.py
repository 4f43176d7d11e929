"""Article dumps -> records: JSON (an array, or {"articles": [...]}) and JSONL / NDJSON, one source a record.

Fields are found by the names news-please, newspaper4k, trafilatura's JSON output and the common news
APIs use; `InputOptions.fields` overrides them. A bad record is a warning naming the file and the line
(JSONL) or index (JSON), and the others are still read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from claimcheck.read.files import SkipFile, decode

Warn = Callable[[str], None]

FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "maintext", "article", "raw_text", "full_text", "fulltext", "article_text"),
    "title": ("title", "headline"),
    "name": ("source", "outlet", "publisher", "source_domain", "sitename", "site_name", "domain", "source_name"),
    "date": ("date", "published", "publish_date", "date_publish", "published_at", "pubdate", "publishedAt",
             "datePublished", "date_published"),
    "url": ("url", "link", "source_url", "canonical_url", "href"),
    "author": ("author", "authors", "byline", "creator"),
    "html": ("html", "raw_html", "page_html"),
}
ROLES = tuple(FIELD_NAMES)
# Where a dump nests its records: {"articles": [...]} (NewsAPI), {"results": [...]}, ...
_CONTAINERS = ("articles", "results", "data", "items", "records", "documents", "hits", "news", "stories")


@dataclass(frozen=True)
class Record:
    """One article of a dump: where it is (`file:line` or `file[index]`) and its fields with the key
    each came from."""

    where: str
    index: int
    fields: tuple[tuple[str, str, str], ...]  # (role, value, key)

    def get(self, role: str) -> str | None:
        return next((v for r, v, _ in self.fields if r == role), None)

    def key(self, role: str) -> str | None:
        return next((k for r, _, k in self.fields if r == role), None)


def _as_text(value: object, role: str) -> str | None:
    """A field's value as text: strings as they are, {"name": ...} objects by name, lists of
    strings (paragraphs, authors) joined."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)) and role == "date":
        return None
    if isinstance(value, dict):
        for key in ("name", "title", "text", "value", "id"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key]
        return None
    if isinstance(value, list):
        parts = [p for p in (_as_text(v, role) for v in value) if p]
        if not parts:
            return None
        return ("\n\n" if role in ("text", "html") else ", ").join(parts)
    return None


def record_fields(obj: dict, overrides: dict[str, str]) -> tuple[tuple[str, str, str], ...]:
    """(role, value, key) for each role the object has a value for."""
    lower = {k.lower(): k for k in obj if isinstance(k, str)}
    out: list[tuple[str, str, str]] = []
    for role, names in FIELD_NAMES.items():
        candidates = (overrides[role],) if role in overrides else names
        for name in candidates:
            key = name if name in obj else lower.get(name.lower())
            if key is None:
                continue
            value = _as_text(obj[key], role)
            if value is not None:
                out.append((role, value, key))
                break
    return tuple(out)


def _record(obj: object, where: str, index: int, overrides: dict[str, str]) -> Record | str:
    if not isinstance(obj, dict):
        return f"not an object (a JSON {type(obj).__name__ if obj is not None else 'null'})"
    fields = record_fields(obj, overrides)
    roles = {r for r, _, _ in fields}
    if "text" not in roles and "html" not in roles:
        looked = (overrides["text"],) if "text" in overrides else FIELD_NAMES["text"]
        return f"no article text (no non-empty field {', '.join(looked)} or html)"
    return Record(where=where, index=index, fields=fields)


def looks_like_json(data: bytes) -> bool:
    """Whether bytes are a JSON or JSONL stream: the first non-blank byte is '{' or '[' and the
    whole, or its first line, parses (so an article opening with "[Updated]" stays text)."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] not in (b"{", b"["):
        return False
    for candidate in (text, text.split(b"\n", 1)[0]):
        try:
            json.loads(candidate)
        except ValueError:
            continue
        return True
    return False


def read_dump(data: bytes, shown: str, *, lines: bool, overrides: dict[str, str], warn: Warn) -> list[Record]:
    """The records of a dump. `lines`: JSONL (one object a line); else one JSON document, which may
    also turn out to be JSONL (a .json file of one object a line). Raises SkipFile when the file
    holds no record at all."""
    if not data.strip():
        raise SkipFile("empty file")
    text = decode(data)[0]
    if not lines:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data" and text.lstrip().startswith("{"):
                return read_dump(data, shown, lines=True, overrides=overrides, warn=warn)
            raise SkipFile(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        return _from_document(doc, shown, overrides, warn)
    records: list[Record] = []
    bad = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{shown}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            warn(f"{where}: skipped, invalid JSON ({exc.msg} at column {exc.colno})")
            bad += 1
            continue
        result = _record(obj, where, number, overrides)
        if isinstance(result, str):
            warn(f"{where}: skipped, {result}")
            bad += 1
        else:
            records.append(result)
    if not records:
        raise SkipFile(f"no usable records ({bad} bad line(s))" if bad else "no records")
    return records


def _from_document(doc: object, shown: str, overrides: dict[str, str], warn: Warn) -> list[Record]:
    if isinstance(doc, dict):
        container = next((k for k in _CONTAINERS if isinstance(doc.get(k), list)), None)
        if container is None:
            single = _record(doc, shown, 0, overrides)
            if isinstance(single, str):
                raise SkipFile(f"not an article dump (an object without an articles list; {single})")
            return [single]
        items, label = doc[container], f"{container}"
    elif isinstance(doc, list):
        items, label = doc, ""
    else:
        raise SkipFile(f"not an article dump (a JSON {type(doc).__name__}, expected an array or object)")
    records: list[Record] = []
    for i, obj in enumerate(items):
        where = f"{shown}:{label}[{i}]" if label else f"{shown}[{i}]"
        result = _record(obj, where, i, overrides)
        if isinstance(result, str):
            warn(f"{where}: skipped, {result}")
        else:
            records.append(result)
    if not records:
        raise SkipFile(f"no usable records ({len(items)} item(s), none with article text)" if items else "no records")
    return records
