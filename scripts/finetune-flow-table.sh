#!/usr/bin/env bash
# Flow negatives on the bundled sample data: train a base and a small DenseFlow (denseflow-cpu on 32x32 crops of the
# sample Cityscapes train frames, 60 Adamax steps with a 30-step warm-up: a short pre-training that fits a shared
# 2-core machine), then fine-tune the base with DenseHybrid and NFlowJS on flow squares (frozen flow and --joint),
# with the ce control and DenseHybrid on its recipe's ADE20K negatives; score the five sample anomaly sets, evaluate
# them with gen eval and print a markdown table. Also writes sample grids of the flow before and after joint training.
# Usage: scripts/finetune-flow-table.sh [WORK_DIR] [SEED]   (resumable: finished parts are kept)
set -euo pipefail
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
G="$here/gen"
work="${1:-finetune-flow}"
seed="${2:-0}"
mkdir -p "$work" && cd "$work"

"$G" train -q --resume --seed "$seed" --out runs/base > runs-base.log
"$G" flow train -q --resume --data cityscapes --crop 32 --batch 16 --epochs 6 --steps-per-epoch 10 \
  --validation-crops 16 --set optimizer.warmupSteps=30 --seed "$seed" --out runs/flow > runs-flow.log
# ce and DenseHybrid on ADE20K: 144 steps (4 epochs of 36), a third of the sample-cpu profile's 432; the flow
# fine-tunes: 48 steps (2 epochs of 24), what a joint run's decoding and likelihood pass allowed on a shared 2-core
# machine (fewer steps than the runs they are compared with, never more)
ft() {
  name=$1; epochs=$2; per=$3; shift 3
  "$G" finetune -q --resume --seed "$seed" --set train.epochs="$epochs" --set train.stepsPerEpoch="$per" \
    --model runs/base --out "runs/$name" "$@" > "runs-$name.log"
}
ft ce 4 36 --loss ce
ft densehybrid 4 36 --loss densehybrid
ft dh-flow 2 24 --loss densehybrid --negatives flow --flow runs/flow
ft dh-flow-joint 2 24 --loss densehybrid --negatives flow --flow runs/flow --joint
ft nflowjs 2 24 --loss nflowjs --flow runs/flow
ft nflowjs-joint 2 24 --loss nflowjs --flow runs/flow --joint

# the flow after joint training: a flow run folder around the fine-tune's last flow checkpoint, sampled like the
# pre-trained one (same seed, so the same latents)
for name in dh-flow-joint nflowjs-joint; do
  after="runs/flow-after-$name"
  ck="runs/$name/checkpoints/$(cat "runs/$name/checkpoints/latest")"
  mkdir -p "$after/checkpoints/step-1"
  cp runs/flow/config.yaml "$after/"
  cp "$ck/flow.npz" "$after/checkpoints/step-1/flow.npz"
  cp "$ck/flow-optimizer.npz" "$after/checkpoints/step-1/optimizer.npz"
  echo '{"step": 1}' > "$after/checkpoints/step-1/state.json"
  echo step-1 > "$after/checkpoints/latest"
done
for m in flow flow-after-dh-flow-joint flow-after-nflowjs-joint; do
  "$G" flow sample -q --model "runs/$m" --count 16 --size 48 --temperature 1 --seed 1 --out "samples/$m" > /dev/null
done

rows="base:msp base:jsd ce:msp densehybrid:densehybrid densehybrid:energy dh-flow:densehybrid dh-flow:energy dh-flow-joint:densehybrid dh-flow-joint:energy nflowjs:jsd nflowjs-joint:jsd"
source "$here/scripts/sample-table-lib.sh"
print_sample_table
