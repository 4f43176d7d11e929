"""What a person reads in the terminal: a header that stays short, counts in plain words, a Sources
column that never shrinks to a letter, possible matches apart with their confidence, examples in
every --help, and one legend shared with the HTML report."""

from __future__ import annotations

import csv
import io
import re

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app
from claimcheck.report import legend

from .conftest import SAMPLE_DIR

STORY = ("The city council of Lakeview approved a new budget of 12 million dollars on Tuesday after a long "
         "debate, the mayor's office said.\nThe vote was 7 to 2, and the new budget funds three new schools "
         "in the northern districts.\n")


def _run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """Twelve one-letter outlets carrying the same two claims (file stems are the outlet names)."""
    folder = tmp_path_factory.mktemp("many")
    for k in range(12):
        (folder / f"{chr(ord('a') + k)}.txt").write_text(f"Budget news {k}\n\n{STORY}", encoding="utf-8")
    return folder


def test_the_header_counts_sources_past_ten_and_the_sources_view_lists_them(many):
    out = _run("compare", str(many))
    assert out.splitlines()[0] == "12 sources; --view sources lists them"
    listing = _run("compare", str(many), "--view", "sources")
    assert all(re.search(rf"^\s+{chr(ord('a') + k)}\s", listing, re.M) for k in range(12))


def test_the_header_names_up_to_ten_sources():
    first = _run("compare", str(SAMPLE_DIR)).splitlines()[0]
    assert first.startswith("5 sources: 000_6b80f982273ad421, 001_ef6061d1bffb85b4, CorruptionLedger")


def test_short_outlet_names_keep_a_readable_sources_column(many):
    out = _run("compare", str(many))
    head = next(line for line in out.splitlines() if "Sources" in line and "Claim" in line)
    width = head.index("Claim") - head.index("Sources")
    assert width >= 12  # the column, not the one-letter names, sets the width


def test_counts_are_plain_words_and_filters_are_said():
    out = _run("compare", str(SAMPLE_DIR), "-m", "3", "-i", "2")
    assert "2+" not in "\n".join(out.splitlines()[:4])
    assert re.search(r"\d+ corroborated \(carried by 2 or more sources\)", out)
    assert "Listed: claims carried by at least 3 sources and backed by at least 2 independent origins." in out
    assert "carried by one source only are not shown; --min-sources 1 lists them." in out


def _possible_ids(fmt_args=()):
    import json

    report = json.loads(_run("compare", str(SAMPLE_DIR), "-f", "json", *fmt_args))
    return report, [c["id"] for c in report["claims"] if c["possible"]]


def test_possible_matches_are_listed_apart_with_their_confidence():
    report, possible = _possible_ids()
    assert possible, "the sample set has possible matches at the default --min-confidence"
    out = _run("compare", str(SAMPLE_DIR))
    before, title, after = out.partition("Possible matches (?)")
    assert title
    for c in report["claims"]:
        section = after if c["possible"] else before
        assert re.search(rf"^\s+{c['id']}\s", section, re.M), c["id"]
        if c["possible"]:
            assert f"? confidence {int(c['confidence'])}" in section


def test_possible_matches_in_markdown_and_csv():
    report, possible = _possible_ids()
    md = _run("compare", str(SAMPLE_DIR), "-f", "markdown")
    sure_part, _, possible_part = md.partition("**Possible matches**")
    for c in report["claims"]:
        part = possible_part if c["possible"] else sure_part
        assert f"| {c['id']} |" in part
    rows = [r for r in csv.DictReader(io.StringIO(_run("compare", str(SAMPLE_DIR), "-f", "csv"))) if r["row"] == "member"]
    by_id = {c["id"]: c for c in report["claims"]}
    assert {r["claim_id"]: r["possible"] for r in rows} == {k: str(int(c["possible"])) for k, c in by_id.items()}
    assert all(float(r["confidence"]) == round(by_id[r["claim_id"]]["confidence"], 1) for r in rows)


def test_no_possible_section_when_every_group_is_confident():
    out = _run("compare", str(SAMPLE_DIR), "--min-confidence", "0")
    assert "Possible matches" not in out and " possible" not in out.splitlines()[2]


@pytest.mark.parametrize("command", [[], ["compare"], ["sentences"], ["schema"], ["merge"]])
def test_every_help_has_examples(command):
    out = _run(*command, "--help")
    examples = out.split("Examples:", 1)[1]
    assert re.search(r"^\s+claimcheck \w+", examples, re.M)


def test_the_matrix_uses_the_shared_legend():
    out = _run("compare", str(SAMPLE_DIR), "--view", "matrix")
    assert " ".join(legend.text().split()) in " ".join(out.split())
    assert legend.ALONE_MISSING in out  # the sample has a claim only one outlet misses
