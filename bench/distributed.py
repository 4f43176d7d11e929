"""Distributed benchmark: `compare` on the local engine and on Dask with 1 and 2 workers, on a
generated multi-story corpus, plus a paper projection to 1M articles on 100 cores.

    .venv/bin/python bench/distributed.py                      # 2,000 articles, 1 run each
    .venv/bin/python bench/distributed.py --articles 3000 --repeat 2
    .venv/bin/python bench/distributed.py --articles 300 --stories 12 --keep /tmp/corpus

The corpus (`generate`) is deterministic and self-contained: `stories` stories with Zipf sizes
(the largest about a third of the articles), each with its own people, places, organisations,
figures and dates; every article reports ~22 of its story's ~40 facts, each worded by one of
several templates with synonyms swapped, plus ~8 sentences of its own, so claims corroborate
across the outlets of a story and never across stories.

Every run is a fresh subprocess (`--child`), so worker start-up, imports and the cluster's
shutdown are inside the wall time, as a user sees them. Per run: wall, articles/s, the stage
times the driver sees (reading, stories, independence, waiting for matching) and the digest of
the JSON report (all runs must print the same one). The machine is shared with other jobs:
read the ratios between runs measured back to back, not the absolute times (the load average
is printed).

The projection takes the per-story matching cost measured in-process (CPU seconds against
claims, fitted as a power law over the corpus' stories) and the per-article cost of the other
stages, and projects 1M articles in stories of the same Zipf shape onto 100 cores:
makespan ~ max(sum of story CPU / cores, CPU of the largest story) + the per-article stages
/ cores + the driver's sequential stages. It names the straggler: the largest story.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261206
# Run as a script, this file's folder comes first on sys.path, and this file would shadow Dask's
# `distributed` package.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

_FIRST = "Alina Boris Carmen Dario Elena Farid Greta Hamid Ines Jonas Kira Lukas Maren Nadia Oskar Petra Rafael Sina Tomas Vera".split()
_ORGS = ("Harbour Authority", "Transport Ministry", "Red Crescent", "Mining Council", "Water Board", "Port Union",
         "Energy Regulator", "Fire Service", "Health Agency", "Coast Guard", "Rail Company", "City Council")
_EVENTS = ("flood", "fire", "strike", "collapse", "explosion", "landslide", "outage", "derailment", "spill", "storm")
_MONTHS = "January February March April May June July August September October November December".split()
# (template, alternative wording) pairs; {p} person, {q} second person, {o} organisation, {l} place,
# {e} event, {n} a number, {m} a second number, {d} a date.
_FACTS = (
    ("{p} said the {o} would open an inquiry into the {e} in {l}.",
     "An inquiry into the {e} in {l} will be opened by the {o}, {p} said."),
    ("At least {n} people were injured in the {e} near {l} on {d}.",
     "The {e} near {l} on {d} injured at least {n} people."),
    ("The {o} estimated the damage from the {e} at {m} million dollars.",
     "Damage from the {e} was put at {m} million dollars by the {o}."),
    ("{q} of the {o} told reporters that {n} families had been moved to shelters in {l}.",
     "{n} families were moved to shelters in {l}, {q} of the {o} told reporters."),
    ("Rescue teams worked through the night after the {e} struck {l} on {d}.",
     "After the {e} hit {l} on {d}, rescue teams worked through the night."),
    ("{p} blamed the {e} on years of neglect by the {o}.",
     "Years of neglect by the {o} caused the {e}, according to {p}."),
    ("The {o} said {m} workers would be sent to {l} to help with repairs.",
     "{m} workers are being sent to {l} to help repair the damage, the {o} said."),
    ("Schools in {l} will stay closed until {d} because of the {e}.",
     "Because of the {e}, schools in {l} are to remain closed until {d}."),
    ("{q} resigned from the {o} on {d} over its handling of the {e}.",
     "On {d}, {q} quit the {o} over the way it handled the {e}."),
    ("Officials in {l} said {n} homes had no electricity after the {e}.",
     "After the {e}, {n} homes in {l} were left without electricity, officials said."),
)
_SYNONYMS = {"said": "stated", "people": "residents", "reporters": "journalists", "help": "assist",
             "officials": "authorities", "damage": "destruction", "night": "evening"}
_FILLER = ("Traffic on the main road into {l} was {adj} for most of {day}.",
           "Local radio in {l} reported that the {noun} was {adj} again by {day}.",
           "A spokesperson for the {o} declined to say when the {noun} would reopen.",
           "Residents of {l} queued for {noun} outside the town hall on {day}.",
           "The {noun} near the old market in {l} was described as {adj} by witnesses.",
           "Volunteers handed out {noun} to families on the edge of {l} on {day}.")
_ADJ = "slow busy quiet crowded calm tense closed damaged flooded empty".split()
_NOUN = "bridge water supply station bakery clinic ferry library depot bread blankets".split()
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def _story_sizes(n_articles: int, n_stories: int) -> list[int]:
    """Zipf (s = 1) sizes of at least 2 articles each, summing to `n_articles`, largest first."""
    raw = [1 / (k + 1) for k in range(n_stories)]
    total = sum(raw)
    sizes = [max(2, int(n_articles * r / total)) for r in raw]
    sizes[0] += n_articles - sum(sizes)
    return sizes


_SYLLABLES = "ka ro mel vin tor sa lu dre qua fen bri os tal nor ve zim pa gha ru lei".split()


def _name(rnd: random.Random, used: set[str]) -> str:
    """A made-up proper name not used before in this corpus."""
    while True:
        name = "".join(rnd.choice(_SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()
        if name not in used:
            used.add(name)
            return name


def _story_facts(rnd: random.Random, used: set[str]) -> tuple[str, list[tuple[str, str]]]:
    """A story's place and its facts, each in two wordings."""
    people = [f"{rnd.choice(_FIRST)} {_name(rnd, used)}" for _ in range(4)]
    place, event = _name(rnd, used), rnd.choice(_EVENTS)
    orgs = [f"{place} {org}" for org in rnd.sample(_ORGS, 3)]
    facts = []
    for k in range(40):
        a, b = _FACTS[k % len(_FACTS)]
        values = {"p": people[k % 4], "q": people[(k + 1) % 4], "o": orgs[k % 3], "l": place, "e": event,
                  "n": rnd.randint(3, 900), "m": rnd.randint(2, 90), "d": f"{rnd.randint(1, 28)} {rnd.choice(_MONTHS)}"}
        facts.append((a.format(**values), b.format(**values)))
    return place, facts


def _reword(text: str, rnd: random.Random) -> str:
    words = text.split()
    return " ".join(_SYNONYMS.get(w, w) if rnd.random() < 0.5 else w for w in words)


def generate(n_articles: int, n_stories: int, seed: int = SEED) -> list[list[str]]:
    """Articles (lists of sentences), story by story, largest story first (see the module docstring)."""
    rnd = random.Random(seed)
    articles = []
    used: set[str] = set()
    for size in _story_sizes(n_articles, n_stories):
        place, facts = _story_facts(rnd, used)
        for _ in range(size):
            sentences = [_reword(rnd.choice(pair), rnd) for pair in rnd.sample(facts, 22)]
            for _ in range(8):
                sentences.append(rnd.choice(_FILLER).format(
                    l=place, o=rnd.choice(_ORGS), adj=rnd.choice(_ADJ), noun=rnd.choice(_NOUN), day=rnd.choice(_DAYS)))
            rnd.shuffle(sentences)
            articles.append(sentences)
    return articles


def write_corpus(articles: Sequence[list[str]], folder: Path, seed: int = SEED) -> list[str]:
    """One file per article, in shuffled order (story is not visible in the name): a headline,
    then paragraphs of two sentences."""
    folder.mkdir(parents=True, exist_ok=True)
    order = list(range(len(articles)))
    random.Random(seed).shuffle(order)
    paths = []
    for name, k in enumerate(order):
        sentences = articles[k]
        body = "\n\n".join(" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2))
        path = folder / f"{name:05d}.txt"
        path.write_text(" ".join(sentences[0].split()[:7]).rstrip(".,") + "\n\n" + body + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


# --------------------------------------------------------------------------------------------
# One measured run (a child process)


def child(mode: str, folder: str, partition_size: int | None) -> dict:
    """`compare` on `folder` with engine `mode` (local: everything in this process, the matcher's
    threads as usual; dask-N: a local Dask cluster of N one-thread workers, started and stopped
    inside the timing)."""
    from claimcheck import pipeline
    from claimcheck.engines import LocalEngine, make_engine
    from claimcheck.models import Settings
    from claimcheck.report.formats import to_json

    marks: dict[str, list[float]] = {}
    stories: list[tuple[int, int, float]] = []  # (articles, claims, CPU s) per story, in-process only
    task = pipeline.match_story_task

    def timed_task(unit):
        start = time.process_time()
        out = task(unit)
        stories.append((len({c.source for c in unit[1]}), len(unit[1]), time.process_time() - start))
        return out

    def progress(stage: str, done: int, total: int) -> None:
        now = (time.perf_counter(), time.process_time())
        span = marks.setdefault(stage, [*now, *now])
        span[2:] = now

    start = time.perf_counter(), time.process_time()
    started = 0.0
    if mode == "local":
        pipeline.match_story_task = timed_task
        engine = LocalEngine(workers=1)
    else:
        engine = make_engine("dask", workers=int(mode.split("-")[1]), partition_size=partition_size)
        started = time.perf_counter() - start[0]
    with engine:
        report = pipeline.compare([folder], Settings(), warn=lambda _m: None, progress=progress, engine=engine)
    wall, cpu = time.perf_counter() - start[0], time.process_time() - start[1]
    text = to_json(report)
    # A stage runs from the end of the one before it (a stage's first report can come late: a
    # single bag partition reports all its documents at once) to its own last report.
    stages, prev = {}, (start[0] + started, start[1])
    for s, v in marks.items():
        if s == "articles":  # reported alongside matching
            continue
        stages[s] = {"wall": v[2] - prev[0], "cpu": v[3] - prev[1]}
        prev = (v[2], v[3])
    return {
        "mode": mode, "wall": wall, "driver_cpu": cpu, "start": started, "stages": stages, "stories": stories,
        "articles": report.summary.sources, "claims": report.summary.claims, "n_stories": len(report.stories),
        "largest_story": max(len(s.sources) for s in report.stories),
        "digest": hashlib.sha256(text.encode()).hexdigest()[:16], "load": os.getloadavg()[0],
    }


def _run(mode: str, folder: Path, partition_size: int | None, timeout: float) -> dict:
    args = [sys.executable, __file__, "--child", mode, str(folder)]
    if partition_size:
        args += ["--partition-size", str(partition_size)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# The projection


def fit_story_cost(stories: Sequence[tuple[int, int, float]]) -> tuple[float, float]:
    """CPU seconds = a x claims^b, least squares in log space over stories of 100+ claims."""
    import numpy as np

    pts = [(c, t) for _, c, t in stories if c >= 100 and t > 0]
    x = np.log([c for c, _ in pts])
    y = np.log([t for _, t in pts])
    b, log_a = np.polyfit(x, y, 1)
    return float(np.exp(log_a)), float(b)


def project(local: dict, shape: tuple[int, int], articles: int = 1_000_000, cores: int = 100) -> dict:
    """Makespan of `articles` in Zipf stories of the generated corpus' shape (`shape` = its
    articles, stories) on `cores` cores (see the module docstring); per-article costs from the
    in-process run."""
    a, b = fit_story_cost(local["stories"])
    n = local["articles"]
    per_article = {s: local["stages"][s]["cpu"] / n for s in ("reading", "stories", "independence") if s in local["stages"]}
    claims_per_article = local["claims"] / n
    n_stories = max(1, round(articles * shape[1] / shape[0]))
    sizes = _story_sizes(articles, n_stories)
    story_cpu = [a * (s * claims_per_article) ** b for s in sizes]
    parallel = per_article.get("reading", 0) * articles / cores
    matching = max(sum(story_cpu) / cores, story_cpu[0])
    driver = (per_article.get("stories", 0) + per_article.get("independence", 0)) * articles
    return {
        "a": a, "b": b, "per_article_ms": {k: 1000 * v for k, v in per_article.items()},
        "stories": n_stories, "straggler_articles": sizes[0], "straggler_claims": round(sizes[0] * claims_per_article),
        "straggler_s": story_cpu[0], "balanced_matching_s": sum(story_cpu) / cores, "reading_s": parallel,
        "matching_s": matching, "driver_s": driver, "makespan_s": parallel + matching + driver,
    }


# --------------------------------------------------------------------------------------------


def _row(r: dict, base: dict | None) -> str:
    st = r["stages"]

    def w(s: str) -> str:
        return f"{st[s]['wall']:6.1f}" if s in st else "     -"
    ratio = f"x{base['wall'] / r['wall']:4.2f}" if base else "     "
    return (f"{r['mode']:<8} {r['wall']:7.1f} s {r['articles'] / r['wall']:7.1f}/s  {ratio}   "
            f"start {r['start']:4.1f}  reading {w('reading')}  stories {w('stories')}  matching {w('matching')}  "
            f"independence {w('independence')}   load {r['load']:4.1f}  digest {r['digest']}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--stories", type=int, default=40, help="stories generated (Zipf sizes)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--modes", nargs="+", default=["local", "dask-1", "dask-2"])
    parser.add_argument("--partition-size", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--keep", type=Path, default=None, help="write the corpus here and keep it")
    parser.add_argument("--save", type=Path, default=None, help="write the runs as JSON here")
    parser.add_argument("--load", type=Path, default=None, help="print the report of runs saved with --save")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.partition_size)))
        return 0
    if args.load:
        return report(json.loads(args.load.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory(prefix="cc-distributed-") as tmp:
        folder = args.keep or Path(tmp) / "corpus"
        write_corpus(generate(args.articles, args.stories), folder)
        print(f"corpus: {args.articles} articles in {args.stories} generated stories ({folder}); "
              f"{os.cpu_count()} cores, shared: read ratios, not absolute times", flush=True)
        runs: dict[str, list[dict]] = {m: [] for m in args.modes}
        for _ in range(args.repeat):
            for mode in args.modes:  # back to back, so the load is comparable
                runs[mode].append(_run(mode, folder, args.partition_size, args.timeout))
                print(" ", _row(runs[mode][-1], None), flush=True)
    saved = {"corpus": [args.articles, args.stories], "runs": runs}
    if args.save:
        args.save.write_text(json.dumps(saved, indent=1), encoding="utf-8")
    return report(saved)


def report(saved: dict) -> int:
    """The table of the runs (best of each mode), digest check and the projection."""
    runs: dict[str, list[dict]] = saved["runs"]
    best = {m: min(rs, key=lambda r: r["wall"]) for m, rs in runs.items()}
    base = best.get("dask-1") or next(iter(best.values()))
    print(f"\nbest of {max(len(rs) for rs in runs.values())}; x = speed-up over {base['mode']}")
    for r in best.values():
        print(_row(r, base))
    digests = {r["digest"] for rs in runs.values() for r in rs}
    print(f"report digests: {'all equal' if len(digests) == 1 else 'DIFFER: ' + ', '.join(sorted(digests))}")
    local = best.get("local")
    if local:
        r = local
        print(f"{r['articles']} articles, {r['claims']} claims, {r['n_stories']} stories found "
              f"(largest {r['largest_story']} articles)")
        p = project(local, tuple(saved["corpus"]))
        print(f"\nprojection, 1M articles on 100 cores, Zipf stories of the generated shape ({p['stories']:,} stories):")
        print(f"  story matching CPU = {p['a']:.2e} x claims^{p['b']:.2f} (fit over the measured stories)")
        print("  per article, in-process CPU: " + ", ".join(f"{k} {v:.2f} ms" for k, v in p["per_article_ms"].items()))
        print(f"  reading (parallel):                 {p['reading_s'] / 60:8.1f} min")
        print(f"  matching, balanced (sum / cores):   {p['balanced_matching_s'] / 60:8.1f} min")
        print(f"  straggler: the largest story, {p['straggler_articles']:,} articles / {p['straggler_claims']:,} claims, "
              f"one task: {p['straggler_s'] / 60:8.1f} min")
        print(f"  driver, sequential (stories + independence): {p['driver_s'] / 60:8.1f} min")
        print(f"  makespan ~ {p['makespan_s'] / 60:.0f} min")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
