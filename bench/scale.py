"""Scale benchmark: `claimcheck.pipeline.compare` end to end on 1k / 3k / 10k generated articles.

    .venv/bin/python bench/scale.py                          # N = 1000, 3000, 10000
    .venv/bin/python bench/scale.py --sizes 2000 --repeat 3  # medians of three runs
    .venv/bin/python bench/scale.py --sizes 1000 --no-baseline
    .venv/bin/python bench/scale.py --exhaustive 40          # fast vs all-pairs links, 40 articles
    .venv/bin/python bench/scale.py --sizes 1000 --parse 1 2 # parsing throughput, 1 vs 2 workers
    .venv/bin/python bench/scale.py --multi-story 2000       # story-parallel matching, 1 vs 2 processes

Corpora are generated deterministically into a temporary folder (files on disk, as a user's
folder would be) from real text: MRPC paraphrase pairs are planted across two different
articles (positives are the known links; negatives are planted too, as near misses); one
sentence of every other MRPC row and the sample articles' claims fill in once each; the rest
of each ~30-sentence article is sampled from a word-bigram model of that same text, so the
vocabulary and its frequencies are real news English while no sentence repeats.

Every measured run is a fresh subprocess, so its peak RSS (`ru_maxrss`) is its own: `main` is
the process that calls `compare`, `workers` the largest of its process-pool workers (parsing).
Per N it prints the wall time of `compare` and of each stage: reading = gather + decode +
sentences + claim marking (a process pool from 64 files); stories = documents -> stories
(`pipeline._stories`); then, timed by wrapping the matcher's stage functions, featurise =
`build_table`, candidates = `candidate_pairs`, verify = `score_many` on the candidates,
grouping = `agglomerate` with the scores it asks for on demand, medoids = the rest of
`match_story` (representatives, disagreements); independence = building `Independence`
(copies, attribution); rest = annotating and the report. Also the peak RSS when each stage
ended (which stage raised it), CPU seconds (a busy machine shows as CPU well under 2 x wall),
sentences/s, candidate pairs, and planted recall: of the planted MRPC positives whose two
sentences are claims and that `match_pair` accepts (same_story=True, collection weights), the
share that end up in one group (and the share that were candidates at all).

The anchor, run in the compare child's own process right after compare: the 30-line pipeline
the issue names (regex sentences, datasketch MinHash LSH on word bigrams with 64 permutations at
threshold 0.3, rapidfuzz token_sort_ratio >= 68 on the candidates, union-find), its wall and CPU
seconds and how many of the accepted planted pairs it puts in one group; the ratios
compare/anchor are printed (CPU ratios are the ones to read on a shared machine).

The baseline, measured on the same corpus in the same bench run (its own subprocess): the same
reading and stories, datasketch MinHash LSH on word bigrams (128 permutations, threshold 0.3)
in place of the candidate generator, then the same claimcheck table, scorer, grouping and
independence (`compare` with its candidates replaced). `--exhaustive N` compares, on
an N-article corpus, the links `group_claims` makes on the fast path with those it makes when
every cross-source pair is scored. The bench writes only into temporary folders.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
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


def parse(folder: str) -> list:
    """Claims of every article, in the matcher's canonical (source, index, text) order."""
    from claimcheck.models import Settings
    from claimcheck.pipeline import extract_claims

    claims = extract_claims([folder], Settings(), warn=lambda m: print("  warning:", m, file=sys.stderr))
    return sorted(claims, key=lambda c: (c.source, c.index, c.text))


# --------------------------------------------------------------------------------------------
# Measurement inside a child process


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its reaped children so far."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _rss() -> dict[str, float]:
    """Peak RSS in MiB of this process (`main`) and of its largest reaped child (`workers`)."""
    return {"main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "workers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


class StageClock:
    """Wall seconds per matcher stage, by wrapping the stage functions `group_claims` calls.

    A call made while another stage runs counts towards that stage (the scores grouping asks
    for on demand are grouping's cost), and is counted in `calls`.
    """

    # The batch verification is `score_many` where the matcher has it (`score_pairs` in chunks),
    # else `score_pairs`; a `score_pairs` call outside it is a score asked for on demand.
    STAGES = {"build_table": "featurise", "candidate_pairs": "candidates", "score_many": "verify",
              "agglomerate": "grouping"}

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak: dict[str, float] = {}  # peak RSS of this process (MiB) when each stage ended
        self.calls: dict[str, int] = {}
        self.active: str | None = None
        self.last = "reading"  # the stage that started last
        self.candidates: tuple | None = None
        self.on_demand_pairs = 0

    def wrap(self, stage: str, fn: Callable, outer: bool = False) -> Callable:
        """`fn` timed as `stage`; an `outer` stage only adds up its own wall (stages run inside it)."""
        def timed(*args, **kwargs):
            if outer:
                start = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start
                    self.peak[stage] = _rss()["main"]
            if self.active is not None:
                self.calls[f"{stage} in {self.active}"] = self.calls.get(f"{stage} in {self.active}", 0) + 1
                return fn(*args, **kwargs)
            self.active = self.last = stage
            start = time.perf_counter()
            try:
                out = fn(*args, **kwargs)
            finally:
                self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start
                self.peak[stage] = _rss()["main"]
                self.active = None
            if stage == "candidates":
                self.candidates = out
            return out
        return timed

    def install(self, candidates: Callable | None = None) -> None:
        """Wrap the stages; `candidates` replaces the matcher's candidate generator."""
        from claimcheck import matching, pipeline

        if candidates is not None:
            matching.candidate_pairs = candidates
        stages = dict(self.STAGES)
        if not hasattr(matching, "score_many"):
            stages["score_pairs"] = stages.pop("score_many")
        for name, stage in stages.items():
            if hasattr(matching, name):
                setattr(matching, name, self.wrap(stage, getattr(matching, name)))
        if "score_pairs" not in stages:
            matching.score_pairs = self.count_on_demand(matching.score_pairs)
        pipeline._read = self.wrap("reading", pipeline._read)
        pipeline.match_story_task = self.wrap("matching", pipeline.match_story_task, outer=True)
        if hasattr(pipeline, "Independence"):
            pipeline.Independence = self.wrap("independence", pipeline.Independence, outer=True)
        else:  # imported inside `_compare` from its module
            from claimcheck.sources import independence

            independence.Independence = self.wrap("independence", independence.Independence, outer=True)
        if hasattr(pipeline, "_stories"):
            pipeline._stories = self.wrap("stories", pipeline._stories, outer=True)

    def count_on_demand(self, fn: Callable) -> Callable:
        def counted(table, left, *args, **kwargs):
            self.on_demand_pairs += len(left)
            return fn(table, left, *args, **kwargs)
        return counted


def _planted(path: str) -> list[tuple[str, str, str, str]]:
    return [tuple(p) for p in json.loads(Path(path).read_text(encoding="utf-8"))]


def _recall(claims: Sequence, group_of: dict[tuple[str, int], int], candidates: set[tuple[int, int]] | None,
            planted: Sequence[tuple[str, str, str, str]]) -> dict[str, float]:
    """Of the planted pairs present as claims that `match_pair` accepts: share in one group,
    share among the candidates. `claims` in canonical order (candidate indices refer to it)."""
    from claimcheck.matching import collection_weights, match_pair
    from claimcheck.models import Settings

    settings = Settings()
    where = {(c.source, c.text): k for k, c in enumerate(claims)}
    weights = collection_weights([c.text for c in claims])
    present = accepted = together = proposed = 0
    accepted_pairs = []
    for sa, ta, sb, tb in planted:
        a, b = where.get((sa, ta)), where.get((sb, tb))
        if a is None or b is None:
            continue
        present += 1
        if not match_pair(ta, tb, settings, weights=weights, same_story=True).matched:
            continue
        accepted += 1
        accepted_pairs.append((sa, ta, sb, tb))
        ka, kb = (claims[a].source, claims[a].index), (claims[b].source, claims[b].index)
        together += ka in group_of and group_of.get(ka) == group_of.get(kb)
        proposed += candidates is not None and (min(a, b), max(a, b)) in candidates
    return {"planted_present": present, "planted_accepted": accepted,
            "recall": together / max(accepted, 1),
            "candidate_recall": proposed / max(accepted, 1) if candidates is not None else None,
            "accepted_pairs": accepted_pairs}


def _settings(mode: str):
    """The run's settings: the generated corpus is one story by construction (planted pairs join
    any two articles), so `one-story` by default; `stories` lets `stories.py` split it."""
    from claimcheck.models import Settings

    if mode == "one-story" and "one_story" in Settings.model_fields:
        return Settings(one_story=True)
    return Settings()


def child_compare(folder: str, planted: str, mode: str = "one-story", candidates: Callable | None = None,
                  anchor: bool = True) -> dict:
    """One `compare` run on `folder`: wall per stage, peak RSS, counts, planted recall; with
    `candidates`, that candidate generator in place of the matcher's."""
    import numpy as np

    from claimcheck import pipeline

    clock = StageClock()
    clock.install(candidates)
    warnings: list[str] = []
    cpu = _cpu()
    start = time.perf_counter()
    try:
        report, parsed = pipeline.compare_sources([folder], _settings(mode), warn=warnings.append)
    except MemoryError:
        return {"error": f"out of memory after {time.perf_counter() - start:.1f} s (in {clock.last})",
                "stages": clock.seconds, "peak_after": clock.peak, "rss": _rss()}
    wall = time.perf_counter() - start
    rss = _rss()
    cpu = _cpu() - cpu
    seconds, peaks = dict(clock.seconds), dict(clock.peak)  # before the recall check featurises again
    matcher = sum(seconds.get(s, 0.0) for s in ("featurise", "candidates", "verify", "grouping"))
    seconds["medoids"] = seconds.pop("matching", 0.0) - matcher  # the rest of group_claims
    seconds["rest"] = wall - sum(v for k, v in seconds.items() if k != "rest")
    left, right = clock.candidates if clock.candidates is not None else (np.zeros(0), np.zeros(0))
    n_sentences = report.summary.sentences
    claims = sorted((s for _, sentences in parsed for s in sentences if s.is_claim),
                    key=lambda c: (c.source, c.index, c.text))
    del parsed
    group_of = {(m.source, m.sentence_index): g for g, group in enumerate(report.claims) for m in group.members}
    n = len(claims)
    keys = set(zip(left.tolist(), right.tolist())) if len(left) else set()
    out = {
        "wall": wall, "cpu": cpu, "stages": seconds, "peak_after": peaks, "rss": rss, "sentences": n_sentences, "claims": n,
        "candidates": int(len(left)), "on_demand_pairs": clock.on_demand_pairs, "calls": clock.calls,
        "groups": len(report.claims), "warnings": len(warnings),
    }
    out.update(_recall(claims, group_of, keys, _planted(planted)))
    accepted = out.pop("accepted_pairs")
    if anchor:  # the 30-line anchor, in this same process after compare (compare's peak RSS is its own)
        cpu, start = _cpu(), time.perf_counter()
        found = anchor_groups(folder)
        out["anchor"] = {"wall": time.perf_counter() - start, "cpu": _cpu() - cpu, "groups": len(set(found.values())),
                         "found": sum(found.get((sa, ta), -1) == found.get((sb, tb), -2) for sa, ta, sb, tb in accepted),
                         "of": len(accepted)}
    return out


ANCHOR_SENTENCE = re.compile(r"(?<=[.!?])[\"')]?\s+(?=[\"'(]?[A-Z0-9])")


def anchor_groups(folder: str) -> dict[tuple[str, str], int]:
    """The 30-line anchor: regex sentences, datasketch MinHash LSH on word bigrams (64
    permutations, threshold 0.3), rapidfuzz token_sort_ratio >= 68 on the candidates,
    union-find. Returns (file stem, sentence) -> group id."""
    from datasketch import MinHash, MinHashLSH
    from rapidfuzz import fuzz

    texts, stems = [], []
    for path in sorted(Path(folder).iterdir()):
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            for sentence in ANCHOR_SENTENCE.split(paragraph.strip()):
                if len(sentence.split()) >= 4:
                    texts.append(sentence)
                    stems.append(path.stem)
    lsh, hashes = MinHashLSH(threshold=0.3, num_perm=64), []
    for k, text in enumerate(texts):
        words = re.findall(r"\w+", text.lower())
        m = MinHash(num_perm=64, seed=1)
        m.update_batch([f"{a} {b}".encode() for a, b in zip(words, words[1:])] or [text.encode()])
        lsh.insert(k, m)
        hashes.append(m)
    parent = list(range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, m in enumerate(hashes):
        for other in lsh.query(m):
            if other > k and stems[other] != stems[k] and fuzz.token_sort_ratio(texts[k], texts[other]) >= 68:
                parent[find(other)] = find(k)
    return {(stem, text): find(k) for k, (stem, text) in enumerate(zip(stems, texts))}


def _minhash_pairs(texts: Sequence[str], sources: Sequence[str]):
    import numpy as np
    from datasketch import MinHash, MinHashLSH

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
            if other > k and sources[other] != sources[k]:
                found.add((k, other))
    pairs = sorted(found)
    return np.array([p[0] for p in pairs], dtype=np.int64), np.array([p[1] for p in pairs], dtype=np.int64)


def minhash_candidates(table, weights, sources, stories, workers=1, large=None):
    """`matching.candidate_pairs` by datasketch MinHash LSH: word bigrams, 128 permutations,
    threshold 0.3; cross-source pairs within a story, i < j."""
    import numpy as np

    left, right = _minhash_pairs(table.texts, sources)
    story = np.asarray(stories)
    keep = story[left] == story[right]
    return left[keep], right[keep]


def child_minhash(folder: str, planted: str, mode: str = "one-story") -> dict:
    """The baseline on `folder`: `compare` with MinHash LSH candidates (same reading, scorer, grouping)."""
    import importlib.util

    if importlib.util.find_spec("datasketch") is None:
        return {"error": "datasketch is not installed (pip install -e '.[bench]')"}
    return child_compare(folder, planted, mode, minhash_candidates, anchor=False)


def child_parse(folder: str, workers: int) -> dict:
    """`pipeline._read` alone (what `compare` does before matching) with `workers` processes."""
    from claimcheck import pipeline
    from claimcheck.models import Settings

    pipeline._workers = lambda: workers
    files = sorted(Path(folder).iterdir())
    size = sum(p.stat().st_size for p in files)
    cpu = _cpu()
    start = time.perf_counter()
    parsed = pipeline._read([folder], lambda _m: None, None, None, Settings())
    wall = time.perf_counter() - start
    return {"wall": wall, "files": len(files), "bytes": size, "sentences": sum(len(s) for _, s in parsed),
            "rss": _rss(), "cpu": _cpu() - cpu}


CHILDREN = {"compare": child_compare, "minhash": child_minhash, "parse": child_parse}


# --------------------------------------------------------------------------------------------
# The parent: corpora, child runs, the table


MEMORY_LIMIT_GIB = 12.0  # address space per child (--memory-limit): a run too large for the machine fails alone


def _limit_memory() -> None:
    limit = int(MEMORY_LIMIT_GIB * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _run_child(kind: str, args: Sequence[str], timeout: float) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                              preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {done.returncode}: {tail}"}
    return json.loads(lines[-1])


def _median_run(runs: list[dict]) -> dict:
    """The run with the median wall, its stage times replaced by the per-stage medians."""
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return runs[0]
    ok.sort(key=lambda r: r["wall"])
    mid = dict(ok[len(ok) // 2])
    mid["stages"] = {s: statistics.median(r["stages"].get(s, 0.0) for r in ok) for s in mid["stages"]}
    mid["rss"] = {k: statistics.median(r["rss"][k] for r in ok) for k in mid["rss"]}
    mid["wall"] = statistics.median(r["wall"] for r in ok)
    mid["cpu"] = statistics.median(r.get("cpu", 0.0) for r in ok)
    mid["repeats"] = len(ok)
    return mid


STAGE_ORDER = ("reading", "stories", "featurise", "candidates", "verify", "grouping", "medoids", "independence", "rest")


MATCHING = ("featurise", "candidates", "verify", "grouping", "medoids")


def _matching(r: dict) -> float:
    return sum(r["stages"].get(s, 0.0) for s in MATCHING)


def _format(label: str, r: dict) -> str:
    if "error" in r:
        partial = "  ".join(f"{s} {v:.1f} s" for s, v in r.get("stages", {}).items())
        peaks = "  ".join(f"{s} {v:.0f}" for s, v in r.get("peak_after", {}).items())
        return f"  {label:<9} {r['error']}" + (f"\n  {'':<9} done: {partial}; peak RSS (MiB) after: {peaks}" if partial else "")
    stages = "  ".join(f"{s} {r['stages'][s]:6.1f}" for s in STAGE_ORDER if s in r["stages"])
    cand = r.get("candidate_recall")
    cores = f", CPU {r['cpu']:.0f} s" if "cpu" in r else ""
    return (f"  {label:<9} wall {r['wall']:6.1f} s{cores} ({stages})\n"
            f"  {'':<9} peak RSS main {r['rss']['main']:6.0f} MiB, workers {r['rss']['workers']:5.0f} MiB;  "
            f"{r['sentences'] / r['wall']:7.0f} sentences/s;  candidates {r['candidates']:>9,} "
            f"({r['candidates'] / max(r['claims'], 1):.1f}/claim);  planted recall {r['recall']:.3f} "
            f"of {r['planted_accepted']} accepted" + (f" (candidates {cand:.3f})" if cand is not None else "")
            + f";  {r.get('groups', 0):,} groups listed, {r.get('on_demand_pairs', 0):,} pairs scored on demand"
            + ("\n  " + " " * 9 + " peak RSS (MiB) after: " + "  ".join(
                f"{s} {v:.0f}" for s, v in r["peak_after"].items()) if r.get("peak_after") else ""))


def _write(n: int, folder: Path) -> tuple[Corpus, Path]:
    corpus = generate(n)
    write_corpus(corpus, folder)
    planted = folder.parent / f"planted-{n}.json"
    planted.write_text(json.dumps([(f"{x:05d}", ta, f"{y:05d}", tb) for x, ta, y, tb in corpus.planted]),
                       encoding="utf-8")
    return corpus, planted


def bench(n: int, repeat: int, baseline: bool, parse_workers: Sequence[int], timeout: float, keep: bool,
          mode: str = "one-story") -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"claimcheck-scale-{n}-"))
    folder = tmp / "articles"
    folder.mkdir()
    try:
        corpus, planted = _write(n, folder)
        mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"N = {n:,} articles ({mb:.1f} MB), {len(corpus.planted)} planted positives "
              f"(+{len(corpus.near_misses)} near misses){', ' + str(folder) if keep else ''}; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        out: dict = {"n": n, "mb": mb}
        for w in parse_workers:
            runs = [_run_child("parse", [str(folder), str(w)], timeout) for _ in range(repeat)]
            ok = [r for r in runs if "error" not in r]
            if not ok:
                print(f"  parse, {w} worker(s): {runs[0]['error']}")
                continue
            wall = statistics.median(r["wall"] for r in ok)
            r = ok[0]
            cpu = statistics.median(r["cpu"] for r in ok)
            out[f"parse{w}"] = {"wall": wall, "cpu": cpu, **{k: r[k] for k in ("files", "bytes", "sentences")}}
            print(f"  parse, {w} worker(s): {wall:5.1f} s  {r['files'] / wall:6.0f} files/s  "
                  f"{r['sentences'] / wall:7.0f} sentences/s  {r['bytes'] / 1e6 / wall:5.2f} MB/s  "
                  f"(CPU {cpu:.1f} s, {cpu / wall:.2f} cores)  peak RSS main {r['rss']['main']:.0f} MiB", flush=True)
        fast = _median_run([_run_child("compare", [str(folder), str(planted), mode], timeout) for _ in range(repeat)])
        print(_format("compare", fast), flush=True)
        out["compare"] = fast
        if "anchor" in fast:
            a = fast["anchor"]
            print(f"  anchor    wall {a['wall']:6.1f} s, CPU {a['cpu']:.0f} s (same process, after compare): "
                  f"planted {a['found']} of {a['of']} accepted;  compare/anchor: wall {fast['wall'] / a['wall']:.2f}x, "
                  f"CPU {fast['cpu'] / max(a['cpu'], 1e-9):.2f}x", flush=True)
        if baseline:
            slow = _median_run([_run_child("minhash", [str(folder), str(planted), mode], timeout) for _ in range(repeat)])
            print(_format("minhash", slow), flush=True)
            out["minhash"] = slow
            if "error" not in fast and "error" not in slow:
                print(f"  compare vs the MinHash pipeline: {slow['wall'] / fast['wall']:.2f}x its speed end to end, "
                      f"{_matching(slow) / _matching(fast):.2f}x in matching (featurise to medoids)", flush=True)
        print(f"  load average after: {os.getloadavg()[0]:.1f}", flush=True)
        return out
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def exhaustive(n: int) -> None:
    """Links `group_claims` makes on the fast path vs scoring every cross-source pair."""
    from claimcheck import matching
    from claimcheck.models import Settings

    tmp = Path(tempfile.mkdtemp(prefix=f"claimcheck-exhaustive-{n}-"))
    try:
        write_corpus(generate(n, seed=11, pairs_per_article=3), tmp)
        claims = parse(str(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def links(groups) -> set[tuple]:
        return {tuple(sorted(((a.source, a.sentence_index), (b.source, b.sentence_index))))
                for g in groups for a in g.members for b in g.members if a.source < b.source}

    large = matching.LARGE
    found = {}
    try:
        for name, cut in (("all pairs", 10**9), ("fast", 0)):
            clock = StageClock()
            original = matching.candidate_pairs
            matching.candidate_pairs = clock.wrap("candidates", original)
            matching.LARGE = cut
            start = time.perf_counter()
            try:
                groups = matching.group_claims(claims, Settings())[0]
            finally:
                matching.candidate_pairs = original
            found[name] = links(groups)
            print(f"  {name:<9} {time.perf_counter() - start:6.1f} s  candidates {len(clock.candidates[0]):>9,}  "
                  f"links {len(found[name]):,}")
    finally:
        matching.LARGE = large
    every, fast = found["all pairs"], found["fast"]
    print(f"N = {n} articles, {len(claims):,} claims: the fast path keeps {len(every & fast) / max(len(every), 1):.4f} "
          f"of the {len(every):,} all-pairs links and adds {len(fast - every)}")


def _match_story_cpu(args) -> tuple[int, float]:
    """One story through `matching.match_story` in a pool worker: (groups, CPU seconds)."""
    from claimcheck.matching import match_story
    from claimcheck.models import Settings

    start = time.process_time()
    groups = match_story(args[0], Settings(), args[1])[0]
    return len(groups), time.process_time() - start


def multi_story(n: int, workers: Sequence[int], seed: int = 7) -> None:
    """Matching throughput on a multi-story corpus: `n` generated articles cut into stories of
    5-50 outlets (sizes uniform at random), one `match_story` call per story in a process pool
    of each size in `workers`, largest stories first. Claims are the generated sentences (no
    reading stage), so this is the story-parallel part alone."""
    import multiprocessing

    from claimcheck.models import Sentence

    corpus = generate(n)
    rnd = random.Random(seed)
    stories, at = [], 0
    while at < n:
        size = min(rnd.randint(5, 50), n - at)
        stories.append([Sentence(source=f"{k:05d}", index=i, text=t, start=0, end=len(t))
                        for k in range(at, at + size) for i, t in enumerate(corpus.articles[k])])
        at += size
    tasks = sorted(((claims, f"s{k + 1}") for k, claims in enumerate(stories)), key=lambda t: -len(t[0]))
    claims = sum(map(len, stories))
    print(f"multi-story: {n:,} articles in {len(stories)} stories of 5-50 outlets, {claims:,} claims; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    for w in workers:
        start = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(w) as pool:
            out = pool.map(_match_story_cpu, tasks, chunksize=1)
        wall = time.perf_counter() - start
        cpu = sum(c for _, c in out)
        print(f"  {w} process(es): wall {wall:6.1f} s, CPU in stories {cpu:6.1f} s, {n / wall:6.1f} articles/s, "
              f"{sum(g for g, _ in out):,} groups; load average {os.getloadavg()[0]:.1f}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000, 10000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per N (medians)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the datasketch pipeline")
    parser.add_argument("--parse", type=int, nargs="*", default=[], metavar="WORKERS",
                        help="also time parsing alone with these worker counts (e.g. 1 2)")
    parser.add_argument("--exhaustive", type=int, default=0, metavar="N",
                        help="first compare fast vs all-pairs links on an N-article corpus")
    parser.add_argument("--stories", action="store_true",
                        help="let stories.py split the corpus (default: one story, as the corpus is built)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per child run")
    parser.add_argument("--memory-limit", type=float, default=12.0, metavar="GIB",
                        help="address-space limit per child run (a larger run fails with 'out of memory')")
    parser.add_argument("--keep", action="store_true", help="keep the generated folders")
    parser.add_argument("--json", action="store_true", help="also print every figure as one JSON line")
    parser.add_argument("--multi-story", type=int, default=0, metavar="N",
                        help="only time story-parallel matching on N articles in stories of 5-50 outlets")
    parser.add_argument("--processes", type=int, nargs="*", default=[1, 2], help="pool sizes for --multi-story")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    global MEMORY_LIMIT_GIB
    MEMORY_LIMIT_GIB = args.memory_limit
    if args.child:
        kind, *rest = args.child
        fn = CHILDREN[kind]
        print(json.dumps(fn(rest[0], int(rest[1])) if kind == "parse" else fn(*rest)))
        return 0
    if args.multi_story:
        multi_story(args.multi_story, args.processes)
        return 0
    if args.exhaustive:
        exhaustive(args.exhaustive)
    mode = "stories" if args.stories else "one-story"
    results = [bench(n, max(args.repeat, 1), not args.no_baseline, args.parse, args.timeout, args.keep, mode)
               for n in args.sizes]
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
