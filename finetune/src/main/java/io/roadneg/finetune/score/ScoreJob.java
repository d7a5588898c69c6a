package io.roadneg.finetune.score;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.Futures;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Progress;
import io.roadneg.datasets.Provenance;
import io.roadneg.datasets.image.Images;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.datasets.io.AtomicFiles;
import io.roadneg.datasets.io.MemoryProbe;
import io.roadneg.datasets.io.RunFolders;
import io.roadneg.datasets.io.OutputLock;
import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.evaluation.bench.Frame;
import io.roadneg.evaluation.scores.Npy;
import io.roadneg.finetune.data.Normalization;
import io.roadneg.finetune.model.Checkpoints;
import io.roadneg.finetune.model.Devices;
import io.roadneg.finetune.model.Head;
import io.roadneg.finetune.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes one score map per benchmark frame ({@code {frame}.npy}, float32, higher = more anomalous) for
 * {@code gen eval}, with a {@code score.json} naming the model (path and SHA-256 of its files), the score and the
 * frames. Frames already written are kept, so an interrupted run resumes; a folder whose {@code score.json} names
 * another model, score or benchmark is refused (its maps would otherwise be kept as if they were this model's).
 */
public final class ScoreJob {
    private ScoreJob() {
    }

    private static Path mapFile(Path out, Frame f) {
        return out.resolve(f.id() + ".npy");
    }

    /**
     * Reads the frames from {@code from} on, as many as {@code batch} allow while they keep the first one's size
     * (a batch holds one image size).
     */
    private static Future<List<RgbImage>> read(ExecutorService reader, List<Frame> todo, int from, int batch) {
        return reader.submit(() -> {
            List<RgbImage> imgs = new ArrayList<>();
            for (int i = from; i < todo.size() && imgs.size() < batch; i++) {
                if (!imgs.isEmpty()) {
                    var info = Images.info(todo.get(i).image());
                    if (info.getWidth() != imgs.get(0).width() || info.getHeight() != imgs.get(0).height()) {
                        break;
                    }
                }
                imgs.add(Images.readRgb(todo.get(i).image()));
            }
            return imgs;
        });
    }

    /** What was written. */
    public record Result(int frames, int written, int kept, Path out) {
    }

    /** Scores every frame of {@code benchmark} under {@code root} with the model in {@code modelArg}. */
    public static Result run(Path modelArg, Score score, Benchmark benchmark, Path root, Path out, Progress progress)
            throws IOException {
        return run(modelArg, score, benchmark, root, out, progress, ai.djl.engine.Engine.getInstance().defaultDevice(),
                1);
    }

    /**
     * As {@link #run(Path, Score, Benchmark, Path, Path, Progress)}, with the network on {@code device}, up to
     * {@code batch} frames of one size per forward pass (the next batch's images are decoded while one runs).
     */
    public static Result run(Path modelArg, Score score, Benchmark benchmark, Path root, Path out, Progress progress,
            ai.djl.Device device, int batch) throws IOException {
        return run(modelArg, score, benchmark, root, out, progress, device, batch, note -> { }, MemoryProbe.system());
    }

    /**
     * The largest batch, at most {@code batch}, that the machine holds: one frame raised the process's peak resident
     * size by {@code perFrame} bytes, of which the process keeps about one frame's worth already, and
     * {@code available} more bytes can be had, of which three quarters are planned for; at least 1. Unknown sizes
     * (not positive, negative) leave {@code batch} as it is.
     */
    static int fittingBatch(int batch, long perFrame, long available) {
        if (perFrame <= 0 || available < 0) {
            return batch;
        }
        long fit = 1 + available / 4 * 3 / perFrame;
        return (int) Math.max(1, Math.min(batch, fit));
    }

    /**
     * As {@link #run(Path, Score, Benchmark, Path, Path, Progress, ai.djl.Device, int)}; on the CPU a batch of more
     * than one frame is first sized against the machine's memory (libtorch's tensors are outside the Java heap, and a
     * batch too large for the memory gets the process killed): the first frame is scored alone while {@code probe}
     * measures how much it raised the process's peak, and the batch is lowered to what the available memory holds,
     * said in one line to {@code notes}.
     */
    public static Result run(Path modelArg, Score score, Benchmark benchmark, Path root, Path out, Progress progress,
            ai.djl.Device device, int batch, java.util.function.Consumer<String> notes, MemoryProbe probe)
            throws IOException {
        if (batch < 1) {
            throw new InputException(null, "--batch", batch, "must be 1 or more");
        }
        Path ck = Checkpoints.resolve(modelArg);
        ModelSpec spec = Checkpoints.readSpec(ck);
        for (Head h : score.needs()) {
            if (!spec.heads().contains(h.key())) {
                throw new InputException(ck.resolve("model.json"), "spec.heads", spec.heads(), "score "
                        + score.key() + " needs the " + h.key() + " head, which this model lacks");
            }
        }
        if (score == Score.RPL && !spec.residual()) {
            throw new InputException(ck.resolve("model.json"), "spec.residual", false, "score rpl needs an RPL model "
                    + "(use energy for a model without the residual)");
        }
        List<Frame> frames = benchmark.frames(root);
        ObjectNode n = Checkpoints.JSON.createObjectNode();
        n.put("model", ck.toString());
        n.put("modelSha256", Checkpoints.fingerprint(ck));
        n.put("spec", spec.describe());
        n.put("score", score.key());
        n.put("benchmark", benchmark.cliName());
        n.put("root", root.toString());
        n.put("frames", frames.size());
        n.put("device", Devices.name(device));
        n.set("provenance", Checkpoints.JSON.readTree(Provenance.run("gen score", score.key(), null, null)
                .forItem(null, benchmark.cliName(), List.of(ck.toString()))
                .withLibtorch(ai.djl.engine.Engine.getInstance().getVersion()).toJson()));
        Path manifest = out.resolve("score.json");
        RunFolders.refuseAnother(manifest, Files.isRegularFile(manifest) ? Checkpoints.JSON.readTree(manifest.toFile())
                : null, n, List.of("modelSha256", "score", "benchmark"), "these score maps were made with another "
                + "model (or checkpoint), score or benchmark: use another --out or delete " + out);
        int written = 0;
        int kept = 0;
        try (OutputLock lock = OutputLock.acquire(out, "--out");
                Checkpoints.Loaded model = Checkpoints.build(spec, 0, device)) {
            // the weights must fit the spec before the manifest records that spec
            Checkpoints.loadInto(model.net(), model.manager(), ck);
            // the manifest comes before the maps, so a resumed run can tell whose maps it finds
            AtomicFiles.write(manifest, Checkpoints.JSON.writeValueAsBytes(n));
            Inference inf = new Inference(model.net(), model.manager(), new Normalization(spec.mean(), spec.std()));
            progress.start("score " + score.key(), frames.size());
            List<Frame> todo = new ArrayList<>();
            for (Frame f : frames) {
                if (Files.isRegularFile(mapFile(out, f))) {
                    kept++;
                    progress.step(1);
                } else {
                    todo.add(f);
                }
            }
            ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "score-read");
                t.setDaemon(true);
                return t;
            });
            try {
                int from = 0;
                int per = batch;
                boolean measure = batch > 1 && !device.isGpu();
                Future<List<RgbImage>> next = todo.isEmpty() ? null : read(reader, todo, 0, measure ? 1 : batch);
                while (next != null) {
                    List<RgbImage> imgs = Futures.join(next);
                    int at = from;
                    from += imgs.size();
                    // measured with the reader idle: the next frames are read once the batch size is known
                    long before = measure && probe.resetPeak() ? probe.residentBytes() : -1;
                    if (before < 0) {
                        next = from < todo.size() ? read(reader, todo, from, per) : null;
                    }
                    float[] maps = inf.runBatch(imgs, score::maps);
                    if (measure) {
                        if (before >= 0) {
                            long perFrame = probe.peakResidentBytes() - before;
                            long available = probe.availableBytes();
                            per = fittingBatch(batch, perFrame, available);
                            if (per < Math.min(batch, todo.size())) { // said only where it changes the batches
                                notes.accept(String.format(java.util.Locale.ROOT, "--batch %d on the CPU: one frame "
                                        + "took %d MB at its peak and %.1f GB are available, so batches of %d (on the "
                                        + "CPU a batch is no faster than frames one at a time)", batch,
                                        perFrame >> 20, available / (double) (1L << 30), per));
                            }
                            next = from < todo.size() ? read(reader, todo, from, per) : null;
                        }
                        measure = false;
                    }
                    int hw = imgs.get(0).width() * imgs.get(0).height();
                    for (int j = 0; j < imgs.size(); j++) {
                        Path file = mapFile(out, todo.get(at + j));
                        Files.createDirectories(file.getParent());
                        Npy.write(file, imgs.get(j).width(), imgs.get(j).height(),
                                Arrays.copyOfRange(maps, j * hw, (j + 1) * hw), false);
                        written++;
                        progress.step(1);
                    }
                }
            } finally {
                reader.shutdownNow();
                progress.close();
            }
        }
        return new Result(frames.size(), written, kept, out);
    }
}
