"""Writers: every output format over the sample set is pinned by a golden file.

Rewrite the golden files on purpose only: `pytest tests/test_report.py --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.report import formats as writers
from claimcheck.models import Report, Settings
from claimcheck.pipeline import compare_explained

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="module")
def sample_run() -> tuple[Report, dict]:
    import os

    from .conftest import ROOT

    cwd = os.getcwd()
    os.chdir(ROOT)  # paths in the report read sample_articles/...
    try:
        return compare_explained(["sample_articles"], Settings(), warn=pytest.fail)
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def sample_report(sample_run) -> Report:
    return sample_run[0]


def _table(report: Report, **kw) -> str:
    return writers.render_to_string(writers.render_claims(report, **kw), width=100, color=False)


RENDERERS = {
    "compare.json": writers.to_json,
    "compare.jsonl": writers.to_jsonl,
    "compare.csv": writers.to_csv,
    "compare.md": writers.to_markdown,
    "compare.table.txt": _table,
    "compare.details.txt": lambda r: _table(r, details=True),
    "compare.explain.txt": "explain",
    "compare.matrix.txt": lambda r: writers.render_to_string(writers.render_matrix(r), width=100, color=False),
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_golden(name, sample_run, update_golden):
    report, reasons = sample_run
    render = RENDERERS[name]
    actual = _table(report, reasons=reasons) if render == "explain" else render(report)
    path = GOLDEN / name
    if update_golden:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} missing: run pytest --update-golden"
    assert actual == path.read_text(encoding="utf-8")


def test_json_round_trips_through_the_schema_model(sample_report):
    assert Report.model_validate_json(writers.to_json(sample_report)) == sample_report


def test_markdown_escapes_pipes():
    assert writers._md_cell("a | b\nc") == "a \\| b c"
