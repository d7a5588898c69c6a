package io.roadneg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen doctor}: says what is installed, what is missing and how to fix it. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check Java, the native libraries (OpenCV, DJL/PyTorch, GPU) and the dataset roots given.")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cityscapes", paramLabel = "DIR", description = "Cityscapes root (leftImg8bit/, gtFine/).")
    Path cityscapes;

    @Option(names = "--coco", paramLabel = "DIR", description = "COCO root (annotations/, train2017/, val2017/).")
    Path coco;

    @Option(names = "--ade20k", paramLabel = "DIR", description = "ADE20K SceneParsing root (ADEChallengeData2016).")
    Path ade20k;

    @Option(names = "--no-native", description = "Skip loading OpenCV and PyTorch (quick check of datasets only).")
    boolean noNative;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Doctor.Check> checks = new ArrayList<>();
        if (!noNative) {
            checks.addAll(Doctor.runtime());
        }
        Map<String, Path> roots = new LinkedHashMap<>();
        roots.put("cityscapes", cityscapes);
        roots.put("coco", coco);
        roots.put("ade20k", ade20k);
        checks.addAll(Doctor.datasets(roots));
        boolean missing = false;
        for (Doctor.Check c : checks) {
            String tag = switch (c.status()) {
                case OK -> "[ok]     ";
                case WARN -> "[warn]   ";
                case MISSING -> "[missing]";
                case BROKEN -> "[broken] ";
            };
            out.println(tag + " " + c.name() + ": " + c.detail());
            if (c.fix() != null) {
                out.println("          fix: " + c.fix());
            }
            missing |= c.status() == Doctor.Status.MISSING || c.status() == Doctor.Status.BROKEN;
        }
        if (roots.values().stream().allMatch(p -> p == null)) {
            out.println("          (no dataset roots given: without them every command uses the bundled sample data;"
                    + " pass --cityscapes/--coco/--ade20k to check real ones)");
        }
        out.println(missing ? "Some checks failed: see the fixes above." : "All checks passed.");
        out.flush();
        return missing ? Gen.EXIT_FAILURE : Gen.EXIT_OK;
    }
}
