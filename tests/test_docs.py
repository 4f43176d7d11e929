"""The README and docs/ stay true: short, links that resolve, the sample output the sample run prints,
the first-screen test command is what CI runs, and the example commands run.

The README's sample output changes whenever the matcher does; rewrite it on purpose only:
`pytest tests/test_docs.py --update-golden`.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app

from .conftest import ROOT

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
SAMPLE = re.compile(r"<!-- sample-output: claimcheck (?P<args>[^\n]*?) -->\n```\n(?P<body>.*?)```\n<!-- /sample-output -->",
                    re.S)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = "".join(ch for ch in text if ch in " -" or unicodedata.category(ch)[0] in "LN")
    return text.replace(" ", "-")


def _prose(path: Path) -> str:
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def _anchors(path: Path) -> set[str]:
    return {_slug(m) for m in re.findall(r"^#+ (.+)$", _prose(path), re.M)}


def test_readme_is_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 300


def test_ci_runs_the_readmes_test_command():
    first = FENCE.findall(README.read_text(encoding="utf-8"))[0].splitlines()
    assert first[0].endswith(".venv/bin/claimcheck compare sample_articles/")
    assert first[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", [README, *DOCS], ids=lambda p: p.name)
def test_links_resolve(doc):
    broken = []
    for target in LINK.findall(_prose(doc)):
        if re.match(r"https?://", target):
            continue
        name, _, anchor = target.partition("#")
        path = (doc.parent / name).resolve() if name else doc
        if not path.exists() or (anchor and path.suffix == ".md" and anchor not in _anchors(path)):
            broken.append(target)
    assert not broken, f"{doc.name}: links that do not resolve: {broken}"


def test_the_link_check_can_fail(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("# Title\n\n[a](#title) [b](#nope) [c](missing.md)\n", encoding="utf-8")
    assert _anchors(doc) == {"title"}
    assert [t for t in LINK.findall(_prose(doc)) if t != "#title"] == ["#nope", "missing.md"]


def test_every_doc_is_linked_from_the_readme():
    text = README.read_text(encoding="utf-8")
    assert [p.name for p in DOCS if f"docs/{p.name}" not in text] == []


def test_readme_sample_output_is_what_the_sample_run_prints(in_root, update_golden):
    text = README.read_text(encoding="utf-8")
    match = SAMPLE.search(text)
    assert match, "README has no <!-- sample-output: claimcheck ... --> block"
    result = CliRunner().invoke(app, shlex.split(match["args"]))  # stdout is not a terminal: 100 columns
    assert result.exit_code == 0, result.output
    printed = "".join(line.rstrip() + "\n" for line in result.stdout.rstrip("\n").split("\n"))
    if update_golden:
        README.write_text(text[: match.start("body")] + printed + text[match.end("body"):], encoding="utf-8")
        return
    assert match["body"] == printed, "README sample output is stale: run pytest tests/test_docs.py --update-golden"


def _readme_commands() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Commands", 1)[1]
    lines = FENCE.findall(section)[0].splitlines()
    return [line.split(" #", 1)[0].strip() for line in lines if line.startswith("claimcheck ")]


@pytest.mark.parametrize("command", _readme_commands())
def test_readme_example_commands_run(command, in_root, tmp_path):
    args = shlex.split(command.split(" > ", 1)[0])[1:]
    if any(a.startswith(("http", "saved/")) for a in args):
        pytest.skip("an example over inputs this checkout does not have")
    args = [str(tmp_path / a) if a.endswith((".html", ".json", ".csv")) else a for a in args]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
