"""Syndication at scale: do copies crowd out the links between different original articles?

    python bench/copies.py                 # 300 copies of the five sample articles
    python bench/copies.py --copies 100

Three runs of `compare` over the sample articles: the five alone; the five plus N lightly edited
copies (each copy: another outlet, named by its folder, one word changed in about a third of its paragraphs,
one paragraph cut in every third copy); the five plus N exact copies (only the outlet's name
changed). A cross-origin group is a group's set of original-article members when it holds two or
more originals; the bench prints those of each run and whether the copies' runs give the same
ones as the originals alone, and the time of the edited run against the exact one (wall-clock
seconds in this process, on a shared machine: the ratio is the figure, not the seconds).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimcheck.models import Report, Settings  # noqa: E402
from claimcheck.pipeline import compare  # noqa: E402

SAMPLE = ROOT / "sample_articles"
# Light edits a syndicating site makes: a word for a word, the meaning kept.
EDITS = [("said", "stated"), ("on Thursday", "Thursday"), ("has", "had"), ("U.S.", "US"), ("the city", "the town"),
         ("officials", "authorities"), ("also ", ""), ("attack", "strike"), ("weapons", "arms")]


def write_corpus(folder: Path, copies: int, edited: bool, seed: int = 7) -> list[str]:
    """The sample articles and `copies` copies of them in `folder`; the originals' source ids."""
    rnd = random.Random(seed)
    originals = sorted(SAMPLE.iterdir())
    for src in originals:
        shutil.copy(src, folder / src.name)
    for k in range(copies):
        src = originals[k % len(originals)]
        paragraphs = src.read_text(encoding="utf-8").split("\n\n")
        if edited:
            for i, p in enumerate(paragraphs):
                if rnd.random() < 0.33:
                    old, new = rnd.choice([e for e in EDITS if e[0] in p] or [("", "")])
                    paragraphs[i] = p.replace(old, new, 1) if old else p
            if k % 3 == 0 and len(paragraphs) > 6:
                del paragraphs[rnd.randrange(3, len(paragraphs) - 1)]
        outlet = folder / f"Syndicate Outlet {k:03d}"  # a folder names its outlet
        outlet.mkdir()
        (outlet / f"zz-copy{k:03d}{src.suffix}").write_text("\n\n".join(paragraphs), encoding="utf-8")
    return [src.stem.replace("_", "-") for src in originals]


def cross_origin(report: Report, originals: list[str]) -> set[frozenset[tuple[str, int]]]:
    """Each group's original members, for groups holding two or more original articles."""
    out = set()
    for c in report.claims:
        own = frozenset((m.source, m.sentence_index) for m in c.members if m.source in originals)
        if len({s for s, _ in own}) >= 2:
            out.add(own)
    return out


def linked(groups: set[frozenset[tuple[str, int]]]) -> set[frozenset[tuple[str, int]]]:
    """The pairs of original articles' sentences the cross-origin groups link."""
    return {frozenset((a, b)) for g in groups for a in g for b in g if a[0] < b[0]}


def run(copies: int, edited: bool) -> tuple[set, float, Report]:
    with tempfile.TemporaryDirectory() as tmp:
        originals = write_corpus(Path(tmp), copies, edited)
        start = time.perf_counter()
        report = compare([tmp], Settings(one_story=True), warn=lambda _: None)
        return cross_origin(report, originals), time.perf_counter() - start, report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=300)
    args = ap.parse_args()
    base, t_base, _ = run(0, False)
    edited, t_edited, rep = run(args.copies, True)
    exact, t_exact, _ = run(args.copies, False)
    print(f"5 originals: {len(base)} cross-origin groups ({t_base:.1f} s)")
    print(f"+ {args.copies} lightly edited copies: {len(edited)} cross-origin groups, same as the originals: "
          f"{edited == base} ({len(edited & base)} shared; {t_edited:.1f} s; {rep.summary.sources} sources)")
    print(f"+ {args.copies} exact copies: {len(exact)} cross-origin groups, same as the originals: {exact == base} "
          f"({t_exact:.1f} s)")
    for name, got in (("edited", edited), ("exact", exact)):
        want, have = linked(base), linked(got)
        print(f"  {name}: links between originals' sentences kept {len(want & have)}/{len(want)}, "
              f"new {len(have - want)}")
    print(f"time, edited / exact copies: {t_edited / t_exact:.2f}x")
    return 0 if edited == base else 1


if __name__ == "__main__":
    sys.exit(main())
