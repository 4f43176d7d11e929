"""Bad input never breaks a run: one clear line on stderr naming the file, no traceback, no hang,
and every readable article still in the report."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app
from claimcheck.read.files import (
    InputFile,
    SkipFile,
    build_document,
    decode,
    load_document,
    reduce_markdown,
    split_dateline,
)
from claimcheck.models import Settings
from claimcheck.pipeline import extract_sentences

from .conftest import SAMPLE_DIR

runner = CliRunner()
SETTINGS = Settings()

GOOD = "euromaidanpress.txt"
OTHER = "themoscowtimes.md"


def run(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def run_json(*args: str) -> tuple[dict, list[str]]:
    """`compare --format json`: the parsed report and the stderr lines; the run must succeed."""
    result = run("compare", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return json.loads(result.stdout), result.stderr.splitlines()


def line_about(lines: list[str], path: Path | str, *words: str) -> str:
    """The one stderr line that names `path`, checked to contain `words`."""
    hits = [ln for ln in lines if str(path) in ln]
    assert len(hits) == 1, (path, lines)
    assert all(w in hits[0] for w in words), (hits[0], words)
    assert "Traceback" not in "\n".join(lines)
    return hits[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder holding two good sample articles; tests add bad files beside them."""
    for name in (GOOD, OTHER):
        shutil.copy(SAMPLE_DIR / name, tmp_path / name)
    return tmp_path


def good_ids(report: dict) -> set[str]:
    return {s["id"] for s in report["sources"]}


# --------------------------------------------------------------------------- nothing to read: exit 1


def test_empty_directory_is_an_error(tmp_path):
    result = run("compare", str(tmp_path))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"Error: no readable articles in {tmp_path}"
    assert f"{tmp_path}: directory has no text (.txt/.md), page (.html/.htm/.xhtml) or dump (.json/.jsonl/.ndjson) files" in result.stderr


def test_directory_of_only_bad_files_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = run("compare", str(tmp_path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    line_about(lines, tmp_path / "empty.txt", "Warning:", "empty file")
    line_about(lines, tmp_path / "image.txt", "Warning:", "PNG")
    assert lines[-1].startswith("Error: no readable articles")


def test_missing_path_is_an_error_even_beside_good_ones(tmp_path):
    result = run("compare", str(SAMPLE_DIR), str(tmp_path / "nope.txt"))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: {tmp_path / 'nope.txt'}: no such file or directory\n"


@pytest.mark.parametrize("special", ["/dev/null", "fifo"])
def test_special_file_named_explicitly_is_an_error_not_a_hang(tmp_path, special):
    if special == "fifo":
        special = str(tmp_path / "pipe.txt")
        os.mkfifo(special)  # reading it would block forever
    result = run("compare", special, str(SAMPLE_DIR / GOOD))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {special}: not a regular file or directory\n"


def test_broken_symlink_named_explicitly(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    result = run("compare", str(tmp_path / "gone.txt"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'gone.txt'}: broken symbolic link\n"


def test_binary_file_named_explicitly_is_read_then_skipped(tmp_path):
    """A file named on the command line is read whatever its suffix; binary detection decides."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + os.urandom(2000))
    data, lines = run_json(str(pdf), str(SAMPLE_DIR / GOOD), str(SAMPLE_DIR / OTHER))
    line_about(lines, pdf, "Warning:", "skipped", "PDF")
    assert good_ids(data) == {"euromaidanpress", "themoscowtimes"}
    alone = run("compare", str(pdf))
    assert alone.exit_code == 1 and alone.stderr.splitlines()[-1].startswith("Error: no readable articles")


def test_text_file_with_another_suffix_named_explicitly_is_read(tmp_path):
    article = tmp_path / "saved.html.bak"
    shutil.copy(SAMPLE_DIR / GOOD, article)
    data, _ = run_json(str(article), str(SAMPLE_DIR / OTHER))
    assert {s["path"] for s in data["sources"]} == {str(article), str(SAMPLE_DIR / OTHER)}


# --------------------------------------------------------------------------- bad files among good ones: exit 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "skipped, empty file"),
        ("blank.txt", b"  \n\n\t \r\n", "skipped, empty file"),
        ("invisible.txt", "\u200b\u200d\ufeff\u2060\n\u00ad".encode(), "only whitespace or invisible characters"),
        ("controls.txt", b"\x07\x1b \x1b", "skipped"),
        ("boilerplate.md", b"Share on Facebook\nTwitter\nRead more\n\xc2\xa9 2024 Example News. All rights reserved.\n",
         "boilerplate"),
        ("random.txt", os.urandom(4096), "binary file"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(500), "binary file (a PNG image)"),
        ("paper.txt", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + os.urandom(500), "binary file (a PDF document)"),
        ("letter.md", b"PK\x03\x04" + os.urandom(300), "binary file (a ZIP archive"),
        ("control-soup.txt", bytes(range(1, 32)) * 40, "binary file (mostly control characters)"),
        ("bad-bom.txt", b"\xff\xfeA\x00\x00\xd8", "invalid utf-16"),
    ],
)
def test_unusable_file_warns_and_the_run_goes_on(folder, name, content, message):
    (folder / name).write_bytes(content)
    data, lines = run_json(str(folder))
    line_about(lines, folder / name, "Warning:", message)
    assert good_ids(data) == {"euromaidanpress", "themoscowtimes"}
    assert data["claims"], "the two good articles still corroborate each other"


def test_same_article_twice_counts_once(folder):
    shutil.copy(folder / GOOD, folder / "zz-copy.txt")
    data, lines = run_json(str(folder))
    line_about(lines, folder / "zz-copy.txt", "same article text as", str(folder / GOOD))
    assert good_ids(data) == {"euromaidanpress", "themoscowtimes"}


# --------------------------------------------------------------------------- encodings


CAFE = "Kyiv’s mayor said the café on Khreshchatyk — “the heart of the city” — would reopen on Monday."


@pytest.mark.parametrize(
    ("encoding", "data", "note"),
    [
        ("cp1252", CAFE.encode("cp1252"), "not valid UTF-8, read as cp1252"),
        ("latin-1", CAFE.replace("’", "'").replace("—", "-").replace("“", '"').replace("”", '"').encode("latin-1")
         + b" \x81", "not valid UTF-8, read as latin-1"),
        ("utf-16", CAFE.encode("utf-16"), None),
        ("utf-16", b"\xfe\xff" + CAFE.encode("utf-16-be"), None),
        ("utf-8-sig", CAFE.encode("utf-8-sig"), None),
        ("utf-32", CAFE.encode("utf-32"), None),
        ("utf-16-le", CAFE.encode("utf-16-le"), "no byte-order mark, read as UTF-16-LE"),
    ],
)
def test_encodings_read_correctly_with_a_note_on_fallback(tmp_path, encoding, data, note):
    path = tmp_path / "cafe.txt"
    path.write_bytes(data)
    result = run("sentences", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    source = json.loads(result.stdout)["sources"][0]
    assert source["encoding"] == encoding
    text = " ".join(s["text"] for s in source["sentences"])
    assert "café" in text and "Monday" in text
    if encoding in ("utf-16", "utf-8-sig", "utf-32", "cp1252"):
        assert "Kyiv’s" in text and "“the heart of the city”" in text
    lines = result.stderr.splitlines()
    if note:
        assert lines == [f"Warning: {path}: {note}"]
    else:
        assert lines == []


def test_legacy_encoded_article_corroborates_a_utf8_one(tmp_path):
    """A cp1252 copy and a UTF-16 copy of sample articles match the UTF-8 original's claims."""
    shutil.copy(SAMPLE_DIR / GOOD, tmp_path / "a.txt")
    text = (SAMPLE_DIR / OTHER).read_text(encoding="utf-8")
    (tmp_path / "b.md").write_bytes(text.encode("cp1252", errors="replace"))
    (tmp_path / "c.md").write_bytes(text.replace("Biden", "President Biden").encode("utf-16"))
    data, lines = run_json(str(tmp_path))
    line_about(lines, tmp_path / "b.md", "read as cp1252")
    assert good_ids(data) == {"a", "b", "c"}
    assert any({"a", "b", "c"} <= set(c["sources"]) for c in data["claims"])


# --------------------------------------------------------------------------- directory trees


def test_tree_with_subdirs_hidden_backups_links_and_loops(folder):
    sub = folder / "2024" / "may"
    sub.mkdir(parents=True)
    shutil.copy(SAMPLE_DIR / "corruptionledger.txt", sub / "corruptionledger.txt")
    for junk in (".#euromaidanpress.txt", "euromaidanpress.txt~", "#draft.txt#", ".hidden.md", "x.txt.swp"):
        shutil.copy(SAMPLE_DIR / GOOD, folder / junk)
    (folder / ".git").mkdir()
    shutil.copy(SAMPLE_DIR / GOOD, folder / ".git" / "COMMIT.txt")
    (sub / "loop").symlink_to(folder, target_is_directory=True)  # a symlink loop
    (sub / "self").symlink_to(sub, target_is_directory=True)
    (folder / "alias.txt").symlink_to(folder / GOOD)  # the same file under two names
    (folder / "dangling.md").symlink_to(folder / "nowhere.md")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    os.mkfifo(folder / "pipe.txt")

    data, lines = run_json(str(folder), str(folder / GOOD), str(sub))
    paths = [s["path"] for s in data["sources"]]
    assert sorted(paths) == [str(sub / "corruptionledger.txt"), str(folder / "alias.txt"), str(folder / OTHER)]
    assert [s["id"] for s in data["sources"]] == sorted(s["id"] for s in data["sources"])
    line_about(lines, folder / "dangling.md", "skipped, broken symbolic link")
    line_about(lines, folder / "pipe.txt", "skipped, not a regular file")
    line_about(lines, folder / "notes.docx", "skipped, not a text (.txt/.md), page (.html/.htm/.xhtml) or dump (.json/.jsonl/.ndjson) file")
    assert f"Warning: {folder}: ignored 6 hidden or backup file(s)" in lines
    # The alias and its target are one article, read once under the smaller name.
    assert not any("same article text" in ln for ln in lines)


def test_file_named_twice_in_any_order_gives_the_same_bytes(folder):
    (folder / "alias.txt").symlink_to(folder / GOOD)
    args = [str(folder), str(folder / GOOD), f"{folder}/./{OTHER}", str(folder / "alias.txt")]
    orders = [args, args[::-1], args[2:] + args[:2], [args[1], args[3], args[0], args[2]]]
    outputs = {run("compare", *order, "-f", "json").stdout for order in orders}
    assert len(outputs) == 1
    paths = [s["path"] for s in json.loads(outputs.pop())["sources"]]
    assert paths == [str(folder / "alias.txt"), f"{folder}/./{OTHER}"]  # the smallest name of each file


def test_file_names_that_are_not_utf8_or_hold_control_characters(folder):
    bad = os.path.join(os.fsencode(folder), b"caf\xe9-report.txt")
    with open(bad, "wb") as fh:
        fh.write((SAMPLE_DIR / "corruptionledger.txt").read_bytes())
    (folder / "line\nbreak.txt").write_text("")
    data, lines = run_json(str(folder))
    assert f"{folder}/caf\ufffd-report.txt" in [s["path"] for s in data["sources"]]
    assert f"Warning: {folder}/line\\nbreak.txt: skipped, empty file" in lines


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_and_directory(folder):
    secret = folder / "secret.txt"
    shutil.copy(SAMPLE_DIR / "corruptionledger.txt", secret)
    locked = folder / "locked"
    locked.mkdir()
    secret.chmod(0)
    locked.chmod(0)
    try:
        data, lines = run_json(str(folder))
    finally:
        secret.chmod(0o644)
        locked.chmod(0o755)
    line_about(lines, secret, "skipped", "Permission denied")
    line_about(lines, locked, "cannot list directory")
    assert good_ids(data) == {"euromaidanpress", "themoscowtimes"}


# --------------------------------------------------------------------------- one source, options


def test_exactly_one_readable_source_among_bad_ones(tmp_path):
    shutil.copy(SAMPLE_DIR / GOOD, tmp_path / GOOD)
    (tmp_path / "empty.txt").write_text("")
    data, lines = run_json(str(tmp_path))
    assert f"Warning: only one readable source ({tmp_path / GOOD}): corroboration needs at least two sources" in lines
    assert data["summary"]["sources"] == 1 and data["claims"] == []
    table = run("compare", str(tmp_path))
    assert table.exit_code == 0 and "corroboration needs at least two sources" in table.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--threshold", "100.5"],
        ["--threshold", "nan-ish"],
        ["--min-sources", "-3"],
        ["--min-sources", "10001"],
        ["--min-words", "1001"],
        ["--min-words", "four"],
        ["--format", "pdf"],
        ["--output"],
        ["--no-such-option"],
        ["-x"],
    ],
)
def test_options_out_of_range_or_unknown_are_usage_errors(args):
    result = run("compare", str(SAMPLE_DIR), *args)
    assert result.exit_code == 2, (args, result.stderr)
    assert result.stdout == ""
    assert "Error" in result.stderr and "Traceback" not in result.stderr


def test_sentences_command_reports_bad_files_the_same_way(folder):
    (folder / "empty.txt").write_text("")
    result = run("sentences", str(folder), "-f", "json")
    assert result.exit_code == 0
    line_about(result.stderr.splitlines(), folder / "empty.txt", "skipped, empty file")
    assert len(json.loads(result.stdout)["sources"]) == 2


def test_binary_stdin_is_skipped_and_the_files_are_read():
    result = run("compare", "-", str(SAMPLE_DIR / GOOD), str(SAMPLE_DIR / OTHER), "-f", "json",
                 input=b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert result.exit_code == 0, result.stderr
    assert "Warning: <stdin>: skipped, binary file (a PNG image), not text" in result.stderr
    assert len(json.loads(result.stdout)["sources"]) == 2


# --------------------------------------------------------------------------- odd text


ODD = (
    "Officials said\u200b the strike hit\u00ad a depot near Kharkiv on Friday morning.\n"
    "\u202eThe mayor\u202c said 12\u2009people were hurt \U0001f525\U0001f1fa\U0001f1e6 in the attack.\n"
    "A bell\x07 rang and an escape\x1b[31m code showed up in the scraped copy of the text.\n"
    "\u05d4\u05de\u05e9\u05d8\u05e8\u05d4 \u05d0\u05de\u05e8\u05d4 \u200f(the police said)\u200f the road was closed for hours.\n"
    "The word " + "Pneumonoultramicroscopicsilicovolcanoconiosis" * 400 + " appeared in the report.\n"
    "Emoji-only line follows.\n\U0001f600\U0001f600\U0001f600\n"
    "Zalgo t\u0336\u0321e\u0337\u0322x\u0338t and fullwidth ＫＹＩＶ and ligature ﬁnal text were in the copy.\n"
)


def test_control_zero_width_rtl_emoji_long_words_are_handled(folder):
    (folder / "odd.txt").write_text(ODD)
    data, lines = run_json(str(folder), "--min-sources", "1")
    assert "odd" in good_ids(data)
    assert not [ln for ln in lines if "odd.txt" in ln]
    texts = [m["text"] for c in data["claims"] for m in c["members"] if m["source"] == "odd"]
    joined = " ".join(texts)
    assert "\x07" not in joined and "\x1b" not in joined and "\u200b" not in joined and "\u202e" not in joined
    assert "Kharkiv" in joined and "\U0001f525" in joined
    for fmt in ("csv", "jsonl", "markdown", "table"):
        result = run("compare", str(folder), "--min-sources", "1", "-f", fmt)
        assert result.exit_code == 0, (fmt, result.stderr)


# --------------------------------------------------------------------------- bounded time


LINEAR_CASES = {
    "one long word": "a" * 200_000,
    "long word with underscores": "a_" * 100_000,
    "unmatched emphasis": " _a *b" * 30_000,
    "dots": "." * 200_000,
    "digits": "7" * 200_000,
    "hyphens in capitals": "KYIV" + " -" * 100_000,
    "dateline-like": "KYIV, Ukraine" + " -" * 100_000 + " Russia attacked.",
    "copyright sign": "© " + "x " * 100_000,
    "open brackets": "[a (b " * 30_000,
    "no punctuation": "The war goes on and on " * 10_000,
    "unterminated quote": "“The war goes on, he said. " * 10_000,
    "url-like": "http://" * 30_000,
    "e-mail-like": "a@b." * 50_000,
}


@pytest.mark.parametrize("name", sorted(LINEAR_CASES))
def test_pathological_lines_take_linear_time(name):
    """Each stage on a 200 kB line in well under a second (a quadratic regex takes minutes)."""
    text = LINEAR_CASES[name]
    start = time.perf_counter()
    reduce_markdown(1, text)
    split_dateline(text)
    doc = build_document(text, source_id="x", path="x.txt", stem="x")
    extract_sentences(doc, SETTINGS)
    assert time.perf_counter() - start < 3.0, name


def test_large_file_without_punctuation_loads(tmp_path):
    path = tmp_path / "wall.txt"
    path.write_text(("Officials said the war goes on and on in the east " * 20 + "\n") * 1000)  # ~1 MB
    start = time.perf_counter()
    doc = load_document(InputFile(str(path)), "wall")
    sentences = extract_sentences(doc, SETTINGS)
    assert time.perf_counter() - start < 10
    assert sentences and all(doc.text[s.start:s.end] == s.text for s in sentences)


def test_decode_never_raises_anything_but_skipfile():
    for data in (os.urandom(1000), b"\xff\xfe" + os.urandom(999), b"\xef\xbb\xbf\xff", b"\x00" * 10, b"\xfe\xff\x00"):
        try:
            decode(data)
        except SkipFile:
            pass


def test_text_without_any_sentence_punctuation_beside_good_articles(folder):
    """One 1 MB line no rule can split: not a claim (run-on), and the run stays quick."""
    words = load_document(InputFile(str(SAMPLE_DIR / GOOD)), "x").text.split()  # no boilerplate
    wall = " ".join(w.strip(".!?…;:\"“”()") for w in words)
    (folder / "wall.txt").write_text((wall + " ") * (1_000_000 // len(wall)), encoding="utf-8")
    start = time.perf_counter()
    data, lines = run_json(str(folder))
    assert time.perf_counter() - start < 30
    assert "wall" in good_ids(data)
    assert not any("wall" in c["sources"] for c in data["claims"])
    parsed = json.loads(run("sentences", str(folder / "wall.txt"), "-f", "json").stdout)
    assert [s["reason"] for s in parsed["sources"][0]["sentences"]] == [
        "run-on text (over 250 words without sentence punctuation)"
    ]


def test_unterminated_quote_beside_good_articles(folder):
    text = "“" + (SAMPLE_DIR / "corruptionledger.txt").read_text(encoding="utf-8").replace("”", "")
    (folder / "quote.txt").write_text(text, encoding="utf-8")
    data, _ = run_json(str(folder))
    assert good_ids(data) == {"euromaidanpress", "themoscowtimes", "quote"}
    assert any("quote" in c["sources"] for c in data["claims"])
