"""One legend for every view: the symbols the terminal table and matrix and the HTML page share, so
a mark means the same thing wherever it appears."""

from __future__ import annotations

from claimcheck.models import ClaimGroup

OWN = "●"            # the source carries the claim as its own reporting
RELAYED = "○"        # the source carries it, relayed or copied: its member counts for another origin
ABSENT = "·"         # the source does not carry it
ALONE_MISSING = "✕"  # the only source missing a claim all the others carry
DISAGREE = "⚠"       # the sources disagree on a figure
POSSIBLE = "?"       # a possible match: the members score on average below --min-confidence

MEANING = {
    OWN: "own reporting",
    RELAYED: "relayed or copied (counts for another origin)",
    ABSENT: "not carried",
    ALONE_MISSING: "the only source missing a claim all others carry",
    DISAGREE: "the sources disagree on a figure",
    POSSIBLE: "possible match: confidence below --min-confidence",
}
MATRIX_KEYS = (OWN, RELAYED, ALONE_MISSING, DISAGREE)


def mark(group: ClaimGroup, source: str, n_sources: int) -> str:
    """The matrix mark for one source and one claim."""
    for m in group.members:
        if m.source == source:
            return RELAYED if m.relayed else OWN
    if n_sources >= 3 and group.support == n_sources - 1:
        return ALONE_MISSING
    return ABSENT


def via(group: ClaimGroup, source: str) -> str | None:
    """The origin a source's member counts for when it is not the source's own reporting."""
    for m in group.members:
        if m.source == source and m.relayed and m.origin:
            return m.origin
    return None


def text(symbols: tuple[str, ...] = MATRIX_KEYS) -> str:
    """'● own reporting   ○ relayed ...': the legend line for the given symbols."""
    return "   ".join(f"{s} {MEANING[s]}" for s in symbols)


def confidence(group: ClaimGroup) -> str:
    """The group's confidence as a whole number, rounded down so a possible match never shows the cut."""
    return str(int(group.confidence))
