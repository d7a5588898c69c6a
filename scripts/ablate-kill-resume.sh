#!/usr/bin/env bash
# Resume check for gen ablate: runs GRID once uninterrupted into REF (skipped when REF already holds its report),
# then again into KILLED, killing the ablation KILLS times (SIGKILL, as a crash or a lost node) after a random delay
# of MIN_S to MAX_S seconds each (bash RANDOM seeded with SEED) and continuing it with --resume each time, until it
# finishes; then compares the sha256 of every report table (ablation.md, ablation.csv, ablation.json, report.html).
# Exit 0 when all are equal, 1 otherwise.
# Usage: scripts/ablate-kill-resume.sh GRID REF KILLED [KILLS=3] [MIN_S=20] [MAX_S=120] [SEED=1] [-- extra gen ablate args]
set -euo pipefail
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
G="${GEN:-$here/gen}"
grid="$1"; ref="$2"; killed="$3"; shift 3
kills="${1:-3}"; min_s="${2:-20}"; max_s="${3:-120}"; seed="${4:-1}"
shift $(( $# < 4 ? $# : 4 ))
[ "${1:-}" = "--" ] && shift
extra=("$@")
RANDOM="$seed"
tables=(ablation.md ablation.csv ablation.json report.html)

if [ ! -f "$ref/ablation.md" ]; then
  t0=$(date +%s.%N)
  "$G" ablate --grid "$grid" --out "$ref" "${extra[@]}" > "$ref.log" 2>&1
  echo "uninterrupted: $(echo "$(date +%s.%N) - $t0" | bc) s"
fi

t0=$(date +%s.%N)
resume=()
for ((k = 1; k <= kills; k++)); do
  delay=$(( min_s + RANDOM % (max_s - min_s + 1) ))
  "$G" ablate --grid "$grid" --out "$killed" "${resume[@]}" "${extra[@]}" >> "$killed.log" 2>&1 &
  pid=$!
  sleep "$delay"
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    done_cells=$(find "$killed/cells" -maxdepth 2 -name done.json 2>/dev/null | wc -l)
    running=$(ls -t "$killed/cells" 2>/dev/null | head -1)
    echo "kill $k after $delay s: $done_cells cells finished, last touched: $running"
  else
    wait "$pid" || true
    echo "kill $k: the ablation had finished before $delay s"
  fi
  resume=(--resume)
done
"$G" ablate --grid "$grid" --out "$killed" --resume "${extra[@]}" >> "$killed.log" 2>&1
echo "killed run, all attempts: $(echo "$(date +%s.%N) - $t0" | bc) s"

status=0
for t in "${tables[@]}"; do
  a=$(sha256sum < "$ref/$t" | cut -d' ' -f1)
  b=$(sha256sum < "$killed/$t" | cut -d' ' -f1)
  if [ "$a" = "$b" ]; then echo "same   $t $a"; else echo "DIFFER $t $a $b"; status=1; fi
done
exit "$status"
