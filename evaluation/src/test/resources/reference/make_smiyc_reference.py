#!/usr/bin/env python3
"""Reference values for SmiycReferenceTest, computed by the official SegmentMeIfYouCan scorer.

The official code (github.com/SegmentMeIfYouCan/road-anomaly-benchmark, package road_anomaly_benchmark/metrics) is
imported from a checkout given on the command line, not copied; only its metric modules are loaded, with the
unrelated package modules (dataset registry, HDF5 channels, visualisation) replaced by empty stand-ins.

Run (Debian bookworm: python3-numpy 1.24, python3-scipy, python3-easydict, python3-matplotlib, python3-pandas; the
official requirements pin numpy 1.23.3, whose float16 promotion rules are the same):

    /usr/bin/python3 make_smiyc_reference.py /path/to/road-anomaly-benchmark > smiyc_reference.json

Each case is a few frames of scores and labels (0 inlier, 1 anomaly, 255 void) in the official per-frame layout,
stored as base64 of the little-endian arrays (float16 or float32 scores, uint8 labels).
Scores go through ``astype(np.float16)`` first, as the official ``Evaluation.save_output`` stores them. The pixel
metric is run as ``MetricPixelClassification`` does it (``binary_confusion_matrix`` per frame, then
``aggregate_dynamic_bins`` / ``aggregate_fixed_bins`` and ``curves_from_cmats``), the component metric as
``MetricSegment`` does it (``default_instancer`` at the percentile metric's best-F1 threshold, ``segment_metrics``,
``aggregate``), frames in dataset order (the scorer's sequential mode).
Every frame gets one inlier pixel with a frame-specific top score, so no two frames share their highest threshold:
when they do, the official curve's first point depends on numpy's unstable argsort (see SmiycPixelMetrics).
"""
import base64
import importlib.util
import io
import json
import sys
import types
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

SEED = 20261130


def load_official(root):
    pkg_dir = Path(root) / "road_anomaly_benchmark"
    names = ["road_anomaly_benchmark", "road_anomaly_benchmark.datasets",
             "road_anomaly_benchmark.datasets.dataset_registry", "road_anomaly_benchmark.datasets.dataset_io",
             "road_anomaly_benchmark.evaluation", "road_anomaly_benchmark.jupyter_show_image",
             "road_anomaly_benchmark.metrics"]
    for n in names:
        m = types.ModuleType(n)
        m.__path__ = []
        sys.modules[n] = m
    sys.modules["road_anomaly_benchmark.metrics"].__path__ = [str(pkg_dir / "metrics")]

    class Registry:
        def register_class(self, *a, **k):
            return lambda cls: cls

    sys.modules["road_anomaly_benchmark.datasets.dataset_registry"].Registry = Registry
    io_mod = sys.modules["road_anomaly_benchmark.datasets.dataset_io"]
    io_mod.hdf5_write_hierarchy_to_file = io_mod.hdf5_read_hierarchy_from_file = None
    sys.modules["road_anomaly_benchmark.evaluation"].DIR_OUTPUTS = Path("/nonexistent")
    vis = sys.modules["road_anomaly_benchmark.jupyter_show_image"]
    for f in ("adapt_img_data", "get_heat", "imwrite", "imread", "image_montage_same_shape"):
        setattr(vis, f, None)
    mods = {}
    for n in ("base", "pixel_classification_curves", "pixel_classification", "instance_segmentation"):
        full = "road_anomaly_benchmark.metrics." + n
        spec = importlib.util.spec_from_file_location(full, pkg_dir / "metrics" / (n + ".py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules[full] = mod
        spec.loader.exec_module(mod)
        mods[n] = mod
    return mods


def rect(a, x0, y0, x1, y1, v):
    a[y0:y1, x0:x1] = v


def frame(rng, k, w, h, levels, spread, scale=1):
    """Scores and labels of one frame: objects of several sizes, false responses next to small objects, void.
    ``scale`` > 1 enlarges the layout (and adds fresh noise) so that objects pass the AnomalyTrack size rules."""
    lab = np.zeros((h, w), np.uint8)
    s = rng.random((h, w)) * 0.5
    rect(lab, 0, h - 3, w, h, 255)  # void strip (ego vehicle)
    x = int(rng.integers(2, 8))
    rect(lab, x, 3, x + 12, 13, 1)  # big object, 120 px
    rect(s, x, 3, x + 12, 13, 0.6)
    s[3:13, x:x + 12] += rng.random((10, 12)) * 0.35
    rect(lab, 24, 4, 27, 7, 1)  # 9 px object (under both size rules)
    rect(lab, 30, 4, 34, 7, 1)  # 12 px object (obstacle track keeps it)
    rect(s, 22, 3, 36, 9, 0.7)  # one false response touching both small objects
    s[3:9, 22:36] += rng.random((6, 14)) * 0.2
    rect(lab, 6, 18, 16, 28, 1)  # 100 px object, half detected
    rect(s, 6, 18, 11, 28, 0.8)
    rect(s, 20, 16, 44, 26, 0.55 + 0.1 * rng.random())  # a large false response (240 px)
    rect(lab, 38, 12, 40, 14, 255)  # a void hole inside the response's reach
    if scale > 1:
        lab = np.repeat(np.repeat(lab, scale, 0), scale, 1)
        s = np.repeat(np.repeat(s, scale, 0), scale, 1) + rng.random((h * scale, w * scale)) * 0.05
    if levels:
        s = np.round(s * levels) / levels  # heavy ties
    s = np.clip(s * spread, 0, 0.89)
    s[0, 0] = 0.9 + 0.0078125 * k  # unique top threshold per frame
    lab[0, 0] = 0
    return s, lab


def run_case(mods, name, frames, track, as_float32=False):
    pc = mods["pixel_classification"]
    curves = mods["pixel_classification_curves"].curves_from_cmats
    inst = mods["instance_segmentation"]
    seg_cfg = {"anomaly": (500, 100), "obstacle": (50, 10)}[track]
    out = {"name": name, "track": track, "frames": []}
    pix = {}
    for strategy, bins, key in (("percentiles", 768, "percentiles"), ("uniform", 4096, "uniform")):
        results = []
        for s, lab in frames:
            p = s.astype(np.float16)
            roi = lab < 255
            results.append(pc.binary_confusion_matrix(prob=p[roi], gt_label_bool=lab[roi].astype(bool),
                                                      num_bins=bins, bin_strategy=strategy))
        agg = (pc.MetricPixelClassification.aggregate_dynamic_bins(results) if strategy == "percentiles"
               else pc.MetricPixelClassification.aggregate_fixed_bins(results))
        with redirect_stdout(io.StringIO()):
            c = curves(agg.cmat, agg.thresholds)
        pix[key] = {"ap": float(c.area_PRC), "auroc": float(c.area_ROC), "fpr95": float(c.tpr95_fpr),
                    "tpr95_threshold": float(c.tpr95_threshold), "best_f1": float(c.best_f1),
                    "best_f1_threshold": float(c.best_f1_threshold)}
    out["percentiles"] = pix["percentiles"]
    out["uniform"] = pix["uniform"]
    thr = pix["percentiles"]["best_f1_threshold"]
    seg_results = []
    for s, lab in frames:
        gt, pred, _ = inst.default_instancer(s.astype(np.float16), lab, thr, seg_cfg[0], seg_cfg[1])
        seg_results.append(inst.segment_metrics(gt, pred))
    metric = inst.MetricSegment.__new__(inst.MetricSegment)
    metric.cfg = {"anomaly": inst.MetricSegment.configs[1], "obstacle": inst.MetricSegment.configs[2]}[track]
    with redirect_stdout(io.StringIO()):
        ag = metric.aggregate(seg_results, method_name="m", dataset_name=name)
    nan_to_none = lambda v: None if np.isnan(v) else float(v)  # JSON has no NaN: null = undefined (0 / 0)
    out["components"] = {"sIoU_gt": nan_to_none(ag.sIoU_gt), "prec_pred": nan_to_none(ag.prec_pred),
                         "f1_mean": nan_to_none(ag.f1_mean),
                         "gt_components": int(sum(len(r.sIoU_gt) for r in seg_results)),
                         "pred_components": int(sum(len(r.prec_pred) for r in seg_results))}
    for s, lab in frames:
        vals = s.astype(np.float32) if as_float32 else s.astype(np.float16)
        out["frames"].append({"width": int(s.shape[1]), "height": int(s.shape[0]), "dtype": str(vals.dtype),
                              "scores": base64.b64encode(vals.astype(vals.dtype.newbyteorder("<")).tobytes())
                              .decode("ascii"),
                              "labels": base64.b64encode(lab.astype(np.uint8).tobytes()).decode("ascii")})
    return out


def main():
    mods = load_official(sys.argv[1])
    rng = np.random.default_rng(SEED)
    w, h = 48, 32
    cases = []
    cases.append(run_case(mods, "anomaly-track", [frame(rng, k, w, h, 0, 1.0, 3) for k in range(4)], "anomaly"))
    cases.append(run_case(mods, "obstacle-track", [frame(rng, k, w, h, 0, 1.0) for k in range(4)], "obstacle"))
    cases.append(run_case(mods, "ties-16-levels", [frame(rng, k, w, h, 16, 1.0) for k in range(3)], "obstacle"))
    cases.append(run_case(mods, "single-frame", [frame(rng, 0, w, h, 8, 0.9, 3)], "anomaly"))
    cases.append(run_case(mods, "float32-input", [frame(rng, k, w, h, 0, 1.0) for k in range(3)], "obstacle",
                          as_float32=True))
    # scores outside [0, 1] (the uniform variant drops what lies outside its [-0.01, 1.01] range)
    wide = []
    for k in range(3):
        s, lab = frame(rng, k, w, h, 0, 1.0, 3)
        s = s * 1.3 - 0.2
        s[0, 0] = 1.2 + 0.0625 * k
        wide.append((s, lab))
    cases.append(run_case(mods, "outside-unit-range", wide, "anomaly"))
    json.dump({"official": "SegmentMeIfYouCan/road-anomaly-benchmark", "numpy": np.__version__, "seed": SEED,
               "cases": cases}, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
