# Sourced by the paste benchmarks (with $here, the repository, and $work set): sets $gen, the launcher, and now(), a
# timestamp; makes the full-resolution (2048x1024) sample data on first use and its COCO prepared for pasting, and
# sets $cs and $coco.
gen="$here/gen"
now() { date +%s.%N; }
mkdir -p "$work"
if [ ! -f "$work/sample-full/README.md" ]; then
  "$gen" sample-data --quiet --scale full --seed 0 --out "$work/sample-full"
fi
cs="$work/sample-full/cityscapes"; coco="$work/sample-full/coco"
[ -d "$coco/annotations/ood_seg_train2017" ] || "$gen" prepare coco-ood --quiet --coco-root "$coco" --split train --out "$coco"
