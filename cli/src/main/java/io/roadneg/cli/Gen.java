package io.roadneg.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code gen} command: entry point and subcommand registry. */
@Command(name = "gen", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Synthetic outlier (negative) data for road-scene anomaly segmentation: prepare, paste, "
                + "train, evaluate.")
public final class Gen implements Runnable {
    /** Success. */
    public static final int EXIT_OK = 0;
    /** A run failed. */
    public static final int EXIT_FAILURE = 1;
    /** Usage, config or input error. */
    public static final int EXIT_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The subcommands, by name, in the order {@code gen --help} lists them. */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("sample-data", SampleDataCommand.class);
        m.put("prepare", PrepareCommand.class);
        m.put("paste", PasteCommand.class);
        m.put("eval", EvalCommand.class);
        m.put("export-smiyc", ExportSmiycCommand.class);
        m.put("masks", MasksCommand.class);
        m.put("refine", RefineCommand.class);
        m.put("train", TrainCommand.class);
        m.put("finetune", FinetuneCommand.class);
        m.put("score", ScoreCommand.class);
        m.put("flow", FlowCommand.class);
        m.put("ablate", AblateCommand.class);
        m.put("doctor", DoctorCommand.class);
        m.put("generate-completion", AutoComplete.GenerateCompletion.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** A configured command line with every subcommand (used by tests and for help and completion). */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * A configured command line; when {@code only} names a subcommand, that one alone is built (picocli reflects over
     * every option of every subcommand it is given: building all of them cost about 0.1 s of each start), else all.
     */
    static CommandLine commandLine(String only) {
        CommandLine cl = new CommandLine(new Gen());
        // the completion script describes the whole tree
        boolean one = only != null && SUBCOMMANDS.containsKey(only) && !only.equals("generate-completion");
        for (Map.Entry<String, Class<?>> e : SUBCOMMANDS.entrySet()) {
            if (!one || e.getKey().equals(only)) {
                cl.addSubcommand(e.getKey(), e.getValue());
            }
        }
        DatasetRootOptions.addSourceRoots(cl);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine gc = cl.getSubcommands().get("generate-completion");
        if (gc != null) {
            gc.getCommandSpec().usageMessage().hidden(false);
        }
        return cl;
    }

    /** Runs {@code gen} and exits with its code. */
    public static void main(String[] args) {
        java.util.List<String> given = java.util.Arrays.asList(args);
        if (args.length > 0 && args[0].equals("paste") && !given.contains("-h") && !given.contains("--help")
                && !given.contains("-V") && !given.contains("--version")) {
            // not for help: loading the codecs made `gen paste --help` 0.06 s slower
            Thread warm = new Thread(PasteCommand::warmUp, "paste-warm-up");
            warm.setDaemon(true);
            warm.start();
        }
        int code;
        try {
            code = commandLine(args.length > 0 ? args[0] : null).execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands errors on: one line as for any failure, the trace only with -v
            System.err.println(outOfMemory(args.length > 0 ? args[0] : null, Runtime.getRuntime().maxMemory()));
            if (given.contains("-v") || given.contains("--verbose")) {
                e.printStackTrace();
            }
            code = EXIT_FAILURE;
        }
        System.exit(code);
    }

    /** The one line for a run that ran out of heap ({@code heapBytes}, the JVM's maximum). */
    static String outOfMemory(String command, long heapBytes) {
        String name = command == null || command.startsWith("-") ? "" : " " + command;
        return String.format(java.util.Locale.ROOT, "gen%s: error: out of memory (the Java heap is %.1f GB): give it "
                + "more with GEN_HEAP (say GEN_HEAP=16g gen ...), or ask for less at a time (fewer --threads, a "
                + "smaller --batch)", name, heapBytes / (double) (1L << 30));
    }
}
