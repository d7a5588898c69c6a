package io.roadneg.cli;

import io.roadneg.datasets.InputException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into the exit-code contract: bad input (file, field, value) gives one line and exit 2; any other
 * failure gives one line and exit 1; stack traces only with -v.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        while ((ex instanceof java.util.concurrent.CompletionException
                || ex instanceof java.util.concurrent.ExecutionException) && ex.getCause() instanceof Exception c) {
            ex = c; // a worker's failure: report what went wrong, not the wrapper
        }
        boolean verbose = parsed.hasMatchedOption("-v") || isVerbose(parsed);
        int code;
        String msg;
        if (ex instanceof InputException || ex instanceof IllegalArgumentException) {
            code = Gen.EXIT_INPUT;
            msg = ex.getMessage();
        } else if (ex instanceof UncheckedIOException u) {
            code = Gen.EXIT_FAILURE;
            msg = u.getMessage();
        } else {
            code = Gen.EXIT_FAILURE;
            msg = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + oneLine(msg));
        if (verbose) {
            ex.printStackTrace(err);
        } else if (code == Gen.EXIT_FAILURE) {
            err.println("(run again with -v for the stack trace)");
        }
        err.flush();
        return code;
    }

    private static boolean isVerbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("-v") || p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(String s) {
        return s == null ? "(no message)" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
