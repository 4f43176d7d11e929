"""Quality floors of the shipped matcher on real multi-outlet data kept outside the repository:
the hand-made gold of ../shared/data/stories and the DUC 2006 pyramid folders (bench/stories_eval.py,
bench/duc_eval.py measure the same; docs/evaluation.md gives the figures)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from claimcheck.models import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

# Measured at the default settings (threshold 55, min-confidence 75): stories 44 of 44 links
# right, 44 of 1,123 gold links found; DUC 129 of 156 right (0.827), 129 of 965 found.
STORIES_PRECISION_FLOOR = 0.95
STORIES_FOUND_FLOOR = 40
DUC_PRECISION_FLOOR = 0.80
DUC_FOUND_FLOOR = 118


def _bench(name: str):
    if name in sys.modules:
        return sys.modules[name]
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SHARED / "stories").exists(), reason="../shared stories gold not available")
def test_stories_gold_link_precision_floor():
    bench = _bench("stories_eval")
    total = bench.Counts()
    for name, report in bench.run(Settings()).items():
        total.add(bench.score_story(bench.STORIES / name, report))
    assert total.gold == 1123
    assert total.precision >= STORIES_PRECISION_FLOOR, total.wrong
    assert total.found >= STORIES_FOUND_FLOOR


@pytest.mark.skipif(not (SHARED / "stories").exists(), reason="../shared stories gold not available")
def test_possible_groups_are_the_weaker_links():
    """Groups below --min-confidence are listed as possible and are wrong more often."""
    bench = _bench("stories_eval")
    strong, weak = bench.Counts(), bench.Counts()
    for name, report in bench.run(Settings()).items():
        both = bench.score_story(bench.STORIES / name, report, with_possible=True)
        only_strong = bench.score_story(bench.STORIES / name, report)
        strong.add(only_strong)
        weak.predicted += both.predicted - only_strong.predicted
        weak.right += both.right - only_strong.right
    assert weak.predicted > 0
    assert strong.precision > weak.precision


@pytest.mark.skipif(not (SHARED / "pyramid-duc2006" / "folders").exists(), reason="../shared DUC 2006 not available")
def test_duc_folders_link_precision_floor():
    from claimcheck import compare

    bench = _bench("duc_eval")
    totals = [0, 0, 0, 0]
    for topic in bench.topics():
        report = compare([str(bench.DUC / "folders" / topic)], Settings(one_story=True), warn=lambda m: None)
        totals = [a + b for a, b in zip(totals, bench.score_topic(topic, report))]
    predicted, right, gold, found = totals
    assert gold == 965
    assert right / predicted >= DUC_PRECISION_FLOOR
    assert found >= DUC_FOUND_FLOOR


def test_far_apart_counts_are_two_counts_not_one_disagreement():
    """Within a story, "killed 12" and "four killed" are two counts (two places or moments); "19"
    and "at least 12" killed stay one claim with a disagreement."""
    from claimcheck import match_pair

    two = match_pair("``He had just killed 12 people,'' Smith said.", "Four people were killed in that office.",
                     same_story=True)
    one = match_pair("A Russian strike on a Kharkiv hypermarket killed 19 civilians, officials said.",
                     "A Russian strike on a Kharkiv hypermarket killed at least 12 people, officials said.",
                     same_story=True)
    assert two.score < Settings().min_confidence <= one.score
