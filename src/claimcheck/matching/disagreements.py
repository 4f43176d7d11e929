"""Disagreements: figures two sources give for the same quantity of the same event that differ.

A figure is a fact with a subject (`quantities.counted`): "13 were wounded" counts the injured,
"129 seats" New Democracy's seats, "since the 1999 crash that killed 11" is an aside. Two figures
are compared only when they count the same thing (the same event class and counted noun, the
same owner where both name one) and neither is an aside. A difference is classified:

- compatible: a bound or a rounding the other figure satisfies ("at least 12" / 19; 30% / 29.7%);
- update: the figure moves with the publication date (128 on the 17th, 129 on the 18th);
- conflict: anything else (19 / 12, both exact).

`find_disagreements` compares the members of one claim group; `story_figures` compares the
figures of each quantity across a whole story, wherever their sentences were grouped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from claimcheck.matching.normalise import STOP_WORDS, TOKEN_RE, WEEKDAYS, normal_token, normalise_text
from claimcheck.matching.quantities import (DURATIONS, FIGURE_WORDS, Counted, Quantity, clock_times, counted,
                                             quantities)
from claimcheck.models import ClaimGroup, Contradiction, Disagreement, Figure, KeyFigure, Sentence

_LOWER = ("at least", "more than", "over", "just over", "as few as")
_UPPER = ("at most", "less than", "fewer than", "up to", "under", "just under", "as many as")
_NEAR_BELOW = ("nearly", "almost", "close to")
_ABOUT = ("about", "around", "roughly", "approximately", "an estimated", "some")
# What a qualified time of day allows, in minutes.
_TIME_WINDOWS = {
    "about": lambda v: (v - 15, v + 15), "around": lambda v: (v - 15, v + 15),
    "approximately": lambda v: (v - 15, v + 15), "roughly": lambda v: (v - 15, v + 15),
    "just before": lambda v: (v - 15, v), "shortly before": lambda v: (v - 15, v),
    "before": lambda v: (v - 180, v), "by": lambda v: (v - 180, v), "until": lambda v: (v - 180, v),
    "just after": lambda v: (v, v + 15), "shortly after": lambda v: (v, v + 15), "after": lambda v: (v, v + 180),
}
# Events whose count only grows as reports come in (a later, higher figure is an update).
_CUMULATIVE = frozenset({"killed", "injured", "missing", "arrested", "sick", "evacuated", "rescued"})


@dataclass(frozen=True)
class Fact:
    """One figure of one sentence, with what it counts."""

    sentence: Sentence
    q: Quantity
    c: Counted
    single: bool = True  # the only figure of its sentence that counts this thing
    names: tuple[str, ...] = ()  # for an age: the person's name as written ("Elizabeth", "Mychelle")
    who: str = ""  # for an age: the person, one spelling for all the story's ("Michelle" / "Mychelle")

    @property
    def key(self) -> tuple[str, ...]:
        """What two figures must share to count the same thing (the owner aside)."""
        if self.q.unit == "magnitude" or self.c.noun == "magnitud":
            return ("magnitude", "", "", "")
        if self.q.kind == "age":
            # Whose age: the person after "a 26-year-old man", the name before "Alvarez, 26,".
            who = self.who or (self.c.noun if "-" in self.q.text else normal_token(self.c.owner.lower()))
            return ("age", "", "", who)
        unit = self.q.unit if self.q.kind in ("measure", "money") else ""
        noun = "" if self.c.event and self.c.noun == "people" else self.c.noun
        return (self.q.kind, unit, self.c.event, noun)

    @property
    def story_level(self) -> bool:
        """Whether the figure can be compared across a story outside its claim: a count of an event
        or a named person's age; not a count of things, a duration or a distance."""
        if self.q.kind == "age":
            return bool(self.names)  # a named person's age
        if self.key[0] == "magnitude":
            return True  # a quake has one magnitude
        # An event count (killed, injured, arrested, ...): a story has one toll per event; counts of
        # things ("three boats", "14 rifles") recur for every episode of a story and are compared
        # within a claim only.
        if self.q.kind == "percent":
            return bool(self.c.noun)  # a share of something named: "29.7% of the vote"
        return self.q.kind == "count" and bool(self.c.event)

    @property
    def context(self) -> frozenset[str]:
        """The sentence's words that say which event this is (not the figure's own words)."""
        return _context(self.sentence.text)

    def figure(self, date: str | None = None) -> Figure:
        return Figure(source=self.sentence.source, value=self.q.text, text=self.sentence.text,
                      sentence_index=self.sentence.index, number=self.q.value, qualifier=self.q.qualifier,
                      date=date)


@lru_cache(maxsize=8192)
def _context(text: str) -> frozenset[str]:
    words = (t.lower().split("'")[0] for t in TOKEN_RE.findall(normalise_text(text)))
    return frozenset(normal_token(w) for w in words
                     if w.isalpha() and len(w) > 2 and w not in STOP_WORDS and w not in FIGURE_WORDS)


def _same_event(figs: Sequence[Fact]) -> list[Fact]:
    """The figures whose sentence shares a word of context with another's ("attack" in "The attack
    killed 19" / "a Russian attack ... killed at least 12"): without one, two tolls may be two events.
    A sentence that says nothing but the figure ("About 100 were injured") is no evidence either way."""
    return [f for f in figs if any((not f.context or not g.context or f.context & g.context)
                                   and not _other_day(f, g) for g in figs if g is not f)]


def _other_day(a: Fact, b: Fact) -> bool:
    """The two sentences name different weekdays and none in common: two days, two events
    ("arrested nine on Monday" / "arrested three on Saturday")."""
    da, db = a.context & WEEKDAYS, b.context & WEEKDAYS
    return bool(da and db and not da & db)


def facts(sentence: Sentence, quants: Sequence[Quantity] | None = None) -> list[Fact]:
    """The figures of `sentence` that say what they count and are not asides."""
    text = normalise_text(sentence.text)
    quants = quantities(text) if quants is None else quants
    out = []
    read = [(q, counted(text, q)) for q in quants if q.is_figure and q.value is not None]
    # "New Democracy has 29.7% of the vote, Syriza 26.9% and Pasok 12.3%": one noun for the list.
    shares = {c.noun for q, c in read if q.kind == "percent" and c.noun}
    for q, c in read:
        if q.kind == "percent" and not c.noun and not c.event and len(shares) == 1:
            c = replace(c, noun=next(iter(shares)))
        if c.aside or not (c.known or q.kind == "age"):
            continue
        out.append(Fact(sentence, q, c, names=_names(text, q) if q.kind == "age" else ()))
    out += [Fact(sentence, q, Counted(noun="time")) for q in clock_times(text)]
    keys = Counter(f.key for f in out)
    return [replace(f, single=keys[f.key] == 1) for f in out]


_TITLES = frozenset("mr mrs ms miss dr sir lord lady rev gen col capt sgt lt officer".split())


def _names(text: str, q: Quantity) -> tuple[str, ...]:
    """The name of the person whose age `q` is: "7-year-old (sister) Elizabeth Mychelle", "Michelle, 8,"."""
    if "-" in q.text:
        after = TOKEN_RE.findall(text[q.end: q.end + 60])
        if after and after[0].islower():
            after = after[1:]  # "7-year-old sister Elizabeth"
        while after and after[0].lower().rstrip(".") in _TITLES:
            after = after[1:]  # "40-year-old Mr. Smith"
        names = []
        for tok in after[:3]:
            if not (tok[:1].isupper() and tok.isalpha()):
                break
            names.append(tok)
        if len(after) > len(names) and after[len(names)].isalpha() and after[len(names)].islower():
            return ()  # "a 38-year-old Troy resident": a place, not the person's name
        return tuple(names)
    before = TOKEN_RE.findall(text[max(q.start - 60, 0): q.start])
    while before and before[-1] == ",":
        before.pop()
    names = []
    for tok in reversed(before[-3:]):
        if not (tok[:1].isupper() and tok.isalpha()) or tok.lower() in STOP_WORDS:
            break
        names.append(tok)
    return tuple(n for n in reversed(names) if n.lower() not in _TITLES)


def same_people(found: Sequence[Fact]) -> list[Fact]:
    """`found` with each named age's `who` set to one spelling per person: two names are one
    person when a word of one is close to a word of the other ("Michelle" / "Elizabeth Mychelle")."""
    named = [f for f in found if f.names]
    parent = list(range(len(named)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(named):
        for j in range(i):
            if any(fuzz.ratio(x.lower(), y.lower()) >= 80 for x in a.names for y in named[j].names):
                parent[root(i)] = root(j)
    spelling = {id(f): named[root(i)].names[0].lower() for i, f in enumerate(named)}
    return [replace(f, who=spelling[id(f)]) if id(f) in spelling else f for f in found]


def _worth_listing(figs: Sequence[Fact]) -> bool:
    """An agreed figure worth a row of the key figures: a toll or other event count, an age, or a
    figure three or more sources give."""
    return bool(figs[0].c.event) or figs[0].q.kind == "age" or len(figs) >= 3


_DISTANCES = frozenset(normal_token(w) for w in "mile miles nautical km kilometre kilometres kilometer kilometers "
                       "metre metres meter meters feet foot yard yards".split())


def _reference(f: Fact) -> str:
    """What a distance is measured from: the first word after "from" or "of" ("30 miles north of
    Atlanta" -> "atlanta")."""
    text = normalise_text(f.sentence.text)
    after = TOKEN_RE.findall(text[f.q.end: f.q.end + 100])[:12]
    for k, tok in enumerate(after):
        if tok.lower() in ("from", "of", "off"):
            rest = [t for t in after[k + 1:] if t.isalpha() and t.lower() not in STOP_WORDS]
            return normal_token(rest[0].lower()) if rest else ""
    return ""


def _any_clash(figs: Sequence[Fact]) -> bool:
    return any(_owners_clash(a, b) for i, a in enumerate(figs) for b in figs[i + 1:])


def _owners_clash(a: Fact, b: Fact) -> bool:
    """Two figures whose names say they belong to different things ("Syriza 26.9%" / "New
    Democracy 29.7%"): both name an owner, the owners differ, and one sentence lacks the other's."""
    if a.q.kind == "age":
        return False  # whose age it is is in the key (`same_people`)
    if a.q.kind == "measure" or a.c.noun in _DISTANCES:
        ra, rb = _reference(a), _reference(b)
        if ra and rb and ra != rb:
            return True  # "150 nautical miles from Aden" / "13 nautical miles from the warship"
    oa, ob = a.c.owner, b.c.owner
    return bool(oa and ob and oa != ob and (oa not in b.sentence.text or ob not in a.sentence.text))


def _owner_sets(per_source: Mapping[str, list[Fact]]) -> list[dict[str, list[Fact]]]:
    """Per source, the figures of each owner ("Syriza 71 seats" / "New Democracy 129 seats").

    A figure without an owner joins an owner's set when its sentence names the owner and gives no
    other figure of the kind; the rest of those without an owner form one more set. Figures of a
    sentence with several of the kind and no owner of their own are left out (whose are they?)."""
    if all(not _differ(fs) for fs in per_source.values()):
        # One value per source: compare them, unless their owners say they are different things.
        firsts = [fs[0] for fs in per_source.values()]
        if not _any_clash(firsts):
            return [dict(per_source)]
    # An owner tells figures apart only if some sentence lists several figures with owners ("New
    # Democracy 29.7%, Syriza 26.9%"); a lone figure's name before it ("the East Coast", "New
    # York") is context.
    listed = {f.c.owner for fs in per_source.values() for f in fs if f.c.owner and not f.single}

    def owner_of(f: Fact) -> str:
        return f.c.owner if f.c.owner in listed else ""

    owners: dict[str, int] = defaultdict(int)
    for fs in per_source.values():
        for f in fs:
            if owner_of(f):
                owners[owner_of(f)] += 1
    used: set[int] = set()
    sets: list[dict[str, list[Fact]]] = []
    for owner in sorted(owners, key=lambda o: (-owners[o], o)):
        chosen: dict[str, list[Fact]] = {}
        for src, fs in per_source.items():
            named = [f for f in fs if owner_of(f) == owner] or [
                f for f in fs if not owner_of(f) and f.single and owner in f.sentence.text]
            if named:
                chosen[src] = named
        if len(chosen) >= 2:
            sets.append(chosen)
            used.update(id(f) for fs in chosen.values() for f in fs)
    rest = {src: kept for src, fs in per_source.items()
            if (kept := [f for f in fs if not owner_of(f) and f.single and id(f) not in used])}
    if len(rest) >= 2:
        sets.append(rest)
    return sets


def label(key: tuple[str, ...]) -> str:
    """What a key counts, in words: "killed", "injured", "seats", "vote share", "age"."""
    kind = key[0]
    if kind == "magnitude":
        return "magnitude"
    if kind == "age":
        return f"age of {key[3].capitalize()}" if key[3] else "age"
    _, unit, event, noun = key
    thing = event or noun
    if kind == "time":
        return "time of day"
    if kind == "percent":
        return f"{thing} share".strip() if thing else "share"
    if kind == "money":
        return f"{thing} amount".strip() if thing else "amount"
    if kind == "measure":
        return f"{thing} ({unit})" if thing else unit
    return thing


def _interval(q: Quantity) -> tuple[float, float]:
    """The values a figure allows: a bound, a rounding margin, or the exact value."""
    v = q.value or 0.0
    qual = q.qualifier
    if q.kind == "time":  # minutes after midnight
        return _TIME_WINDOWS.get(qual, lambda v: (v, v))(v)
    if qual in _LOWER:
        return v, float("inf")
    if qual in _UPPER:
        return 0.0, v
    if qual in _NEAR_BELOW:
        return v * 0.85, v
    if qual in _ABOUT:
        return v * 0.9, v * 1.1
    if q.kind == "percent" and float(v).is_integer():
        return v - 0.5, v + 0.5  # "30 percent" is a rounded share
    if q.scaled:
        return v * 0.95, v * 1.05  # "$115 million" is a rounded amount
    return v, v


def classify(figures: Sequence[tuple[Fact, str | None]], event: str) -> tuple[str, str, list[tuple[Fact, str | None]]]:
    """(kind, note, figures in the order to show them) for figures that differ."""
    lo = max(_interval(f.q)[0] for f, _ in figures)
    hi = min(_interval(f.q)[1] for f, _ in figures)
    if lo <= hi + 1e-9:
        bounds = [f.q.text for f, _ in figures if f.q.qualifier or _interval(f.q)[0] != _interval(f.q)[1]]
        return "compatible", f"{', '.join(bounds)}: a bound or rounding the other figures fit", list(figures)
    dated = [(f, d) for f, d in figures if d]
    if len(dated) == len(figures) and len({d for _, d in dated}) > 1 and event in _CUMULATIVE:
        ordered = sorted(figures, key=lambda fd: (fd[1], fd[0].sentence.source))
        values = [f.q.value or 0.0 for f, _ in ordered]
        same_day_agree = all(
            a.q.same_value(b.q) for i, (a, da) in enumerate(ordered) for b, db in ordered[i + 1:] if da == db)
        if same_day_agree and all(x <= y for x, y in zip(values, values[1:])):
            steps = " -> ".join(f"{f.q.text} ({d})" for f, d in ordered)
            return "update", f"changes with the publication date: {steps}", ordered
    return "conflict", "", list(figures)


def _topic(key: tuple[str, ...], figs: Sequence[Fact]) -> str:
    """`label(key)`, with whose figure it is where a sentence lists several ("vote share (Syriza)")."""
    name = label(key)
    words = Counter(f.c.noun_word for f in figs if f.c.noun_word and f.c.noun == key[3])
    if words and key[0] != "age" and key[3] and not key[2]:
        name = name.replace(key[3], words.most_common(1)[0][0], 1)  # "rifles", not the stem "rifl"
    owners = Counter(f.c.owner for f in figs if f.c.owner)
    if key[0] != "age" and owners and any(not f.single for f in figs):
        return f"{name} ({owners.most_common(1)[0][0]})"
    return name


def _differ(figs: Sequence[Fact]) -> bool:
    return not all(figs[0].q.same_value(f.q) for f in figs[1:])


def find_disagreements(members: Sequence[Sentence], quantities: Sequence[Sequence[Quantity]],
                       dates: Mapping[str, str | None] | None = None,
                       keep: Callable[[Fact], bool] | None = None,
                       people: Callable[[Sequence[Fact]], list[Fact]] | None = None) -> tuple[Disagreement, ...]:
    """Figures the members of one claim give for the same quantity that differ, classified.

    "19" / "at least 12" killed is compatible (a bound), 128 -> 129 seats with the later date
    an update, 19 / 12 killed a conflict; "killed 9" / "13 wounded" count different things and
    "since the 1999 crash that killed 11" is an aside, so neither is compared. Dates, years,
    ordinals and numbers in names are not figures. `keep` leaves figures out (`StoryFigures.clear`);
    `people` names the person of each age (default `same_people` over the members).
    """
    dates = dates or {}
    by_key: dict[tuple, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    found = (people or same_people)([f for sentence, quants in zip(members, quantities) for f in facts(sentence, quants)])
    for f in found:
        if keep is None or keep(f):
            by_key[f.key][f.sentence.source].append(f)
    found: list[Disagreement] = []
    for key in sorted(by_key, key=lambda k: (-len(by_key[k]), k)):
        for chosen in _owner_sets(by_key[key]):
            figs = _same_event([chosen[s][0] for s in sorted(chosen)])
            if len(figs) < 2 or not _differ(figs) or _any_clash(figs):
                continue
            kind, note, ordered = classify([(f, dates.get(f.sentence.source)) for f in figs], key[2] if len(key) > 3 else "")
            found.append(Disagreement(kind=kind, topic=_topic(key, figs), note=note,
                                      figures=tuple(f.figure(d) for f, d in ordered)))
    return tuple(found)


def with_claims(contradictions: Sequence[Contradiction], groups: Sequence[ClaimGroup]) -> list[Contradiction]:
    """The contradictions, each with the listed claim groups its two sentences belong to ("" for none)."""
    group_of = {(m.source, m.sentence_index): g.id for g in groups for m in g.members}
    return [c.model_copy(update={"claims": tuple(group_of.get((m.source, m.sentence_index), "") for m in (c.a, c.b))})
            for c in contradictions]


class StoryFigures:
    """Every figure of every claim, per story: to compare a quantity across the story and to see
    which figures are ambiguous (a source that gives 12 killed in all and 9 at the offices uses
    "killed" for two quantities, so neither of its figures is compared with another source's)."""

    def __init__(self, claims: Sequence[Sentence], story_of: Mapping[str, str]) -> None:
        self.story_of = story_of
        self.by_key: dict[tuple, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
        values: dict[tuple, list[Quantity]] = defaultdict(list)
        self.who: dict[tuple[str, int, int], str] = {}
        by_story: dict[str, list[Fact]] = defaultdict(list)
        for sentence in claims:
            by_story[story_of.get(sentence.source, "")].extend(facts(sentence))
        for story, found in sorted(by_story.items()):
            for f in same_people(found):
                source = f.sentence.source
                if f.who:
                    self.who[(source, f.sentence.index, f.q.start)] = f.who
                values[(source, f.key, "" if f.q.kind == "age" else f.c.owner)].append(f.q)
                if f.story_level:
                    self.by_key[(story, *f.key)][source].append(f)
        self.ambiguous = {k for k, qs in values.items() if not all(qs[0].same_value(q) for q in qs[1:])}

    def people(self, found: Sequence[Fact]) -> list[Fact]:
        """`found` with each age's person as the whole story names them (`same_people` over the story)."""
        return [replace(f, who=self.who.get((f.sentence.source, f.sentence.index, f.q.start), f.who)) for f in found]

    def clear(self, f: Fact) -> bool:
        """Whether the figure's source gives one value only for what it counts."""
        return (f.sentence.source, f.key, "" if f.q.kind == "age" else f.c.owner) not in self.ambiguous

    def check(self, group: ClaimGroup, dates: Mapping[str, str | None]) -> ClaimGroup:
        """`group` with its disagreements found again knowing each source's publication date (a rise with the date is an update, listed oldest first)."""
        if not group.disagreements:
            return group
        members = [Sentence(source=m.source, index=m.sentence_index, text=m.text, start=0, end=len(m.text))
                   for m in group.members]
        quants = [quantities(normalise_text(m.text)) for m in members]
        clear = find_disagreements(members, quants, dates, keep=self.clear, people=self.people)
        # A bound the other figure fits is shown even where a source uses the word for another
        # count too: it is flagged as compatible, not as a conflict.
        soft = [d for d in find_disagreements(members, quants, dates, people=self.people) if d.kind == "compatible"]
        found = clear + tuple(d for d in soft if d.topic not in {c.topic for c in clear})
        return group.model_copy(update={"disagreements": found})

    def key_figures(self, groups: Sequence[ClaimGroup], dates: Mapping[str, str | None]) -> tuple[KeyFigure, ...]:
        """Per story, each quantity two or more sources give a clear figure for, with each source's value."""
        group_of = {(m.source, m.sentence_index): g.id for g in groups for m in g.members}
        out: list[KeyFigure] = []
        for skey in sorted(self.by_key):
            story, key = skey[0], skey[1:]
            per_source = self.by_key[skey]
            if len(per_source) < 2:
                continue
            if key[0] == "age":
                # A named person has one age: a source that gives two contradicts itself; leave it out.
                per_source = {src: fs for src, fs in per_source.items() if not _differ(fs)}
            for chosen_all in _owner_sets(per_source) if len(per_source) >= 2 else ():
                if any(_differ(fs) for fs in chosen_all.values()):
                    continue  # one source, two values: the key names more than one quantity
                figs = _same_event([chosen_all[s][0] for s in sorted(chosen_all)])
                if len(figs) < 2:
                    continue
                if _differ(figs):
                    kind, note, ordered = classify([(f, dates.get(f.sentence.source)) for f in figs], key[2])
                elif not _worth_listing(figs):
                    continue
                else:
                    kind, note = "agree", ""
                    ordered = sorted(((f, dates.get(f.sentence.source)) for f in figs),
                                     key=lambda fd: (fd[1] or "", fd[0].sentence.source))
                ids = {group_of[(f.sentence.source, f.sentence.index)] for fs in chosen_all.values() for f in fs
                       if (f.sentence.source, f.sentence.index) in group_of}
                out.append(KeyFigure(story=story or None, topic=_topic(key, figs), kind=kind, note=note,
                                     figures=tuple(f.figure(d) for f, d in ordered),
                                     claims=tuple(sorted(ids, key=lambda c: (len(c), c)))))
        order = {"conflict": 0, "update": 1, "compatible": 2, "agree": 3}
        out.sort(key=lambda k: (k.story or "", order[k.kind], -len(k.figures), k.topic))
        return tuple(out)
