"""Matching: claim sentences -> ClaimGroup list (scoring, grouping, disagreements).

Three steps, kept apart so each can be replaced on its own:

1. `sentence_features` normalises and tokenises one sentence once (case, punctuation,
   possessives, "U.S." / "United States", hyphens, stop words, light stemming, numbers with
   their qualifiers, quoted spans, negation).
2. `match_pair` / `pair_score` verify a pair: 42 lexical features (content-word overlap, plain
   and weighted by the word's rarity in the collection being compared, order-aware overlap,
   several rapidfuzz scorers, named entities, numbers, negation, shared quotes) combined by a
   logistic regression trained on MRPC by `bench/train_matcher.py`; the coefficients ship in
   `match_weights.json`. The score is 100 x that probability, cut by a `veto` on
   contradictions (negation; different figures about different named things).
3. `group_claims` links pairs from `candidate_pairs` (all cross-source pairs; from
   `blocking.MIN_CLAIMS` claims on, `blocking.candidate_pairs` instead) and groups them by
   average linkage with one member per source, so a sentence joins a group only if it matches
   the group as a whole.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein, LCSseq

from claimcheck import blocking
from claimcheck.text import BASE_STOP_WORDS
from claimcheck.text import stem as _stem
from claimcheck.models import (
    ClaimGroup,
    Disagreement,
    Figure,
    MatchResult,
    Member,
    Sentence,
    Settings,
)

# --------------------------------------------------------------------------------------------
# Normalisation and tokens

_STOP_WORDS = BASE_STOP_WORDS
_NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor without cannot n't nt".split()
)
# Words whose meaning is a negation but that do not look like one ("remains unchanged").
_NOT_UN_EXCEPTIONS = frozenset({"united", "unified", "understood", "undertaked", "unexpected"})
# Spelling variants and names for one thing. Values are already in normalised (stemmed) form.
_SYNONYMS = {
    "american": "us",
    "america": "us",
    "usa": "us",
    "britain": "uk",
    "british": "uk",
    "percent": "%",
    "pct": "%",
    "kyiv": "kyiv",
    "kiev": "kyiv",
}
# Common news wordings of one meaning, for the soft overlap features: general news vocabulary,
# not fitted to any data set. A word belongs to one class at most (the first listed).
_SYNONYM_CLASSES = (
    "say said says told tell tells stated state added announced noted explained declared reported",
    "rise rose risen rising gain gained climb climbed jump jumped advance advanced increase "
    "increased soar soared",
    "fall fell fallen falling drop dropped decline declined slip slipped slide slid lose lost "
    "decrease decreased sank sink tumble tumbled",
    "buy bought acquire acquired purchase purchased",
    "kill killed killing dead death deaths die died",
    "injure injured wound wounded hurt injuries",
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
)
_WEEKDAYS_RAW = "monday tuesday wednesday thursday friday saturday sunday".split()
_REPLACEMENTS = [
    # MRPC is tokenised: put clitics and quotes back the way running text writes them.
    (re.compile(r"<QUOTE>"), '"'),
    (re.compile(r"\s+('s|'re|'ve|'ll|'d|'m)\b", re.I), r"\1"),
    (re.compile(r"n\s+'t\b", re.I), "n't"),
    (re.compile(r"[‘’`´]"), "'"),
    (re.compile(r"[“”«»„]"), '"'),
    (re.compile(r"\b([A-Z])\s?&\s?([A-Z])\b"), r"\1&\2"),
    (re.compile(r"\bU\.\s?S\.(?:\s?A\.)?|\bU\.S\b"), "US"),
    (re.compile(r"\bU\.\s?K\.|\bU\.K\b"), "UK"),
    (re.compile(r"\bUnited\s+States(?:\s+of\s+America)?\b", re.I), "US"),
    (re.compile(r"\bUnited\s+Kingdom\b", re.I), "UK"),
    (re.compile(r"\bper\s*cent\b", re.I), "percent"),
    (re.compile(r"(\d)\s*%"), r"\1 percent"),
    (re.compile(r"\$\s+(\d)"), r"$\1"),
    # One-letter prefixes are part of the word: "D-Day", "e-mail", "U-turn".
    (re.compile(r"\b([A-Za-z])-([A-Za-z]{2,})\b"), r"\1\2"),
]
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?|[A-Za-z]&[A-Za-z]|[^\W\d_]+(?:'[^\W\d_]+)?|\"")
_QUOTE_RE = re.compile(r'"([^"]{3,}?)"')


def normalise_text(text: str) -> str:
    """Unify quotes, clitics, "U.S." spellings and percent signs; keep the wording."""
    for pattern, repl in _REPLACEMENTS:
        text = pattern.sub(repl, text)
    return text


# --------------------------------------------------------------------------------------------
# Quantities

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12,
}
_VAGUE = {"dozens": "dozens", "hundreds": "hundreds", "thousands": "thousands", "millions": "millions"}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_QUALIFIERS = (
    "at least", "at most", "more than", "less than", "fewer than", "up to", "as many as",
    "as few as", "an estimated", "roughly", "about", "around", "approximately", "nearly",
    "almost", "over", "under", "some", "just over", "just under", "close to",
)
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_NUM = r"\d+(?:[.,]\d+)*"
_WORDNUM = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_QUANTITY_RE = re.compile(
    r"(?P<qual>\b(?:" + "|".join(q.replace(" ", r"\s+") for q in sorted(_QUALIFIERS, key=len, reverse=True))
    + r")\s+)?"
    r"(?P<cur>\$)?"
    r"(?:(?P<num>" + _NUM + r")(?P<ord>st|nd|rd|th)?"
    r"|(?P<vague>\b(?:dozens|hundreds|thousands|millions)\b)"
    r"|(?P<a>\ba\s+)?(?P<word>\b(?:" + _WORDNUM + r")\b))"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?"
    r"(?P<pct>\s*(?:%|percent\b))?",
    re.I,
)


_MAYBE_NUMBER = re.compile(r"\d|\b(?:" + _WORDNUM + r"|dozens|hundreds|thousands|millions)\b", re.I)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written in a sentence, with its qualifier and the words around it."""

    text: str = ""
    value: float | None = None
    unit: str = ""
    qualifier: str = ""
    before: str = ""
    before_word: str = ""
    after: str = ""
    after_word: str = ""
    is_date: bool = False

    @property
    def key(self) -> str:
        """What two quantities must share to be the same figure."""
        if self.value is None:
            return self.text.lower()
        return f"{self.value:g}{self.unit}"


def extract_quantities(text: str) -> tuple[Quantity, ...]:
    """Numbers in `text` with qualifiers ("at least 12", "roughly a dozen", "dozens", "1.9%")."""
    return _quantities(normalise_text(text))


def _quantities(text: str) -> tuple[Quantity, ...]:
    """`extract_quantities` on text already through `normalise_text`."""
    if not _MAYBE_NUMBER.search(text):
        return ()
    found: list[Quantity] = []
    for m in _QUANTITY_RE.finditer(text):
        if not (m.group("num") or m.group("vague") or m.group("word")):
            continue
        qualifier = " ".join((m.group("qual") or "").lower().split())
        if m.group("num"):
            raw = m.group("num")
            # "1,700" is a thousands separator; "2,5" in running English is rare.
            try:
                value: float | None = float(raw.replace(",", ""))
            except ValueError:
                continue
        elif m.group("vague"):
            value = None
        else:
            value = float(_WORD_NUMBERS[m.group("word").lower()])
            # "one" is mostly a pronoun ("one official"); keep it only with a qualifier.
            if m.group("word").lower() == "one" and not qualifier:
                continue
        if value is not None and m.group("scale"):
            value *= _SCALES[m.group("scale").lower()]
        unit = "%" if m.group("pct") else ("$" if m.group("cur") else "")
        if m.group("ord"):
            unit = "th"
        # The few words either side are all that is looked at: no need to tokenise the rest.
        before_text = text[max(m.start() - 60, 0) : m.start()]
        after_text = text[m.end() : m.end() + 60]
        before_tokens = [t.lower() for t in _TOKEN_RE.findall(before_text)[-3:]]
        after_tokens = [t.lower() for t in _TOKEN_RE.findall(after_text)[:2]]
        is_date = bool(
            (before_tokens and before_tokens[-1] in _MONTHS)
            or (after_tokens and after_tokens[0] in _MONTHS)
            or (value is not None and m.group("num") and not unit and not qualifier
                and 1900 <= value <= 2100 and float(value).is_integer() and len(m.group("num")) == 4)
        )
        if m.group("ord"):
            is_date = True  # ordinals ("80th") name things rather than count them
        before_word = next(
            (t for t in reversed(_TOKEN_RE.findall(before_text)[-4:])
             if t.isalpha() and t.lower() not in _STOP_WORDS), "",
        )
        after_word = next(
            (t for t in _TOKEN_RE.findall(after_text)[:3] if t.isalpha() and t.lower() not in _STOP_WORDS),
            "",
        )
        found.append(
            Quantity(
                text=" ".join(m.group(0).split()),
                value=value,
                unit=unit,
                qualifier=qualifier,
                before=_stem(before_word.lower()),
                before_word=before_word,
                after=_stem(after_word.lower()),
                after_word=after_word,
                is_date=is_date,
            )
        )
    return tuple(found)


# --------------------------------------------------------------------------------------------
# Per-sentence features

_SOFT_CLASSES: dict[str, str] = {}
for _k, _words in enumerate(_SYNONYM_CLASSES):
    for _w in _words.split():
        _SOFT_CLASSES.setdefault(_stem(_w), f"~{_k}")
_WEEKDAYS = frozenset(_stem(d) for d in _WEEKDAYS_RAW)
# Tokens for pair features: numbers, letter-digit names ("G7", "F-16" -> "F", "16"), words with
# clitics, the quote mark, and clause boundaries ("|": punctuation that closes a clause).
_WORD_RE = re.compile(
    r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?|[A-Za-z]&[A-Za-z]|[^\W\d_]+\d[^\W_]*|[^\W\d_]+(?:'[^\W\d_]+)?"
    r"|\"|[,;:()\[\]—–]|\s-\s"
)
# Words that open a new clause; with `_WORD_RE`'s punctuation they cut a sentence into the
# windows that `clause_best` compares ("X said on Thursday, as Y ...").
_CLAUSE_WORDS = frozenset(
    """and but while as which who whom whose where whereas although though because after before
    when that so if since until including following according citing despite amid adding
    saying""".split()
)
# Words a negation passes over on its way to the word it negates ("has not yet been changed").
_NEGATION_SKIP = frozenset("be been being is are was were has have had do does did yet even ever immediately".split())


@cache
def _normal_token(low: str) -> str:
    """The normalised form of one lower-cased word: spelling variant, else its stem."""
    return _SYNONYMS.get(low) or _SYNONYMS.get(_stem(low)) or _stem(low)


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """Everything pair scoring needs from one sentence, computed once."""

    text: str
    tokens: tuple[str, ...]
    content: tuple[str, ...]
    content_set: frozenset[str]
    entities: frozenset[str]
    negated: frozenset[str]
    negations: int
    numbers: frozenset[str]
    values: tuple[float, ...]
    quantities: tuple[Quantity, ...]
    quotes: tuple[str, ...]
    norm: str
    content_norm: str
    bigrams: frozenset[tuple[str, str]]
    all_bigrams: frozenset[tuple[str, str]]
    trigrams: frozenset[tuple[str, str, str]]
    soft: frozenset[str]
    weekdays: frozenset[str]
    windows: tuple[frozenset[str], ...]


def _word_tokens(text: str) -> list[tuple[str, str, bool]]:
    """(normalised token, surface form, is-a-name) triples; '"' and clause marks '|' kept."""
    out: list[tuple[str, str, bool]] = []
    first = True
    for raw in _WORD_RE.findall(text):
        if raw == '"':
            out.append(('"', raw, False))
            continue
        c = raw[0]
        if not (c.isalnum()):
            out.append(("|", raw, False))
            continue
        low = raw.lower()
        is_entity = (not first and c.isupper()) or (len(raw) > 1 and raw.isupper())
        first = False
        if c.isdigit():
            out.append(("#" + low.replace(",", ""), raw, False))
            continue
        if "'" in low:
            head, _, tail = low.partition("'")
            if tail == "t" and head.endswith("n"):
                head = {"won": "will", "can": "can", "ca": "can", "sha": "shall"}.get(head[:-1], head[:-1])
                out.append((head, raw, False))
                out.append(("not", raw, False))
                continue
            low = head
        if low.startswith("un") and len(low) >= 7 and low.endswith("ed") and low not in _NOT_UN_EXCEPTIONS:
            out.append(("not", raw, False))
            low = low[2:]
        out.append((_normal_token(low), raw, is_entity))
    return out


def sentence_features(text: str) -> SentenceFeatures:
    """Tokenise and normalise one sentence for `pair_features`; do it once per sentence."""
    norm_text = normalise_text(text)
    triples = _word_tokens(norm_text)
    tokens: list[str] = []
    content: list[str] = []
    entities: set[str] = set()
    negated: set[str] = set()
    negations = 0
    pending_negation = 0  # content words a negation still reaches
    clauses: list[list[str]] = [[]]
    quotes: list[list[str]] = []
    in_quote = False
    for token, raw, is_entity in triples:
        if token == '"':
            in_quote = not in_quote
            if in_quote:
                quotes.append([])
            clauses.append([])
            continue
        if token == "|":
            clauses.append([])
            pending_negation = 0
            continue
        tokens.append(token)
        if token[0] == "#":
            continue
        if token in _NEGATIONS:
            negations += 1
            pending_negation = 2
            continue
        if token in _CLAUSE_WORDS:
            clauses.append([])
            pending_negation = 0
        if token in _STOP_WORDS or len(token) < 2:
            continue
        if token in _NEGATION_SKIP:
            continue
        content.append(token)
        clauses[-1].append(token)
        if in_quote:
            quotes[-1].append(token)
        if pending_negation:
            negated.add(token)
            pending_negation = 0
        if is_entity:
            entities.add(token)
    segments = [frozenset(c) for c in clauses if c]
    windows: list[frozenset[str]] = []
    if len(segments) > 1:
        for i in range(len(segments)):
            acc = segments[i]
            windows.append(acc)
            for j in range(i + 1, min(i + 3, len(segments))):
                acc = acc | segments[j]
                windows.append(acc)
    numbers = frozenset(t[1:] for t in tokens if t[0] == "#")
    norm = " ".join(tokens)
    return SentenceFeatures(
        text=text,
        tokens=tuple(tokens),
        content=tuple(content),
        content_set=frozenset(content),
        entities=frozenset(entities),
        negated=frozenset(negated),
        negations=negations,
        numbers=numbers,
        values=tuple(sorted(v for v in (_number_value(t) for t in numbers) if v is not None)),
        quantities=_quantities(norm_text),
        quotes=tuple(" ".join(q) for q in quotes if len(q) >= 3),
        norm=norm,
        content_norm=" ".join(content),
        bigrams=frozenset(zip(content, content[1:])),
        all_bigrams=frozenset(zip(tokens, tokens[1:])),
        trigrams=frozenset(zip(tokens, tokens[1:], tokens[2:])),
        soft=frozenset(_soft_key(t) for t in content),
        weekdays=frozenset(t for t in content if t in _WEEKDAYS),
        windows=tuple(windows),
    )


def _soft_key(token: str) -> str:
    """A looser identity for soft overlap: a synonym class, else the first five letters."""
    return _SOFT_CLASSES.get(token) or token[:5]


def _number_value(token: str) -> float | None:
    digits = token[:-2] if token[-2:] in ("st", "nd", "rd", "th") else token
    try:
        return float(digits)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Pair features and the learned score

FEATURE_NAMES: tuple[str, ...] = (
    "content_jaccard",
    "content_cover_min",
    "content_cover_max",
    "weighted_jaccard",
    "weighted_cover_min",
    "weighted_cover_max",
    "weighted_cover_short",
    "soft_cover_min",
    "soft_cover_max",
    "clause_best",
    "clause_best_cover",
    "bigram_jaccard",
    "bigram_precision_min",
    "bigram_precision_max",
    "trigram_precision_min",
    "trigram_precision_max",
    "lcs_content",
    "lcs_tokens",
    "fuzz_ratio_content",
    "fuzz_token_set",
    "fuzz_partial",
    "fuzz_token_sort",
    "token_levenshtein",
    "entity_jaccard",
    "entity_unmatched",
    "entities_only_max",
    "entities_only_min",
    "numbers_both",
    "numbers_shared",
    "numbers_unmatched",
    "numbers_conflict",
    "numbers_close",
    "negation_mismatch",
    "negation_scoped",
    "length_log_ratio",
    "min_length_log",
    "only_log_max",
    "only_log_min",
    "weighted_only_max",
    "weighted_only_min",
    "quote_match",
    "weekday_mismatch",
)


def _jaccard(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _precisions(a: frozenset, b: frozenset) -> tuple[float, float]:
    """min and max of |a & b| / |a| and |a & b| / |b|."""
    if not a or not b:
        return 0.0, 0.0
    shared = len(a & b)
    pa, pb = shared / len(a), shared / len(b)
    return (pa, pb) if pa < pb else (pb, pa)


def _close_numbers(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Share of numbers with a counterpart within 6% (rounding: "0.71 percent" / "0.7 percent")."""
    if not a or not b:
        return 0.0
    hits = sum(any(abs(x - y) <= 0.06 * max(abs(x), abs(y)) for y in b) for x in a)
    hits += sum(any(abs(x - y) <= 0.06 * max(abs(x), abs(y)) for x in a) for y in b)
    return hits / (len(a) + len(b))


def _weight(words: Iterable[str], weights: Mapping[str, float] | None) -> float:
    if weights is None:
        weights = default_weights()
    get = weights.get
    return sum(get(w, 1.0) for w in words)


def word_weights(features: Sequence[SentenceFeatures]) -> dict[str, float]:
    """Rarity of each content word in a collection: IDF scaled to (0, 1].

    A word in every sentence weighs ~0, a word in one sentence 1, so words that run through
    a whole story ("Biden", "Ukraine") count less than the ones that tell claims apart.
    Unknown words weigh 1.
    """
    df: dict[str, int] = {}
    for f in features:
        for w in f.content_set:
            df[w] = df.get(w, 0) + 1
    return _idf(df, len(features))


def collection_weights(texts: Sequence[str]) -> dict[str, float]:
    """`word_weights` of a collection of sentences, as `group_claims` computes them for its claims."""
    return word_weights([sentence_features(t) for t in texts])


def _idf(df: Mapping[str, int], n: int) -> dict[str, float]:
    top = math.log((n + 1) / 2) or 1.0
    return {w: max(math.log((n + 1) / (d + 1)), 0.0) / top for w, d in sorted(df.items())}


@cache
def default_weights() -> dict[str, float]:
    """Word rarities for a pair compared on its own: document frequencies over MRPC's sentences,
    shipped in `match_idf.json` by `bench/train_matcher.py` (words seen fewer than 3 times are
    left out: they weigh ~1 like any unknown word)."""
    raw = json.loads(resources.files("claimcheck").joinpath("match_idf.json").read_text(encoding="utf-8"))
    return _idf(raw["df"], raw["sentences"])


def pair_features(
    fa: SentenceFeatures, fb: SentenceFeatures, weights: Mapping[str, float] | None = None
) -> list[float]:
    """The feature vector of a pair, in `FEATURE_NAMES` order; symmetric in (a, b).

    `weights` are word rarities in the collection being compared (`word_weights`); without
    them, `default_weights` (rarities over MRPC).
    """
    if weights is None:
        weights = default_weights()
    get = weights.get
    ca, cb = fa.content_set, fb.content_set
    shared_set = ca & cb
    shared = len(shared_set)
    len_a, len_b = len(ca), len(cb)
    cover_a = shared / len_a if len_a else 0.0
    cover_b = shared / len_b if len_b else 0.0
    wa = sum(get(w, 1.0) for w in ca)
    wb = sum(get(w, 1.0) for w in cb)
    ws = sum(get(w, 1.0) for w in shared_set)
    w_union = wa + wb - ws
    w_cover_a = ws / wa if wa else 0.0
    w_cover_b = ws / wb if wb else 0.0
    # Containment: how much of the lighter sentence's information the other one carries.
    short, long_, w_short = (fa, fb, wa) if wa <= wb else (fb, fa, wb)
    w_cover_short = w_cover_a if wa <= wb else w_cover_b
    # The same, clause by clause: the short sentence against the best window of the long one.
    clause_best = ws / w_union if w_union else 0.0
    clause_cover = w_cover_short
    sc = short.content_set
    for window in long_.windows:
        inter = sc & window
        if not inter:
            continue
        wi = sum(get(w, 1.0) for w in inter)
        ww = sum(get(w, 1.0) for w in window)
        union = w_short + ww - wi
        j = wi / union if union else 0.0  # every word weighs 0 when it is in every claim
        if j > clause_best:
            clause_best = j
            clause_cover = wi / w_short if w_short else 0.0
    # Soft overlap: synonym classes, weighted by the heaviest word of the class on each side.
    sa, sb = fa.soft, fb.soft
    soft_min, soft_max = _precisions(sa, sb)
    ea, eb = fa.entities, fb.entities
    entity_all = len(ea) + len(eb)
    entity_only_a, entity_only_b = len(ea - cb), len(eb - ca)
    na, nb = fa.numbers, fb.numbers
    both_numbers = bool(na and nb)
    only_a, only_b = len_a - shared, len_b - shared
    la, lb = max(len(fa.content), 1), max(len(fb.content), 1)
    quote = 0.0
    for q in fa.quotes:
        quote = max(quote, fuzz.partial_ratio(q, fb.content_norm, processor=None) / 100.0)
    for q in fb.quotes:
        quote = max(quote, fuzz.partial_ratio(q, fa.content_norm, processor=None) / 100.0)
    # A negation matters when it falls on a word the other sentence states plainly.
    scoped = bool((fa.negated - fb.negated) & cb) or bool((fb.negated - fa.negated) & ca)
    bi_min, bi_max = _precisions(fa.all_bigrams, fb.all_bigrams)
    tri_min, tri_max = _precisions(fa.trigrams, fb.trigrams)
    w_only_a, w_only_b = wa - ws, wb - ws
    return [
        shared / (len_a + len_b - shared) if (len_a or len_b) else 0.0,
        min(cover_a, cover_b),
        max(cover_a, cover_b),
        ws / w_union if w_union else 0.0,
        min(w_cover_a, w_cover_b),
        max(w_cover_a, w_cover_b),
        w_cover_short,
        soft_min,
        soft_max,
        clause_best,
        clause_cover,
        _jaccard(fa.bigrams, fb.bigrams),
        bi_min,
        bi_max,
        tri_min,
        tri_max,
        LCSseq.normalized_similarity(fa.content, fb.content),
        LCSseq.normalized_similarity(fa.tokens, fb.tokens),
        fuzz.ratio(fa.content_norm, fb.content_norm, processor=None) / 100.0,
        fuzz.token_set_ratio(fa.content_norm, fb.content_norm, processor=None) / 100.0,
        fuzz.partial_ratio(fa.content_norm, fb.content_norm, processor=None) / 100.0,
        fuzz.token_sort_ratio(fa.norm, fb.norm, processor=None) / 100.0,
        Levenshtein.normalized_similarity(fa.tokens, fb.tokens),
        _jaccard(ea, eb) if (ea or eb) else 1.0,
        (entity_only_a + entity_only_b) / entity_all if entity_all else 0.0,
        math.log1p(max(entity_only_a, entity_only_b)),
        math.log1p(min(entity_only_a, entity_only_b)),
        float(both_numbers),
        _jaccard(na, nb) if both_numbers else 0.0,
        (len(na - nb) + len(nb - na)) / (len(na) + len(nb)) if (na or nb) else 0.0,
        float(both_numbers and not (na & nb)),
        _close_numbers(fa.values, fb.values),
        float((fa.negations > 0) != (fb.negations > 0)),
        float(scoped),
        abs(math.log(la / lb)),
        math.log(min(la, lb)),
        math.log1p(max(only_a, only_b)),
        math.log1p(min(only_a, only_b)),
        math.log1p(max(w_only_a, w_only_b)),
        math.log1p(min(w_only_a, w_only_b)),
        quote,
        float(bool(fa.weekdays - fb.weekdays) and bool(fb.weekdays - fa.weekdays)),
    ]


@cache
def load_weights() -> dict:
    """The shipped model: feature names, the learned combination, the MRPC-chosen threshold."""
    raw = resources.files("claimcheck").joinpath("match_weights.json").read_text(encoding="utf-8")
    model = json.loads(raw)
    if tuple(model["features"]) != FEATURE_NAMES:
        raise RuntimeError("match_weights.json does not fit this version of matching.py; re-run bench/train_matcher.py")
    return model


_SCOPED_NEGATION = FEATURE_NAMES.index("negation_scoped")
_CONFLICT = FEATURE_NAMES.index("numbers_conflict")
_COVER_MIN = FEATURE_NAMES.index("content_cover_min")
_ENTITIES_ONLY_MIN = FEATURE_NAMES.index("entities_only_min")
# A contradiction cuts the probability to this share: MRPC has too few such pairs for the
# model to learn how decisive they are.
VETO_FACTOR = 0.2
# Share of the shorter sentence's content the other must carry for a negation to veto the pair.
NEGATION_VETO_COVER = 0.9


def veto(features: Sequence[float]) -> str | None:
    """Why a pair contradicts itself whatever its overlap, or None.

    A word one sentence negates and the other states plainly ("has changed" / "has not
    changed"); or figures that all differ while each sentence names something the other does
    not ("S&P 500 rose 1.9%" / "Dow jumped 2.1%").
    """
    if features[_SCOPED_NEGATION] and features[_COVER_MIN] >= NEGATION_VETO_COVER:
        # Only when the two otherwise say the same: on MRPC a negation on one shared word in
        # sentences that differ anyway ("did not say" / "said ... declined") is no contradiction,
        # and the model weighs those itself (a lower cover here cost 0.3-0.8 points of CV accuracy).
        return "one sentence is negated where the other is not"
    if features[_CONFLICT] and features[_ENTITIES_ONLY_MIN] > 0:
        return "different figures about different named things"
    return None


def margin(features: Sequence[float], model: dict | None = None) -> float:
    """The model's log-odds that the pair states the same thing (before any veto)."""
    model = model or load_weights()
    z = model["intercept"]
    for x, mean, scale, w in zip(features, model["mean"], model["scale"], model["coef"]):
        z += w * (x - mean) / scale
    return z


def probability(features: Sequence[float], model: dict | None = None) -> float:
    """The learned probability of a match, cut down by a `veto`."""
    z = margin(features, model)
    p = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
    return p * VETO_FACTOR if veto(features) else p


def pair_score(
    fa: SentenceFeatures, fb: SentenceFeatures, weights: Mapping[str, float] | None = None
) -> float:
    """Match score 0-100 of two featurised sentences (100 x the learned probability)."""
    return 100.0 * probability(pair_features(fa, fb, weights))


def _default_settings() -> Settings:
    return Settings()


def match_pair(
    a: str, b: str, settings: Settings | None = None, *, weights: Mapping[str, float] | None = None
) -> MatchResult:
    """Decide whether two sentences state the same claim, and say why.

    `score` is 100 x the probability, learned on MRPC, that the two state the same thing;
    `matched` is `score >= settings.threshold`, the decision `group_claims` uses to link two
    sentences (grouping passes the word rarities of the claims it compares as `weights`;
    without them, rarities over MRPC are used). `shared`, `only_a` and `only_b` list
    normalised content words; `numbers_a` / `numbers_b` the quantities with their qualifiers;
    `reasons` the evidence that weighed most.
    """
    settings = settings or _default_settings()
    fa, fb = sentence_features(a), sentence_features(b)
    values = pair_features(fa, fb, weights)
    score = 100.0 * probability(values)
    matched = score >= settings.threshold
    return MatchResult(
        score=score,
        matched=matched,
        shared=tuple(sorted(fa.content_set & fb.content_set)),
        only_a=tuple(sorted(fa.content_set - fb.content_set)),
        only_b=tuple(sorted(fb.content_set - fa.content_set)),
        numbers_a=tuple(q.text for q in fa.quantities),
        numbers_b=tuple(q.text for q in fb.quantities),
        reasons=_reasons(fa, fb, values, score, settings.threshold),
    )


def _reasons(
    fa: SentenceFeatures, fb: SentenceFeatures, values: list[float], score: float, threshold: float
) -> tuple[str, ...]:
    """The evidence behind a verdict, strongest first, in words."""
    f = dict(zip(FEATURE_NAMES, values))
    verdict = "match" if score >= threshold else "no match"
    reasons = [f"{verdict}: score {score:.1f} vs threshold {threshold:.1f}"]
    shared = len(fa.content_set & fb.content_set)
    reasons.append(
        f"{shared} shared content words; covers {f['content_cover_min']:.0%} of one sentence "
        f"and {f['content_cover_max']:.0%} of the other"
    )
    reasons.append(
        f"weighted by rarity, the other sentence carries {f['weighted_cover_short']:.0%} of the "
        f"shorter one; its best clause window {f['clause_best_cover']:.0%}"
    )
    if f["quote_match"] >= 0.8:
        reasons.append(f"a quotation matches the other sentence ({f['quote_match']:.0%})")
    why_not = veto(values)
    if why_not:
        reasons.append(f"contradiction: {why_not}")
    missing = sorted((fa.entities - fb.content_set) | (fb.entities - fa.content_set))
    if missing:
        reasons.append("names only one side mentions: " + ", ".join(missing[:6]))
    if f["numbers_conflict"]:
        reasons.append("both give numbers and none agree")
    elif f["numbers_unmatched"] > 0:
        reasons.append("some numbers differ")
    return tuple(reasons)


# --------------------------------------------------------------------------------------------
# Grouping


def candidate_pairs(claims: Sequence[Sentence]) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) worth verifying: every pair from two different sources.

    Quadratic: used below `blocking.MIN_CLAIMS` claims, where it costs less than building an
    index; the verification (`pair_score` >= threshold) is the same on both paths.
    """
    for i in range(len(claims)):
        source = claims[i].source
        for j in range(i + 1, len(claims)):
            if claims[j].source != source:
                yield i, j


class _Scores:
    """Pair scores computed once and on demand."""

    def __init__(self, features: Sequence[SentenceFeatures]) -> None:
        self.features = features
        self.weights = word_weights(features)
        self.cache: dict[tuple[int, int], float] = {}

    def __call__(self, i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        score = self.cache.get(key)
        if score is None:
            score = pair_score(self.features[key[0]], self.features[key[1]], self.weights)
            self.cache[key] = score
        return score


def agglomerate(
    sources: Sequence[str],
    pairs: Iterable[tuple[int, int]],
    score: Callable[[int, int], float],
    threshold: float,
) -> list[list[int]]:
    """Average-linkage agglomeration over matched pairs, one member per source per cluster.

    `pairs` (i < j) are the candidates; those scoring at or above `threshold` seed the queue,
    best first. Two clusters merge only if they share no source and the mean score over all
    their cross pairs (computed on demand) is still at or above the threshold, so a sentence
    joins a group only if it matches the group as a whole, never through one weak link.
    Ties are broken by input position, so the result does not depend on the input order.
    Cost: one score per candidate pair, plus |A| x |B| scores per merge of A and B.
    """
    heap = [(-s, i, j) for i, j in pairs if (s := score(i, j)) >= threshold]
    heapq.heapify(heap)
    owner = list(range(len(sources)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(sources))}
    seen: dict[int, set[str]] = {i: {s} for i, s in enumerate(sources)}
    while heap:
        neg, i, j = heapq.heappop(heap)
        ci, cj = owner[i], owner[j]
        if ci == cj or seen[ci] & seen[cj]:
            continue
        link = sum(score(a, b) for a in members[ci] for b in members[cj]) / (
            len(members[ci]) * len(members[cj])
        )
        if link < threshold:
            continue
        if link < -neg - 1e-9:
            # The clusters grew since this pair was queued: queue it again at its current value.
            heapq.heappush(heap, (-link, i, j))
            continue
        keep, gone = min(ci, cj), max(ci, cj)
        members[keep] = sorted(members[keep] + members.pop(gone))
        seen[keep] |= seen.pop(gone)
        for k in members[keep]:
            owner[k] = keep
    return [members[k] for k in sorted(members)]


def group_claims(claims: Sequence[Sentence], settings: Settings) -> list[ClaimGroup]:
    """Group claim sentences that state the same thing across sources.

    Every input sentence ends in exactly one group (singletons included). A group holds at
    most one sentence per source: when an outlet repeats itself, the sentence that fits the
    group best is kept and the other stays outside (alone, or in a group of its own).
    Groups are sorted by support (distinct sources) descending, then by the input position of
    their earliest member, and numbered c1, c2, ...; members are in input order; `sources`
    are in member (input) order; `text` is the medoid, the member with the highest total
    score against the others. Which sentences group together does not depend on the input
    order: ties are broken on (source, sentence index, text), not on position.
    """
    # Work in a canonical order (source, sentence index, text) so ties break the same way
    # however the input is ordered; report in input order.
    canonical = sorted(range(len(claims)), key=lambda i: (claims[i].source, claims[i].index, claims[i].text))
    ordered = [claims[i] for i in canonical]
    texts = [c.text for c in ordered]
    sources = [c.source for c in ordered]
    features = [sentence_features(t) for t in texts]
    scores = _Scores(features)
    if len(ordered) >= blocking.MIN_CLAIMS:
        # Sub-quadratic candidates for large runs; the sample set stays on all pairs.
        pairs: Iterable[tuple[int, int]] = blocking.candidate_pairs(texts, sources)
    else:
        pairs = candidate_pairs(ordered)
    found = agglomerate(sources, pairs, scores, settings.threshold)
    clusters = [sorted((canonical[k], k) for k in cluster) for cluster in found]
    clusters.sort(key=lambda m: (-len({claims[i].source for i, _ in m}), m[0][0]))
    groups: list[ClaimGroup] = []
    for number, pairs in enumerate(clusters, 1):
        idx = [i for i, _ in pairs]
        local = dict(pairs)
        medoid = max(
            idx, key=lambda i: (sum(scores(local[i], local[j]) for j in idx if j != i), -local[i])
        )
        members = tuple(
            Member(
                source=claims[i].source,
                text=claims[i].text,
                sentence_index=claims[i].index,
                score=100.0 if i == medoid else round(scores(local[i], local[medoid]), 1),
            )
            for i in idx
        )
        groups.append(
            ClaimGroup(
                id=f"c{number}",
                text=claims[medoid].text,
                sources=tuple(claims[i].source for i in idx),
                support=len({claims[i].source for i in idx}),
                members=members,
                disagreements=find_disagreements([claims[i] for i in idx], [features[local[i]] for i in idx]),
            )
        )
    return groups


def find_disagreements(
    members: Sequence[Sentence], features: Sequence[SentenceFeatures]
) -> tuple[Disagreement, ...]:
    """Figures the members give for the same thing that differ ("19" vs "at least 12" killed).

    Two quantities count the same thing when the content word before them, or after them, is
    the same ("killed 19 civilians" / "killed at least 12 people"); dates, years and ordinals
    are left out. Each source gives at most one figure per topic (its first).
    """
    topics: dict[str, dict[str, tuple[Quantity, Sentence]]] = {}
    order: list[str] = []
    for sentence, feats in zip(members, features):
        for q in feats.quantities:
            if q.is_date:
                continue
            for topic in (q.before and "b:" + q.before, q.after and "a:" + q.after):
                if not topic:
                    continue
                if topic not in topics:
                    topics[topic] = {}
                    order.append(topic)
                topics[topic].setdefault(sentence.source, (q, sentence))
    found: list[Disagreement] = []
    reported: set[frozenset[tuple[str, str]]] = set()
    for topic in order:
        by_source = topics[topic]
        if len(by_source) < 2 or len({q.key for q, _ in by_source.values()}) < 2:
            continue
        figures = frozenset((src, q.text) for src, (q, _) in by_source.items())
        if figures in reported:
            continue
        reported.add(figures)
        first_q = next(iter(by_source.values()))[0]
        label = first_q.before_word if topic.startswith("b:") else first_q.after_word
        found.append(
            Disagreement(
                topic=label.lower(),
                figures=tuple(
                    Figure(source=src, value=q.text, text=s.text) for src, (q, s) in by_source.items()
                ),
            )
        )
    return tuple(found)
