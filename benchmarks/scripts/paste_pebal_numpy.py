#!/usr/bin/env python3
"""The PEBAL paste recipe as a short numpy + OpenCV script: the yardstick `gen paste --preset pebal` is timed against.

For each item: read a Cityscapes destination (leftImg8bit, labelTrainIds, labelIds, instanceIds), a COCO image and
its Meta-OOD mask (254 = object, from `gen prepare coco-ood`), cut the bounding box of the 254 pixels, paste it
unscaled at a uniform position in the full image (hard paste: the 254 pixels only), and write the same five PNGs
`gen paste` writes (image; labelTrainIds and labelIds with 254 on pasted pixels; instanceIds without them; _ood.png
1 / 0 / 255) at the same PNG level, plus one JSON line per item. Destinations cycle in sorted order; sources are
drawn with numpy's default generator.

Usage: paste_pebal_numpy.py CITYSCAPES_ROOT COCO_ROOT OUT COUNT [PNG_LEVEL]
Needs python3-numpy and python3-opencv (Debian).
"""
import glob
import json
import os
import sys

import cv2
import numpy as np


def main():
    cs, coco, out, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    level = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    cv2.setNumThreads(1)
    frames = sorted(glob.glob(os.path.join(cs, "leftImg8bit", "train", "*", "*_leftImg8bit.png")))
    masks = sorted(glob.glob(os.path.join(coco, "annotations", "ood_seg_train2017", "*.png")))
    rng = np.random.default_rng(0)
    params = [cv2.IMWRITE_PNG_COMPRESSION, level]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "manifest.jsonl"), "w") as manifest:
        for i in range(count):
            f = frames[i % len(frames)]
            stem = f[:-len("_leftImg8bit.png")]
            gt = stem.replace(os.sep + "leftImg8bit" + os.sep, os.sep + "gtFine" + os.sep)
            img = cv2.imread(f, cv2.IMREAD_COLOR)
            train = cv2.imread(gt + "_gtFine_labelTrainIds.png", cv2.IMREAD_UNCHANGED)
            ids = cv2.imread(gt + "_gtFine_labelIds.png", cv2.IMREAD_UNCHANGED)
            inst = cv2.imread(gt + "_gtFine_instanceIds.png", cv2.IMREAD_UNCHANGED)
            while True:  # redraw a source whose mask holds no object pixel (as gen paste does)
                m = masks[int(rng.integers(len(masks)))]
                mask = cv2.imread(m, cv2.IMREAD_UNCHANGED)
                ys, xs = np.nonzero(mask == 254)
                if ys.size:
                    break
            src = cv2.imread(os.path.join(coco, "train2017", os.path.basename(m)[:-4] + ".jpg"), cv2.IMREAD_COLOR)
            y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
            h, w = y1 - y0, x1 - x0
            H, W = train.shape
            py = int(rng.integers(0, max(1, H - h + 1)))
            px = int(rng.integers(0, max(1, W - w + 1)))
            h, w = min(h, H - py), min(w, W - px)
            obj = mask[y0:y0 + h, x0:x0 + w] == 254
            region = (slice(py, py + h), slice(px, px + w))
            img[region][obj] = src[y0:y0 + h, x0:x0 + w][obj]
            train[region][obj] = 254
            ids[region][obj] = 254
            inst[region][obj] = 0
            ood = np.where(train == 255, 255, 0).astype(np.uint8)
            ood[region][obj] = 1
            name = os.path.basename(stem)
            city = os.path.basename(os.path.dirname(f))
            o_img = os.path.join(out, "leftImg8bit", "train", city)
            o_gt = os.path.join(out, "gtFine", "train", city)
            os.makedirs(o_img, exist_ok=True)
            os.makedirs(o_gt, exist_ok=True)
            cv2.imwrite(os.path.join(o_img, f"{name}_{i}_leftImg8bit.png"), img, params)
            cv2.imwrite(os.path.join(o_gt, f"{name}_{i}_gtFine_labelTrainIds.png"), train, params)
            cv2.imwrite(os.path.join(o_gt, f"{name}_{i}_gtFine_labelIds.png"), ids, params)
            cv2.imwrite(os.path.join(o_gt, f"{name}_{i}_gtFine_instanceIds.png"), inst, params)
            cv2.imwrite(os.path.join(o_gt, f"{name}_{i}_gtFine_ood.png"), ood, params)
            manifest.write(json.dumps({"index": i, "destination": name, "source": os.path.basename(m),
                                       "box": [int(px), int(py), int(w), int(h)]}) + "\n")


if __name__ == "__main__":
    main()
