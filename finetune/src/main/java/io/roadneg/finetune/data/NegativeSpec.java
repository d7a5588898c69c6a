package io.roadneg.finetune.data;

import io.roadneg.generators.OutlierSources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A negative source as {@code gen finetune --negatives} and {@code gen ablate} name it: one registered outlier source
 * ({@code coco}), a mask variant of one ({@code coco:box}: COCO objects with the masks a box-prompted segmenter makes
 * from their boxes), or a mixture of such parts with weights ({@code coco:0.5+ade20k:0.5}; {@code coco+ade20k}: equal
 * weights), each sample drawing its part by weight.
 *
 * @param parts the parts, in the order written
 */
public record NegativeSpec(List<Part> parts) {
    /**
     * Mask variants by name: the paste-recipe overrides each sets. {@code box}: instance mode with masks from the
     * source's box-prompted segmenter ({@code source.prompter}, GrabCut by default).
     */
    public static final Map<String, Map<String, String>> VARIANTS = Map.of("box", orderedOf("source.mode", "instance",
            "source.maskFrom", "box"));

    /**
     * One part.
     *
     * @param source a registered outlier source type
     * @param variant a mask variant of {@link #VARIANTS}, or null
     * @param weight its share before normalising (positive)
     */
    public record Part(String source, String variant, double weight) {
        /** The part as written, without its weight: {@code coco} or {@code coco:box}. */
        public String name() {
            return variant == null ? source : source + ":" + variant;
        }

        /** The paste-recipe overrides of its variant (none without one). */
        public Map<String, String> overrides() {
            return variant == null ? Map.of() : VARIANTS.get(variant);
        }
    }

    /** Checks the parts. */
    public NegativeSpec {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a negative source names at least one part");
        }
    }

    /**
     * Parses {@code s}; an error names the bad part: an unregistered source, an unknown variant, a weight that is not
     * a positive number.
     */
    public static NegativeSpec parse(String s) {
        List<Part> parts = new ArrayList<>();
        for (String p : s.split("\\+", -1)) {
            String[] f = p.split(":", -1);
            String source = f[0];
            String variant = null;
            double weight = 1;
            if (source.isEmpty() || OutlierSources.find(source).isEmpty()) {
                throw new IllegalArgumentException(p + " is not a registered outlier source; known: "
                        + String.join(", ", OutlierSources.types()));
            }
            for (int i = 1; i < f.length; i++) {
                if (VARIANTS.containsKey(f[i]) && variant == null && i == 1) {
                    variant = f[i];
                } else if (i == f.length - 1 && isNumber(f[i])) {
                    weight = Double.parseDouble(f[i]);
                    if (!(weight > 0) || Double.isInfinite(weight)) {
                        throw new IllegalArgumentException(p + ": the weight must be a positive number");
                    }
                } else {
                    throw new IllegalArgumentException(p + ": " + f[i] + " is neither a mask variant ("
                            + String.join(", ", VARIANTS.keySet()) + ") nor a weight");
                }
            }
            parts.add(new Part(source, variant, weight));
        }
        return new NegativeSpec(parts);
    }

    /** Whether {@code s} parses as a spec (so {@code --negatives} reads it as one, not as a folder). */
    public static boolean isSpec(String s) {
        try {
            parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether this is a single part with no variant: a plain source, its preset choosable. */
    public boolean plain() {
        return parts.size() == 1 && parts.get(0).variant() == null;
    }

    /** The weights normalised to sum to one, in part order. */
    public double[] shares() {
        double sum = parts.stream().mapToDouble(Part::weight).sum();
        return parts.stream().mapToDouble(p -> p.weight() / sum).toArray();
    }

    private static boolean isNumber(String s) {
        return s.matches("[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?|\\.[0-9]+([eE][-+]?[0-9]+)?");
    }

    private static Map<String, String> orderedOf(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
