"""CLI: every command and option, exit codes, stdout/stderr discipline, determinism."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app

from .conftest import FIXTURES, SAMPLE_DIR

runner = CliRunner()


def run(*args: str, input: str | None = None, env: dict | None = None):
    return runner.invoke(app, list(args), input=input, env=env)


@pytest.fixture(scope="module")
def sample_json() -> dict:
    result = run("compare", str(SAMPLE_DIR), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_compare_json_contract(sample_json):
    data = sample_json
    assert data["schema_version"] == 4
    assert data["tool"]["name"] == "claimcheck"
    assert data["settings"] == {"min_sources": 2, "threshold": data["settings"]["threshold"], "min_claim_words": 4,
                                "min_independent": 1, "one_story": False, "semantic": False,
                                "min_confidence": data["settings"]["min_confidence"]}
    assert data["summary"]["sources"] == 5 == len(data["sources"])
    assert [s["id"] for s in data["sources"]] == sorted(s["id"] for s in data["sources"])
    claims = data["claims"]
    assert claims, "the sample set has corroborated claims"
    assert [c["id"] for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]
    assert [c["support"] for c in claims] == sorted((c["support"] for c in claims), reverse=True)
    for c in claims:
        assert c["support"] == len(set(c["sources"])) >= 2
        assert {m["source"] for m in c["members"]} == set(c["sources"])
        assert c["text"] in {m["text"] for m in c["members"]}
        assert 1 <= c["independent_support"] <= c["support"]
        for m in c["members"]:
            assert m["attribution"]["kind"] in {"reporter", "named", "anonymous", "outlet", "document"}
            assert m["origin"]
    assert all(s["origin"]["kind"] in {"own", "wire", "copy", "same_outlet", "relay"} for s in data["sources"])
    assert data["summary"]["corroborated"] + data["summary"]["possible"] == len(claims)
    assert data["summary"]["possible"] == sum(c["possible"] for c in claims)


def test_min_sources_one_lists_every_claim(sample_json):
    result = run("compare", str(SAMPLE_DIR), "--format", "json", "--min-sources", "1")
    data = json.loads(result.stdout)
    assert len(data["claims"]) == data["summary"]["groups"] > len(sample_json["claims"])
    assert sum(len(c["members"]) for c in data["claims"]) == data["summary"]["claims"]


def test_jsonl_csv_markdown_agree_with_json(sample_json):
    jsonl = run("compare", str(SAMPLE_DIR), "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in jsonl] == sample_json["claims"]
    rows = list(csv.DictReader(io.StringIO(run("compare", str(SAMPLE_DIR), "-f", "csv").stdout)))
    assert list(rows[0]) == ["claim_id", "support", "source", "source_name", "sentence_index", "score", "text",
                             "independent_support", "attribution_kind", "attribution_who", "origin", "relayed",
                             "row", "note", "confidence", "possible"]
    assert sum(r["row"] == "member" for r in rows) == sum(len(c["members"]) for c in sample_json["claims"])
    assert sum(r["row"] == "contradiction" for r in rows) == 2 * len(sample_json["contradictions"])
    assert sum(r["row"] == "figure" for r in rows) == sum(len(k["figures"]) for k in sample_json["key_figures"])
    md = run("compare", str(SAMPLE_DIR), "-f", "markdown").stdout
    assert "| # | Support | Sources | Claim | Disagreements |" in md
    assert md.count("\n| c") == len(sample_json["claims"])


def test_output_file(tmp_path, sample_json):
    out = tmp_path / "report.json"
    result = run("compare", str(SAMPLE_DIR), "-f", "json", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text()) == sample_json


def test_output_file_unwritable(tmp_path):
    result = run("compare", str(SAMPLE_DIR), "-f", "json", "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")


def test_same_bytes_whatever_the_order(tmp_path, sample_json):
    files = sorted(SAMPLE_DIR.iterdir())
    copy = tmp_path / "sample_articles"
    copy.mkdir()
    for f in reversed(files):  # created in the opposite order
        shutil.copy(f, copy / f.name)
    forward = run("compare", *map(str, files), "-f", "json").stdout
    backward = run("compare", *map(str, reversed(files)), "-f", "json").stdout
    assert forward == backward
    copied = json.loads(run("compare", str(copy), "-f", "json").stdout)
    assert copied["claims"] == sample_json["claims"]


@pytest.mark.parametrize(
    "args",
    [
        ["compare", str(SAMPLE_DIR), "--threshold", "101"],
        ["compare", str(SAMPLE_DIR), "--threshold", "-1"],
        ["compare", str(SAMPLE_DIR), "--min-sources", "0"],
        ["compare", str(SAMPLE_DIR), "--min-words", "0"],
        ["compare", str(SAMPLE_DIR), "--format", "xml"],
        ["compare", str(SAMPLE_DIR), "--view", "pie"],
        ["compare", str(SAMPLE_DIR), "--no-such-option"],
        ["compare"],
        ["sentences", str(SAMPLE_DIR), "--format", "csv"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2, (args, result.stdout, result.stderr)
    assert result.stdout == ""


def test_missing_path_exit_1(tmp_path):
    result = run("compare", str(tmp_path / "missing"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'missing'}: no such file or directory\n"


def test_one_source_says_corroboration_needs_two():
    result = run("compare", str(SAMPLE_DIR / "themoscowtimes.md"), "-f", "json")
    assert result.exit_code == 0
    assert "corroboration needs at least two sources" in result.stderr
    assert json.loads(result.stdout)["claims"] == []


def test_stdin_source():
    text = (SAMPLE_DIR / "corruptionledger.txt").read_text()
    result = run("compare", "-", str(SAMPLE_DIR / "themoscowtimes.md"), "-f", "json", input=text)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["id"] for s in data["sources"]] == ["stdin", "themoscowtimes"]
    assert data["claims"], "the two articles share claims"


def test_table_default_plain_when_piped_and_no_markup_injection():
    result = run("compare", str(SAMPLE_DIR), "--min-sources", "1", "--details", env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "[KAB]" in result.stdout  # article text is never read as rich markup
    assert "5 sources" in result.stdout


def test_table_explain_and_matrix():
    explained = run("compare", str(SAMPLE_DIR), "--explain").stdout
    assert "↳" in explained
    matrix = run("compare", str(SAMPLE_DIR), "--view", "matrix").stdout
    assert "Euromaidan Press" in matrix and "●" in matrix


def test_footer_points_to_min_sources_one():
    assert "--min-sources 1" in run("compare", str(SAMPLE_DIR)).stdout


def test_sentences_json():
    result = run("sentences", str(SAMPLE_DIR), "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["sources"]) == 5
    for src in data["sources"]:
        assert src["sentences"] and all(d["reason"] for d in src["dropped"])
        assert [s["index"] for s in src["sentences"]] == list(range(len(src["sentences"])))
        assert all(s["is_claim"] == (s["reason"] is None) for s in src["sentences"])


def test_sentences_table():
    result = run("sentences", str(SAMPLE_DIR / "euromaidanpress.txt"))
    assert result.exit_code == 0
    assert "Dropped lines" in result.stdout and "byline" in result.stdout


def test_schema_is_json_schema():
    result = run("schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "Report"
    assert {"schema_version", "tool", "settings", "summary", "sources", "claims"} <= set(schema["properties"])


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("claimcheck ")


def test_numeric_disagreement_stands_out():
    folder = str(FIXTURES / "disagree")
    data = json.loads(run("compare", folder, "-f", "json").stdout)
    (claim,) = data["claims"]
    (disagreement,) = claim["disagreements"]
    assert {(f["source"], f["value"]) for f in disagreement["figures"]} == {("outlet-a", "19"), ("outlet-b", "at least 12")}
    table = run("compare", folder).stdout
    assert "⚠ killed (compatible): outlet-a 19 · outlet-b at least 12" in table
    assert "killed (compatible): outlet-a 19 · outlet-b at least 12" in run("compare", folder, "-f", "markdown").stdout


def test_threshold_and_min_words_change_the_run(sample_json):
    strict = json.loads(run("compare", str(SAMPLE_DIR), "-f", "json", "--threshold", "99").stdout)
    assert strict["settings"]["threshold"] == 99.0
    assert strict["summary"]["corroborated"] < sample_json["summary"]["corroborated"]
    loose = json.loads(run("compare", str(SAMPLE_DIR), "-f", "json", "--threshold", "5").stdout)
    linked = lambda s: s["summary"]["corroborated"] + s["summary"]["possible"]  # noqa: E731
    assert linked(loose) > linked(sample_json)
    wordy = json.loads(run("compare", str(SAMPLE_DIR), "-f", "json", "--min-words", "30").stdout)
    assert wordy["settings"]["min_claim_words"] == 30
    assert wordy["summary"]["claims"] < sample_json["summary"]["claims"]
    assert wordy["summary"]["sentences"] == sample_json["summary"]["sentences"]


def test_stderr_is_silent_on_a_clean_run_off_a_terminal():
    result = run("compare", str(SAMPLE_DIR), "-f", "json")
    assert result.exit_code == 0 and result.stderr == ""  # no progress bar when stderr is not a terminal


def test_min_independent_and_the_explained_origins():
    wire = str(FIXTURES / "wire")
    data = json.loads(run("compare", wire, "-f", "json", "--min-independent", "2").stdout)
    assert [(c["support"], c["independent_support"]) for c in data["claims"]] == [(4, 2)]
    assert data["settings"]["min_independent"] == 2
    table = " ".join(run("compare", wire, "--explain").stdout.split())  # undo the table's wrapping
    assert "4/4 sources" in table and "2 independent" in table
    assert "prints Associated Press's story (credit line 'By Hanna Arhirova, Associated Press')" in table
    assert "copy of Lakeview Herald's story, origin Associated Press" in table
    assert "Story origins:" in table
    matrix = run("compare", wire, "--view", "matrix").stdout
    assert "○" in matrix and "●" in matrix
    bad = run("compare", wire, "--min-independent", "0")
    assert bad.exit_code == 2 and bad.stdout == ""


def _bar_console():
    from rich.console import Console

    return Console(file=io.StringIO(), force_terminal=True, width=120, color_system=None)


def test_progress_bar_draws_nothing_before_its_delay():
    from claimcheck.cli import _ProgressBar

    console = _bar_console()
    with _ProgressBar(delay=3600, console=console) as bar:  # the timer never fires within the test
        for done in range(1, 11):
            bar("reading", done, 10)
        bar("matching", 1, 1)
    assert not bar.shown
    assert console.file.getvalue() == ""
    bar.show()  # a timer firing after the run must not start drawing
    assert not bar.shown


def test_progress_bar_shows_each_stage_with_counts_and_a_rate():
    from claimcheck.cli import _ProgressBar

    now = [0.0]
    console = _bar_console()
    with _ProgressBar(delay=3600, clock=lambda: now[0], console=console) as bar:
        bar("reading", 0, 100)
        for t, done in ((1.0, 10), (2.0, 30), (3.0, 50)):
            now[0] = t
            bar("reading", done, 100)
        bar("matching", 0, 1)
        bar.show()
        frame = console.file.getvalue()
    assert bar.shown
    assert "reading" in frame and "50/100" in frame
    assert "20 files/s" in frame  # 40 files between t=1 and t=3
    matching = next(line for line in frame.splitlines() if "matching" in line)
    assert "0/1" in matching and "/s" not in matching  # a one-step stage has no rate


def test_compare_reports_each_stage_to_the_progress_callback():
    from claimcheck.pipeline import compare

    calls: list[tuple[str, int, int]] = []
    compare([str(SAMPLE_DIR)], progress=lambda stage, done, total: calls.append((stage, done, total)))
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["reading", "stories", "matching", "articles", "independence"]
    for stage in stages:
        mine = [(d, t) for s, d, t in calls if s == stage]
        assert mine[-1][0] == mine[-1][1]  # each stage ends complete
        assert [d for d, _ in mine] == sorted(d for d, _ in mine)
    assert ("reading", 5, 5) in calls
