"""Normalisation and word classes: one sentence's text -> the tokens every feature is built from."""

from __future__ import annotations

import re
from functools import cache

from claimcheck.text.words import BASE_STOP_WORDS, stem

STOP_WORDS = BASE_STOP_WORDS
# With the apostrophe-less spellings scraped text often has ("cant", "dont").
NEGATIONS = frozenset("not no never none nobody nothing neither nor without cannot n't nt cant dont doesnt didnt "
                      "isnt wasnt arent werent wont wouldnt couldnt shouldnt hasnt havent hadnt".split())
# Words that start with "un" and end in "ed" but are no negation ("remains unchanged" is one).
_NOT_UN_EXCEPTIONS = frozenset({"united", "unified", "understood", "undertaked", "unexpected"})
# Spelling variants and names for one thing, in normalised (stemmed) form.
_SYNONYMS = {
    "american": "us", "america": "us", "usa": "us", "britain": "uk", "british": "uk",
    "percent": "%", "pct": "%", "kiev": "kyiv",
}
# Common news wordings of one meaning (general news vocabulary, not fitted to any data set).
# A word belongs to one class at most (the first listed).
SYNONYM_CLASSES = (
    "say said says told tell tells stated state added announced noted explained declared reported",
    "rise rose risen rising gain gained climb climbed jump jumped advance advanced increase "
    "increased soar soared",
    "fall fell fallen falling drop dropped decline declined slip slipped slide slid lose lost "
    "decrease decreased sank sink tumble tumbled",
    "buy bought acquire acquired purchase purchased",
    "kill killed killing dead death deaths die died toll fatalities fatality lives",
    "injure injured wound wounded hurt injuries injury",
    "allow allowed permit permitted authorize authorized authorise authorised approve approved "
    "let lets greenlight greenlit enable enabled",
    "ban banned prohibit prohibited prohibition restriction restrict restricted bar barred forbid "
    "forbidden limit limits curb curbs",
    "lift lifted ease eased loosen loosened relax relaxed",
    "hint hinted suggest suggested signal signaled signalled indicate indicated imply implied",
    "urge urged press pressed pressing call called push pushed lobby lobbied pressure",
    "oppose opposed resist resisted reject rejected refuse refused",
    "change changed shift shifted adjust adjusted adapt adapted alter altered modify modified "
    "revise revised",
    "secret secretly quiet quietly covert covertly",
    "company firm",
    "chief head leader",
    "attack attacked strike strikes struck hit",
    "weapon weapons arm arms weaponry munition munitions",
    "shop store supermarket hypermarket market mall",
    "begin began start started launch launched open opened",
    "aircraft jet jets plane planes warplane warplanes fighter",
    "missile missiles rocket rockets",
    "territory soil land",
    "travel traveled travelled visit visited trip",
    "official officials authority authorities",
    "quake earthquake tremor temblor",
    "fired sacked dismissed ousted",
    "hired appointed named",
    "arrest arrested detain detained",
    "resign resigned quit quits",
)
# Pairs of opposed event words: one sentence with a word of the left side, the other of the right,
# state different events or a contradiction ("fired" / "hired", "broke out" / "is out").
POLARITY_PAIRS = (
    ("fired sacked dismissed ousted resigned",
     "hired appointed named introduced replacing succeeded"),
    ("arrest arrested detain detained jail jailed", "release released free freed acquit acquitted"),
    ("win won victory", "lose lost defeat defeated"),
    ("rise rose risen increase increased gain gained", "fall fell fallen decrease decreased decline declined"),
    ("open opened", "close closed"),
    ("confirm confirmed", "deny denied"),
    ("guilty convicted", "innocent acquitted"),
    ("take taking", "replace replacing"),
    ("claim claimed", "deny denied"),
)
WEEKDAYS = frozenset(stem(d) for d in "monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset(
    ("january february march april may june july august september october november december "
     "jan feb mar apr jun jul aug sep sept oct nov dec").split()
)

_REPLACEMENTS = [
    # MRPC is tokenised: put clitics and quotes back the way running text writes them.
    (re.compile(r"<QUOTE>"), '"'),
    (re.compile(r"\s+('s|'re|'ve|'ll|'d|'m)\b", re.I), r"\1"),
    (re.compile(r"n\s+'t\b", re.I), "n't"),
    (re.compile(r"[‘’`´]"), "'"),
    # Scraped text that spaces a clitic off: "didn ’ t", "Attorney ’ s".
    (re.compile(r"\b([A-Za-z]+)\s+'\s?(t|s|re|ve|ll|d|m)\b"), r"\1'\2"),
    (re.compile(r"[“”«»„]"), '"'),
    (re.compile(r"\b([A-Z])\s?&\s?([A-Z])\b"), r"\1&\2"),
    (re.compile(r"\bU\.\s?S\.(?:\s?A\.)?|\bU\.S\b"), "US"),
    (re.compile(r"\bU\.\s?K\.|\bU\.K\b"), "UK"),
    (re.compile(r"\bUnited\s+States(?:\s+of\s+America)?\b", re.I), "US"),
    (re.compile(r"\bUnited\s+Kingdom\b", re.I), "UK"),
    (re.compile(r"\bper\s*cent\b", re.I), "percent"),
    (re.compile(r"(\d)\s*%"), r"\1 percent"),
    (re.compile(r"([$€£])\s+(\d)"), r"\1\2"),
    # One-letter prefixes are part of the word: "D-Day", "e-mail", "U-turn".
    (re.compile(r"\b([A-Za-z])-([A-Za-z]{2,})\b"), r"\1\2"),
]
# Cheap gates: most sentences need only a few of the replacements above.
_GATES = ("<QUOTE>", " '", "n '", None, " '", None, "&", "U", "U", "United", "United", "cent", "%", " ", "-")


def normalise_text(text: str) -> str:
    """Unify quotes, clitics, "U.S." spellings, currency and percent signs; keep the wording."""
    for (pattern, repl), gate in zip(_REPLACEMENTS, _GATES):
        if gate is None or gate in text:
            text = pattern.sub(repl, text)
    return text


# Tokens: numbers (with currency, scale suffix and hyphenated unit kept apart by the quantity
# parser), letter-digit names ("G7", "S5"), words with clitics, the quote mark, and clause marks.
TOKEN_RE = re.compile(
    r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?|[A-Za-z]&[A-Za-z]|[^\W\d_]+\d[^\W_]*|[^\W\d_]+(?:'[^\W\d_]+)?"
    r"|\"|[,;:()\[\]—–?]|\s-\s"
)
CLAUSE_WORDS = frozenset(
    """and but while as which who whom whose where whereas although though because after before
    when that so if since until including following according citing despite amid adding
    saying""".split()
)
# Words a negation passes over on its way to the word it negates ("has not yet been changed").
NEGATION_SKIP = frozenset("be been being is are was were has have had do does did yet even ever immediately".split())


@cache
def normal_token(low: str) -> str:
    """The normalised form of one lower-cased word: spelling variant, else its stem."""
    return _SYNONYMS.get(low) or _SYNONYMS.get(stem(low)) or stem(low)


def _classes(groups) -> dict[str, int]:
    out: dict[str, int] = {}
    for k, words in enumerate(groups):
        for w in words.split():
            out.setdefault(normal_token(w), k)
    return out


SOFT_CLASS = _classes(SYNONYM_CLASSES)
# stem -> signed polarity id: 2k for the left side of pair k, 2k+1 for the right.
POLARITY: dict[str, tuple[int, ...]] = {}
for _k, (_left, _right) in enumerate(POLARITY_PAIRS):
    for _side, _words in ((0, _left), (1, _right)):
        for _w in _words.split():
            key = normal_token(_w)
            POLARITY[key] = POLARITY.get(key, ()) + (2 * _k + _side,)


def soft_key(token: str) -> str:
    """A looser identity for soft overlap: a synonym class, else the first five letters."""
    k = SOFT_CLASS.get(token)
    return f"~{k}" if k is not None else token[:5]
