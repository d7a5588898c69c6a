package io.roadneg.datasets.sample;

import io.roadneg.datasets.image.PngEncoder;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.io.IOException;
import io.roadneg.datasets.io.OutputLock;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Provenance;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.cityscapes.CityscapesLayout.FrameId;
import io.roadneg.datasets.cityscapes.CityscapesWriter;
import io.roadneg.datasets.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Library entry point of {@code gen sample-data}: writes small procedurally drawn datasets in the exact layouts of
 * the real ones. Each item's randomness derives from (run seed, dataset, index) and no file holds a timestamp, so the
 * same seed gives byte-identical files.
 */
public final class SampleData {
    /** Zlib level of sample PNGs: fast, and fixed so bytes stay stable. */
    static final int PNG_LEVEL = 1;
    /**
     * zlib for the sample data's photographs: their bytes are pinned by a golden list and must not depend on the
     * CPU's ISA-L code path.
     */
    static final PngEncoder.Codec PNG_CODEC = PngEncoder.Codec.ZLIB;
    /** JPEG quality of sample images. */
    static final int JPEG_QUALITY = 92;
    /** Real Cityscapes city names: training cities and the validation city. */
    static final List<String> TRAIN_CITIES = List.of("aachen", "bochum");
    static final String VAL_CITY = "frankfurt";

    private SampleData() {
    }

    /** Marker file naming the seed and scale of the set in a folder. */
    public static final String MARKER = ".sample-data";

    /**
     * Writes every sample dataset under {@code options.out()}. The folder is locked for the run, and a folder holding
     * another seed's or scale's set (or files of unknown origin) is refused rather than mixed into.
     */
    public static SampleDataResult generate(SampleDataOptions options, Progress progress) {
        try (OutputLock lock = OutputLock.acquire(options.out(), "--out")) {
            claim(options);
            SampleDataResult r = generateLocked(options, progress);
            return new SampleDataResult(r.out(), r.roots(), r.counts(), r.files() + 1); // and the marker
        }
    }

    private static void claim(SampleDataOptions o) {
        String scale = o.scale().name().toLowerCase(java.util.Locale.ROOT);
        String want = "seed=" + o.seed() + " scale=" + scale;
        Path marker = o.out().resolve(MARKER);
        try {
            if (Files.isRegularFile(marker)) {
                String have = Files.readString(marker, StandardCharsets.UTF_8).trim();
                if (!have.equals(want)) {
                    throw new InputException(marker, "--seed/--scale", have, "this folder holds sample data of another "
                            + "seed or scale (now " + want + "); use a new --out or delete the folder");
                }
                return;
            }
            boolean empty;
            try (java.util.stream.Stream<Path> st = Files.list(o.out())) {
                empty = st.allMatch(p -> p.getFileName().toString().equals(OutputLock.FILE));
            }
            // sets made before the marker existed name their seed and scale in README.md
            Path readme = o.out().resolve("README.md");
            boolean sameOldSet = Files.isRegularFile(readme) && Files.readString(readme, StandardCharsets.UTF_8)
                    .contains("`gen sample-data --seed " + o.seed() + " --scale " + scale + "`");
            if (!empty && !sameOldSet) {
                throw new InputException(o.out(), "--out", o.out(), "folder is not empty and holds no sample data of "
                        + want + ": refusing to mix files; use a new --out or delete the folder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + o.out() + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(marker, (want + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static SampleDataResult generateLocked(SampleDataOptions options, Progress progress) {
        SampleScale s = options.scale();
        Path out = options.out();
        long total = s.cityscapesTrain + s.cityscapesVal + s.cocoTrain + s.cocoVal + s.adeTrain + s.adeVal
                + 5L * s.anomalyFrames;
        progress.start("sample-data", total);
        Map<String, Path> roots = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        int files = 0;
        try {
            Path cs = out.resolve("cityscapes");
            roots.put("cityscapes", cs);
            files += cityscapes(cs, "train", s.cityscapesTrain, options, progress);
            files += cityscapes(cs, "val", s.cityscapesVal, options, progress);
            counts.put("cityscapes/train", s.cityscapesTrain);
            counts.put("cityscapes/val", s.cityscapesVal);

            files += CocoSample.write(out.resolve("coco"), options, progress, roots, counts);
            files += Ade20kSample.write(out.resolve("ade20k"), options, progress, roots, counts);
            files += AnomalySample.write(out, options, progress, roots, counts);

            AtomicFiles.write(out.resolve("README.md"), readme(options, counts).getBytes(StandardCharsets.UTF_8));
            files++;
        } finally {
            progress.close();
        }
        return new SampleDataResult(out, roots, counts, files);
    }

    private static int cityscapes(Path root, String split, int n, SampleDataOptions o, Progress progress) {
        for (int i = 0; i < n; i++) {
            String city = split.equals("train") ? TRAIN_CITIES.get(i % TRAIN_CITIES.size()) : VAL_CITY;
            // the sequence number is the frame index; 19 is the annotated frame of every real Cityscapes snippet
            FrameId id = new FrameId(city, i, 19);
            StreetPlan plan = StreetPlan.sample(Seeds.splittable(o.seed(), "cityscapes/" + split, i), o.scale().streetWidth,
                    o.scale().streetHeight, StreetPlan.Anomalies.NONE);
            StreetRenderer.StreetFrame f = StreetRenderer.render(plan);
            new CityscapesWriter(PNG_LEVEL, PNG_CODEC, provenance(o, "cityscapes/" + split + "/" + id.stem()))
                    .write(root, split, id, f.image(), f.labelIds(), f.instanceIds(), f.polygons());
            progress.step(1);
        }
        return 6 * n;
    }

    /**
     * Text chunks of every sample PNG: what made it, from which seed (the reproducible {@link Provenance}: no time, no
     * environment, so bytes repeat).
     */
    static Map<String, String> provenance(SampleDataOptions o, String item) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Software", "roadneg gen sample-data");
        m.put(Provenance.PNG_KEY, new Provenance("gen sample-data", "scale " + o.scale().name().toLowerCase(), null,
                o.seed(), item, null, List.of(), null).toJson());
        return m;
    }

    private static String readme(SampleDataOptions o, Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        sb.append("# roadneg sample data\n\n");
        sb.append("Made by `gen sample-data --seed ").append(o.seed()).append(" --scale ")
                .append(o.scale().name().toLowerCase()).append("`. Every picture is drawn procedurally (no real ")
                .append("photos), in the exact folder layouts and label encodings of the real datasets, so every ")
                .append("command can be tried without downloads. The same seed gives byte-identical files.\n\n");
        sb.append("| folder | layout of | contents |\n| --- | --- | --- |\n");
        sb.append("| `cityscapes/` | Cityscapes (`leftImg8bit/`, `gtFine/` with labelIds, labelTrainIds, ")
                .append("instanceIds (16-bit), color, polygons.json) | street scenes, ")
                .append(counts.get("cityscapes/train")).append(" train (").append(String.join(", ", TRAIN_CITIES))
                .append("), ").append(counts.get("cityscapes/val")).append(" val (").append(VAL_CITY).append(") |\n");
        sb.append("| `coco/` | COCO 2017 instances (`annotations/instances_{train,val}2017.json`, ")
                .append("`{train,val}2017/*.jpg`) | shapes with real category ids; polygons, uncompressed RLE ")
                .append("(iscrowd 1) and compressed RLE; some images with Meta-OOD excluded classes, one kept image ")
                .append("without annotations per split |\n");
        sb.append("| `ade20k/ADEChallengeData2016/` | ADE20K SceneParsing (`images/`, `annotations/` 0..150, ")
                .append("`objectInfo150.csv`) | indoor and outdoor scenes |\n");
        sb.append("| `smiyc/dataset_AnomalyTrack/` | SegmentMeIfYouCan RoadAnomaly21 | jpg, labels 0 inlier, ")
                .append("1 anomaly, 255 void (ego vehicle) |\n");
        sb.append("| `smiyc/dataset_ObstacleTrack/` | SegmentMeIfYouCan RoadObstacle21 | webp, labels 0 road, ")
                .append("1 obstacle, 255 off-road |\n");
        sb.append("| `fishyscapes/LostAndFound/`, `fishyscapes/Static/` | Fishyscapes (bdl form) | png, labels 0 ")
                .append("inlier, 1 anomaly, 255 void |\n");
        sb.append("| `road_anomaly/` | RoadAnomaly (common redistribution) | jpg, labels 0 inlier, 2 anomaly |\n\n");
        sb.append("Anomaly objects (animals, boxes, tyres, debris) never occur in the Cityscapes-layout training ")
                .append("scenes. Counts:\n\n");
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            sb.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }
}
