"""bench/ecb_folders.py: ECB+ topic folders holding both events; floors on mixed groups (issue 9).

ECB+: Cybulska & Vossen, LREC 2014, CC BY 3.0; read from ../shared, never copied here.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT, shared_file


def _bench():
    spec = importlib.util.spec_from_file_location("bench_ecb_folders", ROOT / "bench" / "ecb_folders.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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


# Measured with `python bench/ecb_folders.py --topics 5,21,34` at commit 9c6a40b (matcher of main
# 86f3abe, default settings, no story grouping yet): mixed groups 18 / 6 / 4 (5: the 76ers coach
# fired vs hired; 21: two hit-and-run deaths; 34: two surgeon-general nominations). Pinned at
# measured + 2 per topic; lower them as story grouping and same-event checks land (target: only
# groups that state the same background fact).
MIXED_CEILING = {"5": 20, "21": 8, "34": 6}
# Same topics: 137 of 152 labelled cross-document member pairs share an ECB+ event chain (0.901).
LABELLED_PAIR_PRECISION_FLOOR = 0.88


@pytest.fixture(scope="module")
def dev_results():
    shared_file("data", "ecbplus", "dev", "docs_index.jsonl")
    bench = _bench()
    files = bench.topic_files("dev")
    lines = bench.read_lines("dev")
    return {t: bench.run_topic(t, files[t], lines, bench.Settings(), "default") for t in MIXED_CEILING}


@pytest.mark.parametrize("topic", sorted(MIXED_CEILING))
def test_ecb_dev_folder_mixed_groups_ceiling(dev_results, topic: str) -> None:
    result = dev_results[topic]
    assert result.documents_by_subtopic["ecb"] > 0 and result.documents_by_subtopic["ecbplus"] > 0
    mixed = [[m.text for m in g.members] for g in result.group_list if g.mixed]
    assert result.mixed <= MIXED_CEILING[topic], mixed


def test_ecb_dev_folder_members_map_back_and_labelled_precision(dev_results) -> None:
    members = sum(r.members for r in dev_results.values())
    unmapped = sum(r.unmapped for r in dev_results.values())
    assert members > 0 and unmapped <= 0.01 * members
    pairs = sum(r.labelled_pairs for r in dev_results.values())
    same = sum(r.chain_pairs for r in dev_results.values())
    assert pairs >= 50, "too few labelled pairs to measure"
    assert same / pairs >= LABELLED_PAIR_PRECISION_FLOOR
