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

rows="base:msp base:maxlogit base:energy ce:msp ce:energy densehybrid:densehybrid densehybrid:energy rpl:rpl rpl-anchored:rpl pebal:energy metaood:entropy"
source "$here/scripts/sample-table-lib.sh"
print_sample_table
