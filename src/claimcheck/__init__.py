"""claimcheck: cross-reference news articles.

Public API: `compare`, `split_sentences`, `match_pair`, the models (`InputOptions` for URLs, dumps
and names) and `ClaimcheckError`.
Importing the package does no work.
"""

from claimcheck.errors import ClaimcheckError, InputError
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
