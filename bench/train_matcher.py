"""Train the pair matcher on MRPC and write src/claimcheck/match_weights.json.

Reads the MRPC training file from the repository's sibling `shared/` folder (never copied into
the project), featurises every pair with the runtime code (`claimcheck.matching`), fits an
L2-regularised logistic regression with numpy, and picks the regularisation strength and the
decision threshold by stratified k-fold cross-validation on that file alone.

    python bench/train_matcher.py            # train, print CV figures, write the weights
    python bench/train_matcher.py --dry-run  # print only
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from claimcheck.matching import VETO_FACTOR, FEATURE_NAMES, pair_features, sentence_features, veto, word_weights

ROOT = Path(__file__).resolve().parents[1]
MRPC_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "mrpc" / "msr_paraphrase_train.txt"
WEIGHTS = ROOT / "src" / "claimcheck" / "match_weights.json"
FOLDS = 10
SEED = 20240531
L2_GRID = (0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)


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


def predict(X: np.ndarray, mean, scale, coef, intercept) -> np.ndarray:
    """Probabilities as `claimcheck.matching.probability` gives them, vetoes included."""
    p = 1.0 / (1.0 + np.exp(-(((X - mean) / scale) @ coef + intercept)))
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


def cross_validate(X: np.ndarray, y: np.ndarray, l2: float, fold: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Out-of-fold probabilities, and the threshold each fold picks on its own training part."""
    oof = np.zeros(len(y))
    inner_thresholds = []
    for f in range(fold.max() + 1):
        train, test = fold != f, fold == f
        mean, scale = standardise(X[train])
        coef, intercept = fit_logistic((X[train] - mean) / scale, y[train], l2)
        oof[test] = predict(X[test], mean, scale, coef, intercept)
        inner_thresholds.append(best_threshold(predict(X[train], mean, scale, coef, intercept), y[train]))
    return oof, inner_thresholds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mrpc", type=Path, default=MRPC_TRAIN)
    parser.add_argument("--dry-run", action="store_true", help="print the figures, do not write weights")
    args = parser.parse_args(argv)
    if not args.mrpc.exists():
        print(f"MRPC training file not found: {args.mrpc}", file=sys.stderr)
        return 1

    rows = read_mrpc(args.mrpc)
    start = time.perf_counter()
    X, y = featurise(rows)
    print(f"{len(rows)} MRPC training pairs ({y.mean():.1%} paraphrases), featurised in "
          f"{time.perf_counter() - start:.1f}s; {X.shape[1]} features")
    fold = folds(y, FOLDS, SEED)

    results = {}
    for l2 in L2_GRID:
        oof, _ = cross_validate(X, y, l2, fold)
        results[l2] = oof
        print(f"  l2={l2:<6g} CV accuracy at p>=0.5: {metrics(oof, y, 0.5)['accuracy']:.4f}")
    l2 = max(L2_GRID, key=lambda v: (round(metrics(results[v], y, 0.5)["accuracy"], 4), v))
    oof = results[l2]
    threshold = best_threshold(oof, y)
    _, inner = cross_validate(X, y, l2, fold)
    nested_pred = np.zeros(len(y), dtype=bool)
    for f, t in enumerate(inner):
        nested_pred[fold == f] = oof[fold == f] >= t
    nested_acc = float(np.mean(nested_pred == y))

    cv = metrics(oof, y, threshold)
    print(f"chosen l2={l2:g}, threshold p>={threshold:.2f} (score {100 * threshold:.0f})")
    print(f"{FOLDS}-fold CV at the chosen threshold: accuracy {cv['accuracy']:.4f}  precision "
          f"{cv['precision']:.4f}  recall {cv['recall']:.4f}  F1 {cv['f1']:.4f}")
    print(f"{FOLDS}-fold CV, threshold chosen inside each fold (nested): accuracy {nested_acc:.4f}")
    print("CV accuracy across thresholds: " + "  ".join(
        f"{t:.2f}:{metrics(oof, y, t)['accuracy']:.3f}" for t in np.arange(0.30, 0.71, 0.05)))

    mean, scale = standardise(X)
    coef, intercept = fit_logistic((X - mean) / scale, y, l2)
    train = metrics(predict(X, mean, scale, coef, intercept), y, threshold)
    print(f"train-set (in-sample) accuracy {train['accuracy']:.4f}  precision {train['precision']:.4f}")
    for name, w in sorted(zip(FEATURE_NAMES, coef), key=lambda t: -abs(t[1])):
        print(f"  {w:+.3f}  {name}")

    model = {
        "model": "logistic regression on standardised features, trained by bench/train_matcher.py",
        "data": "MRPC msr_paraphrase_train.txt",
        "features": list(FEATURE_NAMES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in coef],
        "intercept": round(intercept, 6),
        "l2": l2,
        "threshold": round(100 * threshold, 1),
        "cv": {
            "folds": FOLDS,
            "seed": SEED,
            **{k: round(v, 4) for k, v in cv.items()},
            "nested_accuracy": round(nested_acc, 4),
        },
        "train_accuracy": round(train["accuracy"], 4),
    }
    if not args.dry_run:
        WEIGHTS.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
