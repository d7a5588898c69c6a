package io.roadneg.finetune.data;

import io.roadneg.datasets.Futures;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.LabelValues;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.LabelMap;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.pasting.PasteObject;
import io.roadneg.pasting.Scene;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    /** Batch buffers kept for reuse: the batches being prefetched, the one in the step and a spare. */
    static final int MAX_POOLED = 8;

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
    private final boolean rawViews;
    private final FlowPatches flowPatches;
    private final long seed;
    private final ExecutorService pool;
    private final ExecutorService assembler;
    private final Map<Integer, Scene> cache = new ConcurrentHashMap<>();
    private final boolean caching;
    private final Map<Long, int[]> perms = new ConcurrentHashMap<>();
    private final Queue<ByteBuffer[]> buffers = new ConcurrentLinkedQueue<>();

    /**
     * Options of a data stream.
     *
     * @param rawViews also give each sample with pasted negatives a raw view of one pasted object (RPL's CoroCL)
     */
    public record Options(List<CityscapesFrame> frames, int numClasses, NegativeSource negatives, double mix,
            int batch, int cropH, int cropW, double minScale, double maxScale, boolean flip, long seed, int workers,
            boolean rawViews, FlowPatches flowPatches) {
        /** Options without flow squares. */
        public Options(List<CityscapesFrame> frames, int numClasses, NegativeSource negatives, double mix,
                int batch, int cropH, int cropW, double minScale, double maxScale, boolean flip, long seed,
                int workers, boolean rawViews) {
            this(frames, numClasses, negatives, mix, batch, cropH, cropW, minScale, maxScale, flip, seed, workers,
                    rawViews, null);
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
        this.rawViews = o.rawViews();
        this.flowPatches = o.flowPatches();
        this.seed = o.seed();
        this.pool = Executors.newFixedThreadPool(o.workers(), r -> {
            Thread t = new Thread(r, "train-data");
            t.setDaemon(true);
            return t;
        });
        // one thread joins each batch's samples in step order (the samples themselves run on the pool)
        this.assembler = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "train-batches");
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

    /**
     * The batches of steps {@code start} (inclusive) to {@code stop} (exclusive) in order, assembled up to
     * {@code depth} batches ahead of the consumer (a bounded queue: the samples of the earliest batch are queued to
     * the workers first). The batches are the ones {@link #batch} gives.
     */
    public Prefetch prefetch(long start, long stop, int depth) {
        return new Prefetch(start, stop, depth);
    }

    /** Batches assembled ahead of the training step; {@link #close()} cancels what is still in flight. */
    public final class Prefetch implements AutoCloseable {
        private final Deque<CompletableFuture<Batch>> ahead = new ArrayDeque<>();
        private final long stop;
        private long nextToSubmit;

        private Prefetch(long start, long stop, int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("prefetch depth must be >= 1, found " + depth);
            }
            this.stop = stop;
            this.nextToSubmit = start;
            for (int i = 0; i < depth; i++) {
                submit();
            }
        }

        private void submit() {
            if (nextToSubmit < stop) {
                List<Future<Object[]>> samples = submitSamples(nextToSubmit++);
                ahead.addLast(CompletableFuture.supplyAsync(() -> assemble(samples), assembler));
            }
        }

        /** The next step's batch (waits for it if it is not ready), and queues one more. */
        public Batch next() {
            CompletableFuture<Batch> f = ahead.pollFirst();
            if (f == null) {
                throw new IllegalStateException("no batch left: the prefetch ended at step " + stop);
            }
            submit();
            try {
                return f.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }

        @Override
        public void close() {
            for (CompletableFuture<Batch> f : ahead) {
                f.cancel(false);
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    f.join().release();
                }
            }
            ahead.clear();
        }
    }

    /** The batch of a step. */
    public Batch batch(long step) {
        return assemble(submitSamples(step));
    }

    private List<Future<Object[]>> submitSamples(long step) {
        List<Future<Object[]>> fs = new ArrayList<>();
        for (int j = 0; j < batch; j++) {
            long g = step * batch + j;
            fs.add(pool.submit(() -> sample(g)));
        }
        return fs;
    }

    private Batch assemble(List<Future<Object[]>> fs) {
        List<Object[]> done = new ArrayList<>();
        int raws = 0;
        for (int j = 0; j < batch; j++) {
            Object[] s = Futures.get(fs.get(j));
            done.add(s);
            raws += s[3] == null ? 0 : 1;
        }
        ByteBuffer[] bufs = takeBuffers();
        ByteBuffer pixels = bufs[0].clear();
        ByteBuffer labels = bufs[1].clear();
        List<String> prov = new ArrayList<>();
        List<FlowPatches.Patch> patches = flowPatches == null ? null : new ArrayList<>();
        long outliers = 0;
        for (int j = 0; j < batch; j++) {
            Object[] s = done.get(j);
            writePlanar((RgbImage) s[0], pixels);
            outliers += writeLabels((int[]) s[1], labels, j, true);
            prov.add((String) s[2]);
            if (patches != null) {
                patches.add((FlowPatches.Patch) s[5]);
            }
        }
        int r = batch;
        for (int j = 0; j < batch; j++) {
            Object[] s = done.get(j);
            if (s[3] != null) {
                writePlanar((RgbImage) s[3], pixels);
                writeLabels((int[]) s[4], labels, r++, false);
            }
        }
        pixels.flip();
        labels.flip();
        return new Batch(batch, raws, cropH, cropW, pixels, labels, outliers, prov, patches, () -> giveBack(bufs));
    }

    /** A pair of pooled direct buffers (pixels, labels) big enough for a batch with a raw view per sample. */
    private ByteBuffer[] takeBuffers() {
        ByteBuffer[] b = buffers.poll();
        if (b != null) {
            return b;
        }
        int entries = rawViews ? 2 * batch : batch;
        int hw = cropH * cropW;
        return new ByteBuffer[] {ByteBuffer.allocateDirect(entries * 3 * hw), ByteBuffer.allocateDirect(entries * hw)};
    }

    private void giveBack(ByteBuffer[] b) {
        if (buffers.size() < MAX_POOLED) {
            buffers.offer(b);
        }
    }

    /** Appends the image's pixels as planar R, G, B planes. */
    private static void writePlanar(RgbImage img, ByteBuffer out) {
        byte[] d = img.data();
        int hw = img.width() * img.height();
        int base = out.position();
        for (int c = 0; c < 3; c++) {
            int o = base + c * hw;
            for (int i = 0; i < hw; i++) {
                out.put(o + i, d[i * 3 + c]);
            }
        }
        out.position(base + 3 * hw);
    }

    /**
     * Appends entry {@code entry}'s labels as bytes and returns its pasted-outlier pixel count (for a training
     * sample; 0 for a raw view). The scenes' train ids were checked on reading; this guards the 8-bit range.
     */
    private static long writeLabels(int[] v, ByteBuffer out, int entry, boolean sample) {
        long outliers = 0;
        for (int x : v) {
            if (x < 0 || x > 255) {
                throw new IllegalStateException("label " + x + " of batch entry " + entry + " is outside 0..255");
            }
            out.put((byte) x);
            if (sample && x == LabelValues.PASTED_OUTLIER) {
                outliers++;
            }
        }
        return outliers;
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

    /** The frame of sample {@code g}: its epoch's permutation at {@code g mod F}. */
    private int frameIndex(long g) {
        return permutation(g / frames.size())[(int) (g % frames.size())];
    }

    /**
     * The negative that sample {@code g} carries, exactly as the run pastes it (whole frame, before the
     * augmentation); null when the sample carries none (the mix, the recipe's own probability, no usable object).
     * Lets a caller see what the run trains on without training ({@code gen finetune --sample-negatives}).
     */
    public NegativeSource.Negative negativeOf(long g) {
        int idx = frameIndex(g);
        return negativeOf(g, frames.get(idx), scene(idx, frames.get(idx)));
    }

    /** The frame of sample {@code g}, by its image id stem. */
    public String frameOf(long g) {
        return frames.get(frameIndex(g)).id().stem();
    }

    private NegativeSource.Negative negativeOf(long g, CityscapesFrame frame, Scene scene) {
        if (negatives == null || Seeds.rng(seed, Seeds.TRAIN_MIX, g).nextDouble() >= mix) {
            return null;
        }
        return negatives.negative(seed, g, frame, scene);
    }

    private Object[] sample(long g) {
        int idx = frameIndex(g);
        CityscapesFrame frame = frames.get(idx);
        Random rng = Seeds.rng(seed, Seeds.TRAIN_AUGMENT, g);
        Scene scene = scene(idx, frame);
        String prov = frame.id().stem();
        PasteObject raw = null;
        double rawScale = 1.0;
        boolean carries = (negatives != null || flowPatches != null)
                && Seeds.rng(seed, Seeds.TRAIN_MIX, g).nextDouble() < mix;
        NegativeSource.Negative n = carries && negatives != null ? negatives.negative(seed, g, frame, scene) : null;
        if (n != null) {
            scene = n.scene();
            prov = prov + "+" + n.provenance();
            raw = rawViews && n.raw() != null ? n.raw().get() : null;
            rawScale = n.rawScale();
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
        assembler.shutdownNow();
        pool.shutdownNow();
        if (negatives != null) {
            negatives.close();
        }
    }
}
