"""Train the semantic matcher (lexical features + embedding cosine) and write
src/claimcheck/match_weights_semantic.json; compare it with the lexical model and cosine alone.

Same data and fitting as bench/train_matcher.py (its `fit` / `choose_threshold`: ECB+ train with
the strict-positive rule, MRPC train at its weight, L2 strength and MRPC weight chosen on ECB+ dev
AP), with the features of `claimcheck.matching.semantic.SEMANTIC_NAMES` appended. The grid
(--grid, with the sample set's curve beside each point) keeps train_matcher's MRPC weight 0.6 and
C 0.03: dev AP 0.763 with sample precision >= 0.97 at 50-60; MRPC at 0.3 reaches dev AP 0.769 but
sample precision 0.66-0.78, and C >= 0.1 loses sample precision at 50. Embeddings of
the pair sentences are cached in the system temp dir (outside the repository), keyed by the
model file's sha256 and the texts. Needs the semantic extra.

    python bench/train_semantic.py              # train, print the comparison, write the weights
    python bench/train_semantic.py --dry-run    # print only
    python bench/train_semantic.py --grid       # dev figures over MRPC weight x L2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import datasets  # noqa: E402
import matching as bench_matching  # noqa: E402
import train_matcher  # noqa: E402

WEIGHTS = datasets.ROOT / "src" / "claimcheck" / "match_weights_semantic.json"
CACHE = Path(tempfile.gettempdir()) / "claimcheck-semantic-cache"
SAMPLE_THRESHOLDS = (40, 45, 50, 55, 60, 65, 70)


def embeddings(texts: list[str]) -> np.ndarray:
    """Unit vectors of `texts`, from the cache when the same model has embedded the same texts."""
    from claimcheck.matching.semantic import MODEL_FILE, embed

    key = hashlib.sha256((MODEL_FILE[2] + "\n" + "\n".join(texts)).encode("utf-8")).hexdigest()[:24]
    path = CACHE / f"{key}.npy"
    if path.exists():
        return np.load(path)
    start = time.perf_counter()
    vectors = embed(texts)
    print(f"embedded {len(texts)} sentences in {time.perf_counter() - start:.0f} s")
    CACHE.mkdir(exist_ok=True)
    np.save(path, vectors)
    return vectors


def cosines(s: datasets.PairSet) -> np.ndarray:
    from claimcheck.matching.semantic import pair_cosine

    texts = sorted({t for pair in s.texts for t in pair})
    at = {t: k for k, t in enumerate(texts)}
    vectors = embeddings(texts)
    left = np.array([at[a] for a, _ in s.texts], dtype=np.int64)
    right = np.array([at[b] for _, b in s.texts], dtype=np.int64)
    return pair_cosine(vectors, left, right)


def semantic_set(s: datasets.PairSet) -> datasets.PairSet:
    """The pair set with the semantic features appended to its matrix."""
    from claimcheck.matching.pairs import FEATURE_NAMES
    from claimcheck.matching.semantic import with_semantic

    X = with_semantic(s.X, cosines(s), s.X[:, FEATURE_NAMES.index("content_cover_min")])
    return datasets.PairSet(X, s.disagree, s.swapped, s.y, s.kind, s.texts)


def cosine_only(m: dict, n_features: int) -> dict:
    """A model over the full semantic matrix that reads only the cosine column (for the sample set)."""
    from claimcheck.matching.pairs import FEATURE_NAMES

    k = len(FEATURE_NAMES)
    out = {"mean": np.zeros(n_features), "scale": np.ones(n_features), "coef": np.zeros(n_features),
           "intercept": m["intercept"]}
    out["mean"][k], out["scale"][k], out["coef"][k] = m["mean"][0], m["scale"][0], m["coef"][0]
    return out


def train(train_set, mrpc, keep, columns, mrpc_weight: float, C: float) -> dict:
    X = np.vstack([train_set.X[keep][:, columns], mrpc.X[:, columns]])
    y = np.concatenate([train_set.y[keep], mrpc.y])
    w = np.concatenate([np.ones(int(keep.sum())), np.full(len(mrpc.y), mrpc_weight)])
    return train_matcher.fit(X, y, w, C)


def dev_line(name: str, dev, s: np.ndarray, t: float) -> dict:
    f = datasets.ecb_figures(dev, s, t)
    print(f"{name:<18} ECB+ dev AP {f['average_precision']:.3f}; at {t:g}: other-sub-topic false matches "
          f"{f['false_match_other_subtopic']:.3f}, same-event recall {f['recall_same_event']:.3f}")
    return f


def sample_line(name: str, claims, model: dict | None, semantic: bool) -> list:
    """Sample-set precision / recall across thresholds, grouping with `model` in place of the
    shipped one (and the claims' embeddings computed once)."""
    import claimcheck.matching as matching
    from claimcheck.models import Settings

    fixture = json.loads(bench_matching.FIXTURE.read_text(encoding="utf-8"))
    original, original_vectors = matching.load_model, matching._vectors
    if model is not None:
        matching.load_model = lambda semantic=False: model
    if semantic:
        matching._vectors = lambda texts, settings: embeddings(list(texts))
    try:
        rows = [bench_matching.score_links(matching.group_claims(claims, Settings(threshold=t, semantic=semantic))[0],
                                           claims, fixture) for t in SAMPLE_THRESHOLDS]
    finally:
        matching.load_model, matching._vectors = original, original_vectors
    print(f"{name:<18} sample P/R at " + ", ".join(
        f"{t}: {r.precision:.3f}/{r.recall:.3f}" for t, r in zip(SAMPLE_THRESHOLDS, rows)))
    return rows


def speed(repeats: int = 3) -> float:
    """Median sentences/s embedded (wall time, onnxruntime's default threads) over 1,000 MRPC sentences."""
    from claimcheck.matching.semantic import embedder

    texts = sorted({t for _, a, b in datasets.read_mrpc() for t in (a, b)})[:1000]
    model = embedder()
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.embed(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
    return float(np.median(rates))


def main(argv: list[str] | None = None) -> int:
    import os

    from claimcheck.matching.pairs import FEATURE_NAMES
    from claimcheck.matching.semantic import SEMANTIC_NAMES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args(argv)
    train_set = semantic_set(datasets.ecb_set("train"))
    dev = semantic_set(datasets.ecb_set("dev"))
    mrpc = semantic_set(datasets.mrpc_set())
    overlap = np.array([p["chain_jaccard"] for p in datasets.read_ecb_pairs("train")])
    keep = ~((train_set.y == 1) & (overlap < train_matcher.STRICT))
    n_all = dev.X.shape[1]
    k = len(FEATURE_NAMES)

    lex_s = datasets.scored(datasets.PairSet(dev.X[:, :k], dev.disagree, dev.swapped, dev.y, dev.kind, dev.texts))
    dev_line("lexical (shipped)", dev, lex_s, train_matcher.choose_threshold(dev, lex_s))
    raw_cos = 100.0 * dev.X[:, k].clip(0)
    dev_line("cosine x 100", dev, raw_cos, train_matcher.choose_threshold(dev, raw_cos))
    cos_m = train(train_set, mrpc, keep, [k], train_matcher.MRPC_WEIGHT, train_matcher.L2_C)
    cos_model = cosine_only(cos_m, n_all)
    cos_s = datasets.scored(dev, cos_model)
    cos_t = train_matcher.choose_threshold(dev, cos_s)
    dev_line("cosine (fitted)", dev, cos_s, cos_t)

    claims = bench_matching.sample_claims()
    grid = ([(mw, C) for mw in (0.3, 0.6, 1.0) for C in (0.03, 0.1, 1.0)] if args.grid
            else [(train_matcher.MRPC_WEIGHT, train_matcher.L2_C)])
    best = None
    for mrpc_weight, C in grid:
        m = train(train_set, mrpc, keep, list(range(n_all)), mrpc_weight, C)
        s = datasets.scored(dev, m)
        t = train_matcher.choose_threshold(dev, s)
        f = dev_line(f"lex+cos mw {mrpc_weight} C {C}", dev, s, t)
        if args.grid:
            sample_line("", claims, m, True)
        if best is None or f["average_precision"] > best[0]:
            best = (f["average_precision"], mrpc_weight, C, m, t, f)
    _, mrpc_weight, C, m, t, fig = best
    default = 55.0
    dev_line("lex+cos at 55", dev, datasets.scored(dev, m), default)
    dev_line("lexical at 55", dev, lex_s, default)
    mrpc_acc = float(((datasets.scored(mrpc, m) >= 50) == (mrpc.y == 1)).mean())
    print(f"chosen: mrpc weight {mrpc_weight}, C {C}, dev threshold {t:g}; MRPC train accuracy at 50: {mrpc_acc:.3f}")
    for name, c in sorted(zip(FEATURE_NAMES + SEMANTIC_NAMES, m["coef"]), key=lambda x: -abs(x[1]))[:10]:
        print(f"  {name:<24} {c:+.3f}")

    sample_line("lexical (shipped)", claims, None, False)
    sample_line("cosine (fitted)", claims, cos_model, True)
    for at, r in zip(SAMPLE_THRESHOLDS, sample_line("lex+cos", claims, m, True)):
        if at == default:
            for a, b in r.wrong:
                print(f"  WRONG at {at:g}: {a[:80]} || {b[:80]}")
    if not args.no_speed:
        print(f"speed (median of 3): {speed():,.0f} sentences/s embedded (wall, 1,000 MRPC sentences, "
              f"{os.cpu_count()} cores); load average {os.getloadavg()[0]:.1f}")
    if args.dry_run:
        return 0
    train_matcher.write_weights(WEIGHTS, FEATURE_NAMES + SEMANTIC_NAMES, m, t, fig,
                                ecbplus_train_pairs=int(keep.sum()), mrpc_train_pairs=int(len(mrpc.y)),
                                ecbplus_positive_min_chain_jaccard=train_matcher.STRICT,
                                mrpc_weight=mrpc_weight, l2_C=C)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
