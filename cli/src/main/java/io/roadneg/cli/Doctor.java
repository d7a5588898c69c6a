package io.roadneg.cli;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.image.OpenCv;
import io.roadneg.finetune.model.Devices;
import io.roadneg.generators.OutlierSourceProvider;
import io.roadneg.generators.OutlierSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The checks behind {@code gen doctor}: runtime, native libraries, GPU and dataset roots. */
final class Doctor {
    /** Outcome of one check. */
    enum Status { OK, WARN, MISSING, BROKEN }

    /** One check's result, with how to fix it when it is not OK. */
    record Check(String name, Status status, String detail, String fix) {
    }

    private Doctor() {
    }

    static List<Check> runtime() {
        List<Check> out = new ArrayList<>();
        int feature = Runtime.version().feature();
        out.add(feature >= 17 ? new Check("java", Status.OK, "Java " + Runtime.version() + " (needs 17+)", null)
                : new Check("java", Status.MISSING, "Java " + Runtime.version() + " is older than 17",
                        "install a JDK 17+ and put it first on PATH (or set JAVA_HOME)"));
        out.add(opencv());
        out.add(pngDeflate());
        out.add(pngInflate());
        out.addAll(djl());
        return out;
    }

    private static Check opencv() {
        try {
            return new Check("opencv", Status.OK, "OpenCV " + OpenCv.version() + " (bundled openpnp natives)", null);
        } catch (Throwable t) {
            return new Check("opencv", Status.MISSING, "OpenCV natives did not load: " + t,
                    "the openpnp jar ships linux/macOS/windows natives for x86_64 and arm64; check the platform "
                            + "and that the temp folder is writable and not mounted noexec");
        }
    }

    /** Which deflate writes level-1 photographs: ISA-L where GKL's native library loads, else zlib (slower). */
    private static Check pngDeflate() {
        String s = io.roadneg.datasets.image.PngEncoder.isalStatus();
        return io.roadneg.datasets.image.PngEncoder.isalAvailable()
                ? new Check("png deflate", Status.OK, "level-1 photographs: " + s, null)
                : new Check("png deflate", Status.WARN, "level-1 photographs: " + s,
                        "GKL ships ISA-L for Linux and macOS on x86_64; elsewhere PNGs are written by zlib (same "
                                + "pixels, about 3.5x slower to compress); ROADNEG_NO_ISAL=1 asks for zlib");
    }

    /** What inflates PNGs: ISA-L where GKL's native library loads, else zlib (slower, same pixels). */
    private static Check pngInflate() {
        String s = io.roadneg.datasets.image.Images.pngInflateStatus();
        return io.roadneg.datasets.image.Images.pngInflateFast()
                ? new Check("png inflate", Status.OK, s, null)
                : new Check("png inflate", Status.WARN, s,
                        "GKL ships ISA-L for Linux and macOS on x86_64; elsewhere PNGs are read by zlib (same pixels, "
                                + "about 2x slower to decompress); ROADNEG_NO_ISAL=1 asks for zlib");
    }

    private static List<Check> djl() {
        List<Check> out = new ArrayList<>();
        String offline = System.getenv("DJL_OFFLINE");
        if (!"true".equalsIgnoreCase(offline) && !Boolean.getBoolean("ai.djl.offline")) {
            out.add(new Check("djl-offline", Status.WARN, "DJL_OFFLINE is not set: DJL may try to download natives",
                    "run through the ./gen launcher, or export DJL_OFFLINE=true"));
        }
        try {
            ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
            out.add(new Check("djl-pytorch", Status.OK, "DJL " + ai.djl.engine.Engine.getDjlVersion() + ", PyTorch "
                    + engine.getVersion() + " (natives in " + cacheDir() + ")", null));
            int gpus = engine.getGpuCount();
            out.add(gpus > 0 ? new Check("gpu", Status.OK, gpus + " CUDA GPU(s) visible to PyTorch", null)
                    : new Check("gpu", Status.WARN, "no GPU: training and flow sampling run on the CPU (slow)",
                            "optional: on a CUDA machine " + Devices.GPU_FIX + " (see README)"));
            out.add(new Check("device", Status.OK, "--device auto runs on " + Devices.name(engine.defaultDevice())
                    + "; libtorch flavor " + Devices.flavor() + (gpus > 0 ? "; gpu:0 to gpu:" + (gpus - 1)
                    + " available" : "; --device gpu is refused"), null));
            out.add(flowSampling(engine));
        } catch (Throwable t) {
            out.add(new Check("djl-pytorch", Status.MISSING, "PyTorch engine did not start: " + oneLine(t),
                    "the build bundles pytorch-native-cpu 2.7.1; keep PYTORCH_VERSION unset (or 2.7.1), make sure "
                            + cacheDir() + " is writable, and run with DJL_OFFLINE=true"));
        }
        return out;
    }

    /**
     * Decodes one 16 x 16 sample of an untrained denseflow-cpu flow on the default device: what gen flow sample and
     * the flow source do, end to end (parameters, per-item noise, every inverse bijection, quantisation).
     */
    static Check flowSampling(ai.djl.engine.Engine engine) {
        String where = Devices.name(engine.defaultDevice());
        long t0 = System.nanoTime();
        try (io.roadneg.flows.DenseFlow flow = new io.roadneg.flows.DenseFlow(
                io.roadneg.flows.DenseFlowConfig.preset("denseflow-cpu"), 0, engine.defaultDevice());
                ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(engine.defaultDevice())) {
            float[] v = flow.sample(m, 1, 16, 16, 0.8, io.roadneg.flows.Noise.seeded(0, 0)).toFloatArray();
            for (float x : v) {
                if (!(x >= 0 && x <= 255)) {
                    return new Check("flow-sampling", Status.BROKEN, "a sample of an untrained denseflow-cpu on " + where
                            + " holds " + x + ", outside 0..255", "run gen doctor -v and report it");
                }
            }
            return new Check("flow-sampling", Status.OK, String.format("flow sampling works on %s: a 16x16 sample of "
                    + "an untrained denseflow-cpu in %d ms", where, (System.nanoTime() - t0) / 1_000_000), null);
        } catch (Throwable t) {
            return new Check("flow-sampling", Status.BROKEN, "flow sampling failed on " + where + ": " + oneLine(t),
                    "run gen doctor -v and report it");
        }
    }

    private static String cacheDir() {
        String env = System.getenv("DJL_CACHE_DIR");
        return env != null ? env : System.getProperty("user.home") + "/.djl.ai";
    }

    private static String oneLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return ErrorHandler.oneLine(root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    /**
     * Checks the dataset roots the user named: Cityscapes here, each source root by the source that reads it
     * ({@link OutlierSources#check}).
     */
    static List<Check> datasets(Path cityscapesRoot, Map<String, Path> sourceRoots) {
        List<Check> out = new ArrayList<>();
        if (cityscapesRoot != null) {
            out.add(cityscapes(cityscapesRoot));
        }
        for (OutlierSourceProvider.DatasetRoot r : OutlierSources.roots()) {
            Path p = sourceRoots.get(r.name());
            if (p != null) {
                OutlierSourceProvider.RootCheck c = OutlierSources.check(r.name(), p);
                out.add(new Check(r.name(), Status.valueOf(c.status().name()), c.detail(), c.fix()));
            }
        }
        return out;
    }

    private static Check cityscapes(Path root) {
        try {
            CityscapesDataset ds = CityscapesDataset.open(root);
            StringBuilder sb = new StringBuilder();
            for (String split : ds.splits()) {
                sb.append(split).append(": ").append(ds.frames(split).size()).append(" images, ")
                        .append(ds.labelledFrames(split).size()).append(" labelled; ");
            }
            boolean trainIds = ds.splits().stream().flatMap(s -> ds.labelledFrames(s).stream()).findFirst()
                    .map(f -> Files.exists(f.trainIdsPath())).orElse(false);
            String fixTrain = trainIds ? null
                    : "labelTrainIds.png are missing: they are derived from labelIds on the fly (same result as "
                            + "the official createTrainIdLabelImgs script)";
            return new Check("cityscapes", trainIds ? Status.OK : Status.WARN, root + " (" + sb + ")", fixTrain);
        } catch (InputException e) {
            return new Check("cityscapes", Status.MISSING, e.getMessage(),
                    "point --cityscapes-root at the folder holding leftImg8bit/ and gtFine/ (from leftImg8bit_trainvaltest"
                            + ".zip and gtFine_trainvaltest.zip)");
        }
    }
}
