package io.roadneg.cli;

import io.roadneg.datasets.InputException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: seed, config file, config overrides and verbosity. */
public class CommonOptions {
    @Option(names = "--seed", description = "Run seed; per-item seeds derive from it (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    long seed;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces and details.")
    boolean verbose;

    /** The run seed. */
    public long seed() {
        return seed;
    }

    /** The config file, or null. */
    public Path config() {
        return config;
    }

    /** Config overrides in the order given. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /**
     * Refuses {@code --config} and {@code --set} in a command that has no config, so they are never accepted and
     * silently ignored.
     */
    void refuseConfig(String command) {
        if (config != null) {
            throw new InputException(null, "--config", config, "gen " + command + " takes no config file");
        }
        if (!overrides.isEmpty()) {
            Map.Entry<String, String> e = overrides.entrySet().iterator().next();
            throw new InputException(null, "--set", e.getKey() + "=" + e.getValue(), "gen " + command
                    + " has no config keys to set");
        }
    }

    /** Whether -v was given. */
    public boolean verbose() {
        return verbose;
    }
}
