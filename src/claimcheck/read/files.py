"""Files -> Documents: input discovery, decoding, cleaning, boilerplate lines, metadata.

The cleaned `Document.text` keeps the article's own wording (quotes, dashes, capitals) with one
paragraph per line; every line that did not make it in is kept in `Document.dropped` with a reason.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from claimcheck.errors import InputError
from claimcheck.models import Document, DroppedLine

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
DUMP_SUFFIXES = (".json", ".jsonl", ".ndjson")
READ_SUFFIXES = TEXT_SUFFIXES + PAGE_SUFFIXES + DUMP_SUFFIXES
_SUFFIX_LIST = "text (.txt/.md), page (.html/.htm/.xhtml) or dump (.json/.jsonl/.ndjson)"
PDF_HINT = "convert it to text first (pdftotext FILE.pdf FILE.txt, from poppler-utils)"
STDIN = "-"

Warn = Callable[[str], None]


class SkipFile(Exception):
    """A file that cannot be used; the message says why (the caller warns and goes on)."""


# --------------------------------------------------------------------------- input discovery


_UNPRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def display_path(path: str) -> str:
    """A path as it can be printed and serialised: bytes that are not UTF-8 (which `os` hands over
    as lone surrogates) become U+FFFD, and control characters are escaped, so a message stays on
    one line."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _UNPRINTABLE_RE.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass(frozen=True)
class InputFile:
    """A file to read: its path as the user will see it (or `-`)."""

    path: str

    @property
    def shown(self) -> str:
        """The path for messages and reports."""
        return "<stdin>" if self.path == STDIN else display_path(self.path)

    @property
    def stem(self) -> str:
        return "stdin" if self.path == STDIN else Path(display_path(self.path)).stem


def _is_hidden_or_backup(name: str) -> bool:
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".bak", ".swp", ".tmp", "#"))


def collect_inputs(paths: Iterable[str], warn: Warn) -> list[InputFile]:
    """Expand PATH arguments into files: directories walked recursively and sorted, duplicates once.

    Raises InputError for a missing path or a path that is neither a file nor a directory.
    Files of other kinds found in directories are skipped with a note; hidden files and editor
    backups silently are not articles (a note counts them). A file named twice (a directory and
    a file in it, a symlink and its target) is read once, under the smallest of its names, so
    the order of the arguments does not matter.
    """
    from claimcheck.read.remote import is_remote, list_remote

    found: dict[str, str] = {}

    def add(path: str) -> None:
        key = path if path == STDIN or is_remote(path) else os.path.realpath(path)
        found[key] = min(found.get(key, path), path)

    for raw in paths:
        shown = display_path(raw)
        if raw == STDIN:
            add(STDIN)
            continue
        if is_remote(raw) and raw.lower().endswith(READ_SUFFIXES):
            add(raw)  # a file by its name: no round trip to the store per input (a missing one is skipped when read)
            continue
        if is_remote(raw):
            files, skipped, hidden = list_remote(raw, _not_read_why)
            _say_skipped(shown, files, skipped, hidden, warn)
            for path in files:
                add(path)
            continue
        if not os.path.lexists(raw):
            raise InputError(f"{shown}: no such file or directory")
        if os.path.isdir(raw):
            files, skipped, hidden = _walk(raw, warn)
            _say_skipped(shown, files, skipped, hidden, warn)
            for path in files:
                add(path)
        elif os.path.isfile(raw):
            add(raw)
        elif not os.path.exists(raw):
            raise InputError(f"{shown}: broken symbolic link")
        else:
            raise InputError(f"{shown}: not a regular file or directory")
    return [InputFile(path) for path in found.values()]


def _say_skipped(shown: str, files: list[str], skipped: list[tuple[str, str]], hidden: int, warn: Warn) -> None:
    """The warnings for a folder's files that are not read."""
    if not files and not skipped:
        warn(f"{shown}: directory has no {_SUFFIX_LIST} files")
    for path, why in skipped:
        warn(f"{display_path(path)}: skipped, {why}")
    if hidden:
        warn(f"{shown}: ignored {hidden} hidden or backup file(s)")


def _not_read_why(name: str) -> str | None:
    """None for a file name a folder's walk reads; "" for a hidden or backup file; else why not."""
    if _is_hidden_or_backup(name):
        return ""
    if not name.lower().endswith(READ_SUFFIXES):
        hint = f"; {PDF_HINT}" if name.lower().endswith(".pdf") else ""
        return f"not a {_SUFFIX_LIST} file{hint}"
    return None


def _walk(top: str, warn: Warn) -> tuple[list[str], list[tuple[str, str]], int]:
    """Sorted text files under `top`, other files (with why they are skipped), and a count of
    hidden/backup files.

    Symlinked directories are not followed, so a link loop cannot recurse forever.
    """
    files: list[str] = []
    skipped: list[tuple[str, str]] = []
    hidden = 0

    def unreadable(exc: OSError) -> None:
        warn(f"{display_path(exc.filename or top)}: skipped, cannot list directory ({exc.strerror or exc})")

    for dirpath, dirnames, filenames in os.walk(top, onerror=unreadable, followlinks=False):
        hidden += sum(1 for d in dirnames if d.startswith("."))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            why = _not_read_why(name)
            if why == "":
                hidden += 1
            elif why is not None:
                skipped.append((path, why))
            elif os.path.isfile(path):
                files.append(path)
            elif not os.path.exists(path):
                skipped.append((path, "broken symbolic link"))
            else:
                skipped.append((path, "not a regular file (a pipe, socket or device)"))
    files.sort()
    skipped.sort()
    return files, skipped, hidden


# --------------------------------------------------------------------------- decoding

_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\x1f\x8b": "a gzip archive",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an MS Office document",
    b"\x7fELF": "an executable",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str, str | None]:
    """Decode file bytes: (text, encoding, note). Raises SkipFile for binary data.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as such; anything else that is
    not valid UTF-8 but looks like text is read as cp1252 (latin-1 for its five unassigned bytes),
    with a note, because that is what legacy Windows and web exports are.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, None
            except UnicodeDecodeError as exc:
                raise SkipFile(f"invalid {encoding} text after a byte-order mark ({exc.reason})") from None
    kind = binary_kind(data)
    if kind:
        raise SkipFile(f"binary file ({kind}), not text" + (f"; {PDF_HINT}" if "PDF" in kind else ""))
    if b"\x00" in data[:65536]:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise SkipFile("binary file (contains NUL bytes), not text")
        text = data.decode(encoding)
        if _looks_binary(text):
            raise SkipFile("binary file (mostly control characters), not text")
        return text, encoding, f"no byte-order mark, read as {encoding.upper()}"
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
        note = None
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if "\ufffd" in text:
            text = data.decode("latin-1")
            encoding = "latin-1"
        else:
            encoding = "cp1252"
        note = f"not valid UTF-8, read as {encoding}"
    if _looks_binary(text):
        raise SkipFile("binary file (mostly control characters), not text")
    return text, encoding, note


def binary_kind(data: bytes) -> str | None:
    """'a PDF document' etc. when `data` opens with a known binary signature."""
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NUL bytes fall on one side of every byte pair only (what
    UTF-16 text without a byte-order mark looks like) and the whole file decodes; else None."""
    sample = data[:8192]
    if len(data) % 2 or len(sample) < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for encoding, nul, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nul >= 0.1 * half and other <= 0.01 * half:
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


_BINARY_CHARS_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    return len(_BINARY_CHARS_RE.findall(sample)) / len(sample) > 0.05


# --------------------------------------------------------------------------- normalisation

_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x200E, 0x200F, 0x061C]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A)),
    None,
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def clean_display(text: str) -> str:
    """Text for display: line endings unified, invisible and control characters removed, spaces
    collapsed; quotes, dashes and wording untouched."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.translate(_INVISIBLE)
    text = _CONTROL_RE.sub(" ", text)
    return _SPACES_RE.sub(" ", text)


_MATCH_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-",
    }
)


def normalize(text: str) -> str:
    """Text for matching: NFKC, straight quotes, ASCII dashes, single spaces."""
    text = unicodedata.normalize("NFKC", clean_display(text)).translate(_MATCH_TRANSLATE)
    return " ".join(text.split())


# --------------------------------------------------------------------------- markdown

# Link text never holds "[", so an unclosed bracket is scanned up to the next one, not to the end
# of the line (quadratic on a long line of unclosed brackets).
_MD_IMAGE_RE = re.compile(r"!\[([^\[\]\n]*)\]\([^)\n]*\)")
_MD_LINK_RE = re.compile(r"\[([^\[\]\n]+)\]\([^)\n]*\)")
_MD_REF_LINK_RE = re.compile(r"\[([^\[\]\n]+)\]\[[^\]\n]*\]")
_MD_AUTOLINK_RE = re.compile(r"<((?:https?://|mailto:|www\.)[^>\s]+)>")
_MD_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_BULLET_RE = re.compile(r"^\s*(?:[-*+\u2022\u25aa\u25cf\u2013]|\d{1,3}[.)])\s+")
_MD_QUOTE_RE = re.compile(r"^\s*(?:>\s?)+")
# Emphasis never spans its own marker character (nested emphasis is stripped inside out, one
# level per pass), so a marker that never closes costs a scan to the next marker, not to the end
# of the line: `.+?` here was quadratic on long lines full of unmatched `_` or `*`.
_MD_EMPHASIS_RE = re.compile(
    r"\*\*(?=[^\s*])([^*]+?)(?<=\S)\*\*|__(?=[^\s_])([^_]+?)(?<=\S)__|~~(?=[^\s~])([^~]+?)(?<=\S)~~"
    r"|\*(?=[^\s*])([^*]+?)(?<=\S)\*|_(?=[^\s_])([^_]+?)(?<=\S)_"
)
_MD_CODE_RE = re.compile(r"`([^`\n]+)`")
_MD_RULE_RE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")


@dataclass
class Line:
    """A source line after markdown reduction."""

    number: int
    raw: str
    text: str
    heading: bool = False
    bullet: bool = False


def reduce_markdown(number: int, raw: str) -> Line:
    """Strip markdown syntax from one line, remembering if it was a heading or a bullet."""
    text = raw.strip()
    heading = bullet = False
    if _MD_RULE_RE.match(text):
        return Line(number, raw, "")
    m = _MD_HEADING_RE.match(text)
    if m:
        text, heading = m.group(2), True
    text = _MD_QUOTE_RE.sub("", text)
    if _MD_BULLET_RE.match(text):
        text, bullet = _MD_BULLET_RE.sub("", text, count=1), True
    text = _MD_IMAGE_RE.sub(lambda mm: mm.group(1), text)
    text = _MD_LINK_RE.sub(lambda mm: mm.group(1), text)
    text = _MD_REF_LINK_RE.sub(lambda mm: mm.group(1), text)
    text = _MD_AUTOLINK_RE.sub(lambda mm: mm.group(1), text)
    text = _MD_CODE_RE.sub(lambda mm: mm.group(1), text)
    if "*" in text or "_" in text or "~" in text:
        for _ in range(3):
            new = _MD_EMPHASIS_RE.sub(lambda mm: mm.group(mm.lastindex), text)
            if new == text:
                break
            text = new
    return Line(number, raw, text.strip(), heading, bullet)


# --------------------------------------------------------------------------- boilerplate rules

_SHARE_WORDS = {
    "facebook", "twitter", "x", "linkedin", "pinterest", "whatsapp", "telegram", "reddit", "email",
    "e-mail", "print", "share", "tweet", "messenger", "viber", "vk", "tumblr", "copy link", "flipboard",
    "share on facebook", "share on twitter", "share on x", "share this", "share this article",
    "share this story", "copy", "mail", "threads", "bluesky", "mastodon",
}
_LABELS = {
    "breaking news", "breaking", "exclusive", "live", "live updates", "opinion", "analysis",
    "advertisement", "sponsored", "sponsored content", "comments", "subscribe", "sign up",
    "newsletter", "menu", "search", "home", "news", "top stories", "latest", "most read",
    "trending", "video", "watch", "listen", "close", "skip to content", "log in", "login",
    "eng", "esp", "en", "es", "fr", "de", "ua", "ukr", "rus", "ru", "english", "español",
    "українська", "русский", "continue reading", "show more", "load more", "advert",
}
_RELATED_HEADER_RE = re.compile(
    r"^(?:read more|read also|also read|see also|related(?: posts| articles| stories| news| content)?|"
    r"more on this(?: story)?|more from [\w ]+|recommended|you may also like|you might also like|"
    r"further reading|more stories|latest news|popular)\s*:?$",
    re.I,
)
_RELATED_INLINE_RE = re.compile(
    r"^(?:read more|read also|also read|see also|related|recommended|watch|listen|more)\s*:\s*\S", re.I
)
_COPYRIGHT_RE = re.compile(
    r"^\W*(?:copyright\b|©)|(?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}|by\b)|copyright\s+\d{4}|all rights reserved", re.I
)
_PLEA_RE = re.compile(
    r"\b(?:ad[- ]?blocker|whitelist|become a (?:patron|member|subscriber|supporter)|"
    r"support (?:us|our (?:work|journalism|reporting|newsroom))|help us (?:produce|continue|keep)|"
    r"donat(?:e|ion|ing)\b|join our community|subscribe (?:now|today|to our)|"
    r"sign up (?:for|to) (?:our|the) newsletter|support independent journalism|"
    r"cup of coffee a month|rely (?:solely )?on (?:advertising|reader)|relies (?:solely )?on (?:advertising|reader))",
    re.I,
)
_CORRECTION_RE = re.compile(
    r"(?:suggest a correction|report an error|spotted (?:a|an) (?:mistake|error|typo)|"
    r"press ctrl ?\+ ?enter|highlight the text and press|leave your suggestions|"
    r"found a (?:mistake|typo)|contact (?:us|the editors?) (?:at|here))",
    re.I,
)
_PRIVACY_RE = re.compile(
    r"(?:\bcookies?\b.*\b(?:policy|policies|consent|accept|use)\b|\bprivacy (?:policy|policies|notice|settings)\b|"
    r"\bterms (?:of (?:use|service)|and conditions)\b)",
    re.I,
)
_REUSE_RE = re.compile(
    r"(?:when referencing our materials|active hyperlink|written permission|"
    r"(?:reprint|republish|reproduc)\w* (?:of )?(?:this|our|anything|any)|is supported by the [\w ]+ foundation|"
    r"the work of [\w ]+ is supported by|this (?:article|story|content) (?:was|is) (?:produced|published) "
    r"(?:with|in) (?:support|partnership))",
    re.I,
)
_EDITORIAL_RE = re.compile(
    r"(?:(?:text|content|article|story) (?:was |were |is |has been )?(?:modified|added|shortened|edited|abridged)|"
    r"these characters indicate|highlighted in (?:blue|yellow|green|red|bold)|editor'?s note|"
    r"this (?:article|story) (?:has been|was) (?:updated|corrected|amended)|"
    r"^\[?(?:\.\.\.|…)\]? +these)",
    re.I,
)
_ORIGINAL_URL_RE = re.compile(r"^(?:original (?:url|link|article|source)|source url|source|via|url)\s*:\s*(\S*)$", re.I)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+", re.I)
_BARE_URL_RE = re.compile(r"^<?(?:https?://|www\.)\S+>?$", re.I)
_EMAIL_ONLY_RE = re.compile(r"^[^\s@]++@[^\s@]+\.\w+$")
_BYLINE_RE = re.compile(
    r"^(?:by|written by|reporting by|words by|text by|author:?|story by)\s*(?=[A-Z\u00c0-\u024f])[^.!?]{0,80}$",
    re.I,
)
_BYLINE_GLUED_RE = re.compile(r"^by(?=[A-Z])\S")
_READ_TIME_RE = re.compile(r"^\d{1,3}\s*(?:-\s*)?(?:min(?:ute)?s?|mins?)\.?\s+read(?:ing time)?$", re.I)
_CAPTION_RE = re.compile(
    r"(?:\b(?:photo|image|picture|illustration|video|graphic|file photo)\s*(?:credit)?\s*(?::|by\b|/)|"
    r"\b(?:photograph|credit):|\bgetty images\b|\bap photo\b|\breuters/|\bafp(?: via getty)?/|"
    r"\(photo[^)]*\)\s*$|\bpictured\b)",
    re.I,
)
_CREDIT_RE = re.compile(
    r"^[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,3}(?:\s*/\s*[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,3})+$"
)
_IMAGE_EXT_RE = re.compile(r"(?:jpe?g|png|gif|webp)\b", re.I)
_IMAGE_SUFFIX_RE = re.compile(r"\.(?:jpe?g|png|gif|webp)\b", re.I)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH_NUM = {
    m: i
    for i, names in enumerate(
        [("jan",), ("feb",), ("mar",), ("apr",), ("may",), ("jun",), ("jul",), ("aug",), ("sep",),
         ("oct",), ("nov",), ("dec",)],
        start=1,
    )
    for m in names
}
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b"),
    re.compile(r"\b(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<mn>{_MONTHS})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<mn>{_MONTHS}),?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
)
_DATE_FILLER = {
    "date", "published", "updated", "posted", "on", "at", "last", "modified", "am", "pm", "a.m.", "p.m.",
    "utc", "gmt", "est", "edt", "cet", "cest", "bst", "kyiv", "time", "|", "-", "—", "–", "•", "·",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday",
} | {w for w in _LABELS if len(w) <= 3}
_TIME_RE = re.compile(r"^\d{1,2}[:.]\d\d(?::\d\d)?$")

_TERMINAL = tuple(".!?…\"'”’»):")
_OPEN_QUOTES = "“«„"
_CLOSE_QUOTES = "”»"
_CONTINUATION_WORDS = {
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "inside", "and",
    "or", "but", "nor", "that", "which", "who", "whom", "whose", "as", "than", "is", "are", "was", "were",
    "be", "been", "has", "have", "had", "will", "would", "could", "should", "may", "might", "can", "not",
    "its", "their", "his", "her", "our", "this", "these", "those", "if", "when", "while", "after",
    "before", "about", "against", "between", "over", "under", "near", "across", "said", "says", "told",
}


def _words(text: str) -> list[str]:
    return text.split()


def _extract_date(text: str) -> tuple[str | None, str]:
    """The first date in `text` as ISO (or None), and the text with dates removed."""
    found: str | None = None
    rest = text
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            try:
                year = int(m.group("y"))
                day = int(m.group("d"))
                month = int(m.group("m")) if "m" in m.groupdict() and m.group("m") else 0
            except (IndexError, ValueError):
                continue
            if "mn" in m.groupdict() and m.group("mn"):
                month = _MONTH_NUM.get(m.group("mn")[:3].lower(), 0)
            if 1 <= month <= 12 and 1 <= day <= 31 and found is None:
                found = f"{year:04d}-{month:02d}-{day:02d}"
        rest = pattern.sub(" ", rest)
    return found, rest


def _is_date_line(text: str) -> str | None:
    """The ISO date if the line holds nothing but a date (and filler like 'Published', a time)."""
    if len(text) > 80:
        return None
    date, rest = _extract_date(text)
    if date is None:
        return None
    words = (w.strip(":;|()") for w in rest.lower().replace(",", " ").split())
    leftover = [w for w in words if w and w not in _DATE_FILLER and not _TIME_RE.match(w)]
    return date if not leftover else None


def _has_image_file_name(text: str) -> bool:
    """Whether a word looks like an image file name (`photo.jpg`, `kyiv_strike_png`).

    Word by word rather than one regex: `\\S*` before the suffix backtracks over every start
    position, which is quadratic on a long word.
    """
    lower = text.lower()
    if not any(ext in lower for ext in ("jpg", "jpeg", "png", "gif", "webp")):
        return False
    for word in text.split():
        if _IMAGE_SUFFIX_RE.search(word):
            return True
        underscore = word.find("_")
        if underscore >= 0 and _IMAGE_EXT_RE.search(word, underscore + 1):
            return True
    return False


def _is_keyword_dump(text: str) -> bool:
    words = _words(text)
    if _has_image_file_name(text) and not re.search(r"[.!?]\s", text):
        return True
    return (
        len(words) >= 6
        and not any(ch.isupper() for ch in text)
        and not re.search(r"[.,;:!?\"“”]", text)
    )


def _has(low: str, keywords: tuple[str, ...]) -> bool:
    return any(k in low for k in keywords)


# Pleas, corrections and reuse notices are a paragraph at most: a longer line that mentions
# "support us" is an article saved as one line, not boilerplate.
# Literal keywords each rule's regex needs: a substring test is ~100x cheaper than a
# case-insensitive alternation, and almost every content line fails all of them.
_COPYRIGHT_KEYS = ("copyright", "©", "(c)", "rights reserved")
_PLEA_KEYS = ("blocker", "whitelist", "become a", "support", "help us", "donat", "join our",
              "subscribe", "sign up", "coffee", "rely", "relies")
_CORRECTION_KEYS = ("correction", "report an error", "spotted", "ctrl", "highlight the text",
                    "suggestions", "found a", "contact")
_PRIVACY_KEYS = ("cookie", "privacy", "terms")
_REUSE_KEYS = ("referencing our", "hyperlink", "written permission", "reprint", "republish", "reproduc",
               "supported by", "produced", "published")
_EDITORIAL_KEYS = ("modified", "added", "shortened", "edited", "abridged", "these characters",
                   "highlighted in", "editor", "has been", "was updated", "was corrected", "was amended")
_CAPTION_KEYS = ("photo", "image", "picture", "illustration", "video", "graphic", "credit", "getty",
                 "reuters/", "afp", "pictured")


def classify_line(line: Line) -> str | None:
    """The reason `line` is boilerplate, or None for content. Context-free rules only."""
    text = line.text
    if not text:
        return None
    lower = text.lower()
    low = lower.strip(" :.|·•")
    words = _words(text)
    n = len(words)
    if low in _SHARE_WORDS:
        return "share button"
    if n <= 4 and all(w.lower().strip(":|·•") in _SHARE_WORDS for w in words):
        return "share button"
    if low in _LABELS:
        return "page label or navigation"
    if n <= 8 and _RELATED_HEADER_RE.match(text.strip()):
        return "related-articles header"
    if n <= 25 and ":" in text and _RELATED_INLINE_RE.match(text):
        return "link to another article"
    if n <= 30 and _has(lower, _COPYRIGHT_KEYS) and _COPYRIGHT_RE.search(text):
        return "copyright line"
    if ":" in text and _ORIGINAL_URL_RE.match(text):
        return "source URL line"
    if n <= 2 and (_BARE_URL_RE.match(text) or _EMAIL_ONLY_RE.match(text)):
        return "bare URL line"
    if n <= 150 and _has(lower, _PLEA_KEYS) and _PLEA_RE.search(text):
        return "donation, subscription or ad-blocker plea"
    if n <= 150 and _has(lower, _CORRECTION_KEYS) and _CORRECTION_RE.search(text):
        return "corrections notice"
    if n <= 30 and _has(lower, _PRIVACY_KEYS) and _PRIVACY_RE.search(text):
        return "cookie or privacy notice"
    if n <= 150 and _has(lower, _REUSE_KEYS) and _REUSE_RE.search(text):
        return "reuse or funding notice"
    if n <= 60 and (_has(lower, _EDITORIAL_KEYS) or "[" in text or "…" in text) and _EDITORIAL_RE.search(text):
        return "editorial note about the copy"
    if n <= 10 and ((_BYLINE_RE.match(text)) or (n <= 6 and _BYLINE_GLUED_RE.match(text))):
        return "byline"
    if n <= 5 and _READ_TIME_RE.match(text):
        return "reading time"
    if len(text) <= 80 and _is_date_line(text):
        return "date line"
    if _is_keyword_dump(text):
        return "keyword dump or image file name"
    if n <= 40 and _has(lower, _CAPTION_KEYS) and _CAPTION_RE.search(text):
        return "image caption or photo credit"
    if n <= 8 and "/" in text and _CREDIT_RE.match(text) and not text.endswith(_TERMINAL):
        return "photo credit"
    if not any(ch.isalnum() for ch in text):
        return "no words"
    return None


# --------------------------------------------------------------------------- outlet name

_KNOWN_OUTLETS = {
    "themoscowtimes": "The Moscow Times", "nytimes": "The New York Times", "washingtonpost": "The Washington Post",
    "washingtontimes": "The Washington Times", "theguardian": "The Guardian", "guardian": "The Guardian",
    "bbc": "BBC News", "reuters": "Reuters", "apnews": "AP News", "afp": "AFP", "cnn": "CNN",
    "foxnews": "Fox News", "nbcnews": "NBC News", "cbsnews": "CBS News", "abcnews": "ABC News",
    "politico": "Politico", "ft": "Financial Times", "wsj": "The Wall Street Journal", "bloomberg": "Bloomberg",
    "aljazeera": "Al Jazeera", "dw": "Deutsche Welle", "france24": "France 24", "kyivindependent":
    "The Kyiv Independent", "kyivpost": "Kyiv Post", "pravda": "Ukrainska Pravda", "npr": "NPR",
    "euronews": "Euronews", "independent": "The Independent", "telegraph": "The Telegraph",
    "economist": "The Economist", "axios": "Axios", "thehill": "The Hill", "usatoday": "USA Today",
    "latimes": "Los Angeles Times", "newsweek": "Newsweek", "time": "Time", "euromaidanpress": "Euromaidan Press",
    "meduza": "Meduza", "xinhua": "Xinhua", "ap": "AP", "rferl": "Radio Free Europe/Radio Liberty", "tass": "TASS", "ukrinform": "Ukrinform",
    "theatlantic": "The Atlantic", "vox": "Vox", "yahoo": "Yahoo News", "msn": "MSN",
}
_COPYRIGHT_NAME_RE = re.compile(
    r"(?:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?:by\s+)?([^.|,;]+?(?:\.(?:com|org|net|co\.uk|ua|ru|eu|info|news))?)\s*(?:[.|,;]|all rights|$)",
    re.I,
)
# The lookbehind starts a label only at the start of a run, so a long word is scanned once.
_DOMAIN_RE = re.compile(r"(?:https?://)?(?:www\.)?(?<![a-z0-9-])([a-z0-9-]+)\.(?:com|org|net|co\.uk|ua|ru|eu|info|news|io|de|fr|uk)\b", re.I)
_WIRE_BYLINE_RE = re.compile(r"\bfor ([A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3})\s*$")
_ADDED_BY_RE = re.compile(r"\b(?:modified|added|edited) (?:or \w+ )?by ([A-Z][\w.-]+(?: [A-Z][\w.-]+){0,2})")


def _name_from_domain(label: str, text: str) -> str:
    """Outlet name for a domain label: as the article spells it, a known outlet, or the label."""
    key = label.lower().replace("-", "")
    if key in _KNOWN_OUTLETS:
        return _KNOWN_OUTLETS[key]
    # The article may spell the label out ("Euromaidan Press" for euromaidanpress.com).
    for m in re.finditer(r"\b[A-Z][\w]*(?: [A-Z][\w]*){0,4}", text):
        words = m.group(0).split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                if "".join(words[i:j]).lower() == key:
                    return " ".join(words[i:j])
    return label


# A wire service's id after the dateline: "KYIV (Reuters) -", "BEIJING, Jan. 26 (Xinhua) --",
# "(CNN) —", "PARIS, May 3, 2024 (AFP) -". Only in the first paragraphs, where wires put it.
_WIRE_ID_RE = re.compile(
    r"^(?:[A-Z][\w .,'-]{0,60})?\((?P<wire>[A-Z][A-Za-z]{1,14}(?: [A-Z][A-Za-z]+){0,2})\)\s*(?:[-—–:]+|$)"
)


def detect_name(lines: list[Line], fallback: str) -> str:
    """The outlet's name from copyright lines, source URLs, wire bylines or notes; else `fallback`."""
    return detect_name_origin(lines, fallback)[0]


def detect_name_origin(lines: list[Line], fallback: str) -> tuple[str, str | None]:
    """`detect_name` and where in the text the name was found (None for the fallback)."""
    text = "\n".join(line.text for line in lines)
    for line in lines:
        if _COPYRIGHT_RE.search(line.text):
            m = _COPYRIGHT_NAME_RE.search(line.text)
            if m:
                raw = m.group(1).strip()
                dm = _DOMAIN_RE.fullmatch(raw)
                return (_name_from_domain(dm.group(1), text) if dm else raw), "copyright line"
    for i, line in enumerate(lines):
        m = _ORIGINAL_URL_RE.match(line.text)
        if m:
            target = m.group(1) or next((ln.text for ln in lines[i + 1 : i + 4] if ln.text), "")
            dm = _DOMAIN_RE.search(target)
            if dm:
                return _name_from_domain(dm.group(1), text), "source URL line"
    for line in [ln for ln in lines if ln.text][:4]:
        m = _WIRE_ID_RE.match(line.text[:120])
        if m and len(line.text.split()) > 6:
            return _name_from_domain(m.group("wire"), ""), "wire id in the dateline"
    for line in lines:
        if _BYLINE_RE.match(line.text):
            m = _WIRE_BYLINE_RE.search(line.text)
            if m:
                return m.group(1), "wire byline"
    m = _ADDED_BY_RE.search(text)
    if m:
        return m.group(1), "editor's note"
    return fallback, None


# --------------------------------------------------------------------------- the document


def slugify(stem: str) -> str:
    """A source id from a file stem: lowercase ASCII letters and digits joined by hyphens."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")
    return slug or "source"


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL) or text.rstrip().endswith(("—", "–"))


def _open_quote(text: str) -> bool:
    """True if the line leaves a quotation open (curly quotes, or an odd number of straight ones)."""
    depth = sum(text.count(q) for q in _OPEN_QUOTES) - sum(text.count(q) for q in _CLOSE_QUOTES)
    return depth > 0 or text.count('"') % 2 == 1


def _is_wrapped(prev: str, nxt: str) -> bool:
    """Whether `nxt` continues the sentence `prev` broke off (a hard-wrapped line)."""
    if not prev or not nxt or _ends_sentence(prev):
        return False
    if nxt[0].islower() or nxt[0] in ",;":
        return True
    last = prev.split()[-1].lower().strip(",;")
    if len(prev.split()) >= 5 and (last in _CONTINUATION_WORDS or prev.endswith(",")):
        return True
    return _open_quote(prev) and len(prev.split()) >= 5


_DATELINE_RE = re.compile(
    rf"^(?P<dl>[A-Z][A-Z .'-]+(?:, [A-Z][A-Za-z .'-]+)*(?:, (?i:{_MONTHS}) \d{{1,2}}(?:, \d{{4}})?)?"
    r"(?: \((?:AP|AFP|Reuters|UPI|dpa|Xinhua|CNN|Bloomberg|TASS)\))?\s*[—–-]+\s*)(?=[A-Z“\"])"
)


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """('KYIV, May 31 — ', rest) for a paragraph opening with a wire-style dateline."""
    # A dateline is at most 60 characters: matching a bounded prefix keeps the regex's
    # backtracking over runs like "KYIV - - - ..." from growing with the paragraph.
    m = _DATELINE_RE.match(paragraph[:200])
    if not m or len(m.group("dl")) > 60 or not ("," in m.group("dl") or "(" in m.group("dl")):
        return None, paragraph
    return m.group("dl").strip(), paragraph[m.end():]


def _looks_like_headline(line: Line) -> bool:
    n = len(_words(line.text))
    return line.heading or (3 <= n <= 30 and not _ends_sentence(line.text.rstrip("”\"'")) and not line.bullet)


def build_document(text: str, *, source_id: str, path: str, stem: str, encoding: str = "utf-8",
                   warnings: tuple[str, ...] = ()) -> Document:
    """Clean decoded file text into a Document (metadata, paragraphs, dropped lines)."""
    lines = [reduce_markdown(i, raw) for i, raw in enumerate(clean_display(text).split("\n"), start=1)]
    name, name_origin = detect_name_origin(lines, stem)
    provenance = {"name": name_origin or "file stem"}
    dropped: list[DroppedLine] = []
    kept: list[Line] = []
    date: str | None = None
    seen: set[str] = set()
    after_related = False
    for line in lines:
        if not line.text:
            continue
        reason = classify_line(line)
        key = normalize(line.text).lower()
        if reason is None and after_related and (line.bullet or len(_words(line.text)) <= 12):
            reason = "link to another article (after a related-articles header)"
        elif reason is None and key in seen:
            reason = "repeated line (e.g. the headline again)"
        elif reason is None and key == name.lower() and len(_words(line.text)) <= 5:
            reason = "outlet name"
        after_related = reason is not None and reason.startswith(("related-articles", "link to another"))
        if reason:
            if reason == "date line" and date is None:
                date = _is_date_line(line.text)
                provenance["date"] = "date line"
            dropped.append(DroppedLine(line=line.number, text=line.raw.strip(), reason=reason))
            continue
        seen.add(key)
        kept.append(line)

    paragraphs: list[str] = []
    starts: list[int] = []  # the file line each paragraph starts on
    title: str | None = None
    prev: Line | None = None
    for line in kept:
        if paragraphs and prev is not None and _is_wrapped(paragraphs[-1], line.text) and not prev.heading:
            paragraphs[-1] = paragraphs[-1] + " " + line.text
        else:
            text = line.text
            if title is None and not paragraphs and _looks_like_headline(line):
                title = text
                provenance["title"] = "first line"
            elif len(paragraphs) <= 2:
                dateline, text = split_dateline(text)
                if dateline:
                    dropped.append(DroppedLine(line=line.number, text=dateline, reason="dateline"))
                    if date is None:
                        date = _extract_date(dateline)[0]
                        provenance["date"] = "dateline"
            paragraphs.append(text)
            starts.append(line.number)
        prev = line
    return Document(
        id=source_id,
        path=path,
        name=name,
        title=title,
        date=date,
        encoding=encoding,
        text="\n".join(paragraphs),
        lines=tuple(starts),
        dropped=tuple(sorted(dropped, key=lambda d: d.line)),
        warnings=warnings,
        provenance={k: v for k, v in provenance.items() if k != "date" or date},
    )


def read_bytes(item: InputFile, stdin: Callable[[], bytes] | None = None) -> bytes:
    """The raw bytes of an input; OSError becomes SkipFile with the reason."""
    if item.path == STDIN:
        return (stdin or (lambda: sys.stdin.buffer.read()))()
    from claimcheck.read.remote import is_remote, read_remote

    try:
        if is_remote(item.path):
            return read_remote(item.path)
        with open(item.path, "rb") as fh:
            return fh.read()
    except (OSError, InputError) as exc:
        raise SkipFile(getattr(exc, "strerror", None) or str(exc)) from None


def load_document(item: InputFile, source_id: str, stdin: Callable[[], bytes] | None = None) -> Document:
    """Read, decode and clean one input. Raises SkipFile when it has no usable text."""
    data = read_bytes(item, stdin)
    path = item.path if item.path == STDIN else display_path(item.path)
    return document_from_bytes(data, source_id=source_id, path=path, stem=item.stem)


def document_from_bytes(data: bytes, *, source_id: str, path: str, stem: str) -> Document:
    """Decode and clean the bytes of a text article. Raises SkipFile when it has no usable text."""
    if not data.strip():
        raise SkipFile("empty file")
    text, encoding, note = decode(data)
    doc = build_document(
        text,
        source_id=source_id,
        path=path,
        stem=stem,
        encoding=encoding,
        warnings=(note,) if note else (),
    )
    if not doc.text.strip():
        if doc.dropped:
            raise SkipFile(f"no article text (all {len(doc.dropped)} line(s) are boilerplate)")
        raise SkipFile("no article text (only whitespace or invisible characters)")
    return doc


def assign_ids(items: list[InputFile]) -> list[str]:
    """Unique source ids from file stems; clashes get -2, -3 ... in input order."""
    ids: list[str] = []
    used: set[str] = set()
    for item in items:
        base = slugify(item.stem)
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        ids.append(candidate)
    return ids
