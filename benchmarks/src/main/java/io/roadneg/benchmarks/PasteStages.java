package io.roadneg.benchmarks;

import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.datasets.config.Configs;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.OpenCv;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.PastePlanner;
import io.roadneg.generators.Presets;
import io.roadneg.generators.sources.CocoSource;
import io.roadneg.generators.sources.CocoSourceConfig;
import io.roadneg.pasting.Compositor;
import io.roadneg.pasting.PasteResult;
import io.roadneg.pasting.Scene;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where one item of {@code gen paste --preset pebal} spends its time, stage by stage, on one thread: the reads and
 * decodes of the destination, the plan (which loads and decodes the source object), the composite, each of the five
 * PNG encodes and the file writes. The timers live here, not in the product. The codec floor is the decode and encode
 * stages alone (what any paste of these files must do); the rest is what paste adds. Stages are timed in the thread's
 * CPU time (steadier than wall time on a shared machine); wall time and GC pauses of the round are printed beside.
 * Usage: {@code PasteStages CITYSCAPES_ROOT COCO_ROOT OUT [ITEMS] [ROUNDS]}; prints milliseconds per item, last round.
 */
public final class PasteStages {
    private static final List<String> CODEC = List.of("decode image", "decode labelTrainIds", "decode labelIds",
            "decode instanceIds", "plan (source decode)", "encode image", "encode labelTrainIds", "encode labelIds",
            "encode instanceIds", "encode ood");

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private PasteStages() {
    }

    public static void main(String[] args) throws Exception {
        Path cs = Path.of(args[0]);
        Path coco = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int items = args.length > 3 ? Integer.parseInt(args[3]) : 24;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        OpenCv.ensureLoaded();
        org.opencv.core.Core.setNumThreads(1);
        PasteConfig c = Presets.load("pebal", null, Map.of());
        List<CityscapesFrame> frames = CityscapesDataset.open(cs).labelledFrames("train");
        Files.createDirectories(out);
        Map<String, Long> nanos = new LinkedHashMap<>();
        long gc0 = 0;
        long wall0 = 0;
        try (CocoSource src = CocoSource.open(coco, coco, (CocoSourceConfig) c.source())) {
            PastePlanner planner = new PastePlanner(c, src);
            Compositor comp = new Compositor(c.labels().outlierTrainId(), c.labels().outlierLabelId());
            int level = c.output().pngLevel();
            Map<String, String> text = Map.of("roadneg", Configs.toYaml(c));
            Buffers buf = new Buffers();
            for (int round = 0; round < rounds; round++) {
                nanos.clear();
                gc0 = gcMillis();
                wall0 = System.nanoTime();
                for (int i = 0; i < items; i++) {
                    CityscapesFrame f = frames.get(i % frames.size());
                    // into one set of buffers reused from item to item, as a paste worker decodes
                    RgbImage img = time(nanos, "decode image", () -> Images.readRgb(f.imagePath(), buf.image));
                    LabelMap train = time(nanos, "decode labelTrainIds",
                            () -> Images.readLabelCompact(f.trainIdsPath(), buf.train));
                    LabelMap ids = time(nanos, "decode labelIds",
                            () -> Images.readLabelCompact(f.labelIdsPath(), buf.labels));
                    LabelMap inst = time(nanos, "decode instanceIds",
                            () -> Images.readLabelCompact(f.instanceIdsPath(), buf.inst));
                    buf.image = img.data();
                    buf.train = train.bytes(); // the maps stored as their samples, as a paste worker keeps them
                    buf.labels = ids.bytes();
                    buf.inst = inst.bytes16();
                    Scene scene = new Scene(img, train, ids, inst);
                    int index = i;
                    PastePlanner.Planned p = time(nanos, "plan (source decode)",
                            () -> planner.plan(1, index, f.id().stem(), "train", scene));
                    // as a paste job: no anomaly map stored, it is encoded from the train ids row by row
                    PasteResult r = time(nanos, "compose", () -> comp.applyInPlaceWithoutOod(scene, p.objects(),
                            p.plan().placements()));
                    byte[] a = time(nanos, "encode image", () -> Images.encodePng(r.image(), level, text));
                    byte[] b = time(nanos, "encode labelTrainIds", () -> Images.encodePng(r.trainIds(), level, text));
                    byte[] d = time(nanos, "encode labelIds", () -> Images.encodePng(r.labelIds(), level, text));
                    byte[] e = time(nanos, "encode instanceIds",
                            () -> Images.encodePng16(r.instanceIds(), level, text));
                    byte[] g = time(nanos, "encode ood", () -> {
                        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
                        try {
                            io.roadneg.datasets.image.PngEncoder.writeGrayBytes(o, r.trainIds().width(),
                                    r.trainIds().height(), r.trainIds().bytes(), 1, comp.oodRows().bytes(), level,
                                    io.roadneg.datasets.image.PngEncoder.Filter.UP, text);
                        } catch (java.io.IOException x) {
                            throw new java.io.UncheckedIOException(x); // a byte array stream does not throw
                        }
                        return o.toByteArray();
                    });
                    time(nanos, "write 5 files", () -> {
                        AtomicFiles.write(out.resolve(index + "_img.png"), a);
                        AtomicFiles.write(out.resolve(index + "_train.png"), b);
                        AtomicFiles.write(out.resolve(index + "_ids.png"), d);
                        AtomicFiles.write(out.resolve(index + "_inst.png"), e);
                        AtomicFiles.write(out.resolve(index + "_ood.png"), g);
                        return null;
                    });
                }
            }
        }
        long wall = System.nanoTime() - wall0;
        long gc = gcMillis() - gc0;
        long total = 0;
        long codec = 0;
        for (Map.Entry<String, Long> e : nanos.entrySet()) {
            System.out.printf("%-22s %7.1f ms%n", e.getKey(), e.getValue() / 1e6 / items);
            total += e.getValue();
            codec += CODEC.contains(e.getKey()) ? e.getValue() : 0;
        }
        System.out.printf("%-22s %7.1f ms (codec %.1f ms = %.0f %%)%n", "item", total / 1e6 / items,
                codec / 1e6 / items, 100.0 * codec / total);
        System.out.printf("wall %.1f ms per item; GC pauses %.1f ms per item%n", wall / 1e6 / items,
                (double) gc / items);
    }

    private static <T> T time(Map<String, Long> nanos, String stage, Supplier<T> s) {
        long t0 = CPU.getCurrentThreadCpuTime();
        T v = s.get();
        nanos.merge(stage, CPU.getCurrentThreadCpuTime() - t0, Long::sum);
        return v;
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    /** The decode buffers of one worker. */
    private static final class Buffers {
        byte[] image;
        byte[] train;
        byte[] labels;
        byte[] inst;
    }
}
