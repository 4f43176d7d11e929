"""Start-up stays lean: the CLI and `claimcheck sentences` never import the matcher's heavy
dependencies (numpy, scipy, onnxruntime, ...), and `import claimcheck` does no work. The wall-time
ratio against a naive script is measured by bench/startup.py (timings do not belong in tests)."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT

HEAVY = ("numpy", "scipy", "sparse_dot_topn", "onnxruntime", "tokenizers", "trafilatura", "lxml", "httpx",
         "claimcheck.matching", "claimcheck.sources.independence", "claimcheck.report.html", "dask")


def _loaded(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()[-1]
    return {m for m in json.loads(out) if m.split(".")[0] in {h.split(".")[0] for h in HEAVY}
            and any(m == h or m.startswith(h + ".") for h in HEAVY)}


def test_importing_the_cli_loads_nothing_heavy():
    assert _loaded("import claimcheck.cli") == set()


def test_importing_the_package_and_models_loads_nothing_heavy():
    assert _loaded("import claimcheck, claimcheck.models; claimcheck.Settings()") == set()


def test_sentences_json_loads_nothing_heavy():
    code = ("import contextlib, io, sys\nfrom claimcheck.cli import app\nsys.argv = ['claimcheck', 'sentences', "
            "'sample_articles/', '-f', 'json']\nwith contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        app()\n    except SystemExit:\n        pass")
    assert _loaded(code) == set()


def test_the_check_can_fail():
    assert "numpy" in _loaded("import claimcheck; claimcheck.match_pair")


def test_lazy_public_api_still_works():
    import claimcheck

    assert claimcheck.split_sentences("One. Two.") == ["One.", "Two."]
    assert claimcheck.Settings().min_sources == 2
    assert "compare" in dir(claimcheck)
