"""Train the pair matcher and write src/claimcheck/match_weights.json.

Training data (read from ../shared, never copied): ECB+ train (same-event sentence pairs, with
the hard similar-but-different-event negatives) and MRPC train (paraphrase pairs), featurised by
the runtime code (`claimcheck.matching.pairs`). An L2 logistic regression (scikit-learn, only
here; the coefficients ship as plain lists and are applied with numpy at run time). Settings are
chosen on ECB+ dev: the L2 strength and MRPC's share by average precision, the default threshold
as the lowest score whose false-match rate on other-sub-topic (different event) pairs is <= 3%.

ECB+ positives mean "mentions the same event", looser than "states the same claim": a verdict
and a confession of one murder are positive. Trained on every positive, the score links any two
sentences of one story (sample set precision 0.66-0.86); so positives whose event sets overlap
less than STRICT (`chain_jaccard`, see the ECB+ README) are left out of training (still counted
in every dev figure), and MRPC's paraphrase pairs teach "same claim" beside ECB+'s "same event".

    python bench/train_matcher.py            # train, print figures, write the weights
    python bench/train_matcher.py --dry-run  # print only
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import datasets  # noqa: E402

WEIGHTS = datasets.ROOT / "src" / "claimcheck" / "match_weights.json"
MAX_FALSE_MATCH = 0.03
STRICT = 0.5
# Chosen over the grid (--grid) with dev AP and the sample set's precision / recall across
# thresholds side by side (bench/matching.py): MRPC at weight 1 or without strict ECB+ positives
# loses sample precision; more MRPC weight loses dev AP (0.741 at 0.3, 0.734 at 0.6, 0.727 at 1).
MRPC_WEIGHT = 0.6
L2_C = 0.03
# Within-story negatives (DUC 2006 same-topic pairs, the stories gold) weigh this much per pair
# beside ECB+ (1) and MRPC (MRPC_WEIGHT): chosen with --grid on held-out topics and stories.
DUC_WEIGHT = 6.0
STORIES_WEIGHT = 1.0
# The shipped log-odds: 0.7 x the ECB+/MRPC model + BLEND x the within-story one. Alone, the
# within-story model wins on the stories and DUC (held out) but loses the sample set (recall
# 0.74 -> 0.54) and scores short restatements low; 0.3 keeps the sample and gains on both
# (bench/stories_eval.py --loso, bench/duc_eval.py, bench/matching.py; figures in docs/evaluation.md).
BLEND = 0.3
IDF = datasets.ROOT / "src" / "claimcheck" / "match_idf.json"


# Left out of the within-story fit (coefficient 0): in pairs that share "any claim", longer sentences share
# one more often, so the fit rewards length itself and short restatements of one fact lose
# ("The U.S. still prohibits long range strikes."): measured with and without in the closing note.
DROPPED = ("min_length_log",)


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, C: float, dropped: tuple[str, ...] = ()):
    from sklearn.linear_model import LogisticRegression

    from claimcheck.matching.pairs import FEATURE_NAMES

    X = X.copy()
    X[:, [FEATURE_NAMES.index(name) for name in dropped]] = 0.0
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=10_000).fit((X - mean) / scale, y, sample_weight=w)
    return {"mean": mean, "scale": scale, "coef": model.coef_[0], "intercept": float(model.intercept_[0])}


def predict(m: dict, X: np.ndarray) -> np.ndarray:
    z = ((X - m["mean"]) / m["scale"]) @ m["coef"] + m["intercept"]
    return 100.0 / (1.0 + np.exp(-z))


def choose_threshold(dev: datasets.PairSet, scores: np.ndarray) -> float:
    """The lowest whole score at which the other-sub-topic false-match rate is <= MAX_FALSE_MATCH."""
    other = scores[dev.kind == "other_subtopic"]
    for t in range(1, 100):
        if (other >= t).mean() <= MAX_FALSE_MATCH:
            return float(t)
    return 99.0


def _sets(refresh: bool = False):
    """The featurised training and dev sets, cached in the temp dir (featurising takes minutes)."""
    import hashlib
    import pickle
    import tempfile

    src = datasets.ROOT / "src" / "claimcheck" / "matching"
    key = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(src.glob("*.py")))).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"claimcheck-train-{key}.pkl"
    if cache.exists() and not refresh:
        return pickle.loads(cache.read_bytes())
    sets = (datasets.ecb_set("train"), datasets.ecb_set("dev"), datasets.mrpc_set(), datasets.duc_set(),
            datasets.stories_set())
    cache.write_bytes(pickle.dumps(sets))
    return sets


def blend(a: dict, b: dict, share: float) -> dict:
    """One logistic model whose log-odds are (1 - share) x a's + share x b's (both linear in the
    same features, so the blend is one set of coefficients, in raw feature units)."""
    def raw(m):
        coef = np.asarray(m["coef"], dtype=float) / np.asarray(m["scale"], dtype=float)
        return coef, float(m["intercept"]) - float(coef @ np.asarray(m["mean"], dtype=float))

    (wa, ba), (wb, bb) = raw(a), raw(b)
    return {"mean": np.zeros(len(wa)), "scale": np.ones(len(wa)), "coef": (1 - share) * wa + share * wb,
            "intercept": (1 - share) * ba + share * bb}


def fit_model(sets, weights: dict[str, float], C: float, drop_topics=(), drop_stories=()) -> dict:
    """The shipped kind of model: the ECB+/MRPC model blended with one that also learns from
    within-story negatives (DUC 2006 pairs, the stories gold) at BLEND."""
    general = fit(*training_data(sets, dict(weights, duc=0.0, stories=0.0)), C)
    within = fit(*training_data(sets, weights, drop_topics=drop_topics, drop_stories=drop_stories), C, DROPPED)
    return blend(general, within, weights.get("blend", BLEND))


def training_data(sets, weights: dict[str, float], drop_topics=(), drop_stories=()):
    """X, y, sample weights: ECB+ train (strict positives), MRPC, DUC 2006 pairs and story pairs,
    leaving out the DUC topics and stories named (for validation on them)."""
    train, _, mrpc, (duc, topic), (st, story) = sets
    overlap = np.array([p["chain_jaccard"] for p in datasets.read_ecb_pairs("train")])
    keep_train = ~((train.y == 1) & (overlap < STRICT))
    keep_duc = ~np.isin(topic, list(drop_topics))
    keep_st = ~np.isin(story, list(drop_stories))
    X = np.vstack([train.X[keep_train], mrpc.X, duc.X[keep_duc], st.X[keep_st]])
    y = np.concatenate([train.y[keep_train], mrpc.y, duc.y[keep_duc], st.y[keep_st]])
    w = np.concatenate([np.ones(int(keep_train.sum())), np.full(len(mrpc.y), weights["mrpc"]),
                        np.full(int(keep_duc.sum()), weights["duc"]), np.full(int(keep_st.sum()), weights["stories"])])
    return X[w > 0], y[w > 0], w[w > 0]


def held_out_scores(sets, weights: dict[str, float], C: float) -> tuple[np.ndarray, np.ndarray]:
    """DUC pair scores with topics held out (5 folds) and story pair scores with each story held
    out, from models trained on everything else."""
    from claimcheck.matching.model import scores

    _, _, _, (duc, topic), (st, story) = sets
    out_duc, out_st = np.zeros(len(duc.y)), np.zeros(len(st.y))
    topics = np.unique(topic)
    for k in range(5):
        fold = topics[k::5]
        m = fit_model(sets, weights, C, drop_topics=fold)
        te = np.isin(topic, fold)
        out_duc[te] = scores(duc.X[te], m, duc.disagree[te], duc.swapped[te])[0]
    for name in np.unique(story):
        m = fit_model(sets, weights, C, drop_stories=[name])
        te = story == name
        out_st[te] = scores(st.X[te], m, st.disagree[te], st.swapped[te])[0]
    return out_duc, out_st


def main(argv: list[str] | None = None) -> int:
    import story_pairs
    from claimcheck.matching.model import scores
    from claimcheck.matching.pairs import FEATURE_NAMES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--refresh", action="store_true", help="featurise the data sets again")
    parser.add_argument("--grid", action="store_true", help="print held-out figures over a weight grid")
    args = parser.parse_args(argv)
    sets = _sets(args.refresh)
    _, dev, mrpc, (duc, _), (st, _) = sets
    grid = ([dict(mrpc=MRPC_WEIGHT, duc=d, stories=s, blend=b) for d in (3, 6) for s in (1, 3) for b in (0.3, 0.5, 1.0)]
            if args.grid else [dict(mrpc=MRPC_WEIGHT, duc=DUC_WEIGHT, stories=STORIES_WEIGHT, blend=BLEND)])
    best = None
    for weights in grid:
        pd, ps = held_out_scores(sets, weights, L2_C)
        m = fit_model(sets, weights, L2_C)
        fig = {"ecb_dev_ap": datasets.average_precision(dev.y, scores(dev.X, m, None, dev.swapped)[0]),
               "duc_topic_cv_ap": datasets.average_precision(duc.y, pd),
               "stories_loso_ap": datasets.average_precision(st.y, ps),
               "stories_loso_recall_at_p90": story_pairs.recall_at_precision(st.y, ps, 0.9)[0]}
        print(f"weights {weights} C {L2_C}: " + ", ".join(f"{k} {v:.3f}" for k, v in fig.items()))
        key = fig["duc_topic_cv_ap"] + fig["stories_loso_ap"]
        if best is None or key > best[0]:
            best = (key, weights, m, fig)
    _, weights, m, fig = best
    mrpc_acc = float(((predict(m, mrpc.X) >= 50) == (mrpc.y == 1)).mean())
    print(f"chosen: {weights}; MRPC train accuracy at 50: {mrpc_acc:.3f}")
    for name, c in sorted(zip(FEATURE_NAMES, m["coef"]), key=lambda x: -abs(x[1])):
        print(f"  {name:<24} {c:+.3f}")
    if args.dry_run:
        return 0
    threshold = choose_threshold(dev, scores(dev.X, m, None, dev.swapped)[0])
    write_weights(WEIGHTS, FEATURE_NAMES, m, threshold, fig, mrpc_weight=weights["mrpc"], duc_weight=weights["duc"],
                  stories_weight=weights["stories"], blend=weights["blend"], dropped=list(DROPPED), ecbplus_positive_min_chain_jaccard=STRICT, l2_C=L2_C)
    return 0


def write_weights(path: Path, features, m: dict, threshold: float, dev: dict, **training) -> None:
    """Write a fitted model as the JSON `claimcheck.matching.model.load_model` reads."""
    out = {
        "kind": "logistic",
        "features": list(features),
        "mean": [round(float(v), 6) for v in m["mean"]],
        "scale": [round(float(v), 6) for v in m["scale"]],
        "coef": [round(float(v), 6) for v in m["coef"]],
        "intercept": round(m["intercept"], 6),
        "threshold": threshold,
        "training": training,
        "dev": {k: round(v, 4) for k, v in dev.items()},
    }
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    raise SystemExit(main())
