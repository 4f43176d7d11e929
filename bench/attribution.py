"""Attribution quality and speed: per-kind precision / recall on the hand-labelled sets, sentences/s.

    python bench/attribution.py            # both labelled sets, speed over the sample articles + labels
    python bench/attribution.py --repeat 5

Speed is the median of `--repeat` timed passes over every sentence of the sample articles and
both labelled sets, in this process, and its ratio to a baseline timed in the same passes: one
plain word-regex `findall` per sentence (the least any per-sentence rule pass costs), so the
ratio holds when the machine is busy and the absolute rate does not.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimcheck.sources.attribution import KINDS, attribute_document, classify, outlet_key  # noqa: E402
from claimcheck.pipeline import read_documents  # noqa: E402
from claimcheck.text.sentences import split_sentences  # noqa: E402

SETS = {"dev": ROOT / "tests/fixtures/attribution.jsonl", "held-out": ROOT / "tests/fixtures/attribution_heldout.jsonl"}


def load(path: Path) -> OrderedDict[str, list[dict]]:
    docs: OrderedDict[str, list[dict]] = OrderedDict()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs.setdefault(row["doc"], []).append(row)
    return docs


def norm(text: str | None) -> str:
    words = "".join(c if c.isalnum() or c.isspace() else " " for c in (text or "").lower()).split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def same_who(gold: str | None, pred: str | None) -> bool:
    """Gold and predicted source agree: equal, or one phrase contains the other ("Antony Blinken")."""
    g, p = norm(gold), norm(pred)
    if not g or not p:
        return g == p
    return g == p or f" {g} " in f" {p} " or f" {p} " in f" {g} "


def evaluate(docs: OrderedDict[str, list[dict]]) -> dict:
    """Per-kind precision / recall, `who` agreement where the kind is right, `via` recall."""
    tp = dict.fromkeys(KINDS, 0)
    fp = dict.fromkeys(KINDS, 0)
    fn = dict.fromkeys(KINDS, 0)
    who_ok = who_n = via_ok = via_n = 0
    errors = []
    for rows in docs.values():
        atts = attribute_document([r["text"] for r in rows], publisher=rows[0]["publisher"])
        for row, att in zip(rows, atts, strict=True):
            if att.kind == row["kind"]:
                tp[att.kind] += 1
                if row["kind"] != "reporter" and row["who"] is not None:
                    who_n += 1
                    who_ok += same_who(row["who"], att.who)
            else:
                fp[att.kind] += 1
                fn[row["kind"]] += 1
                errors.append((row["kind"], att.kind, row["text"]))
            for v in row["via"]:
                via_n += 1
                via_ok += any(same_who(v, p) for p in att.via)
    per_kind = {}
    for k in KINDS:
        p = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 1.0
        r = tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else 1.0
        per_kind[k] = {"precision": p, "recall": r, "support": tp[k] + fn[k]}
    total = sum(tp.values()) + sum(fn.values())
    return {"per_kind": per_kind, "accuracy": sum(tp.values()) / total, "sentences": total,
            "who": who_ok / who_n if who_n else 1.0, "via": via_ok / via_n if via_n else 1.0, "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    corpus: list[list[str]] = []
    for name, path in SETS.items():
        docs = load(path)
        corpus += [[r["text"] for r in rows] for rows in docs.values()]
        res = evaluate(docs)
        print(f"\n{name}: {path.relative_to(ROOT)} ({res['sentences']} sentences), accuracy {res['accuracy']:.3f}, "
              f"who {res['who']:.3f}, via recall {res['via']:.3f}")
        print(f"  {'kind':<10} {'precision':>9} {'recall':>7} {'n':>4}")
        for k, v in res["per_kind"].items():
            print(f"  {k:<10} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['support']:>4}")
        for gold, pred, text in res["errors"]:
            print(f"  ! {gold} -> {pred}: {text[:90]}")
    for doc in read_documents([str(ROOT / "sample_articles")], warn=lambda m: None):
        corpus.append([s for line in doc.text.split("\n") for s in split_sentences(line)])
    n = sum(len(d) for d in corpus)
    words = re.compile(r"\w+")
    times, base = [], []
    for _ in range(args.repeat):
        classify.cache_clear()  # each pass sees the text for the first time, as a real run does
        outlet_key.cache_clear()
        start = time.perf_counter()
        for sentences in corpus:
            attribute_document(sentences)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for sentences in corpus:
            for text in sentences:
                words.findall(text)
        base.append(time.perf_counter() - start)
    med, med_base = statistics.median(times), statistics.median(base)
    print(f"\nspeed: {n} sentences, median {med * 1000:.1f} ms over {args.repeat} runs = {n / med:,.0f} sentences/s; "
          f"{med / med_base:.0f}x the time of a plain word regex ({n / med_base:,.0f} sentences/s)")


if __name__ == "__main__":
    main()
