package io.roadneg.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code gen} command: entry point and subcommand registry. */
@Command(name = "gen", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Synthetic outlier (negative) data for road-scene anomaly segmentation: prepare, paste, "
                + "train, evaluate.",
        subcommands = {
            SampleDataCommand.class,
            PrepareCommand.class,
            PasteCommand.class,
            EvalCommand.class,
            ExportSmiycCommand.class,
            MasksCommand.class,
            RefineCommand.class,
            TrainCommand.class,
            FinetuneCommand.class,
            ScoreCommand.class,
            FlowCommand.class,
            AblateCommand.class,
            DoctorCommand.class,
            AutoComplete.GenerateCompletion.class,
        })
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

    /** A configured command line (used by {@link #main} and by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Gen());
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
        System.exit(commandLine().execute(args));
    }
}
