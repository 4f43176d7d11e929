"""Which sentences are claims, and why the others are not."""

from __future__ import annotations

import re

from claimcheck.read.files import Line, classify_line
from claimcheck.models import Document, Sentence, Settings
from claimcheck.text.sentences import sentence_spans
from claimcheck.text.words import BASE_STOP_WORDS

# An address starts where a run of address characters starts (the lookbehind), so no run is
# rescanned from each of its characters: `\b\S+@\S+\.` was cubic on a long line of "@a@a".
_URL_OR_EMAIL_RE = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.I
)
_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")
# Longer than any sentence a news article prints (the sample set's longest has 60 words): text
# with no sentence punctuation. Matching it against every claim would cost time in proportion to
# its length for no claim anyone could corroborate.
MAX_CLAIM_WORDS = 250
_CONTRIBUTOR_RE = re.compile(
    r"\b(?:contributed|contributing)\s+(?:to\s+)?(?:this\s+)?(?:report|story|article|reporting)\b"
    r"|\breported\s+from\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*\s*\.?$"
    r"|^(?:additional\s+)?reporting\s+by\b|\bediting\s+by\b|^(?:staff\s+writers?|wire\s+services)\b",
    re.I,
)
_SPECIFIC_TOKEN_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")
_FINAL_PUNCT = tuple('.!?"\'\u201d\u2019)…')
# A sentence with no name and no figure needs this many content words to say something checkable.
MIN_GENERIC_CONTENT = 4
# Quoted or attributed text is a source's statement (a claim); the rest is the writer's voice.
_QUOTED_RE = re.compile(r"^'|[\"\u201c\u201d`]|''|\b(?:said|says|say|told|tells|tell|according to|added|wrote|writes|"
                        r"stated|announced|reported|reports|claimed|claims|insisted|warned|explained)\b", re.I)
# The writer speaking for themself: a first-person word ("I", not "I-75" or "Episode I"; "us",
# not "US") with a verb or phrase of opinion.
_FIRST_PERSON_RE = re.compile(r"(?<![\w'\-])(?:I|[Ww]e|[Mm]y|[Oo]ur|us|me)(?![\w'\-]|\s*[_:])")
_OPINION_MARK_RE = re.compile(
    r"\b(?:think|thought|believe|feel|felt|guess|suspect|reckon|love|loved|hate|hated|like|liked|prefer|"
    r"recommend|enjoyed|found|dread|must|should|to my mind|in my (?:view|opinion)|make no mistake|frankly|honestly)\b",
    re.I)
# An evaluation: a copula followed by a judgement ("this is a very good phone", "good enough").
_EVALUATION_RE = re.compile(
    r"\b(?:is|are|was|were|'s|feels?|looks?|seems?)\s+(?:not\s+)?(?:(?:a|an|the)\s+)?(?:(?:very|really|quite|pretty|so|too|"
    r"rather|just|truly|simply|still|also|genuinely|undeniably|clearly|most|more|less)\s+)*"
    r"(?:good|great|bad|terrible|excellent|superb|brilliant|disappointing|impressive|boring|beautiful|awful|"
    r"wonderful|fantastic|mediocre|better|worse|best|worst|lovely|gorgeous|stunning|dull|fun|enjoyable|solid|"
    r"decent|nice|amazing|outstanding|poor|weak|strong|fine|cool|slick|sleek|ugly|clunky|tedious|thrilling)\b",
    re.I,
)
# A dateline on its own: "WASHINGTON, July 1 (Xinhua)", "PARIS (AP) --".
_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z.'\- ]+(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?(?:,\s*\w+\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?:\([^)]{1,40}\))?\s*(?:--|_|-|\u2014|\u2013)?\s*$")
# A photo caption or graphic label: ends in a credit or a bracketed aside with no verb before it.
_CAPTION_RE = re.compile(
    r"\((?:[^()]*\b(?:photo|photograph|image|picture|file|graphic|pictured|left|right|centre|center|top|bottom)\b[^()]*"
    r"|(?:AP|AFP|Reuters|Getty(?: Images)?|EPA|Xinhua|PA|Bloomberg)(?:\s*/\s*[^()]+)?)\)\s*\.?$"
    r"|^(?:photo|image|picture|caption|graphic|file photo)\s*[:\-\u2014]", re.I)


def word_count(text: str) -> int:
    """Words as a reader counts them (U.S. and long-range are one word each)."""
    return len(_WORD_RE.findall(text))


def non_claim_reason(sentence: Sentence, settings: Settings) -> str | None:
    """Why `sentence` is not a claim, or None if it is one.

    Quotes and attributed statements are claims: what a source reports someone said is exactly
    what other outlets corroborate or contradict.
    """
    text = sentence.text
    if sentence.is_headline:
        return "headline (shown as the source title)"
    if not any(ch.isalpha() for ch in text):
        return "no words"
    words = word_count(text)
    if words < settings.min_claim_words:
        return f"fragment (fewer than {settings.min_claim_words} words)"
    if words > MAX_CLAIM_WORDS:
        return f"run-on text (over {MAX_CLAIM_WORDS} words without sentence punctuation)"
    if text.rstrip().endswith(":") and words <= 12:
        return "lead-in ending with a colon"
    letters = [ch for ch in text if ch.isalpha()]
    if letters and not any(ch.islower() for ch in letters):
        return "all capitals (a label, not a sentence)"
    if _URL_OR_EMAIL_RE.search(text):
        return "contains a URL or e-mail address (boilerplate)"
    stripped = text.rstrip()
    if stripped.endswith("?"):
        return "question (asks, does not state)"
    if _CONTRIBUTOR_RE.search(stripped):
        return "contributor line (who reported, not what)"
    if _DATELINE_RE.match(stripped):
        return "dateline (where and when, not what)"
    if _CAPTION_RE.search(stripped):
        return "photo caption or graphic label"
    opinion = _opinion(stripped)
    if opinion:
        return opinion
    if not stripped.endswith(_FINAL_PUNCT) and words <= 10 and sentence.index > 0:
        return "section heading (no sentence punctuation)"
    vague = _vagueness(stripped)
    if vague:
        return vague
    boilerplate = classify_line(Line(0, text, text))
    if boilerplate and boilerplate not in ("date line",):
        return f"boilerplate ({boilerplate})"
    return None


def _opinion(text: str) -> str | None:
    """Why a sentence is the writer's own opinion rather than a checkable fact, or None. Quoted
    and attributed sentences are statements of their source, not the writer's opinion."""
    if _QUOTED_RE.search(text):
        return None
    if "make no mistake" in text.lower() or _FIRST_PERSON_RE.search(text) and (
            _OPINION_MARK_RE.search(text) or _EVALUATION_RE.search(text)):
        return "opinion (the writer's own voice)"
    if _EVALUATION_RE.search(text) and not any(ch.isdigit() for ch in text):
        return "opinion (an evaluation, not a checkable fact)"
    return None


def _vagueness(text: str) -> str | None:
    """Why a sentence has nothing specific to check (no name, figure or enough content), or None."""
    tokens = _SPECIFIC_TOKEN_RE.findall(text)
    content = [t for t in tokens if t.isalpha() and len(t) > 1 and t.lower() not in BASE_STOP_WORDS
               and t.lower() not in _FUNCTION_WORDS]
    has_figure = any(ch.isdigit() for ch in text)
    first = tokens[0] if tokens else ""
    has_name = any(t[0].isupper() for t in tokens[1:] if t.lower() not in BASE_STOP_WORDS) or (
        len(first) > 1 and first.isupper()) or (
        first[:1].isupper() and first.lower() not in BASE_STOP_WORDS and first.lower() not in _COMMON_OPENERS)
    if len(content) < 3 and not has_name:
        return "generic (too little to check: no name and under three content words)"
    if not has_name and not has_figure and len(content) < MIN_GENERIC_CONTENT:
        return "generic (nothing checkable: no name, place or figure)"
    return None


_FUNCTION_WORDS = frozenset("than now then also even still just yet".split())
# Capitalised only because they open the sentence: not names.
_COMMON_OPENERS = frozenset(
    "the a an this that these those it its he she they we i there here but and so yet officials "
    "police customers people residents witnesses authorities".split()
)


def document_sentences(doc: Document) -> list[Sentence]:
    """Split a document into sentences with offsets into `doc.text`; its title line is a headline."""
    sentences = []
    for index, (start, end) in enumerate(sentence_spans(doc.text)):
        text = doc.text[start:end]
        headline = doc.title is not None and start == 0 and text == doc.title
        sentences.append(Sentence(source=doc.id, index=index, text=text, start=start, end=end, is_headline=headline))
    return sentences


def mark_claims(sentences: list[Sentence], settings: Settings) -> list[Sentence]:
    """The same sentences with `is_claim` and `reason` set."""
    marked = []
    for sentence in sentences:
        reason = non_claim_reason(sentence, settings)
        marked.append(sentence.model_copy(update={"is_claim": reason is None, "reason": reason}))
    return marked
