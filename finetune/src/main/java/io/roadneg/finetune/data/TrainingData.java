package io.roadneg.finetune.data;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.pasting.PasteObject;
import io.roadneg.pasting.Scene;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds training batches. Sample {@code g} (step x batch + j) is frame {@code perm_e[g mod F]} of the epoch's
 * permutation; whether it carries negatives, the negatives themselves and its augmentation are drawn from three
 * separate streams of (run seed, g) ({@link Seeds#TRAIN_MIX}, the negative source's own, {@link Seeds#TRAIN_AUGMENT}),
 * so a batch is the same whatever the worker count and after a resume, and a recipe's own paste probability is
 * independent of the mix (the rate of pasted samples is mix x probability). With flow negatives a sample that carries
 * negatives gets a {@link FlowPatches} square instead (its own stream; the training loop decodes and pastes it).
 */
public final class TrainingData implements AutoCloseable {
    /** Scenes below this many decoded bytes in total are kept in memory. */
    static final long CACHE_BYTES = 512L << 20;

    private final List<CityscapesFrame> frames;
    private final int numClasses;
    private final NegativeSource negatives;
    private final double mix;
    private final int batch;
    private final int cropH;
    private final int cropW;
    private final double minScale;
    private final double maxScale;
    private final boolean flip;
    private final Normalization norm;
    private final boolean rawViews;
    private final FlowPatches flowPatches;
    private final long seed;
    private final ExecutorService pool;
    private final Map<Integer, Scene> cache = new ConcurrentHashMap<>();
    private final boolean caching;
    private final Map<Long, int[]> perms = new ConcurrentHashMap<>();

    /**
     * Options of a data stream.
     *
     * @param rawViews also give each sample with pasted negatives a raw view of one pasted object (RPL's CoroCL)
     */
    public record Options(List<CityscapesFrame> frames, int numClasses, NegativeSource negatives, double mix,
            int batch, int cropH, int cropW, double minScale, double maxScale, boolean flip, Normalization norm,
            long seed, int workers, boolean rawViews, FlowPatches flowPatches) {
        /** Options without flow squares. */
        public Options(List<CityscapesFrame> frames, int numClasses, NegativeSource negatives, double mix,
                int batch, int cropH, int cropW, double minScale, double maxScale, boolean flip, Normalization norm,
                long seed, int workers, boolean rawViews) {
            this(frames, numClasses, negatives, mix, batch, cropH, cropW, minScale, maxScale, flip, norm, seed,
                    workers, rawViews, null);
        }
    }

    /** A stream over {@code o.frames()}. */
    public TrainingData(Options o) {
        if (o.frames().isEmpty()) {
            throw new IllegalArgumentException("no training frames");
        }
        this.frames = List.copyOf(o.frames());
        this.numClasses = o.numClasses();
        this.negatives = o.negatives();
        this.mix = o.mix();
        this.batch = o.batch();
        this.cropH = o.cropH();
        this.cropW = o.cropW();
        this.minScale = o.minScale();
        this.maxScale = o.maxScale();
        this.flip = o.flip();
        this.norm = o.norm();
        this.rawViews = o.rawViews();
        this.flowPatches = o.flowPatches();
        this.seed = o.seed();
        this.pool = Executors.newFixedThreadPool(o.workers(), r -> {
            Thread t = new Thread(r, "train-data");
            t.setDaemon(true);
            return t;
        });
        var info = Images.info(frames.get(0).imagePath());
        caching = (long) info.getWidth() * info.getHeight() * 7L * frames.size() < CACHE_BYTES;
    }

    /** Number of training frames. */
    public int frames() {
        return frames.size();
    }

    /** The batch of a step. */
    public Batch batch(long step) {
        List<Future<Object[]>> fs = new ArrayList<>();
        for (int j = 0; j < batch; j++) {
            long g = step * batch + j;
            fs.add(pool.submit(() -> sample(g)));
        }
        int hw = cropH * cropW;
        List<Object[]> done = new ArrayList<>();
        int raws = 0;
        for (int j = 0; j < batch; j++) {
            try {
                Object[] s = fs.get(j).get();
                done.add(s);
                raws += s[3] == null ? 0 : 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        float[] images = new float[(batch + raws) * 3 * hw];
        int[] labels = new int[(batch + raws) * hw];
        List<String> prov = new ArrayList<>();
        List<FlowPatches.Patch> patches = flowPatches == null ? null : new ArrayList<>();
        int r = batch;
        for (int j = 0; j < batch; j++) {
            Object[] s = done.get(j);
            norm.write((RgbImage) s[0], images, j * 3 * hw);
            System.arraycopy((int[]) s[1], 0, labels, j * hw, hw);
            prov.add((String) s[2]);
            if (patches != null) {
                patches.add((FlowPatches.Patch) s[5]);
            }
            if (s[3] != null) {
                norm.write((RgbImage) s[3], images, r * 3 * hw);
                System.arraycopy((int[]) s[4], 0, labels, r * hw, hw);
                r++;
            }
        }
        return new Batch(batch, raws, cropH, cropW, images, labels, prov, patches);
    }

    private int[] permutation(long epoch) {
        return perms.computeIfAbsent(epoch, e -> {
            int[] p = new int[frames.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = i;
            }
            Random rng = Seeds.rng(seed, Seeds.TRAIN_ORDER, e);
            for (int i = p.length - 1; i > 0; i--) {
                int k = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[k];
                p[k] = t;
            }
            if (perms.size() > 4) {
                perms.keySet().removeIf(k -> k < e - 1);
            }
            return p;
        });
    }

    private Object[] sample(long g) {
        long epoch = g / frames.size();
        int idx = permutation(epoch)[(int) (g % frames.size())];
        CityscapesFrame frame = frames.get(idx);
        Random rng = Seeds.rng(seed, Seeds.TRAIN_AUGMENT, g);
        Scene scene = scene(idx, frame);
        String prov = frame.id().stem();
        PasteObject raw = null;
        double rawScale = 1.0;
        boolean carries = (negatives != null || flowPatches != null)
                && Seeds.rng(seed, Seeds.TRAIN_MIX, g).nextDouble() < mix;
        if (negatives != null && carries) {
            NegativeSource.Negative n = negatives.negative(seed, g, frame, scene);
            if (n != null) {
                scene = n.scene();
                prov = prov + "+" + n.provenance();
                raw = rawViews && n.raw() != null ? n.raw().get() : null;
                rawScale = n.rawScale();
            }
        }
        Augment.Plan p = Augment.draw(rng, scene.image().width(), scene.image().height(), minScale, maxScale, cropH,
                cropW, flip);
        Object[] s = {Augment.image(scene.image(), p, cropH, cropW), Augment.labels(scene.trainIds(), p, cropH, cropW),
            prov, null, null, null};
        if (flowPatches != null && carries) {
            FlowPatches.Patch fp = flowPatches.draw(seed, g, scene.image().width(), (RgbImage) s[0], (int[]) s[1]);
            s[5] = fp;
            s[2] = prov + "+flow:" + fp.side() + "@" + fp.x() + "," + fp.y();
        }
        if (raw != null) {
            rawView(raw, rawScale, rng.nextBoolean(), s);
        }
        return s;
    }

    /**
     * The raw view of a pasted object: its source picture at the scale the object was pasted at (as RPL feeds its
     * transformed COCO image next to the mixed one), cropped to the crop size around the object's centre, padded
     * black, mirrored by the sample's draw; labels 254 on the object's mask, 0 on the rest of the picture (RPL's
     * COCO targets: not an outlier, the raw negatives of CoroCL) and void on the padding.
     */
    private void rawView(PasteObject o, double scale, boolean mirror, Object[] into) {
        RgbImage img = o.rgb();
        int w = img.width();
        int[] lab = new int[w * img.height()];
        byte[] mask = o.mask();
        long sx = 0;
        long sy = 0;
        long count = 0;
        for (int i = 0; i < lab.length; i++) {
            lab[i] = mask[i] != 0 ? LabelValues.PASTED_OUTLIER : 0;
            if (mask[i] != 0) {
                sx += i % w;
                sy += i / w;
                count++;
            }
        }
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(img.height() * scale));
        int cx = (int) Math.round((count == 0 ? w / 2.0 : (double) sx / count) * scale);
        int cy = (int) Math.round((count == 0 ? img.height() / 2.0 : (double) sy / count) * scale);
        int x = Math.max(0, Math.min(sw - cropW, cx - cropW / 2));
        int y = Math.max(0, Math.min(sh - cropH, cy - cropH / 2));
        Augment.Plan p = new Augment.Plan(scale, x, y, mirror);
        into[3] = Augment.image(img, p, cropH, cropW);
        into[4] = Augment.labels(new LabelMap(w, img.height(), lab), p, cropH, cropW);
    }

    private Scene scene(int idx, CityscapesFrame frame) {
        Scene s = cache.get(idx);
        if (s != null) {
            return s;
        }
        RgbImage img = Images.readRgb(frame.imagePath());
        LabelMap train = frame.trainIds();
        if (train.width() != img.width() || train.height() != img.height()) {
            throw new InputException(frame.trainIdsPath(), "size", train.width() + "x" + train.height(),
                    "differs from the image's " + img.width() + "x" + img.height());
        }
        int[] d = train.data();
        for (int v : d) {
            if (v >= numClasses && v != LabelValues.VOID && v != LabelValues.PASTED_OUTLIER) {
                throw new InputException(frame.trainIdsPath(), "train id", v, "is not below model.classes "
                        + numClasses + " nor 254/255");
            }
        }
        s = new Scene(img, train, null, null);
        if (caching) {
            cache.put(idx, s);
        }
        return s;
    }


    @Override
    public void close() {
        pool.shutdownNow();
        if (negatives != null) {
            negatives.close();
        }
    }
}
