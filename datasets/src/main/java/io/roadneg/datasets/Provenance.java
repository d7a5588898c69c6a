package io.roadneg.datasets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * What made an output: the command, its recipe (SHA-256 of the config as YAML), seed, item and source items, and the
 * environment (tool version and git commit, Java, OS/arch, OpenCV, DJL and libtorch). Every command's outputs carry
 * one. Files that must repeat byte for byte (PNG text chunks, the sample data) carry its {@link #reproducible()} form,
 * without the environment; run-level records ({@code provenance.json}, manifests, {@code score.json},
 * {@code metrics.json}) carry all of it.
 *
 * @param command the command, e.g. {@code gen paste}
 * @param recipe the recipe's name, or null
 * @param recipeSha256 SHA-256 of the recipe as YAML, or null
 * @param seed the run seed, or null
 * @param item the output's item (index or name), or null for a run-level record
 * @param destination the destination frame, or null
 * @param sources the source items the output was made from (may be empty)
 * @param environment where it ran, or null in the reproducible form
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"command", "recipe", "recipeSha256", "seed", "item", "destination", "sources", "environment"})
public record Provenance(String command, String recipe, String recipeSha256, Long seed, String item,
        String destination, List<String> sources, Environment environment) {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the source list. */
    public Provenance {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("provenance needs the command");
        }
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** A run-level record of {@code command} in the current environment. */
    public static Provenance run(String command, String recipe, String recipeSha256, Long seed) {
        return new Provenance(command, recipe, recipeSha256, seed, null, null, List.of(), Environment.current());
    }

    /** This run's record for one output. */
    public Provenance forItem(String item, String destination, List<String> sources) {
        return new Provenance(command, recipe, recipeSha256, seed, item, destination, sources, environment);
    }

    /** The same record with the libtorch version the run's engine reports. */
    public Provenance withLibtorch(String libtorch) {
        Environment e = environment == null ? null : new Environment(environment.version(), environment.commit(),
                environment.java(), environment.os(), environment.opencv(), environment.djl(), libtorch);
        return new Provenance(command, recipe, recipeSha256, seed, item, destination, sources, e);
    }

    /** Without the environment: what the output's bytes depend on, and nothing else. */
    public Provenance reproducible() {
        return new Provenance(command, recipe, recipeSha256, seed, item, destination, sources, null);
    }

    /** One-line JSON, fields in declaration order. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key of the PNG text chunk that holds an output's reproducible provenance. */
    public static final String PNG_KEY = "roadneg:provenance";

    /**
     * Where a run ran.
     *
     * @param version roadneg version
     * @param commit git commit of the build ({@code -dirty} with uncommitted changes; from the launcher), or null
     * @param java Java version and vendor
     * @param os OS name, version and architecture
     * @param opencv OpenCV version bundled
     * @param djl DJL version when DJL is on the class path, else null
     * @param libtorch libtorch version of a run that started the engine, else null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Environment(String version, String commit, String java, String os, String opencv, String djl,
            String libtorch) {
        /** The environment of this process (the engine's libtorch version is added by runs that start it). */
        public static Environment current() {
            return Current.VALUE;
        }

        private static final class Current {
            static final Environment VALUE = capture();
        }

        private static Environment capture() {
            return new Environment(buildVersion(), System.getProperty("roadneg.commit"),
                    System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"), org.opencv.core.Core.VERSION, djlVersion(), null);
        }

        /** The roadneg version of this build. */
        public static String buildVersion() {
            Properties p = new Properties();
            try (InputStream in = Provenance.class.getResourceAsStream("/roadneg-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p.getProperty("version", "unknown");
        }

        private static String djlVersion() {
            try {
                return String.valueOf(Class.forName("ai.djl.engine.Engine").getMethod("getDjlVersion").invoke(null));
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    }
}
