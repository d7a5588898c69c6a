package io.roadneg.cli;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.image.OpenCv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

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
                            "optional: on a CUDA machine use a CUDA build of libtorch through PYTORCH_LIBRARY_PATH, "
                                    + "PYTORCH_FLAVOR and PYTORCH_VERSION=2.7.1 (see README)"));
        } catch (Throwable t) {
            out.add(new Check("djl-pytorch", Status.MISSING, "PyTorch engine did not start: " + oneLine(t),
                    "the build bundles pytorch-native-cpu 2.7.1; keep PYTORCH_VERSION unset (or 2.7.1), make sure "
                            + cacheDir() + " is writable, and run with DJL_OFFLINE=true"));
        }
        return out;
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

    /** Checks the dataset roots the user named; a null root is skipped. */
    static List<Check> datasets(Map<String, Path> roots) {
        List<Check> out = new ArrayList<>();
        Map<String, Function<Path, Check>> checks = Map.of(
                "cityscapes", Doctor::cityscapes,
                "coco", Doctor::coco,
                "ade20k", Doctor::ade20k);
        roots.forEach((name, root) -> {
            if (root != null) {
                out.add(checks.get(name).apply(root));
            }
        });
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
                    "point --cityscapes at the folder holding leftImg8bit/ and gtFine/ (from leftImg8bit_trainvaltest"
                            + ".zip and gtFine_trainvaltest.zip)");
        }
    }

    private static Check coco(Path root) {
        List<String> found = new ArrayList<>();
        for (String split : List.of("train", "val")) {
            Path ann = root.resolve("annotations/instances_" + split + "2017.json");
            Path img = root.resolve(split + "2017");
            if (Files.isRegularFile(ann) && Files.isDirectory(img)) {
                String broken = jsonNotWhole(ann);
                if (broken != null) {
                    return new Check("coco", Status.BROKEN, ann + ": " + broken, "download "
                            + "annotations_trainval2017.zip again and unzip it over " + root.resolve("annotations"));
                }
                found.add(split + "2017: " + count(img, ".jpg") + " images");
            }
        }
        if (found.isEmpty()) {
            return new Check("coco", Status.MISSING, root + ": no annotations/instances_{train,val}2017.json with "
                    + "its {train,val}2017/ image folder", "point --coco at the folder holding annotations/ and "
                    + "train2017/ (from train2017.zip and annotations_trainval2017.zip)");
        }
        return new Check("coco", Status.OK, root + " (" + String.join(", ", found) + ")", null);
    }

    /**
     * Why a JSON file cannot be whole (empty, or not starting with '{' and ending with '}' as a cut-off download
     * would not), or null. Reads only the two ends, so it stays quick on the 448 MB train file.
     */
    static String jsonNotWhole(Path file) {
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            if (size == 0) {
                return "empty file";
            }
            int n = (int) Math.min(size, 4096);
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(n);
            ch.read(head);
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(n);
            ch.position(size - n);
            ch.read(tail);
            int first = firstNonSpace(head.array(), true);
            int last = firstNonSpace(tail.array(), false);
            if (first != '{') {
                return "does not start with a JSON object (truncated or not JSON)";
            }
            if (last != '}') {
                return "does not end with '}' (truncated download)";
            }
            return null;
        } catch (IOException e) {
            return "cannot read: " + e.getMessage();
        }
    }

    private static int firstNonSpace(byte[] b, boolean fromStart) {
        for (int k = 0; k < b.length; k++) {
            int c = b[fromStart ? k : b.length - 1 - k] & 0xff;
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && !(fromStart && k < 3 && (c == 0xEF || c == 0xBB
                    || c == 0xBF))) {
                return c;
            }
        }
        return -1;
    }

    private static Check ade20k(Path root) {
        Path base = Files.isDirectory(root.resolve("ADEChallengeData2016")) ? root.resolve("ADEChallengeData2016")
                : root;
        Path img = base.resolve("images");
        Path ann = base.resolve("annotations");
        if (!Files.isDirectory(img) || !Files.isDirectory(ann) || !Files.isRegularFile(base.resolve(
                "objectInfo150.csv"))) {
            return new Check("ade20k", Status.MISSING, root + ": expected ADEChallengeData2016 with images/, "
                    + "annotations/ and objectInfo150.csv", "point --ade20k at the unzipped ADEChallengeData2016.zip");
        }
        return new Check("ade20k", Status.OK, root + " (training: " + count(img.resolve("training"), ".jpg")
                + " images, validation: " + count(img.resolve("validation"), ".jpg") + " images)", null);
    }

    private static long count(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
