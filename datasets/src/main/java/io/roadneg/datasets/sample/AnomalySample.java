package io.roadneg.datasets.sample;

import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.cityscapes.CityscapesLabels;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.io.AtomicFiles;
import java.nio.file.Path;
import java.util.Map;

/**
 * The anomaly benchmark sample sets: street scenes with objects of kinds the training scenes never show, labelled in
 * the layout and values of SMIYC (anomaly and obstacle tracks), Fishyscapes (Lost and Found, Static; bdl form) and
 * RoadAnomaly.
 */
final class AnomalySample {
    /** RoadAnomaly's redistributed labels mark anomalies with 2 (and inliers with 0). */
    static final int ROAD_ANOMALY_VALUE = 2;

    private enum Bench { SMIYC_ANOMALY, SMIYC_OBSTACLE, FS_LAF, FS_STATIC, ROAD_ANOMALY }

    private AnomalySample() {
    }

    static int write(Path out, SampleDataOptions o, Progress progress, Map<String, Path> roots,
            Map<String, Integer> counts) {
        roots.put("smiyc-anomaly", out.resolve("smiyc/dataset_AnomalyTrack"));
        roots.put("smiyc-obstacle", out.resolve("smiyc/dataset_ObstacleTrack"));
        roots.put("fishyscapes-laf", out.resolve("fishyscapes/LostAndFound"));
        roots.put("fishyscapes-static", out.resolve("fishyscapes/Static"));
        roots.put("road-anomaly", out.resolve("road_anomaly"));
        int n = o.scale().anomalyFrames;
        int files = 0;
        for (Bench b : Bench.values()) {
            for (int i = 0; i < n; i++) {
                files += frame(out, b, i, o);
                progress.step(1);
            }
        }
        counts.put("smiyc/AnomalyTrack", n);
        counts.put("smiyc/ObstacleTrack", n);
        counts.put("fishyscapes/LostAndFound", n);
        counts.put("fishyscapes/Static", n);
        counts.put("road_anomaly", n);
        return files;
    }

    private static int frame(Path out, Bench b, int i, SampleDataOptions o) {
        StreetPlan.Anomalies mode = switch (b) {
            case SMIYC_OBSTACLE, FS_LAF -> StreetPlan.Anomalies.ON_ROAD;
            case FS_STATIC -> StreetPlan.Anomalies.ANYWHERE;
            case SMIYC_ANOMALY, ROAD_ANOMALY -> StreetPlan.Anomalies.LARGE;
        };
        StreetPlan plan = StreetPlan.sample(Seeds.splittable(o.seed(), "anomaly/" + b.name(), i), o.scale().streetWidth,
                o.scale().streetHeight, mode);
        StreetRenderer.StreetFrame f = StreetRenderer.render(plan);
        Map<String, String> text = SampleData.provenance(o, b.name().toLowerCase() + "/" + i);
        switch (b) {
            case SMIYC_ANOMALY -> {
                Path root = out.resolve("smiyc/dataset_AnomalyTrack");
                String fid = String.format("validation%04d", i);
                AtomicFiles.write(root.resolve("images/" + fid + ".jpg"),
                        Images.encodeJpeg(f.image(), SampleData.JPEG_QUALITY));
                writeLabel(root.resolve("labels_masks/" + fid + "_labels_semantic.png"), anomalyLabel(f, false), text);
            }
            case SMIYC_OBSTACLE -> {
                Path root = out.resolve("smiyc/dataset_ObstacleTrack");
                String fid = String.format("validation_%04d", i);
                AtomicFiles.write(root.resolve("images/" + fid + ".webp"), Images.encodeWebp(f.image()));
                writeLabel(root.resolve("labels_masks/" + fid + "_labels_semantic.png"), anomalyLabel(f, true), text);
            }
            case FS_LAF, FS_STATIC -> {
                Path root = out.resolve(b == Bench.FS_LAF ? "fishyscapes/LostAndFound" : "fishyscapes/Static");
                String fid = String.format("%04d", i);
                Images.writePng(root.resolve("original/" + fid + ".png"), f.image(), SampleData.PNG_LEVEL,
                        SampleData.PNG_CODEC, text);
                writeLabel(root.resolve("labels/" + fid + ".png"), anomalyLabel(f, false), text);
            }
            default -> {
                Path root = out.resolve("road_anomaly");
                String name = String.format("sample%02d", i);
                AtomicFiles.write(root.resolve("images/" + name + ".jpg"),
                        Images.encodeJpeg(f.image(), SampleData.JPEG_QUALITY));
                LabelMap lab = f.anomalies().copy();
                int[] d = lab.data();
                for (int k = 0; k < d.length; k++) {
                    d[k] = d[k] == StreetRenderer.ANOMALY_MARK ? ROAD_ANOMALY_VALUE : LabelValues.INLIER;
                }
                writeLabel(root.resolve("labels_masks/" + name + ".png"), lab, text);
            }
        }
        return 2;
    }

    /**
     * 0 / 1 / 255 labels: anomaly objects 1; the ego vehicle void; with {@code roadOnly} (obstacle track) everything
     * that is not road void too.
     */
    static LabelMap anomalyLabel(StreetRenderer.StreetFrame f, boolean roadOnly) {
        int road = CityscapesLabels.id("road");
        int ego = CityscapesLabels.id("ego vehicle");
        int[] ids = f.labelIds().data();
        int[] marks = f.anomalies().data();
        int[] out = new int[ids.length];
        for (int k = 0; k < ids.length; k++) {
            if (marks[k] == StreetRenderer.ANOMALY_MARK) {
                out[k] = LabelValues.ANOMALY;
            } else if (ids[k] == ego || (roadOnly && ids[k] != road)) {
                out[k] = LabelValues.VOID;
            } else {
                out[k] = LabelValues.INLIER;
            }
        }
        return new LabelMap(f.labelIds().width(), f.labelIds().height(), out);
    }

    private static void writeLabel(Path file, LabelMap label, Map<String, String> text) {
        AtomicFiles.write(file, Images.encodePng(label, SampleData.PNG_LEVEL, text));
    }
}
