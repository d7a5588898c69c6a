#!/usr/bin/env bash
# End to end on the bundled sample data: train a base, fine-tune it with DenseHybrid, RPL (as published and with the
# sample settings), PEBAL and Meta-OOD and with the ce control (same schedule, no negatives), score the five sample
# anomaly sets, evaluate them with gen eval and print a markdown table.
# Usage: scripts/finetune-sample-table.sh [WORK_DIR] [SEED]   (resumable: finished parts are kept)
set -euo pipefail
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
G="$here/gen"
work="${1:-finetune-sample}"
seed="${2:-0}"
mkdir -p "$work" && cd "$work"

"$G" train -q --resume --seed "$seed" --out runs/base > runs-base.log
for loss in ce densehybrid rpl pebal metaood; do
  "$G" finetune -q --resume --seed "$seed" --loss "$loss" --model runs/base --out "runs/$loss" > "runs-$loss.log"
done
# RPL (without CoroCL) with the settings it needs on the small sample frames (README): the energy anchor on inliers,
# energy weight 1, lr 5e-3 for the freshly initialised residual, the recipe's paste sizes as written (not scaled down
# to the 512-wide frames)
"$G" finetune -q --resume --seed "$seed" --loss rpl --model runs/base --out runs/rpl-anchored \
  --set loss.energyAnchor=1 --set loss.energyWeight=1 --set optimizer.lr=5e-3 --set data.negatives.referenceWidth=0 \
  --set loss.contrastWeight=0 > runs-rpl-anchored.log

sets="smiyc-anomaly:smiyc smiyc-obstacle:smiyc fs-laf:fishyscapes fs-static:fishyscapes road-anomaly-masks:road_anomaly"
rows="base:msp base:maxlogit base:energy ce:msp ce:energy densehybrid:densehybrid densehybrid:energy rpl:rpl rpl-anchored:rpl pebal:energy metaood:entropy"
field() { grep -o "\"$2\" *: *[-0-9.eE]*" "$1" | head -1 | sed 's/.*: *//'; }

header="| model | score | mIoU |"
rule="|---|---|---|"
for s in $sets; do header="$header ${s%%:*} AP / FPR95 |"; rule="$rule---|"; done
echo "$header mean AP |"
echo "$rule---|"
for row in $rows; do
  run="${row%%:*}"; score="${row##*:}"
  miou=$(tail -1 "runs/$run/validation.jsonl" | grep -o '"miou":[-0-9.eE]*' | sed 's/.*://')
  line="| $run | $score | $(printf '%.3f' "$miou") |"
  sum=0
  for s in $sets; do
    name="${s%%:*}"; sub="${s##*:}"
    out="scores/$run-$score/$name"; ev="eval/$run-$score/$name"
    # maps and metrics are derived: made afresh, so a retrained run is never scored from its old maps
    rm -rf "$out" "$ev"
    "$G" score -q --model "runs/$run" --score "$score" --dataset "$name" --root "sample-data/$sub" --out "$out" > /dev/null
    "$G" eval --quiet --dataset "$name" --root "sample-data/$sub" --scores "$out" --out "$ev" > /dev/null
    ap=$(field "$ev/metrics.json" ap); fpr=$(field "$ev/metrics.json" fpr95)
    line="$line $(printf '%.3f / %.3f' "$ap" "$fpr") |"
    sum=$(awk -v a="$sum" -v b="$ap" 'BEGIN { print a + b }')
  done
  echo "$line $(awk -v a="$sum" 'BEGIN { printf "%.3f", a / 5 }') |"
done
