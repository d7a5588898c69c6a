package io.roadneg.cli;

import io.roadneg.generators.OutlierSources;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gen doctor}: says what is installed, what is missing and how to fix it. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check Java, the native libraries (OpenCV, DJL/PyTorch, GPU) and the dataset roots given.")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatasetRootOptions roots;

    @Option(names = "--no-native", description = "Skip loading OpenCV and PyTorch (quick check of datasets only).")
    boolean noNative;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Doctor.Check> checks = new ArrayList<>();
        if (!noNative) {
            checks.addAll(Doctor.runtime());
        }
        checks.addAll(Doctor.datasets(roots.cityscapesRoot(), roots.sourceRoots()));
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
        if (roots.cityscapesRoot() == null && roots.sourceRoots().isEmpty()) {
            out.println("          (no dataset roots given: without them every command uses the bundled sample data;"
                    + " pass --cityscapes-root, " + OutlierSources.roots().stream().map(r -> r.option())
                    .collect(java.util.stream.Collectors.joining(", ")) + " to check real ones)");
        }
        out.println(missing ? "Some checks failed: see the fixes above." : "All checks passed.");
        out.flush();
        return missing ? Gen.EXIT_FAILURE : Gen.EXIT_OK;
    }
}
