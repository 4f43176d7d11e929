"""Quantities: numbers as a sentence states them, with qualifier, scale, unit and what they count.

"€3m" and "3 million euros" are one value; "5.1-inch" is a measure, not a count of five; "Galaxy
S5", "Flight 370" and "Article 5" are names; "Alvarez, 26," and "a 26-year-old" are ages; dates,
years and ordinals are not figures. `topics` says what a figure counts, by synonym class, so
"killed 19" and "19 dead" count the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claimcheck.matching.normalise import MONTHS, SOFT_CLASS, STOP_WORDS, TOKEN_RE, normal_token, normalise_text

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
_CURRENCY = {"$": "$", "€": "€", "£": "£", "dollar": "$", "euro": "€", "pound": "£", "yuan": "¥",
             "yen": "¥", "rupee": "₹", "ruble": "₽", "rouble": "₽", "hryvnia": "₴"}
QUALIFIERS = (
    "at least", "at most", "more than", "less than", "fewer than", "up to", "as many as",
    "as few as", "an estimated", "roughly", "about", "around", "approximately", "nearly",
    "almost", "over", "under", "some", "just over", "just under", "close to",
)
_MEASURES = (
    "inch inches foot feet ft mile miles km kilometre kilometres kilometer kilometers metre metres meter "
    "meters m cm mm kg ton tons tonne tonnes pound pounds lb mph kmh hour hours minute minutes day days "
    "week weeks month months year years magnitude point points storey story floor"
).split()
_NUM = r"\d+(?:[.,]\d+)*"
_WORDNUM = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_QUANTITY_RE = re.compile(
    r"(?P<qual>\b(?:" + "|".join(q.replace(" ", r"\s+") for q in sorted(QUALIFIERS, key=len, reverse=True))
    + r")\s+)?"
    r"(?P<cur>[$€£])?"
    r"(?:(?<![\w.,:])(?P<num>" + _NUM + r")(?![.,]?\d)(?P<ord>st|nd|rd|th)?(?P<suffix>bn|mn|tn|[kmb])?\b"
    r"|(?P<vague>\b(?:dozens|hundreds|thousands|millions|scores)\b)"
    r"|(?P<a>\ba\s+)?(?P<word>\b(?:" + _WORDNUM + r")\b))"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?"
    r"(?P<pct>\s*(?:%|percent\b))?"
    r"(?:-(?P<hunit>[a-z]+)(?P<old>-old)?)?",
    re.I,
)
_MAYBE_NUMBER = re.compile(r"\d|\b(?:" + _WORDNUM + r"|dozens|hundreds|thousands|millions|scores)\b", re.I)
_AGE_AFTER_NAME = re.compile(r"[A-Z][a-z]+,\s*$")
_CLOCK_RE = re.compile(r"\s*(?:[ap]\.?\s?m\b\.?|o'clock\b|GMT\b|EST\b|ET\b|BST\b|CET\b|UTC\b|:\d\d)", re.I)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written in a sentence: value, qualifier, unit, kind and the words around it.

    `kind` is "count", "money", "percent", "measure", "age", "date" (dates, years, ordinals) or
    "label" (a number that is part of a name: "Flight 370").
    """

    text: str = ""
    value: float | None = None
    unit: str = ""
    qualifier: str = ""
    kind: str = "count"
    before: str = ""
    before_word: str = ""
    after: str = ""
    after_word: str = ""
    scaled: bool = False
    nearby: tuple[str, ...] = ()
    start: int = -1  # span in the normalised text, qualifier included
    end: int = -1

    @property
    def is_date(self) -> bool:
        """Dates, years and ordinals, which name a time or a thing rather than count."""
        return self.kind == "date"

    @property
    def is_figure(self) -> bool:
        """A value sources can disagree on: counts, money, shares, measures, ages."""
        return self.kind not in ("date", "label") and self.value is not None

    @property
    def key(self) -> str:
        """What two quantities must share to be the same figure."""
        if self.value is None:
            return self.text.lower()
        return f"{self.value:g}{self.unit}"

    @property
    def topics(self) -> tuple[str, ...]:
        """What the figure counts: the synonym class of the word before and of the word after."""
        if self.kind == "age":
            # Whose age: the name before "Alvarez, 26," or the person after "a 26-year-old man".
            who = self.before if self.before_word[:1].isupper() else self.after
            return (f"age:{who}",)
        out = []
        for side, word in (("b", self.before), ("a", self.after)):
            if word:
                k = SOFT_CLASS.get(word)
                out.append(f"{side}:{'~%d' % k if k is not None else word}")
        out.extend(f"c:~{k}" for k in self.nearby)
        if self.kind == "money":
            out.append("money" + self.unit)
        return tuple(out)

    def same_value(self, other: Quantity) -> bool:
        """The same figure, allowing one side to leave out a scale ("€3 million" / "at least 3")."""
        if self.value is None or other.value is None:
            return self.key == other.key
        if self.value == other.value:
            return True
        if self.scaled != other.scaled:
            a = self.value if not self.scaled else None
            b = other.value if not other.scaled else None
            plain, scaled_q = (a, other) if a is not None else (b, self)
            for scale in (1e3, 1e6, 1e9, 1e12):
                if plain is not None and abs(plain * scale - scaled_q.value) < 1e-6 * scaled_q.value:
                    return True
        return False


def _counts_after(word: str) -> bool:
    """A plural noun or a toll word after a number makes it a count ("Syriza 71 seats")."""
    return word.isalpha() and word.islower() and (
        word in ("dead", "killed", "injured", "wounded", "hurt", "missing", "people")
        or (len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
            and word not in ("says", "was", "has", "does", "goes")))


def extract_quantities(text: str) -> tuple[Quantity, ...]:
    """Numbers in `text` with qualifiers ("at least 12", "roughly a dozen", "dozens", "1.9%", "€3m")."""
    return quantities(normalise_text(text))


@lru_cache(maxsize=65536)
def quantities(text: str) -> tuple[Quantity, ...]:
    """`extract_quantities` on text already through `normalise_text`."""
    if not _MAYBE_NUMBER.search(text):
        return ()
    found: list[Quantity] = []
    for m in _QUANTITY_RE.finditer(text):
        q = _quantity(text, m)
        if q is not None:
            found.append(q)
    return tuple(found)


def _quantity(text: str, m: re.Match) -> Quantity | None:
    if not (m.group("num") or m.group("vague") or m.group("word")):
        return None
    qualifier = " ".join((m.group("qual") or "").lower().split())
    suffix = (m.group("suffix") or "").lower()
    hunit = (m.group("hunit") or "").lower()
    if m.group("num"):
        raw = m.group("num")
        try:
            value: float | None = float(raw.replace(",", ""))  # "1,700": a thousands separator
        except ValueError:
            return None
    elif m.group("vague"):
        value = None
    else:
        word = m.group("word").lower()
        value = float(WORD_NUMBERS[word])
        if word == "one" and not qualifier:  # mostly a pronoun ("one official")
            return None
    scaled = False
    if value is not None and (m.group("scale") or (suffix and (m.group("cur") or suffix in ("bn", "mn", "tn")))):
        value *= _SCALES[(m.group("scale") or suffix).lower()]
        scaled = True
    elif suffix and not m.group("cur"):
        return None  # "5m" without a currency is a distance or a name; "4k" rare either way
    before_text = text[max(m.start() - 60, 0): m.start()]
    after_text = text[m.end(): m.end() + 60]
    before_tokens = TOKEN_RE.findall(before_text)
    after_tokens = TOKEN_RE.findall(after_text)
    unit = ""
    kind = "count"
    cur = m.group("cur")
    next_word = after_tokens[0].lower() if after_tokens else ""
    if cur or _CURRENCY.get(normal_token(next_word)) and next_word.isalpha():
        unit = _CURRENCY.get(cur or "") or _CURRENCY[normal_token(next_word)]
        kind = "money"
    elif m.group("pct"):
        unit, kind = "%", "percent"
    elif hunit and m.group("old") or (hunit in ("year", "years") and after_text.startswith("-old")):
        kind = "age"
    elif hunit in _MEASURES or (hunit and not hunit.endswith("s")):
        unit, kind = hunit, "measure"
    if m.group("ord"):
        kind = "date"  # ordinals ("80th") name things rather than count them
    if m.group("num") and (re.match(r"-\d", after_text) or re.search(r"\d-$", before_text)):
        kind = "label"  # a score or a range end ("88-72 loss", "9-14"): not a count
    prev = before_tokens[-1] if before_tokens else ""
    if prev.lower() in MONTHS or next_word in MONTHS or _CLOCK_RE.match(after_text):
        kind = "date"  # "May 25", "25 May", "4 p.m.", "10:30"
    elif (m.group("num") and kind == "count" and not qualifier and 1900 <= (value or 0) <= 2100
          and float(value).is_integer() and len(m.group("num")) == 4):
        kind = "date"
    elif (kind == "count" and m.group("num") and not qualifier and prev[:1].isupper()
          and prev.lower() not in STOP_WORDS and text[: m.start()].rstrip().endswith(prev)
          and not _counts_after(next_word)):
        kind = "label"  # "Flight 370", "Article 5", "Boeing 777"; but "Syriza 71 seats" counts
    if kind == "count" and m.group("num") and _AGE_AFTER_NAME.search(before_text) and after_text.lstrip()[:1] in ",)":
        kind = "age"  # "Alvarez, 26, was charged"
    before_word = next((t for t in reversed(before_tokens[-4:]) if t.isalpha() and t.lower() not in STOP_WORDS), "")
    after_word = next((t for t in after_tokens[:3] if t.isalpha() and t.lower() not in STOP_WORDS
                       and t.lower() not in ("old",)), "")
    nearby = tuple(sorted({k for t in before_tokens[-4:] + after_tokens[:4]
                           if (k := SOFT_CLASS.get(normal_token(t.lower()))) not in (None, 0)}))
    return Quantity(
        start=m.start(),
        end=m.end(),
        nearby=nearby,
        text=" ".join(m.group(0).split()),
        value=value,
        unit=unit,
        qualifier=qualifier,
        kind=kind,
        before=normal_token(before_word.lower()) if before_word else "",
        before_word=before_word,
        after=normal_token(after_word.lower()) if after_word else "",
        after_word=after_word,
        scaled=scaled,
    )


# --------------------------------------------------------------------------- what a figure counts

# Event classes: the label a figure is reported under, then the words that state it (general news
# vocabulary, not fitted to any data set). "killed" and "injured" never share a word.
EVENT_CLASSES = (
    ("killed", "kill killed killing kills dead death deaths die died dies toll fatalities fatality lives perished "
               "murdered slain bodies"),
    ("injured", "injure injured injuring injures wound wounded wounding hurt injuries injury"),
    ("hospitalized", "hospitalized hospitalised hospital"),
    ("missing", "missing unaccounted"),
    ("arrested", "arrest arrested arrests detained detain"),
    ("sick", "sickened ill infected stricken sick"),
    ("evacuated", "evacuated evacuate evacuation"),
    ("rescued", "rescued saved survivors survived"),
)
_EVENT_OF = {w: label for label, words in EVENT_CLASSES for w in words.split()}
# Nouns that count people in general: "19 people killed" and "19 killed" count one thing.
_PEOPLE = frozenset("people persons person civilians victims individuals others".split())
_NOUN_CLASSES = (
    "ship ships vessel vessels boat boats",
    "aircraft plane planes jet jets helicopter helicopters",
    "attacker attackers gunman gunmen assailant assailants militant militants terrorist terrorists",
    "seat seats",
)
_NOUN_OF = {w: ws.split()[0] for ws in _NOUN_CLASSES for w in ws.split()}
# Words that say what a figure counts, not which event it is about.
FIGURE_WORDS = frozenset(_EVENT_OF) | _PEOPLE | frozenset(WORD_NUMBERS) | frozenset(
    "people least more than about nearly almost some".split())
# Words before a number that make it background: another, earlier event or a part of the total.
_ASIDE_WORDS = frozenset("since previous previously ago worst deadliest including included among "
                         "compared unlike".split())
# Where the words around a figure stop belonging to it.
_STOPS = frozenset(";:\"()[]—–?")
_SKIP_AFTER = frozenset("other more additional further of the a an".split())
_WEEKDAY_PREFIXES = frozenset("mon tue wed thu fri sat sun tod yes tom".split())
_SAY = frozenset("said says say told reported reports".split())
# Nouns of a duration: "two days before" counts days, whatever event is near.
_MEASURE_NOUNS = frozenset(normal_token(w) for w in _MEASURES)
_DURATION_WORDS = "second minute hour day week month year decade time".split()
DURATIONS = frozenset(_DURATION_WORDS) | frozenset(normal_token(w) for w in _DURATION_WORDS + [
    w + "s" for w in _DURATION_WORDS])


@dataclass(frozen=True, slots=True)
class Counted:
    """What a figure counts: the event ("killed"), the counted noun ("seats"), whose it is (a name
    before it: "Syriza"), and whether it is an aside (background, not what the claim states)."""

    event: str = ""
    noun: str = ""
    owner: str = ""
    aside: bool = False
    noun_word: str = ""  # the noun as written (lower case), to name the figure: "rifles", not "rifl"

    @property
    def label(self) -> str:
        """In words, as a report names it: the event ("injured"), else the noun ("seats")."""
        return self.event or self.noun

    @property
    def known(self) -> bool:
        """Whether the figure says what it counts: an event, or a noun more specific than "people"."""
        return bool(self.event or (self.noun and self.noun != "people"))


def counted(text: str, q: Quantity) -> Counted:
    """What `q` (found in `text`, normalised) counts, from the words around it."""
    if q.start < 0:
        return Counted()
    before = TOKEN_RE.findall(text[max(q.start - 120, 0): q.start])
    after = TOKEN_RE.findall(text[q.end: q.end + 120])
    before = before[max(len(before) - 14, 0):]
    noun = ""
    noun_word = ""
    aside_part = False
    event_after, dist_after = "", 99
    for k, tok in enumerate(after[:7]):
        if tok in _STOPS or tok == "," or (k and tok.lower() in ("and", "but", "while", "or")):
            break
        low = tok.lower()
        if low in _EVENT_OF:
            event_after, dist_after = _EVENT_OF[low], k + 1
            break
        if low in WORD_NUMBERS or tok[:1].isdigit():
            if k and after[k - 1].lower() == "of":
                aside_part = True  # "one of three deaths": a part of another figure
            break
        if not noun and tok.isalpha() and low not in _SKIP_AFTER:
            if low in STOP_WORDS or low in MONTHS:
                if k == 0:
                    noun = "-"
                continue
            noun = "people" if low in _PEOPLE else _NOUN_OF.get(low) or normal_token(low)
            noun_word = low
        elif not tok.isalpha() and low not in _SKIP_AFTER and tok != "-":
            break
    event_before, dist_before = "", 99
    owner = ""
    aside = False
    comma = False
    for k, tok in enumerate(reversed(before)):
        if tok in _STOPS:
            break
        comma = comma or tok == ","
        low = tok.lower()
        if k < 7 and not event_before and not comma and low in _EVENT_OF:
            event_before, dist_before = _EVENT_OF[low], k + 1
        earlier = before[-k - 2].lower() if k + 1 < len(before) else ""
        if (low in _ASIDE_WORDS or (k == 0 and low in ("from", "among", "between", "first", "those", "these"))
                or (low in ("far", "year") and earlier in ("so", "this", "last"))  # a running total
                or (tok.isdigit() and len(tok) == 4 and 1900 <= int(tok) <= 2100)):
            aside = True
        if (not owner and k < 10 and tok[:1].isupper() and tok.isalpha() and low not in STOP_WORDS
                and low not in MONTHS and low[:3] not in _WEEKDAY_PREFIXES and low not in _EVENT_OF and low not in _PEOPLE and low not in WORD_NUMBERS):
            following = before[len(before) - k:len(before) - k + 1]
            if not (following and following[0].lower() in _SAY):
                owner = tok
    event = event_after if dist_after <= dist_before else event_before
    if (before and before[-1].lower() == "magnitude") or (after and after[0].lower() == "magnitude"):
        noun, event = "magnitud", ""  # "magnitude 8.8", "8.9 magnitude"
    if noun == "-":
        noun = ""
    if noun in DURATIONS or q.unit.rstrip("s") in DURATIONS or noun in _MEASURE_NOUNS:
        event = ""  # "two days before", "falling about 150 metres to his death": not a toll
        aside = aside or any(t.lower() == "ago" for t in after[:3])
    return Counted(event=event, noun=noun, owner=owner, aside=aside or aside_part,
                   noun_word=noun_word if noun not in ("", "magnitud") else "")


# --------------------------------------------------------------------------- times of day

_TIME_RE = re.compile(
    r"(?P<qual>\b(?:about|around|approximately|roughly|just before|just after|shortly before|shortly after|"
    r"before|after|by|until|at)\s+)?(?<![\d:.])(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?",
    re.I,
)


def clock_times(text: str) -> tuple[Quantity, ...]:
    """Times of day in `text` (normalised) as figures of kind "time", valued in minutes after
    midnight: "about 3 p.m." is 900 with qualifier "about", "12:41 a.m." is 41. Kept apart from
    `quantities` (where a time is a date-like label): only disagreements compare them."""
    out = []
    for m in _TIME_RE.finditer(text):
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        if not (1 <= hour <= 12 and minute < 60):
            continue
        value = (hour % 12 + (12 if m.group("ap").lower() == "p" else 0)) * 60 + minute
        qualifier = " ".join((m.group("qual") or "").lower().split())
        if qualifier == "at":
            qualifier = ""
        start = m.start() if qualifier else m.start("h")
        out.append(Quantity(text=" ".join(text[start:m.end()].split()), value=float(value), qualifier=qualifier,
                            kind="time", start=start, end=m.end()))
    return tuple(out)
