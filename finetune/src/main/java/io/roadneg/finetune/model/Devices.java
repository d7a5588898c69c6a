package io.roadneg.finetune.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.roadneg.datasets.InputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --device auto|cpu|gpu[:N]} setting of the commands that run a network, resolved against what DJL's
 * PyTorch engine sees. {@code auto} is the engine's default (the first GPU when a CUDA libtorch sees one, else the
 * CPU).
 */
public final class Devices {
    /** How to get a CUDA libtorch under DJL 0.35.1 (its pinned PyTorch is 2.7.1). */
    public static final String GPU_FIX = "run with a CUDA build of libtorch 2.7.1: PYTORCH_LIBRARY_PATH=<folder with "
            + "libtorch.so> PYTORCH_FLAVOR=cu128 PYTORCH_VERSION=2.7.1";

    private static final Pattern SPEC = Pattern.compile("auto|cpu|gpu(?::(\\d{1,4}))?");

    private Devices() {
    }

    /** Resolves {@code spec}; a malformed value or a GPU the engine does not see is an input error. */
    public static Device resolve(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec);
        if (!m.matches()) {
            throw new InputException(null, "--device", spec, "expected auto, cpu, gpu or gpu:N");
        }
        if (spec.equals("cpu")) {
            return Device.cpu();
        }
        Engine engine = Engine.getEngine("PyTorch");
        if (spec.equals("auto")) {
            return engine.defaultDevice();
        }
        int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        int gpus = engine.getGpuCount();
        if (index >= gpus) {
            throw new InputException(null, "--device", spec, "DJL " + Engine.getDjlVersion() + " found "
                    + (gpus == 0 ? "no GPU" : gpus + " GPU(s), numbered from 0") + " (PyTorch " + engine.getVersion()
                    + ", flavor " + flavor() + "); " + GPU_FIX);
        }
        return Device.gpu(index);
    }

    /**
     * Sets libtorch's intra-op thread count for this process (its pool is one per process). Results of training
     * depend on it in the last bits (reductions split differently), so a comparison that must match byte for byte
     * runs with the same count.
     */
    public static void setThreads(int threads) {
        ai.djl.engine.Engine.getEngine("PyTorch");
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }

    /** libtorch's intra-op thread count in this process. */
    public static int threads() {
        ai.djl.engine.Engine.getEngine("PyTorch");
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    /** The libtorch flavor DJL was asked for (cpu when unset: the bundled build). */
    public static String flavor() {
        String f = System.getenv("PYTORCH_FLAVOR");
        return f == null || f.isBlank() ? "cpu (bundled)" : f;
    }

    /** The name a run records: {@code cpu} or {@code gpu:N}. */
    public static String name(Device d) {
        return d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu";
    }
}
