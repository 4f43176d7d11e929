"""Who copied whom: the direction of a copy link between two sources, from evidence only.

Evidence, strongest first: a credit in one source naming the other ("Via EnetEnglish", "(AFP) -",
"EnetEnglish reported", "first published by ...", a byline or page metadata "... for AFP"); the
publication dates, when both are known and differ; containment (one text wholly inside the other,
which adds its own paragraphs before the shared text: the aggregator's commentary over a reprint).
When nothing decides, there is no direction ("same text as"): a wrong credit is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

from claimcheck.models import Document
from claimcheck.read.files import reduce_markdown
from claimcheck.sources.attribution import outlet_key, outlets_in

# A sentence of the contained text counts as printed by the container at this rapidfuzz ratio
# (the copy score); the contained text may miss at most this share of its sentences.
SAME_SENTENCE = 85.0
CONTAINED_SHARE = 0.9
# Lines longer than this are article text, not credit lines ("X reported" deep in a paragraph is
# a relay, read by attribution; a credit stands in a short line or the first sentences).
CREDIT_LINE_WORDS = 60
# Lines of the text searched for credits: the first and the last few (bylines, credit lines).
HEAD_LINES = 4
TAIL_LINES = 4


@lru_cache(maxsize=1024)
def _credit_patterns(name: str) -> re.Pattern[str] | None:
    """The credit forms naming `name` ("Via X", "(X) -", "X reported", "first published by X", "for X")."""
    bare = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    words = re.findall(r"[\w'\u2019&.-]+", bare)
    if not words or len(bare) < 3:
        return None
    n = r"(?:the\s+)?" + r"[\s-]+".join(re.escape(w) for w in words) + r"(?![\w-])"
    forms = [
        rf"^\W*(?:via|source|sources|courtesy(?:\s+of)?|from|credit|republished\s+from|reprinted\s+from|"
        rf"read\s+(?:more|the\s+original)\s+(?:at|on))\s*:?\s*{n}",
        rf"\(\s*{n}\s*\)\s*[-\u2013\u2014:]",
        rf"(?<![\w-]){n}\s+(?:first\s+)?(?:reported|reports|wrote|writes)\b",
        rf"\b(?:originally|first)\s+(?:published|appeared|reported)\s+(?:by|in|on|at)\s+{n}",
        rf"\b(?:published|appeared)\s+(?:first\s+|originally\s+)?(?:by|in|on|at)\s+{n}",
        rf"\b(?:reported|reporting)\s+by\s+{n}",
        rf"\b(?:with\s+permission\s+(?:of|from)|courtesy\s+of|according\s+to)\s+{n}",
        rf"\bfor\s+{n}\s*$",
        rf"^\W*(?:by\s+)?{n}\s*$",
    ]
    return re.compile("|".join(f"(?:{f})" for f in forms), re.I | re.M)


def credit_lines(doc: Document) -> list[str]:
    """The lines of a document that may credit another outlet: metadata credits, dropped bylines,
    datelines and credit lines, and the first and last few short lines of the text."""
    lines = [c for c, _ in doc.credits]
    lines += [d.text for d in doc.dropped if "photo" not in d.reason and "caption" not in d.reason]
    text = doc.text.split("\n")
    head = text[:HEAD_LINES]
    tail = text[max(HEAD_LINES, len(text) - TAIL_LINES):]
    lines += [line for line in head + tail if len(line.split()) <= CREDIT_LINE_WORDS]
    return [reduce_markdown(0, line).text.strip() for line in lines if line.strip()]


def credits_to(doc: Document, other: str) -> str | None:
    """The line of `doc` that credits the outlet named `other` as its source, or None."""
    if outlet_key(other) == outlet_key(doc.name):
        return None
    pattern = _credit_patterns(other)
    known = outlet_key(other)
    for line in credit_lines(doc):
        if pattern is not None and pattern.search(line):
            return line
        # A known outlet written another way ("Agence France-Presse" for AFP) in a credit form.
        for outlet in outlets_in(line):
            if outlet_key(outlet) == known and outlet != other:
                alias = _credit_patterns(outlet)
                if alias is not None and alias.search(line):
                    return line
    return None


def _matched(inner: Sequence[str], outer: Sequence[str]) -> list[int | None]:
    """For each sentence of `inner`, the index of a sentence of `outer` that prints it (or None)."""
    if not inner or not outer:
        return [None] * len(inner)
    scores = process.cdist(inner, outer, scorer=fuzz.ratio, processor=None, score_cutoff=SAME_SENTENCE,
                           workers=1)
    out: list[int | None] = []
    for row in scores:
        best = int(row.argmax())
        out.append(best if row[best] >= SAME_SENTENCE else None)
    return out


def contained(inner: Sequence[str], outer: Sequence[str]) -> bool:
    """Whether `inner` (normalised sentences) is wholly inside `outer`, which adds its own
    sentences before the shared text (commentary over a reprint).

    Extra text only after the shared text says nothing: a copy trimmed from the bottom, as
    newspapers trim wire stories, looks the same from either side.
    """
    if len(outer) <= len(inner):
        return False
    hits = _matched(inner, outer)
    found = [h for h in hits if h is not None]
    if len(found) < CONTAINED_SHARE * len(inner) or len(set(found)) < len(found):
        return False
    return min(found) >= 1 and len(outer) > len(set(found))


def _day(doc: Document) -> str | None:
    return doc.date[:10] if doc.date and len(doc.date) >= 10 else None


def direction(a: Document, b: Document, words_a: Sequence[str], words_b: Sequence[str],
              named_a: bool = True, named_b: bool = True) -> tuple[str, str, str] | None:
    """(copy id, original id, the evidence in words) for two sources that print one text, or None
    when the evidence is missing or points both ways. `words_*`: each source's normalised
    sentences; `named_*`: whether the source's name is an outlet's (not a file stem)."""
    by_credit = []
    if named_b and (line := credits_to(a, b.name)):
        by_credit.append((a.id, b.id, f"credits {b.name}: '{shorten(line)}'"))
    if named_a and (line := credits_to(b, a.name)):
        by_credit.append((b.id, a.id, f"credits {a.name}: '{shorten(line)}'"))
    if len(by_credit) == 1:
        return by_credit[0]
    if by_credit:
        return None  # each credits the other: no direction
    day_a, day_b = _day(a), _day(b)
    if day_a and day_b and day_a != day_b:
        copy, original = (a, b) if day_a > day_b else (b, a)
        return (copy.id, original.id, f"published {_day(copy)}, after {original.name} ({_day(original)})")
    if contained(words_a, words_b):
        return (b.id, a.id, f"prints all of {a.name}'s text below its own")
    if contained(words_b, words_a):
        return (a.id, b.id, f"prints all of {b.name}'s text below its own")
    return None


def shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."
