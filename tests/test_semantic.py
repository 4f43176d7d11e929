"""The optional embedding backend (claimcheck.matching.semantic, `--semantic`).

Tests that run the model are skipped when the semantic extra is not installed (CI installs only
'.[test]'); the missing-extra error and the shipped model's shape are tested either way.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from claimcheck.cli import app
from claimcheck.matching import match_pair, semantic
from claimcheck.matching.model import load_model
from claimcheck.matching.pairs import FEATURE_NAMES
from claimcheck.models import Settings

from .conftest import SAMPLE_DIR, SHARED
from .test_matching import _bench


def _unavailable() -> str | None:
    try:
        semantic.embedder()
    except semantic.SemanticUnavailable as exc:
        return str(exc)
    return None


REASON = _unavailable()
needs_extra = pytest.mark.skipif(REASON is not None, reason=f"semantic extra not installed: {REASON}")


@pytest.fixture
def no_extra(monkeypatch):
    """The process as if onnxruntime were not installed (an import of it raises ImportError)."""
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    semantic.embedder.cache_clear()
    yield
    semantic.embedder.cache_clear()


def test_semantic_model_fits_the_features() -> None:
    model = load_model(semantic=True)
    assert tuple(model["features"]) == FEATURE_NAMES + semantic.SEMANTIC_NAMES
    assert len(model["coef"]) == len(FEATURE_NAMES) + len(semantic.SEMANTIC_NAMES)
    assert model["coef"][len(FEATURE_NAMES)] > 0  # a higher cosine means more likely the same claim


def test_missing_extra_is_one_line_error_exit_1(no_extra) -> None:
    result = CliRunner().invoke(app, ["compare", str(SAMPLE_DIR), "--semantic", "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: --semantic needs the semantic extra (onnxruntime is not installed)")
    assert "pip install 'claimcheck[semantic]'" in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_distribution_names_the_install_command() -> None:
    with pytest.raises(semantic.SemanticUnavailable, match=r"no-such-dist is not installed.*claimcheck\[semantic\]"):
        semantic.installed_file("no-such-dist", "x/model.onnx", "0" * 64)


def test_pair_cosine_and_features_without_the_model() -> None:
    v = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], dtype=np.float32)
    cos = semantic.pair_cosine(v, np.array([0, 0, 1]), np.array([1, 2, 2]))
    assert np.allclose(cos, [0.6, 0.0, 0.8])
    X = semantic.with_semantic(np.ones((3, 4)), cos, np.array([0.5, 1.0, 1.0]))
    assert X.shape == (3, 6) and np.allclose(X[:, 5], [0.3, 0.0, 0.8])
    assert semantic.pair_cosine(v, np.zeros(0, dtype=int), np.zeros(0, dtype=int)).shape == (0,)


@needs_extra
def test_hash_mismatch_is_refused(monkeypatch) -> None:
    dist, inside, sha = semantic.MODEL_FILE
    assert semantic.installed_file(dist, inside, sha).name == "model.onnx"
    monkeypatch.setattr(semantic, "MODEL_FILE", (dist, inside, "0" * 64))
    with pytest.raises(semantic.SemanticUnavailable, match="does not match its pinned sha256"):
        semantic.Embedder()


TEXTS = [
    "The earthquake struck near the town early on Sunday morning.",
    "A quake hit close to the town at dawn on Sunday.",
    "The central bank raised interest rates by half a point.",
    "Shares of the company fell sharply after the report.",
]


@needs_extra
def test_embeddings_normalised_and_deterministic() -> None:
    vectors = semantic.embed(TEXTS)
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    again = semantic.Embedder().embed(list(reversed(TEXTS)))[::-1]
    assert np.array_equal(vectors, again)  # same bytes whatever the order, even from a fresh model


@needs_extra
def test_paraphrase_scores_above_unrelated() -> None:
    v = semantic.embed(TEXTS)
    cos = semantic.pair_cosine(v, np.array([0, 0, 2]), np.array([1, 2, 3]))
    assert cos[0] > 0.6
    assert cos[0] > cos[1] + 0.3 and cos[0] > cos[2] + 0.3


@needs_extra
def test_match_pair_semantic_reports_the_cosine() -> None:
    result = match_pair(TEXTS[0], TEXTS[1], Settings(semantic=True))
    assert any(r.startswith("sentence embeddings: cosine 0.") for r in result.reasons)
    plain = match_pair(TEXTS[0], TEXTS[1])
    assert not any("embeddings" in r for r in plain.reasons)


@needs_extra
@pytest.mark.parametrize("threshold", [50.0, 55.0])  # at 60: 0.970 / 0.674 (bench/train_semantic.py)
def test_sample_precision_recall_floor_semantic(threshold: float) -> None:
    from claimcheck.matching import group_claims

    bench = _bench("matching")
    claims = bench.sample_claims()
    fixture = json.loads(bench.FIXTURE.read_text(encoding="utf-8"))
    groups = group_claims(claims, Settings(threshold=threshold, semantic=True))[0]
    result = bench.score_links(groups, claims, fixture)
    assert result.precision >= 0.95, result.wrong
    assert result.recall >= 0.70, result.missed


@needs_extra
@pytest.mark.skipif(not (SHARED / "data" / "ecbplus" / "dev").exists(), reason="../shared ECB+ data not available")
def test_ecbplus_dev_floor_semantic() -> None:
    datasets = _bench("datasets")
    dev = _bench("train_semantic").semantic_set(datasets.ecb_set("dev"))
    model = load_model(semantic=True)
    figures = datasets.ecb_figures(dev, datasets.scored(dev, model), model["threshold"])
    assert figures["average_precision"] >= 0.75  # measured 0.763; lexical 0.733
    assert figures["false_match_other_subtopic"] <= 0.03
    assert figures["recall_same_event"] >= 0.32  # measured 0.339 at 51; lexical 0.272 at its 3% point


@needs_extra
def test_cli_semantic_runs_and_echoes_the_setting() -> None:
    result = CliRunner().invoke(app, ["compare", str(SAMPLE_DIR), "--semantic", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["settings"]["semantic"] is True
