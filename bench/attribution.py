"""Attribution quality and speed: per-kind precision / recall on the hand-labelled sets, sentences/s.

    python bench/attribution.py            # both labelled sets, speed over the sample articles + labels
    python bench/attribution.py --repeat 5
    python bench/attribution.py --speakers # the speaker set only (real articles in ../shared/data)

The speaker set (tests/fixtures/speakers.jsonl) is 312 attributed sentences of ECB+ and
../shared/data/stories articles, labelled by hand before the rules were changed: each row names
its file (under ../shared/data) and its sentence by a hash of its text, never the text itself, with
the kind and the speaker (a pronoun resolved to the person it stands for). A predicted speaker is
right when it is of the right kind and names the labelled person or body: the label's words
appear in it, in order, and it adds at most SPEAKER_SLACK words (a title, "a spokesman for").

Speed is the median of `--repeat` timed passes over every sentence of the sample articles and
both labelled sets, in this process, and its ratio to a baseline timed in the same passes: one
plain word-regex `findall` per sentence (the least any per-sentence rule pass costs), so the
ratio holds when the machine is busy and the absolute rate does not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimcheck.models import Attribution  # noqa: E402
from claimcheck.sources.attribution import (  # noqa: E402
    KINDS, DocumentAttributions, attribute_document, classify, outlet_key)
from claimcheck.pipeline import read_documents  # noqa: E402
from claimcheck.text.sentences import split_sentences  # noqa: E402

SPEAKERS = ROOT / "tests/fixtures/speakers.jsonl"
DATA = ROOT.parent / "shared" / "data"
SPEAKER_KINDS = ("named", "anonymous", "outlet", "document")
SPEAKER_SLACK = 6
# The outlets of ../shared/data/stories, by the file name's prefix (the articles do not name them).
STORY_PUBLISHERS = {"aljazeera": "Al Jazeera", "ap": "Associated Press", "bbc": "BBC", "nyt": "The New York Times",
                    "boston_globe": "The Boston Globe", "cox": "Cox News Service", "cox_ajc": "Cox News Service",
                    "houston_chronicle": "Houston Chronicle", "sf_chronicle": "San Francisco Chronicle",
                    "xinhua": "Xinhua"}
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


def sentence_key(text: str) -> str:
    """The hash a speaker row names its sentence by (12 hex digits of SHA-1 of the text, spaces folded)."""
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:12]


def _publisher(path: Path) -> str | None:
    if "stories" not in path.parts:
        return None
    return STORY_PUBLISHERS.get(re.sub(r"_\d{4}-\d\d-\d\d$", "", path.stem))


def names_speaker(gold: str | None, pred: str | None) -> bool:
    """The predicted speaker names the labelled one: the label's words in order inside it, and
    at most SPEAKER_SLACK words more."""
    g, p = norm(gold).split(), norm(pred).split()
    if not g or not p or len(p) > len(g) + SPEAKER_SLACK:
        return False
    return any(p[i:i + len(g)] == g for i in range(len(p) - len(g) + 1))


def speaker_rows(path: Path = SPEAKERS, data: Path = DATA) -> list[tuple[dict, str, "Attribution"]]:
    """(label row, sentence text, attribution) for each row of the speaker set; raises
    FileNotFoundError when ../shared/data is missing and KeyError when a sentence is not found."""
    from claimcheck.text.claims import document_sentences

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    by_file: dict[str, list[dict]] = OrderedDict()
    for row in rows:
        by_file.setdefault(row["file"], []).append(row)
    for name, wanted in by_file.items():
        file = data / name
        if not file.exists():
            raise FileNotFoundError(file)
        doc = read_documents([str(file)], warn=lambda m: None)[0]
        sentences = document_sentences(doc)
        atts = DocumentAttributions([s.text for s in sentences], publisher=_publisher(file))
        index = {sentence_key(s.text): s.index for s in sentences}
        for row in wanted:
            i = index[row["sentence"]]
            out.append((row, sentences[i].text, atts[i]))
    return out


def speaker_scores(rows: list[tuple[dict, str, "Attribution"]]) -> dict:
    """Precision and recall of the speaker string per kind, and over every speaker kind."""
    tp = dict.fromkeys(SPEAKER_KINDS, 0)
    fp = dict.fromkeys(SPEAKER_KINDS, 0)
    fn = dict.fromkeys(SPEAKER_KINDS, 0)
    errors = []
    for row, text, att in rows:
        right = att.kind == row["kind"] and (row["kind"] == "reporter" or names_speaker(row["who"], att.who))
        if att.kind in tp:
            tp[att.kind] += right
            fp[att.kind] += not right
        if row["kind"] in fn and not right:
            fn[row["kind"]] += 1
        if not right:
            errors.append((row["kind"], row["who"], att.kind, att.who, text))

    def pr(t: int, f_p: int, f_n: int) -> dict:
        return {"precision": t / (t + f_p) if t + f_p else 1.0, "recall": t / (t + f_n) if t + f_n else 1.0,
                "support": t + f_n}

    per_kind = {k: pr(tp[k], fp[k], fn[k]) for k in SPEAKER_KINDS}
    overall = pr(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"per_kind": per_kind, "overall": overall, "sentences": len(rows), "errors": errors}


def print_speakers() -> None:
    res = speaker_scores(speaker_rows())
    o = res["overall"]
    print(f"\nspeakers: {SPEAKERS.relative_to(ROOT)} ({res['sentences']} sentences): precision {o['precision']:.3f}, "
          f"recall {o['recall']:.3f} over {o['support']} speakers")
    print(f"  {'kind':<10} {'precision':>9} {'recall':>7} {'n':>4}")
    for k, v in res["per_kind"].items():
        print(f"  {k:<10} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['support']:>4}")
    for gold_kind, gold, kind, who, text in res["errors"]:
        print(f"  ! {gold_kind}:{gold} -> {kind}:{who}: {text[:100]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--speakers", action="store_true", help="only the speaker set")
    args = ap.parse_args()
    if DATA.exists():
        print_speakers()
    if args.speakers:
        return
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
