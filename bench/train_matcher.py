"""Train the pair matcher on MRPC and write src/claimcheck/match_weights.json.

Reads the MRPC training file from the repository's sibling `shared/` folder (never copied into
the project), featurises every pair with the runtime code (`claimcheck.matching`), fits gradient-boosted trees
with numpy (exported as plain lists, evaluated in pure Python at run time), and picks the number
of trees and the decision threshold by stratified k-fold cross-validation on that file alone.
Also writes `match_idf.json`: MRPC document frequencies for pairs compared without a collection.

    python bench/train_matcher.py            # train, print CV figures, write the weights
    python bench/train_matcher.py --dry-run  # print only
"""

from __future__ import annotations

import argparse
import random
import json
import sys
import time
from pathlib import Path

import numpy as np

from claimcheck.matching import FEATURE_NAMES, VETO_FACTOR, pair_features, sentence_features, veto, word_weights

ROOT = Path(__file__).resolve().parents[1]
MRPC_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "mrpc" / "msr_paraphrase_train.txt"
WEIGHTS = ROOT / "src" / "claimcheck" / "match_weights.json"
IDF = ROOT / "src" / "claimcheck" / "match_idf.json"
FOLDS = 10
SEED = 20240531
DEPTHS = (3,)
TREES = (300, 400)
LEARNING_RATE = 0.05
# Unrelated pairs (two sentences of different MRPC pairs) added to each training part, at this
# weight: MRPC only holds related pairs, so without them the trees never see what "nothing in
# common" looks like and give such pairs MRPC's 68% base rate. They never enter the CV figures.
RANDOM_NEGATIVES = 2
RANDOM_WEIGHT = 0.5


def read_mrpc(path: Path) -> list[tuple[int, str, str]]:
    """(label, sentence 1, sentence 2) rows of an MRPC tab-separated file."""
    rows = []
    with path.open(encoding="utf-8-sig") as handle:
        next(handle)
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5:
                rows.append((int(parts[0]), parts[3], parts[4]))
    return rows


def document_frequencies(rows: list[tuple[int, str, str]]) -> tuple[dict[str, int], int]:
    """How many of the file's distinct sentences hold each content word, and how many there are."""
    texts = sorted({t for _, a, b in rows for t in (a, b)})
    df: dict[str, int] = {}
    for t in texts:
        for w in sentence_features(t).content_set:
            df[w] = df.get(w, 0) + 1
    return df, len(texts)


def featurise(rows: list[tuple[int, str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Feature matrix and labels, through exactly the runtime feature code.

    Word rarities come from the file's own sentences, as `group_claims` takes them from the
    claims it compares.
    """
    features = {text: sentence_features(text) for _, a, b in rows for text in (a, b)}
    weights = word_weights([features[t] for t in sorted(features)])
    X = np.array([pair_features(features[a], features[b], weights) for _, a, b in rows])
    y = np.array([label for label, _, _ in rows], dtype=float)
    return X, y


def random_negatives(rows: list[tuple[int, str, str]], per_pair: int = RANDOM_NEGATIVES) -> np.ndarray:
    """Feature rows of unrelated pairs: each first sentence with random sentences from pairs
    not linked to it (deterministic)."""
    features = {text: sentence_features(text) for _, a, b in rows for text in (a, b)}
    texts = sorted(features)
    weights = word_weights([features[t] for t in texts])
    parent = {t: t for t in texts}

    def root(t: str) -> str:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    for _, a, b in rows:
        parent[root(a)] = root(b)
    rng = random.Random(SEED)
    out = []
    for _, a, _ in rows:
        for _ in range(per_pair):
            other = rng.choice(texts)
            if root(other) != root(a):
                out.append(pair_features(features[a], features[other], weights))
    return np.array(out)


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Newton's method on the L2-penalised log-loss (intercept not penalised)."""
    n, d = X.shape
    A = np.hstack([np.ones((n, 1)), X])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-A @ w))
        grad = A.T @ (p - y) + penalty * w
        hess = (A * (p * (1 - p))[:, None]).T @ A + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    return w[1:], float(w[0])


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


L2_GRID = (1.0, 3.0, 10.0, 30.0)


def predict_logistic(X: np.ndarray, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: float) -> np.ndarray:
    """Probabilities as `claimcheck.matching.probability` gives them for a logistic model, vetoes included."""
    p = 1.0 / (1.0 + np.exp(-(((X - mean) / scale) @ coef + intercept)))
    vetoed = np.array([veto(row) is not None for row in X], dtype=bool)
    return np.where(vetoed, p * VETO_FACTOR, p)


def fit_standardised_logistic(X: np.ndarray, y: np.ndarray, l2: float):
    """(mean, scale, coef, intercept) of an L2 logistic regression on standardised features."""
    mean, scale = standardise(X)
    coef, intercept = fit_logistic((X - mean) / scale, y, l2)
    return mean, scale, coef, intercept


def cross_validate_logistic(X: np.ndarray, y: np.ndarray, fold: np.ndarray) -> dict[float, np.ndarray]:
    """Out-of-fold probabilities on the MRPC pairs for each L2 strength."""
    oof = {l2: np.zeros(len(y)) for l2 in L2_GRID}
    for f in range(fold.max() + 1):
        train, test = fold != f, fold == f
        for l2 in L2_GRID:
            oof[l2][test] = predict_logistic(X[test], *fit_standardised_logistic(X[train], y[train], l2))
    return oof


def predict(X: np.ndarray, base: float, trees: list) -> np.ndarray:
    """Probabilities as `claimcheck.matching.probability` gives them, vetoes included."""
    p = 1.0 / (1.0 + np.exp(-gbm_margin(X, base, trees)))
    vetoed = np.array([veto(row) is not None for row in X], dtype=bool)
    return np.where(vetoed, p * VETO_FACTOR, p)


def folds(y: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Stratified fold number of each row."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(y), dtype=int)
    for label in (0, 1):
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        fold[idx] = np.arange(len(idx)) % k
    return fold


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The probability cut with the best accuracy (midpoint of the best plateau)."""
    grid = np.round(np.arange(0.20, 0.801, 0.01), 2)
    acc = np.array([np.mean((p >= t) == y) for t in grid])
    best = np.flatnonzero(acc >= acc.max() - 1e-12)
    return float(grid[best[len(best) // 2]])


def metrics(p: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, float]:
    pred = p >= threshold
    tp = float(np.sum(pred & (y == 1)))
    precision = tp / max(pred.sum(), 1)
    recall = tp / max((y == 1).sum(), 1)
    return {
        "accuracy": float(np.mean(pred == y)),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / max(precision + recall, 1e-12),
    }


def fit(X: np.ndarray, y: np.ndarray, negatives: np.ndarray, depth: int, trees: int) -> tuple[float, list]:
    """Boosted trees on MRPC pairs plus down-weighted unrelated pairs."""
    Xa = np.vstack([X, negatives]) if len(negatives) else X
    ya = np.concatenate([y, np.zeros(len(negatives))])
    wa = np.concatenate([np.ones(len(y)), np.full(len(negatives), RANDOM_WEIGHT)])
    return fit_gbm(Xa, ya, n_trees=trees, depth=depth, lr=LEARNING_RATE, sample_weight=wa)


def cross_validate(
    X: np.ndarray, y: np.ndarray, negatives: np.ndarray, fold: np.ndarray, depth: int, trees: tuple[int, ...]
) -> dict[int, np.ndarray]:
    """Out-of-fold probabilities on the MRPC pairs, for each number of trees.

    The unrelated pairs are split into the same number of folds and only ever train.
    """
    oof = {t: np.zeros(len(y)) for t in trees}
    neg_fold = np.arange(len(negatives)) % (fold.max() + 1)
    for f in range(fold.max() + 1):
        train, test = fold != f, fold == f
        base, model = fit(X[train], y[train], negatives[neg_fold != f], depth, max(trees))
        for t in trees:
            oof[t][test] = predict(X[test], base, model[:t])
    return oof




def bin_edges(X, max_bins=32):
    edges = []
    for f in range(X.shape[1]):
        qs = np.unique(np.quantile(X[:, f], np.linspace(0, 1, max_bins + 1)[1:-1]))
        vals = np.unique(X[:, f])
        if len(vals) <= max_bins:
            qs = (vals[1:] + vals[:-1]) / 2
        edges.append(qs)
    return edges


def to_bins(X, edges):
    return np.stack([np.searchsorted(e, X[:, f], side="right") for f, e in enumerate(edges)], axis=1)


def fit_gbm(X, y, n_trees=300, depth=3, lr=0.05, l2=1.0, min_hess=5.0, edges=None, checkpoints=(), sample_weight=None):
    """Newton boosting on log-loss. Returns (base, trees) and the raw margins at checkpoints."""
    n, d = X.shape
    edges = edges if edges is not None else bin_edges(X)
    B = to_bins(X, edges)
    M = max(len(e) for e in edges) + 1
    offsets = np.arange(d) * M
    Boff = B + offsets
    prior = np.average(y, weights=sample_weight)
    base = float(np.log(prior / (1 - prior)))
    z = np.full(n, base)
    trees = []
    for _ in range(n_trees):
        p = 1 / (1 + np.exp(-z))
        g, h = p - y, p * (1 - p)
        if sample_weight is not None:
            g, h = g * sample_weight, h * sample_weight
        feat, thr, left, right, val = [], [], [], [], []
        update = np.zeros(n)

        def grow(idx, level):
            node = len(feat)
            feat.append(-1); thr.append(0.0); left.append(-1); right.append(-1); val.append(0.0)
            G, H = g[idx].sum(), h[idx].sum()
            if level < depth and len(idx) > 1:
                sub = Boff[idx].ravel()
                gh = np.bincount(sub, np.repeat(g[idx], d), minlength=d * M).reshape(d, M)
                hh = np.bincount(sub, np.repeat(h[idx], d), minlength=d * M).reshape(d, M)
                GL, HL = np.cumsum(gh, axis=1)[:, :-1], np.cumsum(hh, axis=1)[:, :-1]
                GR, HR = G - GL, H - HL
                gain = GL**2 / (HL + l2) + GR**2 / (HR + l2) - G**2 / (H + l2)
                gain[(HL < min_hess) | (HR < min_hess)] = -np.inf
                for f, e in enumerate(edges):
                    gain[f, len(e):] = -np.inf
                f, k = np.unravel_index(np.argmax(gain), gain.shape)
                if np.isfinite(gain[f, k]) and gain[f, k] > 1e-6:
                    mask = B[idx, f] <= k
                    feat[node] = int(f); thr[node] = float(edges[f][k])
                    left[node] = grow(idx[mask], level + 1)
                    right[node] = grow(idx[~mask], level + 1)
                    return node
            v = -lr * G / (H + l2)
            val[node] = float(v)
            update[idx] = v
            return node

        grow(np.arange(n), 0)
        z += update
        trees.append((feat, thr, left, right, val))
    return base, trees


def gbm_margin(X, base, trees):
    z = np.full(len(X), base)
    for feat, thr, left, right, val in trees:
        node = np.zeros(len(X), dtype=int)
        feat_a, thr_a, left_a, right_a, val_a = map(np.array, (feat, thr, left, right, val))
        for _ in range(20):
            f = feat_a[node]
            internal = f >= 0
            if not internal.any():
                break
            x = X[np.arange(len(X)), np.where(internal, f, 0)]
            go_left = x < thr_a[node]
            node = np.where(internal, np.where(go_left, left_a[node], right_a[node]), node)
        z += val_a[node]
    return z


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mrpc", type=Path, default=MRPC_TRAIN)
    parser.add_argument("--dry-run", action="store_true", help="print the figures, do not write weights")
    parser.add_argument("--model", choices=("logistic", "trees"), default="logistic",
                        help="logistic regression (shipped: best CV accuracy, fast) or boosted trees")
    args = parser.parse_args(argv)
    if not args.mrpc.exists():
        print(f"MRPC training file not found: {args.mrpc}", file=sys.stderr)
        return 1

    rows = read_mrpc(args.mrpc)
    start = time.perf_counter()
    X, y = featurise(rows)
    negatives = random_negatives(rows)
    print(f"{len(rows)} MRPC training pairs ({y.mean():.1%} paraphrases), {len(negatives)} unrelated pairs, "
          f"featurised in {time.perf_counter() - start:.1f}s; {X.shape[1]} features")
    fold = folds(y, FOLDS, SEED)
    if args.model == "logistic":
        return _main_logistic(args, rows, X, y, fold)

    results = {}
    for depth in DEPTHS:
        for trees, oof in cross_validate(X, y, negatives, fold, depth, TREES).items():
            results[depth, trees] = oof
            print(f"  depth={depth} trees={trees:<4d} CV accuracy at p>=0.5: {metrics(oof, y, 0.5)['accuracy']:.4f}"
                  f"  best cut: {max(metrics(oof, y, t)['accuracy'] for t in np.arange(0.2, 0.81, 0.01)):.4f}")
    depth, trees = max(results, key=lambda k: (round(metrics(results[k], y, best_threshold(results[k], y))["accuracy"], 4), -k[0], -k[1]))
    oof = results[depth, trees]
    threshold = best_threshold(oof, y)
    cv = metrics(oof, y, threshold)
    print(f"chosen depth={depth} trees={trees}, threshold p>={threshold:.2f} (score {100 * threshold:.0f})")
    print(f"{FOLDS}-fold CV at the chosen threshold: accuracy {cv['accuracy']:.4f}  precision "
          f"{cv['precision']:.4f}  recall {cv['recall']:.4f}  F1 {cv['f1']:.4f}")
    print("CV accuracy across thresholds: " + "  ".join(
        f"{t:.2f}:{metrics(oof, y, t)['accuracy']:.3f}" for t in np.arange(0.30, 0.71, 0.05)))

    base, model = fit(X, y, negatives, depth, trees)
    train = metrics(predict(X, base, model), y, threshold)
    print(f"train-set (in-sample) accuracy {train['accuracy']:.4f}  precision {train['precision']:.4f}")

    shipped = {
        "model": "gradient-boosted trees (log-loss, Newton leaves) on pair features, trained by bench/train_matcher.py",
        "kind": "boosted_trees",
        "data": f"MRPC msr_paraphrase_train.txt, plus {len(negatives)} unrelated MRPC sentence pairs at weight {RANDOM_WEIGHT}",
        "features": list(FEATURE_NAMES),
        "depth": depth,
        "learning_rate": LEARNING_RATE,
        "threshold": round(100 * threshold, 1),
        "cv": {"folds": FOLDS, "seed": SEED, **{k: round(v, 4) for k, v in cv.items()}},
        "train_accuracy": round(train["accuracy"], 4),
        "base": round(base, 6),
        "trees": [[f, [round(v, 6) for v in t], l, r, [round(v, 6) for v in val]] for f, t, l, r, val in model],
    }
    _write(args, rows, shipped)
    return 0


def _main_logistic(args, rows, X: np.ndarray, y: np.ndarray, fold: np.ndarray) -> int:
    """Choose the L2 strength and the cut by 10-fold CV, fit on all of train, ship the coefficients."""
    results = cross_validate_logistic(X, y, fold)
    for l2, oof in results.items():
        print(f"  logistic l2={l2:<5g} CV accuracy at p>=0.5: {metrics(oof, y, 0.5)['accuracy']:.4f}"
              f"  best cut: {max(metrics(oof, y, t)['accuracy'] for t in np.arange(0.2, 0.81, 0.01)):.4f}")
    l2 = max(results, key=lambda k: (round(metrics(results[k], y, best_threshold(results[k], y))["accuracy"], 4), k))
    oof = results[l2]
    threshold = best_threshold(oof, y)
    cv = metrics(oof, y, threshold)
    print(f"chosen l2={l2:g}, threshold p>={threshold:.2f} (score {100 * threshold:.0f})")
    print(f"{FOLDS}-fold CV at the chosen threshold: accuracy {cv['accuracy']:.4f}  precision "
          f"{cv['precision']:.4f}  recall {cv['recall']:.4f}  F1 {cv['f1']:.4f}")
    print("CV accuracy across thresholds: " + "  ".join(
        f"{t:.2f}:{metrics(oof, y, t)['accuracy']:.3f}" for t in np.arange(0.30, 0.71, 0.05)))
    mean, scale, coef, intercept = fit_standardised_logistic(X, y, l2)
    train = metrics(predict_logistic(X, mean, scale, coef, intercept), y, threshold)
    print(f"train-set (in-sample) accuracy {train['accuracy']:.4f}  precision {train['precision']:.4f}")
    shipped = {
        "model": "L2 logistic regression on standardised pair features, trained by bench/train_matcher.py",
        "kind": "logistic",
        "data": "MRPC msr_paraphrase_train.txt (4,076 pairs)",
        "features": list(FEATURE_NAMES),
        "l2": l2,
        "threshold": round(100 * threshold, 1),
        "cv": {"folds": FOLDS, "seed": SEED, **{k: round(v, 4) for k, v in cv.items()}},
        "train_accuracy": round(train["accuracy"], 4),
        "intercept": round(intercept, 6),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in coef],
    }
    _write(args, rows, shipped)
    return 0


def _write(args, rows, shipped: dict) -> None:
    """Write the model and the MRPC document frequencies (unless --dry-run)."""
    df, n = document_frequencies(rows)
    idf = {"about": "Document frequencies of content words over MRPC train's distinct sentences (df >= 3), "
                    "for pairs compared without a collection; written by bench/train_matcher.py",
           "sentences": n, "df": {w: d for w, d in sorted(df.items()) if d >= 3}}
    if not args.dry_run:
        WEIGHTS.write_text(json.dumps(shipped, separators=(",", ":")) + "\n", encoding="utf-8")
        IDF.write_text(json.dumps(idf, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)}, {IDF.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
