"""Property tests: arbitrary text and arbitrary file sets through `compare`.

Invariants: no exception escapes but ClaimcheckError (and that only when no file is readable);
groups are disjoint; every member is a sentence of its source, word for word; support counts
distinct sources; the JSON output does not depend on the order of the arguments or of the files'
creation.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from claimcheck import ClaimcheckError, compare
from claimcheck.cli import app
from claimcheck.read.files import InputFile, SkipFile
from claimcheck.read.inputs import load
from claimcheck.models import Report, Settings
from claimcheck.pipeline import extract_sentences, read_documents
from claimcheck.report.formats import to_json

from .conftest import SAMPLE_DIR

EVERYONE = Settings(min_sources=1)  # list every group, singletons too, so all invariants apply
# CLAIMCHECK_EXAMPLES=5000 for a long bug hunt; the default keeps this file under ~30 s.
EXAMPLES = int(os.environ.get("CLAIMCHECK_EXAMPLES", "150"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sample_sentences() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.iterdir()))
    return [s for s in re.split(r"(?<=[.!?”])\s+", text) if 3 <= len(s.split()) <= 60]


SENTENCES = _sample_sentences()

# The characters that break naive text handling, each drawn often.
ODD_CHARS = [
    "\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9b", "\r", "\r\n", "\n\n", "\t",
    "\u00a0", "\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2028", "\u2029", "\u202a",
    "\u202e", "\u2066", "\u2069", "\u061c", "\ufeff", "\ufffd", "\u0301", "\u0336",
    "“", "”", "‘", "’", "«", "»", '"', "'", "(", ")", "[", "]", "*", "_", "~", "`", "#", ">", "-", "—",
    ".", "...", "…", "!", "?", ";", ":", ",", "@", "/", "©", "http://", "www.",
    "\U0001f600", "\U0001f1fa\U0001f1e6", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "ﬁ", "Ｋ", "ß",
    "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u041a\u0438\u0457\u0432", "\u4e2d\u6587",
    "1", "19", "3.5", "1,000",
]
long_words = st.integers(30, 3000).map(lambda n: "Ab" * (n // 2))
pieces = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(ODD_CHARS),
    st.text(max_size=30),  # any code point but surrogates: controls, marks, RTL, emoji...
    st.sampled_from([" ", "\n"]),
    long_words,
)
article_text = st.lists(pieces, max_size=25).map("".join)
article_bytes = st.one_of(
    article_text.map(lambda t: t.encode("utf-8")),
    article_text.map(lambda t: t.encode("utf-16")),
    article_text.map(lambda t: t.encode("cp1252", errors="replace")),
    st.binary(max_size=300),
)
names = st.text(alphabet="abcxyz-_ 0é", min_size=1, max_size=8).map(str.strip).filter(bool)
suffixes = st.sampled_from([".txt", ".md", ".markdown", ".TXT"])
file_sets = st.dictionaries(st.tuples(names, suffixes).map("".join), article_bytes, min_size=1, max_size=4)


def _write(folder: Path, files: dict[str, bytes], order: list[str]) -> list[str]:
    for name in order:
        (folder / name).write_bytes(files[name])
    return [str(folder / name) for name in order]


def _run(paths: list[str]) -> tuple[Report | None, list[str]]:
    notes: list[str] = []
    try:
        return compare(paths, EVERYONE, warn=notes.append), notes
    except ClaimcheckError:
        return None, notes


def _check_report(report: Report, paths: list[str]) -> None:
    docs = {doc.id: doc for doc in read_documents(paths, warn=lambda _: None)}
    sentences = {sid: extract_sentences(doc, EVERYONE) for sid, doc in docs.items()}
    assert [s.id for s in report.sources] == sorted(docs)
    seen: set[tuple[str, int]] = set()
    for group in report.claims:
        assert group.support == len(set(group.sources)) == len(group.members)
        assert group.sources == tuple(m.source for m in group.members)
        assert group.text in {m.text for m in group.members}
        for m in group.members:
            key = (m.source, m.sentence_index)
            assert key not in seen, f"{key} in two groups"
            seen.add(key)
            sentence = sentences[m.source][m.sentence_index]
            assert sentence.text == m.text and sentence.is_claim
            assert m.text in docs[m.source].text
            assert docs[m.source].text[sentence.start:sentence.end] == m.text
    claims = {(s.source, s.index) for ss in sentences.values() for s in ss if s.is_claim}
    assert seen == claims, "every claim sentence is in exactly one group"
    assert report.summary.claims == len(claims)
    assert report.summary.sources == len(docs)


def _none_readable(paths: list[str]) -> bool:
    for path in paths:
        try:
            load(InputFile(path), "x")  # as the pipeline reads it: a .txt that opens like HTML is a page
        except SkipFile:
            continue
        return False
    return True


@PROPERTY
@given(texts=st.lists(article_text, min_size=1, max_size=4))
def test_arbitrary_text_never_breaks_compare(texts):
    with tempfile.TemporaryDirectory() as tmp:
        paths = _write(Path(tmp), {f"a{i}.txt": t.encode("utf-8") for i, t in enumerate(texts)},
                       [f"a{i}.txt" for i in range(len(texts))])
        report, notes = _run(paths)
        if report is None:
            assert _none_readable(paths)
            return
        _check_report(report, paths)
        assert all("\n" not in note for note in notes)


@PROPERTY
@given(files=file_sets, data=st.data())
def test_arbitrary_file_sets_order_does_not_matter(files, data):
    order = data.draw(st.permutations(sorted(files)), label="creation order")
    args = data.draw(st.permutations(sorted(files)), label="argument order")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        _write(folder, files, sorted(files))
        first, _ = _run([str(folder / n) for n in sorted(files)])
        by_dir, _ = _run([str(folder)])
        for name in files:
            (folder / name).unlink()
        _write(folder, files, order)  # the same files, created in another order
        shuffled, _ = _run([str(folder / n) for n in args])
        again, _ = _run([str(folder)])
        outputs = {to_json(r) if r else None for r in (first, by_dir, shuffled, again)}
        assert len(outputs) == 1
        if first is None:
            assert _none_readable([str(folder / n) for n in files])
        else:
            _check_report(first, [str(folder)])


@settings(PROPERTY, max_examples=max(EXAMPLES // 3, 10))
@given(files=file_sets, fmt=st.sampled_from(["json", "jsonl", "csv", "markdown", "table"]))
def test_cli_on_arbitrary_files_exits_cleanly(files, fmt):
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        _write(Path(tmp), files, sorted(files))
        result = runner.invoke(app, ["compare", tmp, "--format", fmt])
    assert result.exit_code in (0, 1), result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for line in result.stderr.splitlines():
        assert line.startswith(("Warning: ", "Error: ")), line
    if result.exit_code == 1:
        assert result.stdout == "" and result.stderr.splitlines()[-1].startswith("Error: ")
    elif fmt == "json":
        assert json.loads(result.stdout)["schema_version"] == 4


@PROPERTY
@given(text=article_text)
def test_one_text_split_and_grouped_consistently(text):
    """A single article beside a real one: sentences tile their spans; groups stay disjoint."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "odd.txt"
        path.write_text(text, encoding="utf-8", newline="")
        paths = [str(path), str(SAMPLE_DIR / "euromaidanpress.txt")]
        report, notes = _run(paths)
        assert report is not None  # the sample article is always readable
        _check_report(report, paths)
        assert all(os.linesep not in n for n in notes)


def test_two_articles_whose_only_claims_nest(tmp_path):
    """Found by the properties above: with two claims in all, the words they share weigh 0, and a
    claim whose words are all shared with the other divided 0 by 0 in the matcher."""
    (tmp_path / "a.txt").write_text("Biden has authorized Ukraine to use American weapons against Russia.\n")
    (tmp_path / "b.txt").write_text(
        "Biden has authorized Ukraine to use American weapons against Russia, officials in Washington said on Friday.\n"
    )
    report = compare([str(tmp_path)], EVERYONE, warn=lambda _: None)
    _check_report(report, [str(tmp_path)])
