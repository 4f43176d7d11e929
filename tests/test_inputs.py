"""Every input kind gives the same corroborated claims: the sample set as text files, as saved pages,
as URLs on a local server and as a JSONL dump. Plus stdin typing, outlet folders, the names file."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app
from claimcheck.models import InputOptions, Report
from claimcheck.pipeline import compare, parse

from .conftest import FIXTURES, SAMPLE_DIR
from .pageserver import PageServer

runner = CliRunner()
Claims = list[tuple[tuple[str, str], ...]]


def claims_by_stem(report: Report, stem_of) -> Claims:
    """The corroborated claims as (article, sentence) members, whatever the source ids are."""
    stems = {s.id: stem_of(s) for s in report.sources}
    return sorted(tuple(sorted((stems[m.source], m.text) for m in g.members)) for g in report.claims)


@pytest.fixture(scope="module")
def baseline() -> Report:
    return compare([str(SAMPLE_DIR)], warn=lambda m: None)


def sample_page(path: Path, title: str | None) -> str:
    """A simple page around an article's paragraphs: the headline (if the text has one) as <title>
    and <h1>, each paragraph a <p>."""
    paras = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if title:
        paras = paras[1:]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    h1 = f"<h1>{html.escape(title)}</h1>" if title else ""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title or path.stem)}</title>"
            f"</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article>{h1}\n{body}"
            f"</article><footer>Share: Facebook Twitter</footer></body></html>")


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory, baseline) -> Path:
    titles = {Path(s.path).stem: s.title for s in baseline.sources}
    out = tmp_path_factory.mktemp("pages")
    for path in sorted(SAMPLE_DIR.iterdir()):
        (out / f"{path.stem}.html").write_text(sample_page(path, titles[path.stem]), encoding="utf-8")
    return out


def test_saved_pages_give_the_same_claims_as_text(baseline, page_dir):
    want = claims_by_stem(baseline, lambda s: Path(s.path).stem)
    assert len(want) >= 5
    report = compare([str(page_dir)], warn=lambda m: None)
    assert claims_by_stem(report, lambda s: Path(s.path).stem) == want
    assert all(s.provenance["text"].startswith("trafilatura main text (") for s in report.sources)


def test_local_urls_give_the_same_claims_as_text(baseline, page_dir, monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    want = claims_by_stem(baseline, lambda s: Path(s.path).stem)
    with PageServer() as server:
        urls = server.add_dir(page_dir)
        report = compare(urls, warn=lambda m: None, inputs=InputOptions(use_cache=False))
    assert claims_by_stem(report, lambda s: Path(s.path).stem) == want
    assert sorted(s.url for s in report.sources) == sorted(urls)


def test_jsonl_dump_gives_the_same_claims_as_text(baseline, tmp_path):
    want = claims_by_stem(baseline, lambda s: Path(s.path).stem)
    dump = tmp_path / "export.jsonl"
    stems = sorted(p.stem for p in SAMPLE_DIR.iterdir())
    with dump.open("w", encoding="utf-8") as fh:
        for path in sorted(SAMPLE_DIR.iterdir()):
            fh.write(json.dumps({"url": f"https://example.org/{path.stem}", "maintext": path.read_text(encoding="utf-8"),
                                 "date_publish": "2024-05-31 10:00:00"}) + "\n")
    report = compare([str(dump)], warn=lambda m: None)
    line_of = {s.id: int(s.path.rsplit(":", 1)[1]) for s in report.sources}
    assert claims_by_stem(report, lambda s: stems[line_of[s.id] - 1]) == want
    assert {s.date for s in report.sources} == {"2024-05-31"}
    assert all(s.provenance["date"] == "record field 'date_publish'" for s in report.sources)


def test_input_order_does_not_change_the_output(page_dir, tmp_path):
    dump = tmp_path / "d.jsonl"
    dump.write_text("\n".join(json.dumps({"text": (SAMPLE_DIR / n).read_text(), "source": f"Outlet {n[:3]}"})
                              for n in ("euromaidanpress.txt", "themoscowtimes.md")) + "\n")
    args = [str(page_dir / "corruptionledger.html"), str(dump), str(page_dir / "000_6b80f982273ad421.html")]
    first = runner.invoke(app, ["compare", *args, "-f", "json"])
    second = runner.invoke(app, ["compare", *reversed(args), "-f", "json"])
    assert first.exit_code == 0 and first.stdout == second.stdout


@pytest.mark.parametrize("kind", ["jsonl", "json"])
def test_stdin_accepts_a_dump(kind):
    records = [{"title": "Strike ends", "content": (SAMPLE_DIR / n).read_text(), "publisher": {"name": f"Paper {i}"}}
               for i, n in enumerate(("euromaidanpress.txt", "corruptionledger.txt"))]
    data = "\n".join(json.dumps(r) for r in records) if kind == "jsonl" else json.dumps({"articles": records})
    result = runner.invoke(app, ["sentences", "-", "-f", "json"], input="\n  " + data)
    assert result.exit_code == 0, result.stderr
    sources = json.loads(result.stdout)["sources"]
    assert [(s["id"], s["name"], s["provenance"]["name"]) for s in sources] == [
        ("paper-0", "Paper 0", "record field 'publisher'"), ("paper-1", "Paper 1", "record field 'publisher'")]
    assert sources[0]["path"] == ("-:2" if kind == "jsonl" else "-:articles[0]")


def test_stdin_accepts_a_page():
    page = (FIXTURES / "pages" / "amp.html").read_text()
    result = runner.invoke(app, ["sentences", "-", "-f", "json"], input=page)
    assert result.exit_code == 0, result.stderr
    (src,) = json.loads(result.stdout)["sources"]
    assert (src["id"], src["name"], src["path"]) == ("stdin", "Coastline Daily", "-")


def test_stdin_text_that_opens_with_a_bracket_is_still_text():
    text = "[Updated] " + (SAMPLE_DIR / "euromaidanpress.txt").read_text()
    result = runner.invoke(app, ["sentences", "-", "-f", "json"], input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    (src,) = json.loads(result.stdout)["sources"]
    assert src["name"] == "Euromaidan Press" and src["sentences"][0]["text"].startswith("[Updated]")


def test_a_folder_per_outlet_names_the_sources(tmp_path):
    for outlet, name in (("reuters", "euromaidanpress.txt"), ("Kyiv Herald", "corruptionledger.txt"),
                         ("articles", "themoscowtimes.md")):
        (tmp_path / outlet).mkdir()
        shutil.copy(SAMPLE_DIR / name, tmp_path / outlet / name)
    shutil.copy(SAMPLE_DIR / "000_6b80f982273ad421.txt", tmp_path)
    report = parse([str(tmp_path)], warn=lambda m: None)
    got = {s.id: (s.name, s.provenance["name"]) for s in report.sources}
    assert got == {
        "euromaidanpress": ("Reuters", "outlet folder reuters/"),
        "corruptionledger": ("Kyiv Herald", "outlet folder Kyiv Herald/"),
        "themoscowtimes": ("The Moscow Times", "source URL line"),  # "articles/" says what, not who
        "000-6b80f982273ad421": ("000_6b80f982273ad421", "file stem"),
    }


def test_names_file_csv_by_path_folder_url_and_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wire").mkdir()
    shutil.copy(SAMPLE_DIR / "000_6b80f982273ad421.txt", "wire/a.txt")
    shutil.copy(SAMPLE_DIR / "001_ef6061d1bffb85b4.txt", "b.txt")
    shutil.copy(SAMPLE_DIR / "euromaidanpress.txt", "c.txt")
    (tmp_path / "names.csv").write_text(
        "path,name,url,date\n"
        "wire,UNIAN,,\n"
        "b.txt,Ukrinform,https://ukrinform.example/b,2024-05-31\n"
        "c,Euromaidan Press (EN),,\n"
        "nowhere.txt,Nobody,,\n"
    )
    result = runner.invoke(app, ["sentences", "wire", "b.txt", "c.txt", "--names", "names.csv", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    got = {s["id"]: (s["name"], s["url"], s["date"], s["provenance"]["name"]) for s in json.loads(result.stdout)["sources"]}
    assert got == {
        "a": ("UNIAN", None, None, "--names names.csv"),  # its dateline has no year
        "b": ("Ukrinform", "https://ukrinform.example/b", "2024-05-31", "--names names.csv"),
        "c": ("Euromaidan Press (EN)", None, "2024-05-31", "--names names.csv"),
    }
    assert "Warning: names.csv: nowhere.txt: names no source in this run" in result.stderr


def test_names_file_json_and_bad_names_files(tmp_path):
    names = tmp_path / "names.json"
    names.write_text(json.dumps({str(SAMPLE_DIR / "corruptionledger.txt"): {"name": "CL", "date": "1 June 2024"}}))
    report = parse([str(SAMPLE_DIR / "corruptionledger.txt")], inputs=InputOptions(names_file=str(names)),
                   warn=lambda m: None)
    assert (report.sources[0].name, report.sources[0].date) == ("CL", "2024-06-01")
    for content, message in (("{not json", "names file is not valid JSON (line 1"), ("", "names file is empty"),
                             ('{"a": 3}', "a: expected a name or an object"), ("a\n", "line 1: expected KEY,NAME")):
        names.write_text(content)
        result = runner.invoke(app, ["compare", str(SAMPLE_DIR), "--names", str(names)])
        assert result.exit_code == 1 and f"Error: {names}: {message}" in result.stderr, result.stderr
    result = runner.invoke(app, ["compare", str(SAMPLE_DIR), "--names", str(tmp_path / "missing.csv")])
    assert result.exit_code == 1 and "missing.csv: cannot read names file" in result.stderr


def test_sentences_shows_what_was_extracted_and_dropped_from_a_page():
    page = str(FIXTURES / "pages" / "wordpress.html")
    result = runner.invoke(app, ["sentences", page])
    assert result.exit_code == 0
    out = result.stdout
    assert "Harbour Gazette" in out and "https://harbourgazette.example/2024/03/12/port-of-valdmar-reopens/" in out
    assert "name: og:site_name" in out
    (src,) = json.loads(runner.invoke(app, ["sentences", page, "-f", "json"]).stdout)["sources"]
    assert [(d["text"], d["reason"]) for d in src["dropped"]] == [
        ("Read also: Dock workers strike over pay at Valdmar", "link to another article")]


def test_pdf_in_a_folder_gets_a_hint(tmp_path):
    shutil.copy(SAMPLE_DIR / "euromaidanpress.txt", tmp_path)
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4\n")
    result = runner.invoke(app, ["compare", str(tmp_path)])
    assert "report.pdf: skipped, not a text" in result.stderr and "pdftotext" in result.stderr


def test_a_url_without_its_scheme_gets_a_hint():
    result = runner.invoke(app, ["compare", "www.reuters.com/world/x", str(SAMPLE_DIR)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: www.reuters.com/world/x: no such file or directory (a URL? write it with https://)"


def test_text_only_runs_import_no_page_or_http_library():
    import subprocess
    import sys

    code = ("import sys; from claimcheck.pipeline import compare; compare([sys.argv[1]], warn=lambda m: None); "
            "print(sorted(m for m in ('trafilatura', 'httpx', 'lxml', 'platformdirs') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(SAMPLE_DIR)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- fsspec paths

def _stem(src) -> str:
    return Path(src.path).stem


@pytest.fixture()
def memory_folder():
    """The sample set on fsspec's in-memory filesystem, with a hidden file and a PDF beside it."""
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    root = "/claimcheck-test-articles"
    for path in sorted(SAMPLE_DIR.iterdir()):
        fs.pipe(f"{root}/{path.name}", path.read_bytes())
    fs.pipe(f"{root}/.drafts/draft.txt", b"A draft nobody should read.")
    fs.pipe(f"{root}/scan.pdf", b"%PDF-1.4")
    yield f"memory://{root}"
    fs.rm(root, recursive=True)


def test_a_folder_on_an_fsspec_filesystem_reads_like_a_local_one(memory_folder, baseline) -> None:
    said: list[str] = []
    report = compare([memory_folder], warn=said.append)
    assert claims_by_stem(report, _stem) == claims_by_stem(baseline, _stem)
    assert all(s.path.startswith("memory://") for s in report.sources)
    assert any("scan.pdf: skipped, not a text" in m for m in said)
    assert any("ignored 1 hidden or backup file" in m for m in said)


def test_file_urls_and_a_remote_manifest_with_relative_rows(memory_folder, baseline, tmp_path) -> None:
    import fsspec

    by_url = compare([SAMPLE_DIR.resolve().as_uri()], warn=lambda m: None)
    assert claims_by_stem(by_url, _stem) == claims_by_stem(baseline, _stem)
    rows = [{"path_or_url": p.name, "outlet": f"Outlet {k}"} for k, p in enumerate(sorted(SAMPLE_DIR.iterdir()))]
    fsspec.filesystem("memory").pipe(memory_folder.split("://", 1)[1] + "/run.jsonl",
                                     "\n".join(json.dumps(r) for r in rows).encode())
    report = compare([], warn=lambda m: None, inputs=InputOptions(manifest=memory_folder + "/run.jsonl"))
    assert sorted(s.name for s in report.sources) == [f"Outlet {k}" for k in range(5)]
    assert claims_by_stem(report, _stem) == claims_by_stem(baseline, _stem)


@pytest.mark.parametrize("path, says", [
    ("nosuch://folder", "no filesystem for nosuch://"),
    ("file:///claimcheck/no/such/folder", "no such file or directory"),
])
def test_an_unreadable_fsspec_path_is_a_one_line_error(path: str, says: str) -> None:
    pytest.importorskip("fsspec")
    result = runner.invoke(app, ["compare", path])
    assert result.exit_code != 0
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_missing_fsspec_file_named_by_its_suffix_is_skipped_with_a_warning(memory_folder) -> None:
    said: list[str] = []
    report = compare([memory_folder, "memory:///claimcheck-test-articles/gone.txt"], warn=said.append)
    assert report.summary.sources == 5
    assert any(m.startswith("memory:///claimcheck-test-articles/gone.txt: skipped") for m in said), said


def test_the_cli_reads_a_manifest_at_an_fsspec_url(memory_folder, baseline) -> None:
    import fsspec

    rows = [{"path_or_url": p.name, "outlet": f"Outlet {k}"} for k, p in enumerate(sorted(SAMPLE_DIR.iterdir()))]
    fsspec.filesystem("memory").pipe(memory_folder.split("://", 1)[1] + "/cli.jsonl",
                                     "\n".join(json.dumps(r) for r in rows).encode())
    result = runner.invoke(app, ["compare", "--manifest", memory_folder + "/cli.jsonl", "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert sorted(s["name"] for s in report["sources"]) == [f"Outlet {k}" for k in range(5)]
    assert report["summary"]["corroborated"] == baseline.summary.corroborated
    missing = runner.invoke(app, ["compare", "--manifest", memory_folder + "/nope.jsonl"])
    assert missing.exit_code != 0 and "nope.jsonl: cannot read manifest" in missing.stderr
