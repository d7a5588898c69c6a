#!/usr/bin/env bash
# DenseFlow training step and sampling, DJL (benchmarks/FlowStepBenchmark) against the PyTorch reference
# (flows/scripts/flow_step_reference.py), run alternately so both see the same machine load.
# Usage (repository root, after `mvn -B -o package -DskipTests`):
#   bash scripts/flow-step-benchmark.sh [rounds] [config] [batch] [size] [threads] [warmup] [steps] [sampleReps]
set -euo pipefail
rounds=${1:-3}; config=${2:-configs/flows/denseflow-cpu.yaml}; batch=${3:-16}; size=${4:-64}; threads=${5:-2}
warmup=${6:-1}; steps=${7:-3}; reps=${8:-2}
cp="benchmarks/target/benchmarks.jar:benchmarks/target/lib/*"
for r in $(seq 1 "$rounds"); do
  echo "# round $r, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  DJL_OFFLINE=true OPT_OUT_TRACKING=true java --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
    -Dai.djl.pytorch.num_threads="$threads" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
    io.roadneg.benchmarks.FlowStepBenchmark "$config" "$batch" "$size" "$warmup" "$steps" "$reps" 2>/dev/null \
    | grep '^{'
  /usr/bin/python3 flows/scripts/flow_step_reference.py --config "$config" --batch "$batch" --size "$size" \
    --threads "$threads" --warmup "$warmup" --steps "$steps" --sample-reps "$reps"
done
