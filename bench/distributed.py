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
    sizes = [max(2, int(n_articles * r / sum(raw))) for r in raw]
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
