#!/usr/bin/env bash
# Orchestration overhead of gen ablate: ROUNDS times, alternating, (a) gen ablate --grid GRID into a fresh folder and
# (b) the same cells' command lines from gen ablate --plan, each run by hand as its own ./gen process, as a user
# without gen ablate would; prints both wall times per round, and for (a) the share of its wall time spent outside
# the cells' commands (report, plots, checks, start-up), from the seconds each command took in cell.log.
# Usage: scripts/ablate-overhead.sh GRID WORK [ROUNDS=2]
set -euo pipefail
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
G="${GEN:-$here/gen}"
grid="$1"; work="$2"; rounds="${3:-2}"
mkdir -p "$work"
now() { date +%s.%N; }
for ((r = 1; r <= rounds; r++)); do
  a="$work/ablate-$r"; b="$work/hand-$r"
  rm -rf "$a" "$b"
  t0=$(now)
  "$G" ablate --grid "$grid" --out "$a" > "$a.log" 2>&1
  ta=$(echo "$(now) - $t0" | bc)
  inside=$(cat "$a"/cells/*/cell.log | sed -n 's/^# exit [0-9]* after \([0-9.]*\) s$/\1/p' | paste -sd+ | bc)

  "$G" ablate --grid "$grid" --out "$b" --plan > "$work/plan-$r.jsonl"
  t0=$(now)
  while IFS= read -r line; do
    mkdir -p "$(jq -r .dir <<< "$line")"
    n=$(jq '.commands | length' <<< "$line")
    for ((i = 0; i < n; i++)); do
      mapfile -t args < <(jq -r ".commands[$i][1:][]" <<< "$line")
      "$G" "${args[@]}" >> "$b.log" 2>&1
    done
  done < "$work/plan-$r.jsonl"
  tb=$(echo "$(now) - $t0" | bc)
  printf 'round %d: gen ablate %.1f s (commands inside it %.1f s, the rest %.1f s = %.2f %%); by hand %.1f s; ablate/hand %.3f\n' \
    "$r" "$ta" "$inside" "$(echo "$ta - $inside" | bc)" "$(echo "100 * ($ta - $inside) / $ta" | bc -l)" "$tb" \
    "$(echo "$ta / $tb" | bc -l)"
done
