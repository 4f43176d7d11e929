"""Story grouping on ECB+ train and dev, the sample set, and speed at 10,000 documents.

    python bench/stories.py            # all figures
    python bench/stories.py --sweep    # also the cut sweep on train (how STORY_CUT was chosen)

ECB+ (../shared/data/ecbplus, see its README) pairs two similar but different events per topic
(sub-topics `ecb` and `ecbplus`); the true story of a document is its topic + sub-topic. Documents
are read with claimcheck's own loader from the files, as a run on those folders would read them.

(a) each topic's two sub-topics in one folder: pairwise precision / recall / F1 of "same story"
    over document pairs (summed over topics), and how many topics are split exactly;
(b) all topics of a split in one folder; (c) the sample set alone (must be one story);
(d) the sample set mixed with all of a split (the sample must come out as exactly one story);
(e) each sub-topic alone in a folder (a one-story folder must stay one story).
Speed: a synthetic corpus of 10,010 documents, 13 perturbed replicas of train + dev whose words
are renamed per replica (so each replica is a different set of stories), medians of 3 runs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimcheck import stories  # noqa: E402
from claimcheck.models import Document, Sentence, Settings  # noqa: E402
from claimcheck.pipeline import extract_sentences, parse, read_documents  # noqa: E402

ECB = ROOT.parent / "shared" / "data" / "ecbplus"
SAMPLE = ROOT / "sample_articles"

Corpus = list[tuple[Document, list[Sentence], str]]  # document, sentences, true story


def load_split(split: str) -> Corpus:
    """Every document of an ECB+ split, with its true story `<topic>_<subtopic>` (the folder)."""
    docs = read_documents([str(ECB / split / "docs")], warn=lambda _: None)
    settings = Settings()
    return [(d, extract_sentences(d, settings), Path(d.path).parent.name) for d in docs]


def load_sample() -> Corpus:
    docs = read_documents([str(SAMPLE)], warn=lambda _: None)
    settings = Settings()
    return [(d, extract_sentences(d, settings), "sample") for d in docs]


def predict(corpus: Corpus, cut: float = stories.STORY_CUT) -> list[int]:
    """The predicted story number of each document."""
    grouping = stories.group_stories([c[0] for c in corpus], [c[1] for c in corpus], cut=cut)
    label = [0] * len(corpus)
    for number, members in enumerate(grouping.members):
        for k in members:
            label[k] = number
    return label


def pair_counts(truth: Sequence[str], pred: Sequence[int]) -> tuple[int, int, int]:
    """(true positive, predicted positive, actual positive) document pairs of "same story"."""

    def pairs(counts: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())

    return pairs(Counter(zip(truth, pred))), pairs(Counter(pred)), pairs(Counter(truth))


def prf(tp: int, pp: int, ap: int) -> tuple[float, float, float]:
    p = tp / pp if pp else 1.0
    r = tp / ap if ap else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def exact(truth: Sequence[str], pred: Sequence[int]) -> bool:
    return len(set(truth)) == len(set(pred)) == len(set(zip(truth, pred)))


def by_topic(corpus: Corpus) -> dict[str, Corpus]:
    topics: dict[str, Corpus] = defaultdict(list)
    for item in corpus:
        topics[item[2].split("_")[0]].append(item)
    return dict(sorted(topics.items(), key=lambda kv: int(kv[0])))


def per_topic(corpus: Corpus, cut: float) -> tuple[tuple[float, float, float], int, int, list[str]]:
    """Pairwise P/R/F1 summed over topics, exact partitions, topics, and notes on the misses."""
    totals = [0, 0, 0]
    exact_count = 0
    notes = []
    topics = by_topic(corpus)
    for topic, items in topics.items():
        truth = [c[2] for c in items]
        pred = predict(items, cut)
        for k, v in enumerate(pair_counts(truth, pred)):
            totals[k] += v
        if exact(truth, pred):
            exact_count += 1
        else:
            sizes = defaultdict(lambda: defaultdict(int))
            for t, p in zip(truth, pred):
                sizes[p][t.split("_")[1]] += 1
            notes.append(f"topic {topic}: " + "; ".join(
                "+".join(f"{n} {sub}" for sub, n in sorted(v.items())) for _, v in sorted(sizes.items())))
    return prf(*totals), exact_count, len(topics), notes


def whole(corpus: Corpus, cut: float) -> tuple[tuple[float, float, float], int, int]:
    truth = [c[2] for c in corpus]
    pred = predict(corpus, cut)
    return prf(*pair_counts(truth, pred)), len(set(pred)), len(set(truth))


def one_story_folders(corpus: Corpus, cut: float) -> tuple[int, int]:
    """How many single-event folders (one sub-topic alone) stay one story, of how many."""
    events: dict[str, Corpus] = defaultdict(list)
    for item in corpus:
        events[item[2]].append(item)
    return sum(len(set(predict(items, cut))) == 1 for items in events.values()), len(events)


def report_split(name: str, corpus: Corpus, sample: Corpus) -> None:
    cut = stories.STORY_CUT
    whole_count, folders = one_story_folders(corpus, cut)
    print(f"{name}: (e) each sub-topic alone in a folder: {whole_count}/{folders} stay one story")
    (p, r, f), ok, n, notes = per_topic(corpus, cut)
    print(f"{name}: (a) per-topic folders ({len(corpus)} docs, {n} topics): pairwise P {p:.3f} R {r:.3f} "
          f"F1 {f:.3f}; exact partitions {ok}/{n}")
    for note in notes:
        print(f"    {note}")
    (p, r, f), got, want = whole(corpus, cut)
    print(f"{name}: (b) all topics in one folder: pairwise P {p:.3f} R {r:.3f} F1 {f:.3f}; "
          f"{got} stories for {want} true")
    mixed = corpus + sample
    truth = [c[2] for c in mixed]
    pred = predict(mixed, cut)
    sample_stories = {pred[k] for k in range(len(corpus), len(mixed))}
    alone = len(sample_stories) == 1 and sum(p_ == next(iter(sample_stories)) for p_ in pred) == len(sample)
    (p, r, f) = prf(*pair_counts(truth, pred))
    print(f"{name}: (d) sample + all {name} docs: sample in {len(sample_stories)} story(ies), "
          f"{'alone' if alone else 'NOT alone'}; pairwise P {p:.3f} R {r:.3f} F1 {f:.3f}")


def sweep(corpus: Corpus, dev: Corpus) -> None:
    print("cut sweep: per-topic pairwise F1 (exact partitions) train | dev")
    for cut in (0.04, 0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.25):
        (_, _, f), ok, n, _ = per_topic(corpus, cut)
        (_, _, fd), okd, nd, _ = per_topic(dev, cut)
        print(f"  {cut:.2f}: {f:.3f} ({ok}/{n}) | {fd:.3f} ({okd}/{nd})")


# --------------------------------------------------------------------------- speed


def _rename(word: str, replica: int) -> str:
    """Most words become a different word in each replica (a different story); a third stay."""
    if replica == 0 or not word[0].isalpha():
        return word
    h = hashlib.blake2b(f"{word.lower()}|{replica}".encode(), digest_size=2).digest()
    if h[0] < 85:
        return word
    suffix = "".join(chr(97 + (replica * 7 + c) % 26) for c in h)
    return word + suffix


def synthetic(corpus: Corpus, replicas: int) -> Corpus:
    """`replicas` copies of `corpus`, words renamed per copy, a tenth of sentences dropped."""
    import re

    rng = random.Random(20140526)
    token = re.compile(r"[^\W\d_]+")
    out: Corpus = []
    for r in range(replicas):
        for doc, sents, truth in corpus:
            kept = [s for s in sents if rng.random() >= 0.1] or sents[:1]
            new = [s.model_copy(update={"text": token.sub(lambda m: _rename(m.group(), r), s.text),
                                        "source": f"{doc.id}~{r}"}) for s in kept]
            out.append((doc.model_copy(update={"id": f"{doc.id}~{r}"}), new, f"{truth}~{r}"))
    return out


def timed(corpus: Corpus, runs: int = 3) -> float:
    """Median seconds of `group_stories` on `corpus` (process CPU time: on a machine shared with
    other jobs, wall time mostly measures them; grouping runs on one core)."""
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        stories.group_stories([c[0] for c in corpus], [c[1] for c in corpus])
        times.append(time.process_time() - t0)
    return statistics.median(times)


def parse_time(runs: int = 3) -> float:
    """Median seconds `claimcheck sentences` takes (pipeline.parse: the pooled read and split a
    compare run does) on every ECB+ train + dev file."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        parse([str(ECB / "train" / "docs"), str(ECB / "dev" / "docs")], warn=lambda _: None)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def speed(train: Corpus, dev: Corpus) -> None:
    base = train + dev
    big = synthetic(base, 13)
    t_parse = parse_time()
    t_small = timed(dev)
    t_base = timed(base)
    t_big = timed(big)
    print(f"speed (CPU seconds, median of 3; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores): "
          f"{len(dev)} docs {t_small:.3f} s; {len(base)} docs {t_base:.3f} s (all pairs); "
          f"{len(big)} docs {t_big:.2f} s (top-{stories.NEIGHBOURS} neighbours), "
          f"{t_big / t_base:.1f}x the {len(base)}-doc run for {len(big) / len(base):.0f}x the documents")
    print(f"  {1000 * t_base / len(base):.2f} ms a document at {len(base)}, {1000 * t_big / len(big):.2f} ms at "
          f"{len(big)}; reading and splitting the same {len(base)} files (pipeline.parse, wall, pooled): "
          f"{t_parse:.3f} s")
    (p, r, f), got, want = whole(big, stories.STORY_CUT)
    print(f"synthetic {len(big)} docs in one folder: pairwise P {p:.3f} R {r:.3f} F1 {f:.3f}; "
          f"{got} stories for {want} true")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sweep", action="store_true", help="print the cut sweep on train and dev")
    parser.add_argument("--no-speed", action="store_true", help="skip the 10k-document timing")
    args = parser.parse_args()
    train, dev, sample = load_split("train"), load_split("dev"), load_sample()
    if args.sweep:
        sweep(train, dev)
    print(f"STORY_CUT {stories.STORY_CUT}")
    pred = predict(sample)
    print(f"sample: (c) {len(sample)} articles -> {len(set(pred))} story(ies)")
    report_split("train", train, sample)
    report_split("dev", dev, sample)
    if not args.no_speed:
        speed(train, dev)


if __name__ == "__main__":
    main()
