"""Figure disagreements and contradictions against the hand-labelled stories (../shared/data/stories).

    python bench/figures.py            # the figures, micro-averaged over the six stories, and per story
    python bench/figures.py --list     # also every flag with its verdict against the gold

Each story folder is run as a user would run it (`claimcheck compare <folder>`, default settings).
Scoring follows the stories README ("Disagreements"): each gold disagreement yields one expected
pair per two articles that give different values; a flag (two sources' figures that differ, from a
claim's disagreements or the story's key figures) is right when both of its sentences map to
members of that gold claim in those two articles and its two figures are the values the gold
gives for them (where the gold value is a number). A sentence maps to a gold member when their
character spans overlap by at least half of the shorter. Gold disagreements marked "not a figure"
(spellings, roles) are counted in `recall (all)` but cannot be found by a figure comparison, so
`recall` is over the figure disagreements only. Contradictions: a flag is right when its two
sentences map to the two sentences of a gold contradiction.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from claimcheck.matching import extract_quantities  # noqa: E402
from claimcheck.models import Report, Settings  # noqa: E402
from claimcheck.pipeline import compare  # noqa: E402
from stories_eval import overlaps, span  # noqa: E402
from stories_eval import story_dirs as story_folders  # noqa: E402

STORIES = ROOT.parent / "shared" / "data" / "stories"


@dataclass
class Flag:
    """Two sources' figures (or sentences) that the tool reports as differing."""

    thing: str
    kind: str
    a: tuple[str, str, str]  # source, value, sentence
    b: tuple[str, str, str]
    right: bool = False
    gold: str = ""


@dataclass
class StoryScore:
    story: str
    flags: list[Flag] = field(default_factory=list)
    expected: int = 0  # gold figure pairs
    expected_all: int = 0  # gold pairs, non-figure ones included
    expected_hard: int = 0  # gold figure pairs the gold does not call compatible, rounding, a bound or vague
    found_hard: int = 0
    found: int = 0
    found_all: int = 0
    missed: list[str] = field(default_factory=list)
    contradictions: list[Flag] = field(default_factory=list)
    gold_contradictions: int = 0
    found_contradictions: int = 0


class Gold:
    """One story's gold, with every member's character span."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.raw = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        self.texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
        self.members: dict[str, list[tuple[str, tuple[int, int]]]] = {}
        for claim in self.raw["claims"]:
            spans = []
            for m in claim["members"]:
                doc = Path(m["doc"]).stem
                where = span(self.texts[doc], m["sentence"])
                if where:
                    spans.append((doc, where))
            self.members[claim["id"]] = spans

    def in_claim(self, claim: str, source: str, sentence: str) -> bool:
        where = span(self.texts.get(source, ""), sentence)
        if where is None:
            return False
        return any(doc == source and overlaps(where, s) for doc, s in self.members.get(claim, ()))

    def is_sentence(self, ref: dict, source: str, sentence: str) -> bool:
        doc = Path(ref["doc"]).stem
        if doc != source:
            return False
        a, b = span(self.texts[doc], ref["sentence"]), span(self.texts[doc], sentence)
        return bool(a and b and overlaps(a, b))


def flags(report: Report, stem: dict[str, str]) -> list[Flag]:
    """Every pair of sources whose figures differ, from the claims' disagreements and key figures."""
    out: list[Flag] = []
    seen: set[tuple] = set()
    groups: Iterable = [d for g in report.claims for d in g.disagreements]
    groups = list(groups) + [k for k in getattr(report, "key_figures", ()) if getattr(k, "kind", "") != "agree"]
    for d in groups:
        for fa, fb in combinations(d.figures, 2):
            na, nb = getattr(fa, "number", None), getattr(fb, "number", None)
            same = na == nb if na is not None else fa.value == fb.value
            if fa.source == fb.source or same:
                continue
            key = tuple(sorted([(fa.source, fa.text), (fb.source, fb.text)]))
            if key in seen:
                continue
            seen.add(key)
            out.append(Flag(d.topic, getattr(d, "kind", ""), (stem[fa.source], fa.value, fa.text),
                            (stem[fb.source], fb.value, fb.text)))
    return out


def _numbers(text: str) -> set[float]:
    return {q.value for q in extract_quantities(text) if q.value is not None}


def _value_fits(flagged: str, gold_value: str) -> bool:
    """The flagged figure is (one of) the value(s) the gold gives for that article, where the gold
    value is a number: a flag that compares the wrong figures of the right sentences is wrong."""
    gold_numbers = _numbers(gold_value)
    return not gold_numbers or bool(_numbers(flagged) & gold_numbers)


_SOFT_NOTES = ("compatible", "rounding", "bound", "vague")


def _not_figure(d: dict) -> bool:
    return "not a figure" in d.get("note", "")


def score_story(folder: Path, report: Report | None = None) -> StoryScore:
    gold = Gold(folder)
    report = report or compare([str(folder)], Settings(), warn=lambda _: None)
    stem = {src.id: Path(src.path).stem for src in report.sources}
    result = StoryScore(folder.name, flags(report, stem))
    expected: list[tuple[dict, str, str]] = []
    for d in gold.raw["disagreements"]:
        values = {Path(k).stem: v for k, v in d["values"].items()}
        for x, y in combinations(sorted(values), 2):
            if values[x] != values[y]:
                expected.append((d, x, y))
    hit: set[int] = set()
    for flag in result.flags:
        for k, (d, x, y) in enumerate(expected):
            if {x, y} != {flag.a[0], flag.b[0]}:
                continue
            a, b = (flag.a, flag.b) if flag.a[0] == x else (flag.b, flag.a)
            values = {Path(k).stem: v for k, v in d["values"].items()}
            if (gold.in_claim(d["claim"], x, a[2]) and gold.in_claim(d["claim"], y, b[2])
                    and _value_fits(a[1], values[x]) and _value_fits(b[1], values[y])):
                flag.right = True
                flag.gold = f"{d['claim']} {d['thing']}"
                hit.add(k)
    for k, (d, x, y) in enumerate(expected):
        result.expected_all += 1
        result.found_all += k in hit
        if not _not_figure(d):
            result.expected += 1
            result.found += k in hit
            if not any(w in d.get("note", "") for w in _SOFT_NOTES):
                result.expected_hard += 1
                result.found_hard += k in hit
            if k not in hit:
                result.missed.append(f"{d['claim']} {d['thing']}: {x} {d['values'].get(x + '.txt')!r} / "
                                     f"{y} {d['values'].get(y + '.txt')!r}")
    gold_c = gold.raw["contradictions"]
    result.gold_contradictions = len(gold_c)
    found_c: set[int] = set()
    for c in report.contradictions:
        flag = Flag("contradiction", c.reason, (stem[c.a.source], "", c.a.text), (stem[c.b.source], "", c.b.text))
        for k, g in enumerate(gold_c):
            a, b = flag.a[0], flag.b[0]
            if ((gold.is_sentence(g["a"], a, c.a.text) and gold.is_sentence(g["b"], b, c.b.text))
                    or (gold.is_sentence(g["b"], a, c.a.text) and gold.is_sentence(g["a"], b, c.b.text))):
                flag.right = True
                flag.gold = g["about"]
                found_c.add(k)
        result.contradictions.append(flag)
    result.found_contradictions = len(found_c)
    return result


@dataclass
class Totals:
    flags: int
    right: int
    expected: int
    found: int
    expected_all: int
    found_all: int
    expected_hard: int
    found_hard: int
    contradictions: int
    contradictions_right: int
    gold_contradictions: int
    found_contradictions: int

    @property
    def precision(self) -> float:
        return self.right / self.flags if self.flags else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def recall_all(self) -> float:
        return self.found_all / self.expected_all if self.expected_all else 1.0


def totals(scores: list[StoryScore]) -> Totals:
    return Totals(
        flags=sum(len(s.flags) for s in scores),
        right=sum(f.right for s in scores for f in s.flags),
        expected=sum(s.expected for s in scores),
        found=sum(s.found for s in scores),
        expected_all=sum(s.expected_all for s in scores),
        found_all=sum(s.found_all for s in scores),
        expected_hard=sum(s.expected_hard for s in scores),
        found_hard=sum(s.found_hard for s in scores),
        contradictions=sum(len(s.contradictions) for s in scores),
        contradictions_right=sum(f.right for s in scores for f in s.contradictions),
        gold_contradictions=sum(s.gold_contradictions for s in scores),
        found_contradictions=sum(s.found_contradictions for s in scores),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every flag with its verdict")
    args = parser.parse_args(argv)
    folders = story_folders()
    if not folders:
        print(f"no stories under {STORIES}", file=sys.stderr)
        return 1
    scores = [score_story(f) for f in folders]
    for s in scores:
        right = sum(f.right for f in s.flags)
        print(f"{s.story:36s} flags {len(s.flags):3d} right {right:3d}   gold figure pairs {s.expected:3d} "
              f"found {s.found:3d}   contradictions {len(s.contradictions)} "
              f"(right {sum(f.right for f in s.contradictions)}, gold {s.gold_contradictions})")
        if args.list:
            for f in s.flags:
                mark = "RIGHT" if f.right else "WRONG"
                print(f"   {mark} {f.kind:10s} {f.thing}: {f.a[0]} {f.a[1]!r} / {f.b[0]} {f.b[1]!r}  {f.gold}")
                print(f"         a: {f.a[2][:150]}")
                print(f"         b: {f.b[2][:150]}")
            for m in s.missed:
                print(f"   MISSED {m}")
            for f in s.contradictions:
                mark = "RIGHT" if f.right else "WRONG"
                print(f"   {mark} contradiction ({f.kind}) {f.gold}")
                print(f"         a: {f.a[0]}: {f.a[2][:150]}")
                print(f"         b: {f.b[0]}: {f.b[2][:150]}")
    t = totals(scores)
    print(f"\nflags {t.flags}, right {t.right}: precision {t.precision:.3f}")
    print(f"gold figure pairs {t.expected}, found {t.found}: recall {t.recall:.3f}")
    print(f"gold figure pairs not marked compatible/rounding/bound/vague {t.expected_hard}, found {t.found_hard}: "
          f"recall {t.found_hard / max(t.expected_hard, 1):.3f}")
    print(f"gold pairs incl. not-a-figure {t.expected_all}, found {t.found_all}: recall (all) {t.recall_all:.3f}")
    print(f"contradictions flagged {t.contradictions}, right {t.contradictions_right}; "
          f"gold {t.gold_contradictions}, found {t.found_contradictions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
