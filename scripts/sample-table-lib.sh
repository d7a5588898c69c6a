#!/usr/bin/env bash
# Sourced by the sample-table scripts: scores every "run:score" of $rows on the five sample anomaly sets with gen
# score, evaluates them with gen eval and prints a markdown table (mIoU from the run's last validation line, AP / FPR95
# per set, mean AP). Needs $G (the gen launcher) and runs/RUN folders in the working directory.
sets="smiyc-anomaly:smiyc smiyc-obstacle:smiyc fs-laf:fishyscapes fs-static:fishyscapes road-anomaly-masks:road_anomaly"
field() { grep -o "\"$2\" *: *[-0-9.eE]*" "$1" | head -1 | sed 's/.*: *//'; }

print_sample_table() {
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
}
