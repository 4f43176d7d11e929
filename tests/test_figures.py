"""Figures with a subject, disagreements classified, key figures, contradictions in every view.

Quality floors are measured by bench/figures.py on ../shared/data/stories (skipped without it).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest

from claimcheck.matching.disagreements import StoryFigures, facts, find_disagreements
from claimcheck.matching.normalise import normalise_text
from claimcheck.matching.quantities import counted, quantities
from claimcheck.models import Sentence, Settings
from claimcheck.pipeline import compare_explained, compare_sources, read_documents
from claimcheck.report import formats as writers
from claimcheck.sources.independence import Independence

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
STORIES = ROOT.parent / "shared" / "data" / "stories"

# bench/figures.py on the six stories (see docs/figures.md); floors a little under the measured values.
PRECISION_FLOOR = 0.90
RECALL_FLOOR = 0.35


def _counted(text: str, value: str):
    norm = normalise_text(text)
    (q,) = [q for q in quantities(norm) if q.text == value]
    return counted(norm, q)


@pytest.mark.parametrize(
    ("text", "value", "event", "noun", "aside"),
    [
        ("Nine died and 13 were wounded.", "13", "injured", "", False),
        ("Nine died and 13 were wounded.", "Nine", "killed", "", False),
        ("The attack killed 19 civilians and injured 54.", "54", "injured", "", False),
        ("More than 100 people were hurt in the crash.", "More than 100", "injured", "people", False),
        ("The death toll rose to 128, police said.", "128", "killed", "", False),
        ("It was the worst crash since the 1999 crash that killed 11 people.", "11", "killed", "people", True),
        ("About 40 ships and 34 aircraft from 10 countries are searching.", "34", "", "aircraft", False),
        ("About 40 ships and 34 aircraft from 10 countries are searching.", "About 40", "", "ship", False),
        ("The virus is blamed for at least one of three deaths.", "at least one", "", "", True),
        ("They were hacked to death six years ago.", "six", "", "year", True),
    ],
)
def test_a_figure_says_what_it_counts(text, value, event, noun, aside) -> None:
    c = _counted(text, value)
    assert (c.event, c.noun, c.aside) == (event, noun, aside)


def _claims(*pairs: tuple[str, str]) -> list[Sentence]:
    return [Sentence(source=src, index=k, text=t, start=0, end=len(t)) for k, (src, t) in enumerate(pairs)]


def _disagree(*pairs, dates=None):
    claims = _claims(*pairs)
    return find_disagreements(claims, [quantities(normalise_text(c.text)) for c in claims], dates)


def test_injured_is_never_called_killed() -> None:
    (d,) = _disagree(("a", "The crash killed at least 10 people and injured more than 100."),
                     ("b", "At least 10 people died and more than 180 were hurt in the crash."),
                     ("c", "Ten people were killed and nearly 200 were wounded in the crash."))
    assert d.topic == "injured"
    assert {f.value for f in d.figures} == {"more than 100", "more than 180", "nearly 200"}
    assert d.kind == "compatible"


@pytest.mark.parametrize(
    ("pairs", "dates", "kind", "order"),
    [
        ((("a", "The attack killed 19 people."), ("b", "The attack killed 12 people.")), None, "conflict", None),
        ((("a", "The attack killed 19 people."), ("b", "The attack killed at least 12 people.")), None,
         "compatible", None),
        ((("a", "The party won 30 percent of the vote."), ("b", "The party won 29.7% of the vote.")), None,
         "compatible", None),
        ((("b", "The death toll rose to 130."), ("a", "The death toll rose to 128."), ("c", "The death toll rose to 129.")),
         {"a": "2015-11-14", "b": "2015-11-16", "c": "2015-11-15"}, "update", ["128", "129", "130"]),
        ((("a", "The death toll rose to 130."), ("b", "The death toll rose to 128.")),
         {"a": "2015-11-14", "b": "2015-11-15"}, "conflict", None),  # a fall is no update
    ],
)
def test_differences_are_classified(pairs, dates, kind, order) -> None:
    (d,) = _disagree(*pairs, dates=dates)
    assert d.kind == kind
    if order:
        assert [f.value for f in d.figures] == order


@pytest.mark.parametrize(
    "pairs",
    [
        # Two different quantities: the killed and the injured; ships and aircraft; a part and the whole.
        (("a", "The attack killed 9 people."), ("b", "The attack wounded 13 people.")),
        (("a", "About 40 ships are searching."), ("b", "34 aircraft are searching.")),
        (("a", "The crash killed 10 people."), ("b", "It was the worst since the 1999 crash that killed 11.")),
        (("a", "New Democracy has 129 seats and Syriza 71 seats."), ("b", "Syriza won 71 seats and New Democracy 129 seats.")),
    ],
)
def test_different_quantities_are_not_compared(pairs) -> None:
    assert _disagree(*pairs) == ()


def test_a_source_with_two_values_for_one_thing_is_not_compared() -> None:
    claims = _claims(("a", "He had just killed 12 people, Smith said."), ("a", "The gunman killed nine people at two firms."),
                     ("b", "Four people were killed in that office."))
    figures = StoryFigures(claims, {"a": "s1", "b": "s1"})
    assert not [k for k in figures.key_figures([], {}) if k.kind != "agree"]
    assert not figures.clear(facts(claims[0])[0])


def test_key_figures_compare_across_the_story() -> None:
    claims = _claims(("a", "The quake killed 128 people, officials said on Saturday."),
                     ("b", "Rescuers searched the rubble as the quake's toll reached 129."),
                     ("c", "The death toll from the quake rose to 130 on Sunday."))
    (k,) = StoryFigures(claims, {"a": "s1", "b": "s1", "c": "s1"}).key_figures(
        [], {"a": "2015-11-14", "b": "2015-11-15", "c": "2015-11-16"})
    assert (k.topic, k.kind, [f.value for f in k.figures]) == ("killed", "update", ["128", "129", "130"])


# --- contradictions, in every view ---------------------------------------------------------------


@pytest.fixture(scope="module")
def contradict():
    return compare_explained([str(FIXTURES / "contradict")], Settings(), warn=pytest.fail)


def test_contradictions_are_found(contradict) -> None:
    report, _ = contradict
    kinds = sorted((c.kind, c.a.text.split()[1]) for c in report.contradictions)
    assert [k for k, _ in kinds] == ["negation", "negation", "opposed"]
    assert {c.story for c in report.contradictions} == {report.stories[0].id}


def test_a_contradiction_never_makes_a_copy(contradict) -> None:
    report, _ = contradict
    assert {s.origin.kind for s in report.sources} == {"own"}
    docs = read_documents([str(FIXTURES / "contradict")], warn=pytest.fail)
    from claimcheck.pipeline import extract_sentences

    sentences = {d.id: extract_sentences(d, Settings()) for d in docs}
    # Without the contradictions the two would be copies: the test can fail.
    assert {o.kind for o in Independence(docs, sentences).origins.values()} != {"own"}


def test_contradictions_in_every_view(contradict) -> None:
    report, reasons = contradict
    released = "Police released the mayor"
    table = writers.render_to_string(writers.render_claims(report), width=120, color=False)
    assert "Contradictions (3)" in table and released in table
    explain = writers.render_to_string(writers.render_claims(report, reasons=reasons), width=120, color=False)
    assert "Contradictions (3)" in explain
    md = writers.to_markdown(report)
    assert "### Contradictions (3)" in md and released in md
    rows = list(csv.DictReader(io.StringIO(writers.to_csv(report))))
    assert sum(r["row"] == "contradiction" for r in rows) == 6
    assert len(json.loads(writers.to_json(report))["contradictions"]) == 3
    report_s, parsed = compare_sources([str(FIXTURES / "contradict")], Settings(), warn=pytest.fail)
    html = writers.to_html(report_s, parsed)
    assert '<section id="checks"' in html and "Contradictions (3)" in html and released in html


def test_key_figures_in_every_view() -> None:
    report, parsed = compare_sources([str(FIXTURES / "disagree")], Settings(), warn=pytest.fail)
    (k,) = report.key_figures
    assert (k.topic, k.kind) == ("killed", "compatible")
    assert "Key figures" in writers.render_to_string(writers.render_claims(report), width=120, color=False)
    assert "### Key figures" in writers.to_markdown(report)
    assert any(r["row"] == "figure" for r in csv.DictReader(io.StringIO(writers.to_csv(report))))
    assert 'class="key-figures"' in writers.to_html(report, parsed)


# --- quality floors on the hand-labelled stories ---------------------------------------------------


def _bench():
    spec = importlib.util.spec_from_file_location("bench_figures", ROOT / "bench" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not STORIES.exists(), reason="../shared stories not available")
def test_story_flags_floor() -> None:
    bench = _bench()
    t = bench.totals([bench.score_story(f) for f in bench.story_folders()])
    assert t.precision >= PRECISION_FLOOR, t
    assert t.recall >= RECALL_FLOOR, t


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # The negation moved, the claim did not flip.
        ("I didn't feel on the floor we were executing the philosophy we wanted.",
         "I feel on the floor we weren't executing the philosophy that we want."),
        # Scraped text that spaces the clitic off is the same sentence.
        ("The City Attorney ’ s office said the case hadn ’ t been submitted as of Tuesday.",
         "The City Attorney's office said the case hadn't been submitted as of Tuesday."),
        # "would not say why" negates nothing the other states.
        ("LaCalamita was denied a handgun permit in March, said Scherlinck, who would not say why the permit "
         "was denied.", "Scherlinck said LaCalamita had been denied a handgun permit in March but it wasn't clear why."),
    ],
)
def test_no_false_contradictions_in_a_story(a, b) -> None:
    from claimcheck.matching import group_claims

    _, found = group_claims(_claims(("a", a), ("b", b)), Settings(), {"a": "s1", "b": "s1"})
    assert found == []


@pytest.mark.parametrize(
    "pairs",
    [
        (("a", "Friday's 88-72 loss in Cleveland was the team's eighth in 10 games."),
         ("b", "The team has eight losses in its last 10 games, including Friday's 88-72 loss.")),
        (("a", "The ship was 13 nautical miles from the warship when it called for help."),
         ("b", "The ship was 150 nautical miles from Aden when it called for help.")),
    ],
)
def test_scores_and_distances_from_elsewhere_are_not_compared(pairs) -> None:
    assert _disagree(*pairs) == ()


def test_two_days_are_two_events() -> None:
    assert _disagree(("a", "Police arrested nine people in raids on Monday."),
                     ("b", "Police arrested three people in raids on Saturday.")) == ()


def test_magnitudes_are_compared() -> None:
    (d,) = _disagree(("a", "The 8.9-magnitude earthquake was followed by seven aftershocks."),
                     ("b", "The magnitude 8.8 earthquake struck off the coast."))
    assert (d.topic, sorted(f.number for f in d.figures)) == ("magnitude", [8.8, 8.9])


def test_a_list_of_shares_is_read_whose_each_is() -> None:
    claims = _claims(("a", "With almost all ballots counted, New Democracy has 29.7% of the vote (129 seats), "
                           "Syriza 26.9% (71) and Pasok 12.3% (33)."),
                     ("b", "The Syriza party, which had surged on a wave of anti-austerity sentiment, was in second "
                           "place, with 27 percent of the vote and 72 seats."))
    (k,) = [k for k in StoryFigures(claims, {"a": "s1", "b": "s1"}).key_figures([], {}) if k.kind != "agree"]
    assert (k.topic, k.kind, sorted(f.value for f in k.figures)) == ("vote share (Syriza)", "compatible",
                                                                      ["26.9 percent", "27 percent"])


def test_durations_are_not_tolls() -> None:
    assert _counted("All of them were dead in less than five minutes.", "less than five").event == ""


def test_a_name_before_a_lone_toll_is_context() -> None:
    claims = _claims(("a", "Testing birds up and down the East Coast tracks the virus that has killed five people."),
                     ("b", "The virus has killed four people in New York, officials said."),
                     ("b", "Seven of those 77 people died."))
    (k,) = [k for k in StoryFigures(claims, {"a": "s1", "b": "s1"}).key_figures([], {}) if k.kind != "agree"]
    assert (k.topic, sorted(f.value for f in k.figures)) == ("killed", ["five", "four"])


def test_a_fall_is_a_distance_not_a_toll() -> None:
    assert _counted("A climber is dead after falling about 150 metres.", "about 150").event == ""
