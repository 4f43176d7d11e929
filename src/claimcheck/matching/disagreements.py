"""Disagreements: figures the members of one claim give for the same thing that differ."""

from __future__ import annotations

from collections.abc import Sequence

from claimcheck.matching.quantities import Quantity
from claimcheck.models import Disagreement, Figure, Sentence


def find_disagreements(members: Sequence[Sentence], quantities: Sequence[Sequence[Quantity]]) -> tuple[Disagreement, ...]:
    """Figures for the same thing that differ ("19" vs "at least 12" killed; age 25 vs 26).

    Two figures count the same thing when they are of one kind (count, money, percent, measure
    in the same unit, age) and share what they count: the synonym class of the word before or
    after them ("killed 19" / "19 dead" / "death toll of 19"). Dates, years, ordinals and
    numbers in names ("Galaxy S5", "Flight 370") are not figures; "€3m" and "at least 3
    million" are one value. Each source gives at most one figure per topic (its first).
    """
    topics: dict[tuple, dict[str, tuple[Quantity, Sentence]]] = {}
    order: list[tuple] = []
    for sentence, quants in zip(members, quantities):
        for q in quants:
            if not q.is_figure:
                continue
            kind = (q.kind, q.unit if q.kind in ("measure", "money") else "")
            for topic in q.topics:
                key = (kind, topic)
                if key not in topics:
                    topics[key] = {}
                    order.append(key)
                topics[key].setdefault(sentence.source, (q, sentence))
    found: list[Disagreement] = []
    reported: set[frozenset[tuple[str, str]]] = set()
    # Topics most sources give a figure for first, so a disagreement is reported once, whole.
    for key in sorted(order, key=lambda k: -len(topics[k])):
        by_source = topics[key]
        if len(by_source) < 2:
            continue
        quants = [q for q, _ in by_source.values()]
        if all(quants[0].same_value(q) for q in quants[1:]):
            continue
        figures = frozenset((src, q.text) for src, (q, _) in by_source.items())
        if figures in reported or any(figures <= r for r in reported):
            continue
        reported.add(figures)
        found.append(Disagreement(topic=_label(key[1], quants[0]), figures=tuple(
            Figure(source=src, value=q.text, text=s.text) for src, (q, s) in sorted(by_source.items()))))
    return tuple(found)


def _label(topic: str, q: Quantity) -> str:
    """A word for what the figures count."""
    if topic.startswith("age"):
        return "age"
    if topic.startswith("money"):
        return "amount"
    side = topic[:1]
    if side == "b" and q.before_word:
        return q.before_word.lower()
    if side == "a" and q.after_word:
        return q.after_word.lower()
    return (q.before_word or q.after_word or "figure").lower()
