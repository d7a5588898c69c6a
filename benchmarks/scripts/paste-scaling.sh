#!/usr/bin/env bash
# Whole-process timing of `gen paste --preset pebal` with 1 and 2 worker threads, alternated, for each run length
# given, on full-resolution (2048x1024) sample data: what 2 threads gain over 1 as the fixed costs of a process
# (JVM start, the command's set-up, the JIT's compile time, which a 1-thread run gets on the idle core) are spread
# over more items. The two runs of a pair swap order from pair to pair. Each run writes into a new folder that is
# deleted, and the disk synced, before the next run starts (outside the timing): deleted outputs left behind slow the
# next run's file creation.
# Usage: benchmarks/scripts/paste-scaling.sh [WORKDIR] ["ITEMS ..."] [PAIRS]
# (after `mvn -B package -DskipTests`)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-bench-work}"; lengths="${2:-24 96 240 480}"; pairs="${3:-3}"
. "$here/benchmarks/scripts/paste-data.sh"
run() { # items threads -> seconds
  local out="$work/scaling-$1-$2" s e
  rm -rf "$out"; sync
  s=$(now)
  "$gen" paste --quiet --src coco --preset pebal --cityscapes-root "$cs" --coco-root "$coco" --count "$1" \
    --threads "$2" --out "$out" > /dev/null
  e=$(now)
  rm -rf "$out"; sync
  echo "$e - $s" | bc
}
printf "items  pair  1-thread(s)  2-threads(s)  speed-up  load\n"
for n in $lengths; do
  for p in $(seq 1 "$pairs"); do
    # the order alternates from pair to pair: the second run of a pair came out a little faster (0-4 %)
    if [ $((p % 2)) -eq 1 ]; then t1=$(run "$n" 1); t2=$(run "$n" 2); else t2=$(run "$n" 2); t1=$(run "$n" 1); fi
    printf "%5d  %4d  %11.2f  %12.2f  %8.2f  %s\n" "$n" "$p" "$t1" "$t2" "$(echo "$t1 / $t2" | bc -l)" \
      "$(uptime | sed 's/.*load average: //')"
  done
done
