"""Scale benchmark: cross-reference 1k / 3k / 10k generated articles with blocking.

    python bench/scale.py                    # N = 1000, 3000, 10000
    python bench/scale.py --sizes 1000 --no-baseline
    python bench/scale.py --exhaustive 40    # the exhaustive comparison on a 40-article corpus

Corpora are generated deterministically into a temporary folder (files on disk, as a user's
folder would be) from real text: MRPC paraphrase pairs are planted across two different
articles (positives are the known links; negatives are planted too, as near misses); one
sentence of every other MRPC row and the sample articles' claims fill in once each; the rest
of each ~30-sentence article is sampled from a word-bigram model of that same text, so the
vocabulary and its frequencies are real news English while no sentence repeats.

Per N it prints wall time (parse, block, verify, group), peak memory (max RSS of this process
and its workers), sentences/s, and recall of the planted positive links (pair in one group),
against a datasketch MinHash LSH pipeline (word bigrams, 128 permutations, threshold 0.3,
candidates verified by the same claimcheck scorer) measured in the same run. The exhaustive
comparison scores every cross-source pair that shares any content token or number (pairs that
share none are checked on a random sample to never reach the threshold).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_articles"
MRPC_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "mrpc" / "msr_paraphrase_train.txt"
SEED = 20240531
SENTENCES_PER_ARTICLE = 30

# --------------------------------------------------------------------------------------------
# Corpus generation


def detokenise(text: str) -> str:
    """MRPC's space-tokenised text back to running text (light: quotes, clitics, punctuation)."""
    text = text.replace("<QUOTE>", '"')
    text = re.sub(r'"\s*([^"]*?)\s*"', r'"\1"', text)
    text = re.sub(r"\s+('s|'re|'ve|'ll|'d|'m|n't)\b", r"\1", text)
    text = re.sub(r"\s+([.,;:!?%)\]])", r"\1", text)
    text = re.sub(r"([($\[])\s+", r"\1", text)
    text = re.sub(r"\s*<\s*(\.?[A-Z]+[^>]*?)\s*>", r" (\1)", text)
    return " ".join(text.split())


@dataclass
class Corpus:
    """Generated articles and the links planted in them."""

    articles: list[list[str]]  # sentences of each article; article k is file f"{k:05d}.txt"
    planted: list[tuple[int, str, int, str]] = field(default_factory=list)  # (article, text, article, text)
    near_misses: list[tuple[int, str, int, str]] = field(default_factory=list)


def _mrpc_rows() -> list[tuple[bool, str, str]]:
    if not MRPC_TRAIN.exists():
        raise SystemExit(f"{MRPC_TRAIN} not found: the bench reads MRPC from ../shared/data/mrpc")
    rows = []
    with MRPC_TRAIN.open(encoding="utf-8-sig") as fh:
        next(fh)
        for line in fh:
            quality, _, _, a, b = line.rstrip("\n").split("\t")
            rows.append((quality == "1", a, b))
    return rows


def _sample_sentences() -> list[str]:
    from claimcheck.models import Settings
    from claimcheck.pipeline import extract_sentences, read_documents

    docs = read_documents([str(SAMPLES)], warn=lambda _m: None)
    return [s.text for d in docs for s in extract_sentences(d, Settings()) if s.is_claim]


class _Bigrams:
    """A word-bigram model of real sentences: new sentences with real vocabulary, never repeated."""

    def __init__(self, sentences: Sequence[list[str]]) -> None:
        self.next: dict[str, list[str]] = {}
        self.starts: list[str] = []
        for words in sentences:
            if len(words) < 4:
                continue
            self.starts.append(words[0])
            for a, b in zip(words, words[1:] + ["</s>"]):
                self.next.setdefault(a, []).append(b)

    def sentence(self, rnd: random.Random) -> str:
        while True:
            words = [rnd.choice(self.starts)]
            while len(words) < 40:
                follow = self.next.get(words[-1])
                if not follow:
                    break
                w = follow[rnd.randrange(len(follow))]
                if w == "</s>":
                    break
                words.append(w)
            if len(words) >= 14:  # news sentences run 15-30 words; shorter salad is unrealistic
                text = detokenise(" ".join(words).rstrip(" .,;:") + " .")
                return text[0].upper() + text[1:]


def _words(text: str) -> list[str]:
    raw = [w for w in text.replace("<QUOTE>", " ").split() if not w.startswith((".", "<", ">")) or w == "."]
    return [w for w in raw if w not in ('"', "''", "``", "(", ")")]


def generate(n_articles: int, seed: int = SEED, pairs_per_article: float = 1.0) -> Corpus:
    """A deterministic corpus of `n_articles` articles of about 30 sentences each, with about
    `pairs_per_article` planted MRPC pairs (either label) per article."""
    rnd = random.Random(seed)
    rows = _mrpc_rows()
    samples = _sample_sentences()
    model = _Bigrams([_words(a) for _, a, _ in rows] + [_words(b) for _, _, b in rows]
                     + [s.split() for s in samples])
    order = list(range(len(rows)))
    rnd.shuffle(order)
    n_plant = min(len(rows), round(n_articles * pairs_per_article))
    articles: list[list[str]] = [[] for _ in range(n_articles)]
    corpus = Corpus(articles)
    for k in order[:n_plant]:
        positive, a, b = rows[k]
        x = rnd.randrange(n_articles)
        y = (x + 1 + rnd.randrange(n_articles - 1)) % n_articles if n_articles > 1 else x
        ta, tb = detokenise(a), detokenise(b)
        articles[x].append(ta)
        articles[y].append(tb)
        (corpus.planted if positive else corpus.near_misses).append((x, ta, y, tb))
    fillers = [detokenise(rows[k][1]) for k in order[n_plant:]] + samples
    rnd.shuffle(fillers)
    for text in fillers[: n_articles * 2]:
        articles[rnd.randrange(n_articles)].append(text)
    for sentences in articles:
        while len(sentences) < SENTENCES_PER_ARTICLE:
            sentences.append(model.sentence(rnd))
        rnd.shuffle(sentences)
    return corpus


def write_corpus(corpus: Corpus, folder: Path) -> list[str]:
    """One file per article: a headline line, then paragraphs of one to three sentences."""
    rnd = random.Random(len(corpus.articles))
    paths = []
    for k, sentences in enumerate(corpus.articles):
        paragraphs, at = [], 0
        while at < len(sentences):
            step = rnd.randint(1, 3)
            paragraphs.append(" ".join(sentences[at : at + step]))
            at += step
        headline = " ".join(sentences[0].split()[:8]).rstrip(".,;:")
        path = folder / f"{k:05d}.txt"
        path.write_text(f"Story {k}: {headline}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


# --------------------------------------------------------------------------------------------
# Runs


def peak_rss_mib() -> float:
    """Peak resident memory of this process and of its largest finished child, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


class Stopwatch:
    """Seconds per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.last
        self.last = now


@dataclass
class Run:
    """What one pipeline run found and what it cost."""

    name: str
    seconds: dict[str, float]
    groups: list[list[int]]
    candidates: list[tuple[int, int]]
    links: set[tuple[int, int]]


def parse(folder: str) -> list:
    """Claims of every article, in the matcher's canonical (source, index, text) order."""
    from claimcheck.models import Settings
    from claimcheck.pipeline import extract_claims

    claims = extract_claims([folder], Settings(), warn=lambda m: print("  warning:", m, file=sys.stderr))
    return sorted(claims, key=lambda c: (c.source, c.index, c.text))


def matcher_weights(texts: Sequence[str], index) -> dict[str, float]:
    """The matcher's word rarities over the whole collection, from the blocking index.

    `matching.word_weights` wants every sentence featurised (2 ms each); the index already
    counted every word, so its frequencies are mapped into the matcher's token space instead.
    """
    from claimcheck import matching

    stop = getattr(matching, "_STOP_WORDS", frozenset())
    normal = getattr(matching, "_normal_token", None) or getattr(matching, "_stem", lambda w: w)

    def content_token(word: str) -> str | None:
        word = word.split("'", 1)[0]
        return None if word in stop or len(word) < 2 or word[0].isdigit() else normal(word)

    df = index.document_frequency(content_token)
    idf = getattr(matching, "_idf", None)
    if idf is not None:
        return idf(df, len(texts))
    from claimcheck.blocking import idf_weight

    return {w: idf_weight(d, len(texts)) for w, d in df.items()}


# Worker state for verification: the texts and the word weights, sent once per worker.
_TEXTS: Sequence[str] = ()
_WEIGHTS: dict[str, float] = {}


def _init_worker(texts: Sequence[str], weights: dict[str, float]) -> None:
    global _TEXTS, _WEIGHTS
    _TEXTS, _WEIGHTS = texts, weights


def _score_chunk(pairs: Sequence[tuple[int, int]]) -> list[float]:
    from claimcheck.matching import pair_score, sentence_features

    feats: dict[int, object] = {}

    def f(i: int):
        got = feats.get(i)
        if got is None:
            got = feats[i] = sentence_features(_TEXTS[i])
        return got

    return [pair_score(f(i), f(j), _WEIGHTS) for i, j in pairs]


def _chunks(pairs: Sequence[tuple[int, int]], n: int, parts: int) -> list[list[tuple[int, int]]]:
    """Pairs cut along connected components into about `parts` * 4 chunks, so that a sentence is
    featurised in one worker only (a giant component is cut anyway)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    by_root: dict[int, list[tuple[int, int]]] = {}
    for p in pairs:
        by_root.setdefault(find(p[0]), []).append(p)
    size = max(1, len(pairs) // (parts * 4))
    chunks: list[list[tuple[int, int]]] = [[]]
    for root in sorted(by_root):
        comp = by_root[root]
        for k in range(0, len(comp), size):
            if len(chunks[-1]) >= size:
                chunks.append([])
            chunks[-1].extend(comp[k : k + size])
    return [c for c in chunks if c]


def verify_and_group(claims: Sequence, pairs: Sequence[tuple[int, int]], threshold: float, workers: int,
                     weights: dict[str, float]) -> tuple[list[list[int]], set[tuple[int, int]]]:
    """Score candidate pairs (a process pool when it pays), then chain-safe average linkage."""
    from claimcheck.matching import agglomerate, pair_score, sentence_features

    texts = [c.text for c in claims]
    scores: dict[tuple[int, int], float] = {}
    if workers > 1 and len(pairs) > 2000:
        chunks = _chunks(pairs, len(texts), workers)
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(texts, weights)) as pool:
            for chunk, result in zip(chunks, pool.map(_score_chunk, chunks)):
                scores.update(zip(chunk, result))
    else:
        _init_worker(texts, weights)
        scores.update(zip(pairs, _score_chunk(pairs)))
    feats: dict[int, object] = {}

    def score(i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        got = scores.get(key)
        if got is None:  # a merge asks for a pair that was not a candidate
            for k in key:
                if k not in feats:
                    feats[k] = sentence_features(texts[k])
            got = scores[key] = pair_score(feats[key[0]], feats[key[1]], weights)
        return got

    links = {p for p in pairs if scores[p] >= threshold}
    return agglomerate([c.source for c in claims], pairs, score, threshold), links


def run_blocking(claims: Sequence, threshold: float, workers: int, min_cosine: float | None = None) -> Run:
    """The fast path: IDF-cosine prefix-filter blocking, then the claimcheck verifier."""
    from claimcheck import blocking

    watch = Stopwatch()
    texts = [c.text for c in claims]
    index = blocking.build_index(texts)
    pairs = blocking.candidate_pairs(
        texts, [c.source for c in claims], index=index,
        min_cosine=blocking.DEFAULT_MIN_COSINE if min_cosine is None else min_cosine,
    )
    weights = matcher_weights(texts, index)
    watch("block")
    groups, links = verify_and_group(claims, pairs, threshold, workers, weights)
    watch("verify+group")
    return Run("blocking", watch.seconds, groups, pairs, links)


def run_minhash(claims: Sequence, threshold: float, workers: int) -> Run | None:
    """The baseline: datasketch MinHash LSH on word bigrams (threshold 0.3), then the same verifier."""
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("  datasketch is not installed (pip install -e '.[bench]'): no baseline", file=sys.stderr)
        return None
    from claimcheck import blocking

    watch = Stopwatch()
    texts = [c.text for c in claims]
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    hashes = []
    for k, text in enumerate(texts):
        words = text.lower().split()
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([f"{a} {b}".encode() for a, b in zip(words, words[1:])] or [text.encode()])
        lsh.insert(k, m)
        hashes.append(m)
    found = set()
    for k, m in enumerate(hashes):
        for other in lsh.query(m):
            if other > k and claims[other].source != claims[k].source:
                found.add((k, other))
    pairs = sorted(found)
    weights = matcher_weights(texts, blocking.build_index(texts))
    watch("block")
    groups, links = verify_and_group(claims, pairs, threshold, workers, weights)
    watch("verify+group")
    return Run("minhash", watch.seconds, groups, pairs, links)


def run_exhaustive(claims: Sequence, threshold: float, workers: int) -> Run:
    """Every cross-source pair sharing a content token or a number (cosine > 0), verified.

    Pairs sharing none are not scored; `zero_overlap_check` samples them to show none reaches
    the threshold. Literal all-pairs scoring is ~3,000 pairs/s.
    """
    return run_blocking(claims, threshold, workers, min_cosine=1e-9)


def zero_overlap_check(claims: Sequence, threshold: float, samples: int = 3000, seed: int = SEED) -> int:
    """How many of `samples` random cross-source pairs with no shared token reach the threshold."""
    from claimcheck import blocking
    from claimcheck.matching import pair_score, sentence_features

    rnd = random.Random(seed)
    token_sets = [set(blocking.tokens(c.text)) for c in claims]
    hits = tried = 0
    while tried < samples:
        i, j = rnd.randrange(len(claims)), rnd.randrange(len(claims))
        if claims[i].source == claims[j].source or token_sets[i] & token_sets[j]:
            continue
        tried += 1
        hits += pair_score(sentence_features(claims[i].text), sentence_features(claims[j].text)) >= threshold
    return hits


def planted_recall(claims: Sequence, run: Run, planted: Sequence[tuple[int, str, int, str]]) -> tuple[float, float, int]:
    """Of the planted links present as claims: share in one group, share among the candidates."""
    where = {(c.source, c.text): k for k, c in enumerate(claims)}
    group_of = {k: g for g, members in enumerate(run.groups) for k in members}
    candidates = set(run.candidates)
    present = together = proposed = 0
    for x, ta, y, tb in planted:
        a, b = where.get((f"{x:05d}", ta)), where.get((f"{y:05d}", tb))
        if a is None or b is None:
            continue
        present += 1
        together += group_of[a] == group_of[b]
        proposed += (min(a, b), max(a, b)) in candidates
    return together / max(present, 1), proposed / max(present, 1), present


def link_recall(fast: Run, reference: Run) -> float:
    """Share of the reference run's links (pairs at or above the threshold) the fast run also makes."""
    return len(fast.links & reference.links) / max(len(reference.links), 1)


# --------------------------------------------------------------------------------------------


def _row(label: str, run: Run, parse_s: float, claims: int, recall: tuple[float, float, int], peak: float) -> str:
    wall = parse_s + sum(run.seconds.values())
    return (f"  {label:<10} wall {wall:6.1f} s (parse {parse_s:5.1f}, block {run.seconds['block']:5.1f}, "
            f"verify+group {run.seconds['verify+group']:5.1f})  peak {peak:6.0f} MiB  "
            f"{claims / wall:6.0f} sentences/s  candidates {len(run.candidates):>8}  links {len(run.links):>6}  "
            f"planted recall {recall[0]:.3f} (candidates {recall[1]:.3f})")


def bench(n: int, workers: int, baseline: bool, exhaustive: bool, keep: bool, verify: bool = True) -> None:
    from claimcheck.models import Settings

    threshold = Settings().threshold
    corpus = generate(n)
    folder = Path(tempfile.mkdtemp(prefix=f"claimcheck-scale-{n}-"))
    try:
        write_corpus(corpus, folder)
        start = time.perf_counter()
        claims = parse(str(folder))
        parse_s = time.perf_counter() - start
        print(f"N = {n} articles: {len(claims)} claims, {len(corpus.planted)} planted links "
              f"(+{len(corpus.near_misses)} near misses), {folder if keep else 'temporary folder'}; "
              f"load average {os.getloadavg()[0]:.1f}")
        if not verify:
            watch = Stopwatch()
            from claimcheck import blocking

            texts = [c.text for c in claims]
            index = blocking.build_index(texts)
            pairs = blocking.candidate_pairs(texts, [c.source for c in claims], index=index)
            watch("block")
            run = Run("blocking", watch.seconds, [[k] for k in range(len(claims))], pairs, set())
            print(f"  blocking only: parse {parse_s:.1f} s, block {watch.seconds['block']:.1f} s, peak "
                  f"{peak_rss_mib():.0f} MiB, {len(pairs)} candidates "
                  f"({len(pairs) / max(len(claims), 1):.2f} per claim), planted links among them "
                  f"{planted_recall(claims, run, corpus.planted)[1]:.3f}", flush=True)
            return
        fast = run_blocking(claims, threshold, workers)
        print(_row("blocking", fast, parse_s, len(claims), planted_recall(claims, fast, corpus.planted), peak_rss_mib()))
        if baseline:
            slow = run_minhash(claims, threshold, workers)
            if slow:
                print(_row("minhash", slow, parse_s, len(claims), planted_recall(claims, slow, corpus.planted),
                           peak_rss_mib()))
                print(f"  blocking vs minhash: {sum(slow.seconds.values()) / sum(fast.seconds.values()):.1f}x "
                      f"faster matching; minhash keeps {link_recall(slow, fast):.3f} of blocking's links, "
                      f"blocking keeps {link_recall(fast, slow):.3f} of minhash's")
        if exhaustive:
            full = run_exhaustive(claims, threshold, workers)
            print(_row("exhaustive", full, parse_s, len(claims), planted_recall(claims, full, corpus.planted),
                       peak_rss_mib()))
            print(f"  blocking keeps {link_recall(fast, full):.4f} of the exhaustive links "
                  f"({len(full.links)}); zero-overlap pairs at or above threshold: "
                  f"{zero_overlap_check(claims, threshold)} of 3000 sampled")
        print(f"  load average after: {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000, 10000])
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--no-baseline", action="store_true", help="skip the datasketch pipeline")
    parser.add_argument("--exhaustive", type=int, default=0, metavar="N",
                        help="first run an N-article corpus against the exhaustive path")
    parser.add_argument("--keep", action="store_true", help="keep the generated folders")
    parser.add_argument("--block-only", action="store_true", help="parse and block, no verification")
    args = parser.parse_args(argv)
    if args.exhaustive:
        bench(args.exhaustive, args.workers, not args.no_baseline, True, args.keep)
    for n in args.sizes:
        bench(n, args.workers, not args.no_baseline, False, args.keep, verify=not args.block_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
