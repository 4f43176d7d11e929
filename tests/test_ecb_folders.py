"""bench/ecb_folders.py: ECB+ topic folders holding both events; floors on mixed groups (issue 9).

ECB+: Cybulska & Vossen, LREC 2014, CC BY 3.0; read from ../shared, never copied here.
"""

from __future__ import annotations

import json

import pytest

from .conftest import bench_module, shared_file


def _bench():
    return bench_module("ecb_folders")


def _line(bench, text: str, sent_id: int, chains: tuple[str, ...] = ()):
    return bench.Line("9_1ecb", "ecb", sent_id, text, bool(chains), frozenset(chains))


def test_member_mapping_exact_contained_merged_fuzzy_unmapped() -> None:
    bench = _bench()
    lines = [
        _line(bench, "The quake struck at dawn.", 1, ("A",)),
        _line(bench, "Police said two people died. Ten were hurt.", 2),
        _line(bench, "It was felt in the capital.", 3, ("B",)),
        _line(bench, "Rescuers arrived by noon.", 4),
    ]
    exact = bench.map_member("9_1ecb", "The quake struck at dawn.", 90.0, lines)
    assert (exact.how, exact.sent_ids, exact.labelled, exact.chains) == ("exact", (1,), True, frozenset({"A"}))
    part = bench.map_member("9_1ecb", "Ten were hurt.", 80.0, lines)
    assert (part.how, part.sent_ids, part.labelled) == ("contained", (2,), False)
    merged = bench.map_member("9_1ecb", "The quake struck at dawn. It was felt in the capital.", 70.0, lines)
    assert (merged.how, merged.sent_ids, merged.chains) == ("merged", (1, 3), frozenset({"A", "B"}))
    # the loader straightens quotes and collapses spaces; ECB+ re-joined tokens keep odd spacing
    fuzzy = bench.map_member("9_1ecb", "Rescuers arrived by noon .", 70.0, lines)
    assert (fuzzy.how, fuzzy.sent_ids) == ("fuzzy", (4,))
    lost = bench.map_member("9_1ecb", "A sentence from some other article entirely.", 70.0, lines)
    assert (lost.how, lost.sent_ids, lost.labelled) == ("unmapped", (), False)


def test_subtopic_read_from_document_name() -> None:
    bench = _bench()
    assert [bench.subtopic_of(d) for d in ("2_1ecb", "2_10ecbplus", "12_3ecb")] == ["ecb", "ecbplus", "ecb"]


def _member(bench, doc: str, sent_id: int):
    return bench.MemberInfo(doc, bench.subtopic_of(doc), "text", 80.0, "exact", (sent_id,))


def test_judge_background_error_unjudged() -> None:
    bench = _bench()
    fact = frozenset({"f"})
    judged = bench.Judged({"1_1ecb:2": fact, "1_1ecbplus:3": fact, "1_2ecb:4": fact},
                          frozenset({("1_2ecbplus:5", "1_3ecb:6")}))
    a, b, c = _member(bench, "1_1ecb", 2), _member(bench, "1_1ecbplus", 3), _member(bench, "1_2ecb", 4)
    stray, other = _member(bench, "1_2ecbplus", 5), _member(bench, "1_3ecb", 6)

    def group(*members):
        return bench.GroupInfo("text", len(members), ("ecb", "ecbplus"), list(members))

    assert judged.judge(group(a, b, c)) == "background"
    assert judged.judge(group(a, b, stray)) == "unjudged"  # a/stray, c/stray: nobody read them
    assert judged.judge(group(b, other, stray)) == "error"  # other/stray judged two events
    assert judged.judge(group(stray, other)) == "error"


def test_judged_fixture_names_real_dev_lines() -> None:
    index = shared_file("data", "ecbplus", "dev", "docs_index.jsonl")
    bench = _bench()
    rows = map(json.loads, index.read_text(encoding="utf-8").splitlines())
    known = {f"{row['doc']}:{row['sent_id']}" for row in rows}
    data = json.loads(bench.JUDGED.read_text(encoding="utf-8"))
    ids = [sid for fact in data["facts"].values() for sid in fact["sentences"]]
    assert set(ids) <= known
    for pair in data["different"]:
        assert set(pair) <= known and len({bench.subtopic_of(sid.split(":")[0]) for sid in pair}) == 2, pair


# Measured with `python bench/ecb_folders.py --topics 5,21,34` at commit 9c6a40b (matcher of main
# 86f3abe, default settings, no story grouping yet): mixed groups 18 / 6 / 4, of which 1 / 0 / 1 state
# one background fact by the hand labels (tests/fixtures/ecb_background.json), the others join the two
# events (5: the 76ers coach fired vs hired; 21: two hit-and-run deaths; 34: two surgeon-general
# nominations). Pinned at measured + 2 per topic; lower them as story grouping and same-event checks
# land (issue 9 target: 0 once every remaining mixed group is a labelled background fact).
NOT_BACKGROUND_CEILING = {"5": 19, "21": 8, "34": 5}
# Same topics: 137 of 152 labelled cross-document member pairs share an ECB+ event chain (0.901).
LABELLED_PAIR_PRECISION_FLOOR = 0.88


@pytest.fixture(scope="module")
def dev_results():
    shared_file("data", "ecbplus", "dev", "docs_index.jsonl")
    bench = _bench()
    files = bench.topic_files("dev")
    lines = bench.read_lines("dev")
    judged = bench.Judged.load()
    return {t: bench.run_topic(t, files[t], lines, bench.Settings(), "default", judged) for t in NOT_BACKGROUND_CEILING}


@pytest.mark.parametrize("topic", sorted(NOT_BACKGROUND_CEILING))
def test_ecb_dev_folder_mixed_groups_ceiling(dev_results, topic: str) -> None:
    result = dev_results[topic]
    assert result.documents_by_subtopic["ecb"] > 0 and result.documents_by_subtopic["ecbplus"] > 0
    wrong = [[m.text for m in g.members] for g in result.group_list if g.mixed and g.verdict != "background"]
    assert len(wrong) == result.mixed - result.background
    assert len(wrong) <= NOT_BACKGROUND_CEILING[topic], wrong


def test_ecb_dev_folder_members_map_back_and_labelled_precision(dev_results) -> None:
    members = sum(r.members for r in dev_results.values())
    unmapped = sum(r.unmapped for r in dev_results.values())
    assert members > 0 and unmapped <= 0.01 * members
    pairs = sum(r.labelled_pairs for r in dev_results.values())
    same = sum(r.chain_pairs for r in dev_results.values())
    assert pairs >= 50, "too few labelled pairs to measure"
    assert same / pairs >= LABELLED_PAIR_PRECISION_FLOOR


def test_one_story_switch_found_when_settings_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    bench = _bench()
    if not any(name in bench.Settings.model_fields for name, _ in bench.ONE_STORY_FIELDS):
        assert bench.one_story_settings() is None

    class WithSwitch(bench.Settings):
        one_story: bool = False

    monkeypatch.setattr(bench, "Settings", WithSwitch)
    assert bench.one_story_settings() == WithSwitch(one_story=True)


def test_mixed_stories_counts_stories_across_sub_topics() -> None:
    bench = _bench()
    doc_of = {"a": "2_1ecb", "b": "2_2ecb", "c": "2_1ecbplus"}
    assert bench.mixed_stories([{"sources": ["a", "b"]}, {"sources": ["c"]}], doc_of) == 0
    assert bench.mixed_stories([{"sources": ["a", "b", "c"]}], doc_of) == 1
    assert bench.mixed_stories([{"members": ["a"]}], doc_of) is None
    assert bench.mixed_stories(None, doc_of) is None
