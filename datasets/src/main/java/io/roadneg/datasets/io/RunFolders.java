package io.roadneg.datasets.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The one rule for resumable output folders: a folder holds one run's files, named by a record in it (a paste's
 * {@code run.json}, a score folder's {@code score.json}, a training checkpoint's state); a run whose identity differs
 * is refused with the first key that differs, its old and its new value, so one run never mixes into another's files.
 */
public final class RunFolders {
    private RunFolders() {
    }

    /**
     * Refuses to continue a folder whose recorded identity differs from this run's.
     *
     * @param record the file holding the old identity (named in the error)
     * @param old the recorded identity, or null when there is none yet (nothing to compare)
     * @param now this run's identity
     * @param keys the keys compared; empty: every key of either
     * @param hint what the user can do, e.g. {@code use a new --out or delete the folder}
     * @throws InputException naming the first differing key, its recorded value and this run's
     */
    public static void refuseAnother(Path record, JsonNode old, JsonNode now, List<String> keys, String hint) {
        if (old == null) {
            return;
        }
        List<String> compared = new ArrayList<>(keys);
        if (compared.isEmpty()) {
            old.fieldNames().forEachRemaining(compared::add);
            now.fieldNames().forEachRemaining(k -> {
                if (!compared.contains(k)) {
                    compared.add(k);
                }
            });
        }
        for (String k : compared) {
            if (!Objects.equals(old.get(k), now.get(k))) {
                JsonNode was = old.get(k);
                throw new InputException(record, k, was == null ? null : was.isTextual() ? was.asText() : was,
                        "this output folder holds another run's files (now " + (now.get(k) == null ? "absent"
                                : now.get(k).isTextual() ? now.get(k).asText() : now.get(k)) + "); " + hint);
            }
        }
    }

    /** Refuses a folder that holds files but no {@code record}: files of unknown origin are never written into. */
    public static void refuseUnknown(Path out, String record) {
        if (!Files.isDirectory(out) || Files.exists(out.resolve(record))) {
            return;
        }
        try (Stream<Path> s = Files.list(out)) {
            // the run's own lock file (taken before this check) is not a file of unknown origin
            if (s.anyMatch(p -> !p.getFileName().toString().equals(OutputLock.FILE))) {
                throw new InputException(out, "--out", out, "folder is not empty and holds no " + record
                        + ": refusing to write into files of unknown origin");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
