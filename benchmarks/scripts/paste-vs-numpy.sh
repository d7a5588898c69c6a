#!/usr/bin/env bash
# Whole-process timing of `gen paste --preset pebal` against the numpy + OpenCV script of the same recipe
# (paste_pebal_numpy.py), run alternately ROUNDS times on full-resolution (2048x1024) sample data; also
# `gen paste --count 1` against the script with one item, and 2 threads against 1; `uptime`'s load beside each round
# (the machine may be shared).
# Usage: [PYTHON=python3] benchmarks/scripts/paste-vs-numpy.sh [WORKDIR] [ITEMS] [ROUNDS]
# (after `mvn -B package -DskipTests`; PYTHON needs numpy and OpenCV: Debian python3-numpy python3-opencv)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-bench-work}"; items="${2:-24}"; rounds="${3:-3}"
. "$here/benchmarks/scripts/paste-data.sh"
run_gen() { rm -rf "$work/out-gen"; "$gen" paste --quiet --src coco --preset pebal --cityscapes-root "$cs" \
  --coco-root "$coco" --count "$1" --threads "$2" --out "$work/out-gen" > /dev/null; }
run_py() { rm -rf "$work/out-py"; "${PYTHON:-python3}" "$here/benchmarks/scripts/paste_pebal_numpy.py" "$cs" "$coco" \
  "$work/out-py" "$1" 1; }
t() { local s; s=$(now); "$@"; echo "$(now) - $s" | bc; }
printf "round  gen-1t(s)  gen-2t(s)  numpy(s)  gen/numpy  2t-speedup  gen-count1(s)  numpy-count1(s)  load\n"
for r in $(seq 1 "$rounds"); do
  g1=$(t run_gen "$items" 1); p=$(t run_py "$items"); g2=$(t run_gen "$items" 2)
  c1=$(t run_gen 1 1); cp=$(t run_py 1)
  printf "%5d  %9.2f  %9.2f  %8.2f  %9.2f  %10.2f  %13.2f  %15.2f  %s\n" "$r" "$g1" "$g2" "$p" \
    "$(echo "$g1 / $p" | bc -l)" "$(echo "$g1 / $g2" | bc -l)" "$c1" "$cp" "$(uptime | sed 's/.*load average: //')"
done
