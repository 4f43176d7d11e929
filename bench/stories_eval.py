"""Link precision/recall of `compare` against the hand-made gold of ../shared/data/stories.

    python bench/stories_eval.py                 # per story and micro-averaged, default settings
    python bench/stories_eval.py --threshold 60 --min-confidence 0
    python bench/stories_eval.py --verbose greek_election_2012   # list wrong links

Scoring follows the README of the data set: tool sentences are aligned to gold members by span
overlap (at least half of the shorter span); a predicted link (two members of one group from two
articles) is right when the two sides share a gold claim; a gold link is found when some predicted
link maps to its two sentences. Groups marked `possible` count only with --with-possible.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT.parent / "shared" / "data" / "stories"
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


@dataclass
class Counts:
    predicted: int = 0
    right: int = 0
    gold: int = 0
    found: int = 0
    wrong: list = field(default_factory=list)

    def add(self, other: "Counts") -> None:
        self.predicted += other.predicted
        self.right += other.right
        self.gold += other.gold
        self.found += other.found

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0


def story_dirs() -> list[Path]:
    return sorted(p for p in STORIES.iterdir() if (p / "gold.json").exists()) if STORIES.exists() else []


_SKIP = set("`'\"\u201c\u201d\u2018\u2019_") | {" ", "\n", "\t", "\r", "\xa0"}


def _squeeze(text: str) -> tuple[str, list[int]]:
    """The text without quotes, underscores and spaces, and each kept character's offset."""
    keep = [(k, ch) for k, ch in enumerate(text) if ch not in _SKIP]
    return "".join(ch for _, ch in keep), [k for k, _ in keep]


def span(text: str, sentence: str) -> tuple[int, int] | None:
    """Where the tool's sentence lies in the file: exactly, or ignoring the quote marks and
    spacing the reader normalises (wire ``quotes'', curly quotes, runs of spaces)."""
    k = text.find(sentence)
    if k >= 0:
        return k, k + len(sentence)
    hay, offsets = _squeeze(text)
    needle, _ = _squeeze(sentence)
    k = hay.find(needle) if needle else -1
    if k < 0:
        return None
    return offsets[k], offsets[k + len(needle) - 1] + 1


def gold_members(story: Path) -> tuple[dict[str, list[tuple[int, int, frozenset[str]]]], dict]:
    """Per file: (start, end, gold claim ids) of every gold member sentence."""
    gold = json.loads((story / "gold.json").read_text(encoding="utf-8"))
    spans: dict[tuple[str, int, int], set[str]] = {}
    for claim in gold["claims"]:
        for m in claim["members"]:
            text = (story / m["doc"]).read_text(encoding="utf-8")
            k = text.find(m["sentence"])
            spans.setdefault((m["doc"], k, k + len(m["sentence"])), set()).add(claim["id"])
    out: dict[str, list] = {}
    for (doc, a, b), ids in sorted(spans.items()):
        out.setdefault(doc, []).append((a, b, frozenset(ids)))
    return out, gold


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two spans overlap by at least half of the shorter (the data set's alignment rule)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter * 2 >= min(a[1] - a[0], b[1] - b[0])


def _align(spans: list, a: int, b: int) -> frozenset[str]:
    ids: set[str] = set()
    for s, e, claim_ids in spans:
        if overlaps((a, b), (s, e)):
            ids |= claim_ids
    return frozenset(ids)


def score_story(story: Path, report, with_possible: bool = False) -> Counts:
    members, gold = gold_members(story)
    files = {p.name: p.read_text(encoding="utf-8") for p in story.glob("*.txt")}
    by_id = {s.id: Path(s.path).name for s in report.sources}
    counts = Counts()
    # gold links: pairs of member sentences of two files sharing a claim
    flat = [(doc, a, b, ids) for doc, spans in members.items() for a, b, ids in spans]
    gold_links = {(x[:3], y[:3]) for x, y in combinations(flat, 2) if x[0] != y[0] and x[3] & y[3]}
    counts.gold = len(gold_links)
    found: set = set()
    for g in report.claims:
        if g.support < 2 or (g.possible and not with_possible):
            continue
        aligned = []
        for m in g.members:
            doc = by_id[m.source]
            where = span(files[doc], m.text)
            if where is None:
                aligned.append((doc, m.text, frozenset(), []))
                continue
            spans = members.get(doc, [])
            hit = [(s, e) for s, e, _ in spans if overlaps(where, (s, e))]
            aligned.append((doc, m.text, _align(spans, *where), hit))
        for x, y in combinations(aligned, 2):
            if x[0] == y[0]:
                continue
            counts.predicted += 1
            if x[2] & y[2]:
                counts.right += 1
            else:
                counts.wrong.append((g.id, g.confidence, x[0], x[1], y[0], y[1]))
            for sx in x[3]:
                for sy in y[3]:
                    for key in (((x[0], *sx), (y[0], *sy)), ((y[0], *sy), (x[0], *sx))):
                        if key in gold_links:
                            found.add(key)
    counts.found = len(found)
    return counts


def run(settings, stories: list[Path] | None = None, loso: bool = False):
    """Each story's report (`compare --one-story` on its folder); with `loso`, each with a matcher
    trained without that story (bench/train_matcher.py's data and settings)."""
    from claimcheck import compare
    from claimcheck.matching import model as model_module

    trained = _loso_models() if loso else {}
    out = {}
    for story in stories or story_dirs():
        if loso:
            model_module.load_model.cache_clear()
            model_module.OVERRIDE = trained[story.name]
        try:
            out[story.name] = compare([str(story)], settings.model_copy(update={"one_story": True}), warn=lambda m: None)
        finally:
            model_module.OVERRIDE = None
            model_module.load_model.cache_clear()
    return out


def _loso_models() -> dict[str, dict]:
    sys.path.insert(0, str(ROOT / "bench"))
    import train_matcher

    sets = train_matcher._sets()
    weights = dict(mrpc=train_matcher.MRPC_WEIGHT, duc=train_matcher.DUC_WEIGHT, stories=train_matcher.STORIES_WEIGHT)
    out = {}
    for story in story_dirs():
        m = train_matcher.fit_model(sets, weights, train_matcher.L2_C, drop_stories=[story.name])
        out[story.name] = m
    return out


def main(argv: list[str] | None = None) -> int:
    from claimcheck.models import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--min-confidence", type=float, default=None)
    parser.add_argument("--with-possible", action="store_true")
    parser.add_argument("--loso", action="store_true", help="each story matched by a model trained without it")
    parser.add_argument("--verbose", nargs="*", default=None, help="list wrong links (of these stories)")
    args = parser.parse_args(argv)
    update = {k: v for k, v in (("threshold", args.threshold), ("min_confidence", args.min_confidence)) if v is not None}
    settings = Settings().model_copy(update=update)
    reports = run(settings, loso=args.loso)
    total = Counts()
    print(f"{'story':36} {'pred':>5} {'right':>5} {'P':>5} {'gold':>5} {'found':>5} {'R':>5}")
    for name, report in reports.items():
        c = score_story(STORIES / name, report, args.with_possible)
        total.add(c)
        print(f"{name:36} {c.predicted:5} {c.right:5} {c.precision:5.2f} {c.gold:5} {c.found:5} {c.recall:5.2f}")
        if args.verbose is not None and (not args.verbose or name in args.verbose):
            for gid, conf, da, ta, db, tb in c.wrong:
                print(f"   x {gid} ({conf:.0f}) {da}: {ta[:110]}\n              {db}: {tb[:110]}")
    print(f"{'micro':36} {total.predicted:5} {total.right:5} {total.precision:5.2f} {total.gold:5} {total.found:5} {total.recall:5.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
