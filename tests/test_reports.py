"""claimcheck never reads its own reports back as articles: every format it writes carries a marker
(read/reports.py), recognised whatever the file is called; `-o FILE` without `-f` writes the format
FILE's extension names."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app
from claimcheck.read.reports import report_format

from .conftest import FIXTURES, SAMPLE_DIR

FORMATS = ["table", "json", "jsonl", "csv", "markdown", "html"]


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, bytes]:
    """Every compare format, plus both sentences formats and the matrix, over the sample set."""
    out = tmp_path_factory.mktemp("reports")
    made = {}
    for fmt in FORMATS:
        assert _run("compare", str(SAMPLE_DIR), "-f", fmt, "-o", str(out / fmt)).exit_code == 0
        made[fmt] = (out / fmt).read_bytes()
    for fmt in ("table", "json"):
        assert _run("sentences", str(SAMPLE_DIR), "-f", fmt, "-o", str(out / f"s-{fmt}")).exit_code == 0
        made[f"sentences {fmt}"] = (out / f"s-{fmt}").read_bytes()
    assert _run("compare", str(SAMPLE_DIR), "--view", "matrix", "-o", str(out / "matrix")).exit_code == 0
    made["matrix"] = (out / "matrix").read_bytes()
    return made


def test_every_report_format_carries_a_marker(reports):
    kinds = {name: report_format(data) for name, data in reports.items()}
    assert kinds == {"table": "table", "json": "JSON", "jsonl": "JSONL", "csv": "CSV", "markdown": "Markdown",
                     "html": "HTML", "sentences table": "table", "sentences json": "JSON", "matrix": "table"}


@pytest.mark.parametrize("path", [*sorted(SAMPLE_DIR.iterdir()), *sorted((FIXTURES / "pages").glob("*.htm*")),
                                  *sorted(FIXTURES.rglob("*.json*"))], ids=lambda p: p.name)
def test_articles_and_dumps_are_not_reports(path):
    assert report_format(path.read_bytes()) is None


def test_markers_need_claimcheck_itself():
    assert report_format(b'<html><head><meta name="generator" content="WordPress 6.5"></head></html>') is None
    assert report_format(b'{"schema_version": 2, "tool": {"name": "other"}}') is None
    assert report_format(b'{"id": "a1", "text": "An article.", "source": "x"}\n') is None
    assert report_format(b"5 sources of the leak were named.\nThe minister resigned.\n") is None


def test_a_report_in_the_article_folder_is_skipped_whatever_its_name(reports, tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(SAMPLE_DIR, folder)
    names = {"table": "notes.txt", "json": "data.json", "jsonl": "more.jsonl", "markdown": "summary.md",
             "html": "saved-page.html", "sentences table": "parsed.txt", "sentences json": "parsed.json"}
    for fmt, name in names.items():
        (folder / name).write_bytes(reports[fmt])
    result = _run("compare", str(folder), "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["sources"] == 5
    for name in names.values():
        assert f"{name}: skipped, a claimcheck report (" in result.stderr


def test_a_report_named_alone_is_an_error_not_an_article(reports, tmp_path):
    (tmp_path / "r.html").write_bytes(reports["html"])
    result = _run("compare", str(tmp_path / "r.html"))
    assert result.exit_code == 1
    assert "r.html: skipped, a claimcheck report (HTML), not an article" in result.stderr


@pytest.mark.parametrize("name, kind", [("report.html", "HTML"), ("report.HTM", "HTML"), ("report.json", "JSON"),
                                        ("claims.jsonl", "JSONL"), ("claims.ndjson", "JSONL"),
                                        ("members.csv", "CSV"), ("report.md", "Markdown"), ("report.txt", "table"),
                                        ("report", "table")])
def test_output_format_follows_the_extension(name, kind, tmp_path):
    result = _run("compare", str(SAMPLE_DIR), "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert report_format((tmp_path / name).read_bytes()) == kind


def test_an_explicit_format_wins_over_the_extension(tmp_path):
    assert _run("compare", str(SAMPLE_DIR), "-f", "json", "-o", str(tmp_path / "r.html")).exit_code == 0
    assert report_format((tmp_path / "r.html").read_bytes()) == "JSON"


def test_sentences_output_follows_the_extension(tmp_path):
    assert _run("sentences", str(SAMPLE_DIR), "-o", str(tmp_path / "s.json")).exit_code == 0
    assert json.loads((tmp_path / "s.json").read_text())["tool"]["name"] == "claimcheck"
    assert _run("sentences", str(SAMPLE_DIR), "-o", str(tmp_path / "s.html")).exit_code == 0  # no html: the table
    assert report_format((tmp_path / "s.html").read_bytes()) == "table"
