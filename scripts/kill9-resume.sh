#!/usr/bin/env bash
# kill -9 during gen paste, gen train and gen finetune at random moments, resume each killed run to the end, and check
# that its outputs and logs equal an uninterrupted run's (train/finetune logs without their "ms" timing field) and
# that no temp file is left behind. Smallest sample settings, so it finishes in minutes on 2 cores.
# Usage: scripts/kill9-resume.sh [KILLS_PER_COMMAND (default 15)] [WORK_DIR (default kill9-work)] [RANDOM_SEED]
# Each command is started and killed until KILLS_PER_COMMAND runs were really killed mid-run (a run that ends before
# its kill moment is still resumed and checked). One kill in three lands uniformly over the first 90% of an
# uninterrupted run's time (JVM start-up included); the others between its first output and that 90% mark.
# Needs ./gen built (mvn -B package -DskipTests). Prints one line per kill and a summary; exit 1 if any check failed.
set -uo pipefail
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
G="$here/gen"
kills="${1:-15}"
work="$(mkdir -p "${2:-kill9-work}" && cd "${2:-kill9-work}" && pwd)"
RANDOM="${3:-16}"
sd="$work/sd"
small=(--set data.batch=2 --set "data.crop=[64, 128]" --set train.epochs=2 --set train.stepsPerEpoch=2
  --set train.logEvery=1 --set train.validate= --set model.ladder.width=8 --set model.ladder.decoder=16)

args_paste=(paste -q --src coco --count 40 --threads 2 --seed 3 --sample-data "$sd")
args_train=(train -q --resume --seed 3 --sample-data "$sd" "${small[@]}")
args_finetune=(finetune -q --resume --seed 3 --sample-data "$sd" "${small[@]}" --loss densehybrid --negatives patches
  --model "$work/train-ref")
# runs one command to its end, appending to its log
run() { local -n a="args_$1"; "$G" "${a[@]}" --out "$2" >> "$2.log" 2>&1; }

# the tree of a run: every file's path and hash; JSON-lines logs hashed without their timing field; the lock file
# (empty, kept between runs) left out
fingerprint() {
  (cd "$1" && find . -type f ! -name .roadneg.lock | LC_ALL=C sort | while read -r f; do
    case "$f" in
      *.jsonl) printf '%s %s\n' "$f" "$(sed -E 's/,?"ms":[0-9]+//' "$f" | sha256sum | cut -c1-16)" ;;
      *) printf '%s %s\n' "$f" "$(sha256sum < "$f" | cut -c1-16)" ;;
    esac
  done)
}
# how far a killed run got: items recorded (paste), or the latest checkpoint and logged steps (train, finetune)
progress() {
  if [ -d "$1/.items" ]; then echo "$(find "$1/.items" -name '*.json' | wc -l) items recorded"
  elif [ -f "$1/checkpoints/latest" ]; then
    echo "checkpoint $(cat "$1/checkpoints/latest"), $(wc -l < "$1/train.jsonl" 2> /dev/null || echo 0) steps logged"
  elif [ -f "$1/train.jsonl" ]; then echo "no checkpoint, $(wc -l < "$1/train.jsonl") steps logged"
  else echo "nothing written yet"; fi
}
temps() { find "$1" \( -name '.tmp-*' -o -name '.step-*.tmp*' -o -name '.step-*.old*' \) | head -5; }

now_ms() { date +%s%3N; }
fail=0
declare -A killed resumed equal
declare -A runs partial
for what in paste train finetune; do killed[$what]=0; resumed[$what]=0; equal[$what]=0; runs[$what]=0; partial[$what]=0
done

mkdir -p "$work"
[ -f "$sd/README.md" ] || "$G" sample-data -q --out "$sd" > /dev/null || exit 1
for what in paste train finetune; do
  ref="$work/$what-ref"
  if [ ! -f "$ref/.done" ]; then
    rm -rf "$ref"
    t0=$(now_ms)
    run "$what" "$ref" &
    ref_pid=$!
    first=""
    # when the run writes its first output (paste: an item record; train, finetune: config.yaml before step 1)
    while kill -0 "$ref_pid" 2> /dev/null; do
      if [ -z "$first" ] && { [ -d "$ref/.items" ] || [ -f "$ref/config.yaml" ]; }; then first=$(( $(now_ms) - t0 )); fi
      sleep 0.02
    done
    wait "$ref_pid" || { echo "$what: the uninterrupted run failed, see $ref.log"; exit 1; }
    echo "$(( $(now_ms) - t0 )) ${first:-0}" > "$ref/.done"
  fi
  read -r span first < "$ref/.done"
  want="$(fingerprint "$ref" | grep -v '^\./\.done ')"
  i=0
  # until KILLS runs were really killed mid-run (a run that ends before its kill moment is checked too, not counted)
  while [ "${killed[$what]}" -lt "$kills" ] && [ "$i" -lt $(( 3 * kills )) ]; do
    i=$(( i + 1 ))
    runs[$what]=$i
    out="$work/$what-$i"
    rm -rf "$out"
    # one kill in three at any moment of the run (start-up included), the others while it writes its outputs
    r=$(( RANDOM * 32768 + RANDOM ))
    if [ $(( i % 3 )) -eq 1 ] || [ "$first" -ge $(( span * 9 / 10 )) ]; then at=$(( r % (span * 9 / 10) ))
    else at=$(( first + r % (span * 9 / 10 - first) )); fi
    # setsid: the launcher execs java in the same process, so $! is the JVM itself, in a group of its own
    local_args="args_$what[@]"
    setsid "$G" "${!local_args}" --out "$out" > "$out.log" 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
    kill -9 -- "-$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    rc=$?
    if [ "$rc" -eq 137 ]; then
      killed[$what]=$(( ${killed[$what]} + 1 ))
      got_far="$(progress "$out")"
      [ "$got_far" != "nothing written yet" ] && partial[$what]=$(( ${partial[$what]} + 1 ))
      state="killed at ${at} ms: $got_far"
    else state="finished (exit $rc) before the kill at ${at} ms"; fi
    if run "$what" "$out"; then
      resumed[$what]=$(( ${resumed[$what]} + 1 ))
    else
      echo "$what #$i ($state): the resumed run failed, see $out.log"; fail=1; continue
    fi
    left="$(temps "$out")"
    got="$(fingerprint "$out")"
    if [ "$got" == "$want" ] && [ -z "$left" ]; then
      equal[$what]=$(( ${equal[$what]} + 1 ))
      echo "$what #$i ($state): resumed, equal to the uninterrupted run, no temp file"
    else
      echo "$what #$i ($state): DIFFERS${left:+ (temp files: $left)}"
      diff <(echo "$want") <(echo "$got") | head -10
      fail=1
    fi
  done
done
echo
echo "| command | runs | killed mid-run | of which after writing output | resumed to the end | equal to an uninterrupted run, no temp file |"
echo "|---|---|---|---|---|---|"
for what in paste train finetune; do
  echo "| gen $what | ${runs[$what]} | ${killed[$what]} | ${partial[$what]} | ${resumed[$what]} | ${equal[$what]} |"
done
exit $fail
