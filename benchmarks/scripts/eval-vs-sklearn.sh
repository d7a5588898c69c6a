#!/usr/bin/env bash
# Whole-process timing of `gen eval --protocol exact` (and smiyc) against scikit-learn (eval_sklearn.py) on FRAMES
# full-resolution (2048x1024) road-anomaly-masks frames with random float32 score maps (24 frames: 50 M pixels),
# run alternately ROUNDS times; prints `uptime` beside each round (the machine may be shared).
# Usage: [PYTHON=python3] benchmarks/scripts/eval-vs-sklearn.sh [WORKDIR] [FRAMES] [ROUNDS]
# (after `mvn -B package -DskipTests`; PYTHON needs numpy, OpenCV and scikit-learn: Debian python3-sklearn)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-bench-work}"; frames="${2:-24}"; rounds="${3:-3}"
gen="$here/gen"; py="${PYTHON:-python3}"
ev="$work/eval-$frames"
if [ ! -f "$ev/done" ]; then
  [ -f "$work/sample-full/README.md" ] || "$gen" sample-data --quiet --scale full --seed 0 --out "$work/sample-full"
  mkdir -p "$ev/frames/images" "$ev/frames/labels_masks" "$ev/scores"
  "$py" - "$work/sample-full/road_anomaly" "$ev" "$frames" <<'PY'
import glob, os, shutil, sys
import numpy as np
src, ev, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
labs = sorted(glob.glob(os.path.join(src, "labels_masks", "*.png")))
rng = np.random.default_rng(0)
for i in range(n):
    lab = labs[i % len(labs)]
    fid = "frame%03d" % i
    shutil.copy(lab, os.path.join(ev, "frames", "labels_masks", fid + ".png"))
    shutil.copy(os.path.join(src, "images", os.path.basename(lab)[:-4] + ".jpg"),
                os.path.join(ev, "frames", "images", fid + ".jpg"))
    np.save(os.path.join(ev, "scores", fid + ".npy"), rng.random((1024, 2048), dtype=np.float32))
PY
  touch "$ev/done"
fi
now() { date +%s.%N; }
t() { local s; s=$(now); "$@" > /dev/null; echo "$(now) - $s" | bc; }
run_gen() { rm -rf "$ev/out"; "$gen" eval --quiet --dataset road-anomaly-masks --root "$ev/frames" --scores "$ev/scores" \
  --protocol "$1" --out "$ev/out"; }
run_py() { "$py" "$here/benchmarks/scripts/eval_sklearn.py" "$ev/frames" "$ev/scores"; }
printf "round  exact(s)  smiyc(s)  sklearn(s)  sklearn/exact  smiyc/exact  load\n"
for r in $(seq 1 "$rounds"); do
  e=$(t run_gen exact); p=$(t run_py); s=$(t run_gen smiyc)
  printf "%5d  %8.2f  %8.2f  %10.2f  %13.1f  %11.2f  %s\n" "$r" "$e" "$s" "$p" "$(echo "$p / $e" | bc -l)" \
    "$(echo "$s / $e" | bc -l)" "$(uptime | sed 's/.*load average: //')"
done
