package io.roadneg.flows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roadneg.datasets.config.Configs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A DenseFlow's architecture and its published optimiser settings. Field names follow the public DenseFlow code's
 * arguments: {@code blocks} = block_conf (units per block), {@code layers} = layers_conf (steps per unit),
 * {@code midChannels} = layer_mid_chnls, {@code growthRate} = growth_rate (noise channels each unit adds).
 *
 * @param version config format version (1)
 * @param name a label recorded with checkpoints
 * @param channels image channels
 * @param numBits bits per sub-pixel (8: values 0..255)
 * @param blocks units per block, one entry per scale
 * @param layers steps per unit, per block
 * @param midChannels coupling-network width, per block
 * @param growthRate noise channels appended by each unit after the first (cross-unit coupling)
 * @param coupling the intra-unit coupling network
 * @param noiseNetExpansion width of the cross-unit noise network's hidden layer, as a multiple of its input channels
 * @param dequantization the variational dequantisation flow
 * @param optimizer Adamax settings for training
 */
public record DenseFlowConfig(int version, String name, int channels, int numBits, List<Integer> blocks,
        List<Integer> layers, List<Integer> midChannels, int growthRate, Coupling coupling, int noiseNetExpansion,
        Dequantization dequantization, Optimizer optimizer) {

    /** Config format version this code reads. */
    public static final int VERSION = 1;

    /**
     * The intra-unit coupling network: a dense block of {@code depth} layers of {@code growth} channels beside a
     * Nystrom attention with {@code landmarks} landmarks.
     */
    public record Coupling(int depth, int growth, int landmarks) {
        /** Validates. */
        public Coupling {
            positive("coupling.depth", depth);
            positive("coupling.growth", growth);
            positive("coupling.landmarks", landmarks);
        }
    }

    /** The dequantisation flow: {@code steps} conditional couplings on a context of {@code contextChannels}. */
    public record Dequantization(int steps, int contextChannels, int midChannels, int depth, int growth,
            int contextDepth, int contextGrowth) {
        /** Validates. */
        public Dequantization {
            positive("dequantization.steps", steps);
            positive("dequantization.contextChannels", contextChannels);
            positive("dequantization.midChannels", midChannels);
            positive("dequantization.depth", depth);
            positive("dequantization.growth", growth);
            positive("dequantization.contextDepth", contextDepth);
            positive("dequantization.contextGrowth", contextGrowth);
        }
    }

    /**
     * Adamax with a linear warm-up over {@code warmupSteps} and an exponential decay by {@code gamma} per epoch.
     */
    public record Optimizer(double lr, List<Double> betas, double eps, int warmupSteps, double gamma, int batch) {
        /** Validates. */
        public Optimizer {
            if (!(lr > 0)) {
                throw new IllegalArgumentException("optimizer.lr must be positive, found " + lr);
            }
            if (betas == null || betas.size() != 2 || betas.stream().anyMatch(b -> !(b >= 0 && b < 1))) {
                throw new IllegalArgumentException("optimizer.betas must be two values in [0, 1), found " + betas);
            }
            betas = List.copyOf(betas);
            if (!(eps > 0)) {
                throw new IllegalArgumentException("optimizer.eps must be positive, found " + eps);
            }
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("optimizer.warmupSteps must be >= 0, found " + warmupSteps);
            }
            if (!(gamma > 0 && gamma <= 1)) {
                throw new IllegalArgumentException("optimizer.gamma must be in (0, 1], found " + gamma);
            }
            positive("optimizer.batch", batch);
        }
    }

    /** Validates. */
    public DenseFlowConfig {
        if (version != VERSION) {
            throw new IllegalArgumentException("version must be " + VERSION + ", found " + version);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must be set");
        }
        positive("channels", channels);
        if (numBits < 1 || numBits > 16) {
            throw new IllegalArgumentException("numBits must be in 1..16, found " + numBits);
        }
        if (blocks == null || blocks.isEmpty()) {
            throw new IllegalArgumentException("blocks must list the units of at least one block, found " + blocks);
        }
        blocks = List.copyOf(blocks);
        for (int i = 0; i < blocks.size(); i++) {
            positive("blocks[" + i + "]", blocks.get(i));
        }
        layers = perBlock("layers", layers, blocks.size());
        midChannels = perBlock("midChannels", midChannels, blocks.size());
        for (int i = 0; i < midChannels.size(); i++) {
            if (midChannels.get(i) < 2) {
                throw new IllegalArgumentException("midChannels[" + i + "] must be >= 2 (the attention embeds half), "
                        + "found " + midChannels.get(i));
            }
        }
        positive("growthRate", growthRate);
        if (coupling == null || dequantization == null || optimizer == null) {
            throw new IllegalArgumentException("coupling, dequantization and optimizer must be set");
        }
        positive("noiseNetExpansion", noiseNetExpansion);
    }

    private static List<Integer> perBlock(String field, List<Integer> v, int n) {
        if (v == null || v.size() != n) {
            throw new IllegalArgumentException(field + " must have one entry per block (" + n + "), found " + v);
        }
        for (int i = 0; i < n; i++) {
            positive(field + "[" + i + "]", v.get(i));
        }
        return List.copyOf(v);
    }

    private static void positive(String field, Integer v) {
        if (v == null || v <= 0) {
            throw new IllegalArgumentException(field + " must be positive, found " + v);
        }
    }

    /** Number of blocks (scales). */
    public int numBlocks() {
        return blocks.size();
    }

    /** Channels entering block {@code b} (after the initial squeeze and the transitions before it). */
    public int blockInputChannels(int b) {
        int c = 4 * channels;
        for (int i = 0; i < b; i++) {
            c = 2 * blockOutputChannels(i, c);
        }
        return c;
    }

    private int blockOutputChannels(int b, int in) {
        return in + growthRate * (blocks.get(b) - 1);
    }

    /** Channels leaving block {@code b}. */
    public int blockOutputChannels(int b) {
        return blockOutputChannels(b, blockInputChannels(b));
    }

    /** Loads a YAML file (with {@code key=value} overrides); errors name the file, key and value. */
    public static DenseFlowConfig load(Path file, Map<String, String> overrides) {
        return Configs.load(null, file, overrides, DenseFlowConfig.class);
    }

    /** The bundled presets' names. */
    public static final List<String> PRESETS = List.of("denseflow-cpu", "denseflow-published");

    /**
     * A preset (one of {@link #PRESETS}), overlaid by a YAML file (or null) and {@code key=value} overrides; errors
     * name the file, key and value.
     */
    public static DenseFlowConfig load(String preset, Path file, Map<String, String> overrides) {
        if (!PRESETS.contains(preset)) {
            throw new io.roadneg.datasets.InputException(null, "--preset", preset, "unknown flow preset; known: "
                    + String.join(", ", PRESETS));
        }
        return Configs.load(Configs.readResource("flow-configs/" + preset + ".yaml"), file, overrides,
                DenseFlowConfig.class);
    }

    /** A bundled preset of {@code configs/flows} by file stem ({@code denseflow-published}, {@code denseflow-cpu}). */
    public static DenseFlowConfig preset(String stem) {
        ObjectNode tree = Configs.readResource("flow-configs/" + stem + ".yaml");
        return Configs.bind(tree, DenseFlowConfig.class, Path.of("configs/flows/" + stem + ".yaml"));
    }
}
