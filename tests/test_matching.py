"""Matching: pair verdicts, batch features, quantities, disagreements, grouping, quality floors."""

from __future__ import annotations

import importlib.util
import json
import random
import sys

import numpy as np
import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from claimcheck import match_pair
from claimcheck.matching import build_table, extract_quantities, find_disagreements, group_claims, pair_matrix
from claimcheck.matching.grouping import PairScores, agglomerate
from claimcheck.matching.model import load_model
from claimcheck.matching.pairs import FEATURE_NAMES
from claimcheck.models import Sentence, Settings

from .conftest import ROOT, SHARED


def _bench(name: str):
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _claims(*pairs: tuple[str, str]) -> list[Sentence]:
    counts: dict[str, int] = {}
    out = []
    for source, text in pairs:
        index = counts.get(source, 0)
        counts[source] = index + 1
        out.append(Sentence(source=source, index=index, text=text, start=0, end=len(text)))
    return out


def _groups(claims, settings=None, stories=None):
    return group_claims(claims, settings or Settings(), stories)[0]


# --- match_pair ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("U.S. President Joe Biden has authorized Ukraine to use American weapons.",
         "US president joe biden has authorised Ukraine to use American weapons"),
        ("The United States still prohibits long-range strikes.", "The U.S. still prohibits long range strikes."),
        ("A Russian strike on a Kharkiv hypermarket killed 19 civilians, officials said.",
         "A Russian strike on a Kharkiv hypermarket killed 19 people, officials said."),
    ],
)
def test_wording_variants_match(a: str, b: str) -> None:
    result = match_pair(a, b)
    assert result.matched, result.reasons
    assert result.score == pytest.approx(match_pair(b, a).score)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The policy has changed.", "The policy has not changed."),
        ("Our policy with respect to prohibiting the use of ATACMS has changed, the official said.",
         "Our policy with respect to prohibiting the use of ATACMS has not changed, the official said."),
        ("The S&P 500 rose 1.9% on Tuesday.", "The Dow jumped 2.1% on Tuesday."),
        # Same kind of event, different arguments (the ECB+ examples).
        ("The quake was centered about two miles from The Geysers.", "The quake was six miles west of Cobb."),
        ("Chargers' Jackson arrested on suspicion of DUI", "Chargers' Williams arrested on suspicion of DUI"),
        ("The 76ers fired coach Maurice Cheeks on Saturday.", "The 76ers hired coach Maurice Cheeks on Saturday."),
    ],
)
def test_hard_negatives_do_not_match(a: str, b: str) -> None:
    result = match_pair(a, b)
    assert not result.matched, result
    assert result.score < Settings().threshold


def test_contradictions_are_named() -> None:
    negated = match_pair("The policy has changed.", "The policy has not changed.")
    assert any("negates" in r for r in negated.reasons)
    opposed = match_pair("The 76ers fired coach Maurice Cheeks on Saturday.", "The 76ers hired coach Maurice Cheeks on Saturday.")
    assert any("opposed event words" in r for r in opposed.reasons)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Both sides of an opposition in both sentences: no side taken.
        ('"I tried to open up my door and they said close your door, lock your door."',
         '"I tried to open up my door and they said \'close your door, lock your door.\'"'),
        # "would not say" negates no claim the other states.
        ("LaCalamita was denied a handgun permit in March, said Scherlinck, who would not say why.",
         "Scherlinck said LaCalamita had been denied a handgun permit in March."),
    ],
)
def test_no_false_contradictions(a: str, b: str) -> None:
    assert not any("contradiction" in r for r in match_pair(a, b).reasons)


def test_match_result_explains() -> None:
    result = match_pair("The policy has changed.", "The policy has not changed.")
    assert 0.0 <= result.score <= 100.0
    assert "polic" in " ".join(result.shared)
    numbers = match_pair("The attack killed 19 civilians.", "The attack killed at least 12 people.")
    assert numbers.numbers_a == ("19",) and numbers.numbers_b == ("at least 12",)


def test_same_story_reads_differing_counts_as_a_disagreement() -> None:
    a, b = "The attack killed 19 civilians in Kharkiv.", "The attack killed at least 12 civilians in Kharkiv."
    assert match_pair(a, b, same_story=True).score > match_pair(a, b).score


def test_threshold_setting_decides() -> None:
    a, b = "Biden allowed Ukraine to strike Russia.", "Biden let Ukraine hit targets in Russia."
    score = match_pair(a, b).score
    assert match_pair(a, b, Settings(threshold=score)).matched
    assert not match_pair(a, b, Settings(threshold=min(score + 0.01, 100.0))).matched or score == 100.0


def test_normalisation_sees_through_mrpc_tokenisation() -> None:
    table = build_table([
        "Biden's aides couldn't say \u201clong-range\u201d U.S. policy changed.",
        "Biden 's aides couldn 't say <QUOTE> long-range <QUOTE> U.S. policy changed .",
    ])
    assert table.tokens[0] == table.tokens[1]
    assert (table.fields["negated"].row(0) == table.fields["negated"].row(1)).all()


def test_batch_features_equal_one_pair_at_a_time() -> None:
    texts = [
        "Biden has authorized Ukraine to use American weapons against targets in Russia.",
        "Joe Biden quietly allowed Kyiv to strike inside Russia with US arms, officials said.",
        "The attack killed 19 civilians and injured 54.",
        "A Russian strike on a Kharkiv hypermarket killed at least 12 people.",
        "The policy has not changed.",
    ]
    table = build_table(texts)
    w = table.idf()
    left, right = np.triu_indices(len(texts), k=1)
    together = pair_matrix(table, left, right, w)
    for k, (i, j) in enumerate(zip(left, right)):
        alone = pair_matrix(table, np.array([i]), np.array([j]), w)[0]
        assert np.allclose(together[k], alone)
        assert np.allclose(pair_matrix(table, np.array([j]), np.array([i]), w)[0], alone)  # symmetric
    assert together.shape == (len(left), len(FEATURE_NAMES))


# --- quantities ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The attack killed 19 civilians and injured 54.", ["19", "54"]),
        ("a strike killed at least 12 people", ["at least 12"]),
        ("sending more than 30,000 ground forces", ["more than 30,000"]),
        ("Russia seized roughly a dozen Ukrainian villages", ["roughly a dozen"]),
        ("killing dozens of civilians", ["dozens"]),
        ("about 250 people and nearly 40% of homes", ["about 250", "nearly 40 percent"]),
        ("one official said", []),
        ("the Galaxy S5 and the Galaxy S6", []),
    ],
)
def test_quantities_keep_qualifiers(text: str, expected: list[str]) -> None:
    assert [q.text for q in extract_quantities(text)] == expected


@pytest.mark.parametrize(
    ("text", "value", "kind", "unit"),
    [
        ("raised at least €3m", 3e6, "money", "€"),
        ("raised 3 million euros", 3e6, "money", "€"),
        ("a $1.2bn deal", 1.2e9, "money", "$"),
        ("its 5.1-inch screen", 5.1, "measure", "inch"),
        ("Flight 370 vanished", 370, "label", ""),
        ("Article 5 of the treaty", 5, "label", ""),
        ("Alvarez, 26, was charged", 26, "age", ""),
        ("a 25-year-old man was charged", 25, "age", ""),
        ("for the 80th commemoration", 80, "date", ""),
        ("in 2022 the war began", 2022, "date", ""),
        ("roughly a dozen villages", 12, "count", ""),
    ],
)
def test_quantity_values_kinds_units(text: str, value: float, kind: str, unit: str) -> None:
    (q,) = extract_quantities(text)
    assert (q.value, q.kind, q.unit) == (value, kind, unit)


def _disagree(*pairs: tuple[str, str]):
    claims = _claims(*pairs)
    table = build_table([c.text for c in claims])
    return find_disagreements(claims, table.quantities)


def test_hypermarket_disagreement_reports_each_source_figure() -> None:
    (d,) = _disagree(
        ("a", "The attack killed 19 civilians and injured 54."),
        ("b", "Last week, a Russian attack on a Kharkiv supermarket with glide bombs killed at least 12 people "
              "and wounded many others."),
    )
    assert d.topic == "killed"
    assert [(f.source, f.value) for f in d.figures] == [("a", "19"), ("b", "at least 12")]


@pytest.mark.parametrize(
    "pairs",
    [
        (("a", "The fund raised at least €3 million."), ("b", "The fund raised at least 3 million euros.")),
        (("a", "The fund raised at least €3 million."), ("b", "The fund raised at least 3 million.")),
        (("a", "The phone has a 5.1-inch screen."), ("b", "The phone has a 5 megapixel camera and a 5.1-inch screen.")),
        (("a", "The Galaxy S5 sold 10 million units."), ("b", "The Galaxy S6 sold 10 million units.")),
        (("a", "Flight 370 carried 239 people."), ("b", "Flight 17 carried 239 people.")),
        (("a", "The quake killed 128 people on Monday 5 May."), ("b", "The quake killed 128 people on Monday 6 May.")),
        (("a", "At least a dozen people were at the party."), ("b", "The gunman entered the party about 4 p.m.")),
        (("a", "A 38-year-old woman was hurt in the shooting."), ("b", "A 47-year-old man was hurt in the shooting.")),
    ],
)
def test_no_false_disagreements(pairs) -> None:
    assert _disagree(*pairs) == ()


@pytest.mark.parametrize(
    ("pairs", "topic", "values"),
    [
        ((("a", "About 100 people were injured."), ("b", "More than 180 people were hurt."),
          ("c", "Nearly 200 were wounded in the crash.")), None, {"about 100", "more than 180", "nearly 200"}),
        ((("a", "Police said Alvarez, 25, was arrested."), ("b", "Police said Alvarez, 26, was arrested.")), "age of Alvarez", {"25", "26"}),
        ((("a", "The death toll rose to 128."), ("b", "The death toll rose to 129."), ("c", "The death toll rose to 130.")),
         None, {"128", "129", "130"}),
        ((("a", "The crash killed 19 people."), ("b", "19 were dead and at least 25 died later."),
          ("c", "The death toll was 21.")), None, None),
    ],
)
def test_real_disagreements_are_found(pairs, topic, values) -> None:
    found = _disagree(*pairs)
    assert found
    if topic:
        assert found[0].topic == topic
    if values:
        assert {f.value.lower() for f in found[0].figures} == values


def test_differing_figures_do_not_split_a_group() -> None:
    claims = _claims(
        ("a", "A Russian strike on a Kharkiv hypermarket killed 19 civilians, officials said."),
        ("b", "A Russian strike on a Kharkiv hypermarket killed at least 12 people, officials said."),
    )
    (group,) = _groups(claims)
    assert group.support == 2
    (d,) = group.disagreements
    assert {f.value for f in d.figures} == {"19", "at least 12"}


# --- grouping -----------------------------------------------------------------------------


def _table_scores(table: dict[tuple[int, int], float]) -> PairScores:
    return PairScores(lambda left, right: np.array([table[(min(i, j), max(i, j))] for i, j in zip(left, right)]))


def _agg(table: dict[tuple[int, int], float], sources: list[str], threshold: float = 50.0) -> list[list[int]]:
    scores = _table_scores(table)
    keys = sorted(table)
    left, right = np.array([k[0] for k in keys]), np.array([k[1] for k in keys])
    values = scores.add(left, right)
    scores.set_batch(left, right, values)
    return agglomerate(sources, left, right, values, scores, threshold)


def test_grouping_does_not_chain() -> None:
    # A~B and B~C are strong, A~C is not a match: C must not join {A, B} through B.
    groups = _agg({(0, 1): 95.0, (1, 2): 90.0, (0, 2): 5.0}, ["s1", "s2", "s3"])
    assert sorted(map(sorted, groups)) == [[0, 1], [2]]


def test_average_linkage_admits_a_member_that_fits_the_whole_group() -> None:
    assert _agg({(0, 1): 95.0, (1, 2): 90.0, (0, 2): 60.0}, ["s1", "s2", "s3"]) == [[0, 1, 2]]


def test_no_chaining_in_a_long_chain_with_pairs_scored_on_demand() -> None:
    # A chain 0~1~2~...~29 where only neighbours match; only neighbours are candidates, the
    # rest is scored on demand (as on the large path). No group may hold two non-neighbours.
    n = 30
    def score(i: int, j: int) -> float:
        return 90.0 if abs(i - j) == 1 else 2.0
    scores = PairScores(lambda left, right: np.array([score(i, j) for i, j in zip(left, right)]))
    left, right = np.arange(n - 1), np.arange(1, n)
    values = scores.add(left, right)
    groups = agglomerate([f"s{i}" for i in range(n)], left, right, values, scores, 50.0)
    for g in groups:
        for a in g:
            for b in g:
                if a < b:
                    assert scores.mean([a], [b]) >= 50.0 or len(g) <= 2


def test_one_source_counts_once() -> None:
    text = "Biden has authorized Ukraine to use American weapons to strike targets in Russia."
    groups = _groups(_claims(("a", text), ("a", text), ("b", text)))
    assert [g.support for g in groups] == [2, 1]
    assert groups[0].sources == ("a", "b")


def test_stories_are_never_mixed() -> None:
    text = "Biden has authorized Ukraine to use American weapons to strike targets in Russia."
    claims = _claims(("a", text), ("b", text))
    assert [g.support for g in _groups(claims, stories={"a": "s1", "b": "s1"})] == [2]
    assert [g.support for g in _groups(claims, stories={"a": "s1", "b": "s2"})] == [1, 1]


def test_group_ids_order_and_coverage() -> None:
    claims = _claims(
        ("a", "The weather in Paris was sunny on Monday."),
        ("a", "Biden has authorized Ukraine to use American weapons to strike targets in Russia."),
        ("b", "Joe Biden has authorised Ukraine to use US weapons to strike targets in Russia."),
        ("c", "The central bank raised interest rates by half a point."),
    )
    groups = _groups(claims)
    assert [g.id for g in groups] == ["c1", "c2", "c3"]
    assert groups[0].support == 2 and groups[0].sources == ("a", "b")
    covered = sorted((m.source, m.sentence_index) for g in groups for m in g.members)
    assert covered == sorted((c.source, c.index) for c in claims)


@pytest.fixture(scope="module")
def sample_claims() -> list[Sentence]:
    return _bench("matching").sample_claims()


def _as_sets(groups) -> set[frozenset[tuple[str, int]]]:
    return {frozenset((m.source, m.sentence_index) for m in g.members) for g in groups}


def test_grouping_ignores_input_order(sample_claims: list[Sentence]) -> None:
    expected = _groups(sample_claims)
    shuffled = list(sample_claims)
    random.Random(7).shuffle(shuffled)
    assert _as_sets(_groups(shuffled)) == _as_sets(expected)


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.text(min_size=1, max_size=60)), max_size=8))
def test_groups_are_disjoint_and_cover_input(items: list[tuple[str, str]]) -> None:
    claims = _claims(*items)
    groups = _groups(claims)
    members = [(m.source, m.sentence_index) for g in groups for m in g.members]
    assert sorted(members) == sorted((c.source, c.index) for c in claims)
    for g in groups:
        assert g.support == len(set(g.sources)) == len(g.members)


# --- quality floors (figures from bench/matching.py) ------------------------------------------

SAMPLE_PRECISION_FLOOR = 0.95
SAMPLE_RECALL_FLOOR = 0.70
ECB_DEV_AP_FLOOR = 0.72


@pytest.mark.parametrize("threshold", [50.0, 55.0])
def test_sample_precision_recall_floor(sample_claims: list[Sentence], threshold: float) -> None:
    bench = _bench("matching")
    fixture = json.loads(bench.FIXTURE.read_text(encoding="utf-8"))
    result = bench.score_links(_groups(sample_claims, Settings(threshold=threshold)), sample_claims, fixture)
    assert not result.unresolved, "fixture labels no longer match any claim"
    assert result.precision >= SAMPLE_PRECISION_FLOOR, result.wrong
    assert result.recall >= SAMPLE_RECALL_FLOOR, result.missed


def test_sample_hypermarket_disagreement_is_reported(sample_claims: list[Sentence]) -> None:
    found = [d for g in _groups(sample_claims) for d in g.disagreements]
    assert any({f.value for f in d.figures} >= {"19", "at least 12"} for d in found), found


@pytest.mark.skipif(not (SHARED / "data" / "ecbplus" / "dev").exists(), reason="../shared ECB+ data not available")
def test_ecbplus_dev_ranking_floor() -> None:
    datasets = _bench("datasets")
    dev = datasets.ecb_set("dev")
    scores = datasets.scored(dev)
    figures = datasets.ecb_figures(dev, scores, load_model()["threshold"])
    assert figures["average_precision"] >= ECB_DEV_AP_FLOOR
    assert figures["false_match_other_subtopic"] <= 0.03
    assert figures["false_match_other_topic"] <= 0.005


def _block_scores(n: int, seed: int) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """n claims in a few big true groups (high scores inside, noise across), and candidates that
    are only a few neighbours each: the merges need many pairs that were never candidates."""
    rng = np.random.default_rng(seed)
    label = rng.integers(0, 4, n)
    full = np.where(label[:, None] == label[None, :], rng.uniform(60, 99, (n, n)), rng.uniform(0, 40, (n, n)))
    full = np.triu(full, 1) + np.triu(full, 1).T
    left, right = [], []
    for i in range(n):
        for j in rng.choice(n, 3, replace=False):
            if i != j:
                left.append(min(i, j))
                right.append(max(i, j))
    key = np.unique(np.array(left) * n + np.array(right))
    return full, [f"s{i}" for i in range(n)], key // n, key % n


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouping_batches_the_scores_it_needs_with_the_same_result(seed: int) -> None:
    full, sources, left, right = _block_scores(400, seed)

    def run(window: int) -> tuple[list[list[int]], PairScores]:
        scores = PairScores(lambda a, b: full[a, b])
        values = full[left, right]
        scores.set_batch(left, right, values)
        return agglomerate(sources, left, right, values, scores, 50.0, window=window), scores

    one_at_a_time, slow = run(1)
    batched, fast = run(1024)
    assert batched == one_at_a_time
    assert max(len(g) for g in batched) >= 50  # big groups: the case that used to stall
    assert slow.batches >= 3 * fast.batches
    for g in batched:  # no chaining: no group mixes two true groups (their scores are < 40)
        assert all(full[g[0], b] >= 60 for b in g[1:])
