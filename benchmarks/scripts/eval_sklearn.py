#!/usr/bin/env python3
"""Pixel-level anomaly metrics of a road-anomaly-masks folder with scikit-learn: the yardstick `gen eval --protocol
exact` is timed against (the bdl / sklearn way: all pixels of all frames pooled, void 255 left out, 1 and 2 anomaly).

Prints AP (average_precision_score), AUROC (roc_auc_score) and FPR at 95 % TPR (from roc_curve, first threshold
reaching TPR 0.95). Usage: eval_sklearn.py ROOT SCORES_DIR   (Debian python3-sklearn python3-opencv)
"""
import glob
import os
import sys

import cv2
import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve


def main():
    root, scores = sys.argv[1], sys.argv[2]
    ys, ss = [], []
    for lab in sorted(glob.glob(os.path.join(root, "labels_masks", "*.png"))):
        m = cv2.imread(lab, cv2.IMREAD_UNCHANGED)
        s = np.load(os.path.join(scores, os.path.basename(lab)[:-4] + ".npy"))
        keep = m != 255
        ys.append(((m == 1) | (m == 2))[keep])
        ss.append(s[keep])
    y = np.concatenate(ys)
    s = np.concatenate(ss)
    ap = average_precision_score(y, s)
    auroc = roc_auc_score(y, s)
    fpr, tpr, _ = roc_curve(y, s)
    fpr95 = fpr[np.searchsorted(tpr, 0.95)]
    print("pixels %d  AP %.6f  AUROC %.6f  FPR95 %.6f" % (y.size, ap, auroc, fpr95))


if __name__ == "__main__":
    main()
