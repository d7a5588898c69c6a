package io.roadneg.evaluation.bench;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The supported benchmarks: where frames lie under the root and how label values map to inlier / anomaly / void.
 * Each constant is the single place that knows its dataset's layout and void rule.
 */
public enum Benchmark {
    /** Fishyscapes Lost&amp;Found val, bdl form: {@code LostAndFound/original|labels/{fid}.png}; 0, 1, other void. */
    FS_LAF("fs-laf", "Fishyscapes Lost&Found val (bdl form)", "LostAndFound/original", ".png",
            "LostAndFound/labels", ".png", "0 inlier, 1 anomaly, any other value void"),
    /** Fishyscapes Static val, bdl form. */
    FS_STATIC("fs-static", "Fishyscapes Static val (bdl form)", "Static/original", ".png", "Static/labels", ".png",
            "0 inlier, 1 anomaly, any other value void"),
    /** Fishyscapes Lost&amp;Found val as redistributed by DenseHybrid: {@code images|labels/{fid}.png}, void = 2. */
    FS_LAF_DENSEHYBRID("fs-laf-densehybrid", "Fishyscapes Lost&Found val (DenseHybrid redistribution)", "images",
            ".png", "labels", ".png", "0 inlier, 1 anomaly, 2 void"),
    /** SMIYC RoadAnomaly21 (validation labels). */
    SMIYC_ANOMALY("smiyc-anomaly", "SMIYC RoadAnomaly21 (AnomalyTrack validation)", "dataset_AnomalyTrack/images",
            ".jpg", "dataset_AnomalyTrack/labels_masks", "_labels_semantic.png", "0 inlier, 1 anomaly, 255 void"),
    /** SMIYC RoadObstacle21 (validation labels). */
    SMIYC_OBSTACLE("smiyc-obstacle", "SMIYC RoadObstacle21 (ObstacleTrack validation)",
            "dataset_ObstacleTrack/images", ".webp", "dataset_ObstacleTrack/labels_masks", "_labels_semantic.png",
            "0 road (inlier), 1 obstacle (anomaly), 255 off-road / void"),
    /** RoadAnomaly original: {@code frames/{name}.jpg} + {@code frames/{name}.labels/labels_semantic.png}. */
    ROAD_ANOMALY("road-anomaly", "RoadAnomaly (original layout)", "frames", ".jpg", "frames", ".labels/labels_semantic.png",
            "values >= 2 anomaly, 0 and 1 inlier, no void"),
    /** RoadAnomaly redistribution: {@code images/{name}.jpg} + {@code labels_masks/{name}.png}. */
    ROAD_ANOMALY_MASKS("road-anomaly-masks", "RoadAnomaly (images/labels_masks redistribution)", "images", ".jpg",
            "labels_masks", ".png", "0 inlier, 2 anomaly (1 also anomaly), 255 void"),
    /** StreetHazards test, town t5. */
    STREETHAZARDS_T5("streethazards-t5", "StreetHazards test t5", "test/images/test/t5", ".png",
            "test/annotations/test/t5", ".png", "raw 14 anomaly, 1..13 inlier, 0 unlabeled void"),
    /** StreetHazards test, town t6. */
    STREETHAZARDS_T6("streethazards-t6", "StreetHazards test t6", "test/images/test/t6", ".png",
            "test/annotations/test/t6", ".png", "raw 14 anomaly, 1..13 inlier, 0 unlabeled void"),
    /** LostAndFound original test split (Cityscapes-like, gtCoarse labelIds). */
    LOST_AND_FOUND("lost-and-found", "LostAndFound test (original layout)", "leftImg8bit/test", "_leftImg8bit.png",
            "gtCoarse/test", "_gtCoarse_labelIds.png", "0 void, 1 free road (inlier), 2..43 obstacle (anomaly)");

    private final String cliName;
    private final String title;
    private final String imageDir;
    private final String imageSuffix;
    private final String labelDir;
    private final String labelSuffix;
    private final String voidRule;

    Benchmark(String cliName, String title, String imageDir, String imageSuffix, String labelDir, String labelSuffix,
            String voidRule) {
        this.cliName = cliName;
        this.title = title;
        this.imageDir = imageDir;
        this.imageSuffix = imageSuffix;
        this.labelDir = labelDir;
        this.labelSuffix = labelSuffix;
        this.voidRule = voidRule;
    }

    /** The name used on the command line. */
    public String cliName() {
        return cliName;
    }

    /** A human-readable title. */
    public String title() {
        return title;
    }

    /** The label rule, written into every result. */
    public String voidRule() {
        return voidRule;
    }

    /** The benchmark with this command-line name. */
    public static Benchmark byName(String name) {
        for (Benchmark b : values()) {
            if (b.cliName.equalsIgnoreCase(name) || b.name().equalsIgnoreCase(name)) {
                return b;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Benchmark b : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(b.cliName);
        }
        throw new InputException(null, "--dataset", name, "unknown benchmark; known: " + known);
    }

    /** SMIYC dataset name used by the official scorer's output layout. */
    public String smiycName() {
        return switch (this) {
            case SMIYC_ANOMALY -> "AnomalyTrack-validation";
            case SMIYC_OBSTACLE -> "ObstacleTrack-validation";
            case FS_LAF -> "FishyLAFAnomaly-val";
            default -> cliName;
        };
    }

    /** Whether the layout keeps frames in per-city (or per-town) subfolders. */
    private boolean nested() {
        return this == LOST_AND_FOUND;
    }

    /**
     * Lists the frames under {@code root} (the benchmark's own folder, or for SMIYC / Fishyscapes also its parent),
     * sorted by id. Every image must have a label and vice versa, except that SMIYC images without labels (the
     * hidden test split) are skipped.
     */
    public List<Frame> frames(Path root) {
        Path base = resolveBase(root);
        Path images = base.resolve(imageDir);
        Path labels = base.resolve(labelDir);
        List<Path> imageFiles = list(images, imageSuffix);
        List<Frame> frames = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Path img : imageFiles) {
            String rel = images.relativize(img).toString();
            String stem = rel.substring(0, rel.length() - imageSuffix.length());
            Path label = labels.resolve(stem + labelSuffix);
            if (Files.isRegularFile(label)) {
                String id = nested() ? img.getFileName().toString().replace(imageSuffix, "") : stem;
                frames.add(new Frame(id, img, label));
            } else if (!isSmiyc()) {
                missing.add(stem);
            }
        }
        int labelCount = list(labels, labelSuffix).size();
        if (!missing.isEmpty() || frames.isEmpty() || (labelCount != frames.size() && !isRoadAnomalyOriginal())) {
            throw new InputException(root, "layout", title,
                    "expected images " + imageDir + "/*" + imageSuffix + " with labels " + labelDir + "/*"
                    + labelSuffix + "; found " + imageFiles.size() + " images, " + labelCount + " labels, "
                    + frames.size() + " matched frames"
                    + (missing.isEmpty() ? "" : "; first image without label: " + missing.get(0)));
        }
        frames.sort(Comparator.comparing(Frame::id));
        return frames;
    }

    private boolean isSmiyc() {
        return this == SMIYC_ANOMALY || this == SMIYC_OBSTACLE;
    }

    private boolean isRoadAnomalyOriginal() {
        return this == ROAD_ANOMALY;
    }

    private Path resolveBase(Path root) {
        if (!Files.isDirectory(root)) {
            throw new InputException(root, "--root", root, "benchmark folder not found");
        }
        if (Files.isDirectory(root.resolve(imageDir))) {
            return root;
        }
        // allow pointing at the benchmark's own folder (dataset_AnomalyTrack, LostAndFound, ...) or at a parent
        String first = imageDir.contains("/") ? imageDir.substring(0, imageDir.indexOf('/')) : imageDir;
        if (root.getFileName() != null && root.getFileName().toString().equals(first)
                && root.getParent() != null && Files.isDirectory(root.getParent().resolve(imageDir))) {
            return root.getParent();
        }
        for (String sub : new String[] {"smiyc", "fishyscapes", "road_anomaly", "streethazards"}) {
            if (Files.isDirectory(root.resolve(sub).resolve(imageDir))) {
                return root.resolve(sub);
            }
        }
        throw new InputException(root, "layout", title, "expected folder " + imageDir + " (with labels in "
                + labelDir + ") under the root; not found");
    }

    private static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir, 3)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix)
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * Reads a frame's label and maps it to {@link LabelValues#INLIER} / {@link LabelValues#ANOMALY} /
     * {@link LabelValues#VOID} by this benchmark's rule; a value the rule does not allow is an error.
     */
    public Target target(Frame frame) {
        LabelMap m = Images.readLabel(frame.label());
        int[] d = m.data();
        byte[] t = new byte[d.length];
        for (int i = 0; i < d.length; i++) {
            int v = map(d[i]);
            if (v < 0) {
                throw new InputException(frame.label(), "label value", d[i] + " at pixel (" + (i % m.width()) + ", "
                        + (i / m.width()) + ")", "not allowed by the " + title + " rule (" + voidRule + ")");
            }
            t[i] = (byte) v;
        }
        return new Target(m.width(), m.height(), t);
    }

    private int map(int v) {
        final int inl = LabelValues.INLIER;
        final int an = LabelValues.ANOMALY;
        final int vd = LabelValues.VOID;
        return switch (this) {
            case FS_LAF, FS_STATIC -> v == 0 ? inl : v == 1 ? an : vd;
            case FS_LAF_DENSEHYBRID -> v == 0 ? inl : v == 1 ? an : v == 2 || v == 255 ? vd : -1;
            case SMIYC_ANOMALY, SMIYC_OBSTACLE -> v == 0 ? inl : v == 1 ? an : v == 255 ? vd : -1;
            case ROAD_ANOMALY -> v >= 2 ? an : inl;
            case ROAD_ANOMALY_MASKS -> v == 0 ? inl : v == 1 || v == 2 ? an : v == 255 ? vd : -1;
            case STREETHAZARDS_T5, STREETHAZARDS_T6 -> v == 0 ? vd : v == 14 ? an : v <= 13 ? inl : -1;
            case LOST_AND_FOUND -> v == 0 ? vd : v == 1 ? inl : v <= 43 ? an : -1;
        };
    }

    /**
     * Known classes K of the benchmark's semantic labels for open-set evaluation, or 0 when it has none. StreetHazards
     * annotations hold raw 1..13 for its 13 known classes (train ids 0..12 = raw - 1) and raw 14 for anomalies.
     */
    public int knownClasses() {
        return this == STREETHAZARDS_T5 || this == STREETHAZARDS_T6 ? 13 : 0;
    }

    /**
     * Reads a frame's label as open-set classes: 0..K-1 known train ids, K anomaly, -1 void. Only for benchmarks with
     * {@link #knownClasses()} &gt; 0.
     */
    public int[] classTarget(Frame frame) {
        int k = knownClasses();
        if (k == 0) {
            throw new InputException(frame.label(), "--classes", title, "this benchmark has no class labels; "
                    + "open-set metrics need one that has (streethazards-t5, streethazards-t6)");
        }
        LabelMap m = Images.readLabel(frame.label());
        int[] d = m.data();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            int v = d[i];
            if (v < 0 || v > k + 1) {
                throw new InputException(frame.label(), "label value", v + " at pixel (" + (i % m.width()) + ", "
                        + (i / m.width()) + ")", "not allowed by the " + title + " rule (" + voidRule + ")");
            }
            out[i] = v == 0 ? -1 : v - 1; // raw 0 unlabeled is void; raw K+1 becomes the anomaly class K
        }
        return out;
    }

    /** Lower-case name for messages. */
    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
