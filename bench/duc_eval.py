"""`compare --one-story` on the DUC 2006 pyramid folders (each writer an outlet): link precision and
recall against the human content units (../shared/data/pyramid-duc2006/gold).

    python bench/duc_eval.py

A predicted link (two members of one group from two writers) is right when the two sentences
share a content unit; a gold link is a pair of sentences of two writers sharing one. Groups marked
`possible` count only with --with-possible.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DUC = ROOT.parent / "shared" / "data" / "pyramid-duc2006"
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def topics() -> list[str]:
    return sorted(p.name for p in (DUC / "folders").iterdir()) if DUC.exists() else []


def score_topic(topic: str, report, with_possible: bool = False) -> tuple[int, int, int, int]:
    """(predicted links, right, gold links, gold links found) of one topic's report."""
    gold = json.loads((DUC / "gold" / f"{topic}.json").read_text(encoding="utf-8"))
    units = {(s["writer"], " ".join(s["text"].split())): set(s["scus"]) for s in gold["sentences"]}
    writer = {src.id: Path(src.path).stem.removeprefix("writer_") for src in report.sources}
    gold_links = {frozenset((a["id"], b["id"])) for a, b in combinations(gold["sentences"], 2)
                  if a["writer"] != b["writer"] and set(a["scus"]) & set(b["scus"])}
    ids = {(s["writer"], " ".join(s["text"].split())): s["id"] for s in gold["sentences"]}
    predicted = right = 0
    found = set()
    for g in report.claims:
        if g.support < 2 or (g.possible and not with_possible):
            continue
        for x, y in combinations(g.members, 2):
            kx, ky = (writer[x.source], " ".join(x.text.split())), (writer[y.source], " ".join(y.text.split()))
            if kx[0] == ky[0]:
                continue
            predicted += 1
            if units.get(kx, set()) & units.get(ky, set()):
                right += 1
                found.add(frozenset((ids[kx], ids[ky])))
    return predicted, right, len(gold_links), len(found & gold_links)


def main(argv: list[str] | None = None) -> int:
    from claimcheck import compare
    from claimcheck.models import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-possible", action="store_true")
    args = parser.parse_args(argv)
    totals = [0, 0, 0, 0]
    for topic in topics():
        report = compare([str(DUC / "folders" / topic)], Settings(one_story=True), warn=lambda m: None)
        counts = score_topic(topic, report, args.with_possible)
        totals = [a + b for a, b in zip(totals, counts)]
    p, r, g, f = totals
    print(f"DUC 2006 folders: {p} links predicted, {r} right (precision {r / max(p, 1):.3f}); "
          f"{f} of {g} gold links found (recall {f / max(g, 1):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
