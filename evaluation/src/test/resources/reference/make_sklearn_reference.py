#!/usr/bin/env python3
"""Reference values for ExactPixelMetricsTest, computed with sklearn (Debian python3-sklearn).

Run: python3 make_sklearn_reference.py > sklearn_reference.json
Each case is several "frames" of float32 scores (float64 in the float64_* cases) with heavy ties and labels 0 inlier / 1 anomaly / 255 void;
void pixels are dropped before sklearn sees the data, as the benchmarks do.
FPR95 is fpr at the first threshold where tpr >= 0.95 on the full curve (drop_intermediate=False).
"""
import json
import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

SEED = 20240611


def case(rng, name, frames, n, levels, p_anomaly, p_void, half):
    out_frames = []
    all_s, all_y = [], []
    for _ in range(frames):
        if levels:
            s = rng.integers(0, levels, n).astype(np.float32) / np.float32(levels)
        else:
            s = rng.standard_normal(n).astype(np.float32)
        y = (rng.random(n) < p_anomaly).astype(np.int64)
        # anomalies score higher on average, so the metrics are not trivial
        s = (s + y.astype(np.float32) * np.float32(0.3)).astype(np.float32)
        if half:
            s = s.astype(np.float16).astype(np.float32)
        lab = np.where(rng.random(n) < p_void, 255, y)
        out_frames.append({"scores": [float(v) for v in s], "labels": [int(v) for v in lab]})
        keep = lab != 255
        all_s.append(s[keep])
        all_y.append(y[keep])
    s = np.concatenate(all_s).astype(np.float64)
    y = np.concatenate(all_y)
    fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
    idx = int(np.searchsorted(tpr, 0.95))
    return {
        "name": name, "half": half, "frames": out_frames,
        "ap": float(average_precision_score(y, s)),
        "auroc": float(roc_auc_score(y, s)),
        "fpr95": float(fpr[idx]),
        "positives": int(y.sum()), "negatives": int((1 - y).sum()),
    }


def curve_values(y, s):
    fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
    idx = int(np.searchsorted(tpr, 0.95))
    return float(average_precision_score(y, s)), float(roc_auc_score(y, s)), float(fpr[idx])


def case_float64(rng, name, frames, n, levels, p_anomaly, p_void, upcast_every):
    """Float64 scores on a grid of levels plus offsets of a few 1e-13: distinct doubles that float32 would merge
    (every level's offsets round to one float). Every upcast_every-th frame (if any) holds float32 values instead,
    stored as float64 (numpy's upcast). Per-frame values too, for the per-frame metrics."""
    out_frames = []
    all_s, all_y = [], []
    for f in range(frames):
        s = rng.integers(0, levels, n).astype(np.float64) / levels
        y = (rng.random(n) < p_anomaly).astype(np.int64)
        s = s + y * 0.3 + rng.integers(0, 4, n) * 1e-13
        upcast = upcast_every and f % upcast_every == 0
        if upcast:
            s = s.astype(np.float32).astype(np.float64)
        lab = np.where(rng.random(n) < p_void, 255, y)
        keep = lab != 255
        ap, auroc, fpr95 = curve_values(y[keep], s[keep])
        out_frames.append({"scores": [float(v) for v in s], "labels": [int(v) for v in lab], "upcast": bool(upcast),
                           "ap": ap, "auroc": auroc, "fpr95": fpr95})
        all_s.append(s[keep])
        all_y.append(y[keep])
    s = np.concatenate(all_s)
    y = np.concatenate(all_y)
    ap, auroc, fpr95 = curve_values(y, s)
    f32 = s.astype(np.float32).astype(np.float64)
    return {
        "name": name, "half": False, "float64": True, "frames": out_frames,
        "ap": ap, "auroc": auroc, "fpr95": fpr95,
        "ap_if_rounded_to_float32": float(average_precision_score(y, f32)),
        "positives": int(y.sum()), "negatives": int((1 - y).sum()),
    }


def main():
    rng = np.random.default_rng(SEED)
    cases = [
        case(rng, "heavy_ties_16_levels", 3, 700, 16, 0.2, 0.1, False),
        case(rng, "ties_100_levels_rare_anomaly", 4, 900, 100, 0.03, 0.2, False),
        case(rng, "continuous_normal", 2, 1500, 0, 0.3, 0.05, False),
        case(rng, "float16_rounded_normal", 3, 800, 0, 0.25, 0.1, True),
        case(rng, "two_levels", 2, 500, 2, 0.5, 0.3, False),
        # appended after the float32 cases, so theirs stay the values drawn before these existed
        case_float64(rng, "float64_near_ties", 3, 800, 40, 0.2, 0.1, 0),
        case_float64(rng, "float64_mixed_with_upcast_frames", 4, 600, 25, 0.25, 0.1, 2),
    ]
    print(json.dumps({"generator": "make_sklearn_reference.py", "seed": SEED,
                      "sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}))


if __name__ == "__main__":
    main()
