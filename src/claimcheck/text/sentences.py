"""Rule-based English sentence splitting with character offsets back into the text.

The loading stage hands over one paragraph per line, so a line break always ends a sentence.
Within a line, a regex finds candidate boundaries (a run of terminators, closing quotes or
brackets, then whitespace) and a few cheap rules decide each one: abbreviations, initials,
acronyms, numbers, ellipses and numbered lists. Every regex is linear-time: the quantifiers
that could backtrack are possessive and candidate starts are anchored by lookbehinds.
"""

from __future__ import annotations

import re

__all__ = ["sentence_spans", "split_sentences"]

# Invisible format characters (zero-width space and joiners, direction marks, BOM) can sit
# anywhere; next to a terminator they count as part of it.
_INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
_CLOSERS = "\"'”’»›)]}" + _INVISIBLE
_OPENERS = "\"'“‘«‹([{¿¡"
_STRIP = _OPENERS + _CLOSERS
# No sentence starts with these, so a terminator before one is inside a sentence.
_NO_START = ",;:%)]}"

# Line breaks are the str.splitlines set; all but "\n" are rare, so they are mapped to "\n"
# (same length, so offsets hold) and lines are then found with str.find, much faster than a
# regex scan.
_RARE_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_TO_NEWLINE = str.maketrans(dict.fromkeys(_RARE_BREAKS, "\n"))
_NON_SPACE = re.compile(r"\S")

# A run of terminators (optionally a spaced ". . ." ellipsis), closers, then the whitespace
# before the next sentence. The lookbehinds stop a failed run from being retried at each of
# its characters, which would be quadratic; they follow the first character so that the
# regex engine can skip ahead to it quickly.
_CANDIDATE = re.compile(
    r"([.!?…](?<![.!?…].)(?<![.!?…] .)"
    r"[.!?…]*+(?: \.(?![^\s" + re.escape(_CLOSERS) + r"]))*+)"
    r"([" + re.escape(_CLOSERS) + r"]*+)"
    r"\s++"
)

# The first word of the next sentence, after any opening quotes, brackets or symbols.
_NEXT_WORD = re.compile(r"[^\w\s]{0,8}+(\w{0,24}+)")

_ACRONYM = re.compile(r"[A-Za-z](?:\.[A-Za-z])++")

# A line that opens a list: "1. ", "2) ", "3.) ", "a. ", "• 9. ", "⁃10. ".
_BULLETS = "•⁃◦▪‣·*–-"
_LIST_MARKER = re.compile(
    r"(?<!\S)(?:[" + re.escape(_BULLETS) + r"] ?)?(\d{1,3}|[a-z])(\.\)|[.)])(?=\s)"
)

_PREPOSITIVE = 1  # titles and the like: always followed by the rest of the sentence
_NUMERIC = 2  # not a boundary before a number: "No. 5", "p. 55", "Jan. 6"
_AMBIGUOUS = 4  # a boundary before a capital only when the next word usually opens a sentence
_TIME = 8  # a.m./p.m.: a boundary before a capital unless a day, month or time zone follows


def _abbreviation_table(*groups: tuple[int, str]) -> dict[str, int]:
    """Map each abbreviation (lowercase, without its final period) to the OR of its flags."""
    table: dict[str, int] = {}
    for flag, words in groups:
        for word in words.split():
            table[word] = table.get(word, 0) | flag
    return table


_ABBREVIATIONS = _abbreviation_table(
    (
        _PREPOSITIVE,
        "mr mrs ms mx messrs mmes dr prof gen gens sen sens gov govs lt col maj capt cpt sgt cpl "
        "pvt adm cmdr cdr brig rep reps rev fr hon pres supt insp det msgr amb atty st mt "
        "jr sr e.g i.e vs v cf viz",
    ),
    (
        _NUMERIC,
        "no nos nr n° nº p pp vol vols fig figs art arts ch chap para paras op pt pts ed eds "
        "approx ca c est tel ext ref refs apt ste rm rte hwy "
        "jan feb mar apr jun jul aug sep sept oct nov dec",
    ),
    (
        _AMBIGUOUS,
        "co corp inc ltd llc plc bros dept univ assn intl natl govt al ave blvd rd ft sec ph.d "
        # US states, but not those spelled like words ("ill.", "mass.", "ore.", "wash.").
        "ala ariz ark calif colo conn fla ga kan kans ky md mich minn mont neb nev okla pa "
        "penn tenn tex va vt wis wyo "
        "jan feb mar apr jun jul aug sep sept oct nov dec",
    ),
    (_TIME, "a.m p.m"),
)

# Words that usually open a sentence; after an ambiguous abbreviation ("U.S.", "Inc.", "E.")
# only these signal a boundary ("in the U.S. How ..." but "the U.S. Government ...").
_STARTERS = frozenset(
    "A After Also An And As At Being But Did Does During For He Her His How However I If In "
    "It Its Meanwhile Millions More Most Many My Our She So Some Still That The Their Then "
    "There These They This Those Thus We What When Where While Who Why Yet You".split()
)

_TIME_FOLLOWERS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thurs Fri "
    "Sat Sun January February March April May June July August September October November "
    "December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec ET EST EDT CT CST CDT MT MST "
    "MDT PT PST PDT GMT UTC BST CET CEST EET EEST MSK Eastern Central Mountain Pacific "
    "Greenwich Moscow Kyiv".split()
)

# An abbreviation does not end a sentence of fewer words than this ("At 5 a.m. Mr. Smith ...").
_MIN_WORDS = 4


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences.

    The text is expected to hold one paragraph per line: a line break always ends a sentence
    and blank lines yield nothing. Within a line, sentences end at ``.``, ``!``, ``?`` or an
    ellipsis (with any closing quotes or brackets) followed by whitespace, unless the rules for
    abbreviations, initials, acronyms, numbers, ellipses and lists say otherwise.

    Args:
        text: Plain text, one paragraph per line.

    Returns:
        The sentences in order, each stripped of surrounding whitespace and never empty.
        Equal to ``[text[s:e] for s, e in sentence_spans(text)]``.
    """
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the character offsets of the sentences of plain text.

    Uses the same rules as `split_sentences`. Time and memory are linear in the length of the
    text, whatever it holds (no punctuation, unbalanced quotes, control characters, ...).

    Args:
        text: Plain text, one paragraph per line.

    Returns:
        ``(start, end)`` pairs in increasing order, non-overlapping, such that
        ``text[start:end]`` is a stripped, non-empty sentence. Every non-whitespace character
        of ``text`` lies in exactly one span.
    """
    spans: list[tuple[int, int]] = []
    breaks = text.translate(_TO_NEWLINE) if any(c in text for c in _RARE_BREAKS) else text
    size = len(text)
    first = _NON_SPACE.search(text)
    while first:
        ls = first.start()
        le = breaks.find("\n", ls)
        if le < 0:
            le = size
        first = _NON_SPACE.search(text, le)
        if text[le - 1].isspace():
            le = ls + len(text[ls:le].rstrip())
        _split_line(text, ls, le, spans)
    return spans


def _split_line(text: str, ls: int, le: int, spans: list[tuple[int, int]]) -> None:
    """Append the sentence spans of the stripped line ``text[ls:le]`` to ``spans``."""
    list_starts: list[int] = []
    markers: set[int] = set()
    if _LIST_MARKER.match(text, ls, le):
        list_starts, markers = _list_items(text, ls, le)
    start = ls
    for m in _CANDIDATE.finditer(text, ls, le):
        ts = m.start(1)
        if list_starts:
            start = _cut_list_items(text, start, ts, list_starts, spans)
        if markers and ts in markers:
            continue
        end = _decide(text, ls, start, m)
        if end:
            spans.append((start, end))
            start = m.end() if end == m.end(2) else end + 1
    if list_starts:
        start = _cut_list_items(text, start, le, list_starts, spans)
    spans.append((start, le))


def _decide(text: str, ls: int, start: int, m: re.Match[str]) -> int:
    """Return where the sentence ends if candidate ``m`` is a boundary, else 0."""
    ts = m.start(1)
    ns = m.end()
    c = text[ns]
    if c in _INVISIBLE:
        c = text[ns : ns + 8].lstrip(_INVISIBLE)[:1] or c
    if c.islower() and not text[ns + 1 : ns + 2].isupper():
        # A lowercase continuation ("Yahoo! in", "a.m. on", "'great.' she said"); "iPhone" is not.
        return 0
    if c in _NO_START:
        return 0
    term = m.group(1)
    attached = ts > ls and not text[ts - 1].isspace()
    if term != ".":
        if "!" in term or "?" in term:
            return m.end(2)
        return _decide_ellipsis(text, ts, term, attached, m)
    if not attached:
        return m.end(2)

    lo = ts - 32 if ts - 32 > ls else ls
    parts = text[lo:ts].rsplit(None, 1)
    if len(parts) == 1 and lo > ls:
        return m.end(2)  # a word this long is no abbreviation
    core = parts[-1].strip(_STRIP)
    if not core:
        return m.end(2)
    flags = _ABBREVIATIONS.get(core.lower(), 0)
    if not flags:
        if len(core) == 1:
            flags = _AMBIGUOUS if core.isupper() else 0  # an initial or the pronoun "I"
        elif "." in core and _ACRONYM.fullmatch(core):
            flags = _AMBIGUOUS
        if not flags:
            return m.end(2)
    if flags & _PREPOSITIVE:
        return 0
    if c.isdigit():
        return 0  # "No. 5", "Jan. 6", "U.S. 10-year yields"
    if flags & (_AMBIGUOUS | _TIME):
        word = _NEXT_WORD.match(text, ns).group(1)
        if flags & _TIME:
            if not word or word in _TIME_FOLLOWERS:
                return 0
        elif word not in _STARTERS:
            return 0
        if ts - start < 64 and len(text[start:ts].split(None, _MIN_WORDS)) < _MIN_WORDS:
            return 0
    return m.end(2)


def _decide_ellipsis(text: str, ts: int, term: str, attached: bool, m: re.Match[str]) -> int:
    """Return where the sentence ends if an ellipsis candidate is a boundary, else 0."""
    if ts and text[ts - 1] in "[(":
        return 0  # "[...]" marks an omission inside a quotation
    if term.startswith(". "):
        if attached:
            # "compounds. . . . The": a full stop, then an ellipsis that opens the next sentence.
            return ts + 1 if term.count(".") >= 4 else 0
        # A spaced ellipsis of three dots marks an omission; a fourth dot ends the sentence.
        return m.end(2) if term.count(".") >= 4 else 0
    if not attached and term.count(".") + 3 * term.count("…") < 4:
        return 0
    return m.end(2)


def _list_items(text: str, ls: int, le: int) -> tuple[list[int], set[int]]:
    """Find where each item of a line-opening numbered or lettered list starts.

    Returns the start offsets of the items after the first, last first (a stack), and the
    offsets of every item marker's period, which must not end a sentence.
    """
    first = _LIST_MARKER.match(text, ls, le)
    label, style = first.group(1), first.group(2)
    markers = {first.start(2)} if style.startswith(".") else set()
    starts: list[int] = []
    expected = _next_label(label)
    for m in _LIST_MARKER.finditer(text, first.end(), le):
        if m.group(1) == expected and m.group(2) == style:
            starts.append(m.start())
            if style.startswith("."):
                markers.add(m.start(2))
            expected = _next_label(expected)
    starts.reverse()
    return starts, markers


def _next_label(label: str) -> str:
    """The label of the list item after ``label`` ("9" -> "10", "a" -> "b")."""
    if label.isdigit():
        return str(int(label) + 1)
    return chr(ord(label) + 1)


def _cut_list_items(
    text: str, start: int, upto: int, list_starts: list[int], spans: list[tuple[int, int]]
) -> int:
    """Cut the current sentence before each list item starting before ``upto``; return the new start."""
    while list_starts and list_starts[-1] < upto:
        item = list_starts.pop()
        if item > start:
            end = item
            while text[end - 1].isspace():
                end -= 1
            spans.append((start, end))
            start = item
    return start
