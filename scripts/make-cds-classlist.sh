#!/usr/bin/env bash
# Regenerates cli/src/main/cds/classes.lst, the class list of the class-data-sharing archive that `mvn package` builds
# for the launcher (cli/pom.xml, execution cds-archive): the classes loaded by `gen --help`, `gen sample-data`,
# `gen prepare coco-ood`, `gen paste` and `gen eval` on small sample data. Run after `mvn -B package -DskipTests` when commands change much;
# a class the list names but the build no longer has is skipped at dump time, one the list lacks is loaded as usual.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp="$here/cli/target/gen.jar:$here/cli/target/lib/*"
run() {
  local list="$1"; shift
  java -Xmx2g -Dai.djl.offline=true -XX:DumpLoadedClassList="$work/$list" -cp "$cp" io.roadneg.cli.Gen "$@" > /dev/null
}
run help.lst --help
run sample.lst sample-data --quiet --seed 0 --out "$work/sd"
run prepare.lst prepare coco-ood --quiet --coco-root "$work/sd/coco" --split train --out "$work/sd/coco"
run paste.lst paste --quiet --src coco --cityscapes-root "$work/sd/cityscapes" --coco-root "$work/sd/coco" --count 2 \
  --out "$work/paste"
# score maps for the sample RoadAnomaly frames (.npy float32, size from each label PNG's header; stdlib only)
python3 - "$work" <<'PY'
import glob, os, struct, sys
work = sys.argv[1]
os.makedirs(os.path.join(work, "scores"), exist_ok=True)
for lab in sorted(glob.glob(os.path.join(work, "sd", "road_anomaly", "labels_masks", "*.png"))):
    w, h = struct.unpack(">II", open(lab, "rb").read()[16:24])
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (h, w)
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    fid = os.path.basename(lab)[:-4]
    with open(os.path.join(work, "scores", fid + ".npy"), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(b"".join(struct.pack("<f", ((i * 7919) % 1000) / 1000.0) for i in range(w * h)))
PY
run eval.lst eval --quiet --dataset road-anomaly-masks --root "$work/sd/road_anomaly" --scores "$work/scores" \
  --out "$work/eval"
# the classes, then the lambda proxies and method-handle forms those runs made (archived, they are not spun with
# ASM at each start: 83 generated classes in a 24-item paste before, 55 after); a line whose class is gone when the
# archive is dumped is skipped with a warning
{
  cat "$work"/*.lst | grep -v '^#' | grep -v '\$Proxy' | grep -v '^@' | LC_ALL=C sort -u
  cat "$work"/*.lst | grep '^@' | grep -v '\$Proxy' | LC_ALL=C sort -u
} > "$here/cli/src/main/cds/classes.lst"
wc -l "$here/cli/src/main/cds/classes.lst"
