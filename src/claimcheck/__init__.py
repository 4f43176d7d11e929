"""claimcheck: cross-reference news articles.

Public API: `compare`, `split_sentences`, `match_pair`, the models (`InputOptions` for URLs, dumps
and names) and `ClaimcheckError`.
Importing the package does no work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimcheck.errors import ClaimcheckError, InputError

# The rest loads on first use (PEP 562), so `import claimcheck.models` or the CLI's `sentences`
# command do not pay for numpy, scipy and the matcher.
_LAZY = {
    "match_pair": "claimcheck.matching",
    "compare": "claimcheck.pipeline",
    "split_sentences": "claimcheck.text.sentences",
    **{name: "claimcheck.models" for name in (
        "Attribution", "ClaimGroup", "Contradiction", "Disagreement", "Document", "Figure", "InputOptions",
        "KeyFigure", "MatchResult", "Member", "Report", "Sentence", "Settings", "SourceOrigin")},
}

if TYPE_CHECKING:
    from claimcheck.matching import match_pair
    from claimcheck.models import (
        Attribution,
        ClaimGroup,
        Contradiction,
        Disagreement,
        Document,
        Figure,
        InputOptions,
        KeyFigure,
        MatchResult,
        Member,
        Report,
        Sentence,
        Settings,
        SourceOrigin,
    )
    from claimcheck.pipeline import compare
    from claimcheck.text.sentences import split_sentences


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'claimcheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


__version__ = "0.1.0"

__all__ = [
    "Attribution",
    "ClaimGroup",
    "ClaimcheckError",
    "Contradiction",
    "Disagreement",
    "Document",
    "Figure",
    "InputError",
    "InputOptions",
    "KeyFigure",
    "MatchResult",
    "Member",
    "Report",
    "Sentence",
    "Settings",
    "SourceOrigin",
    "compare",
    "match_pair",
    "split_sentences",
    "__version__",
]
