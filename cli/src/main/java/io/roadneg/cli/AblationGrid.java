package io.roadneg.cli;

import io.roadneg.evaluation.bench.Benchmark;
import io.roadneg.finetune.data.NegativeSpec;
import io.roadneg.finetune.score.Score;
import io.roadneg.finetune.train.Recipes;
import io.roadneg.finetune.train.TrainConfig;
import io.roadneg.generators.OutlierSources;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ablation grid ({@code gen ablate --grid FILE}): one base model fine-tuned with every loss x negative source x
 * seed under the same schedule, each cell scored and evaluated on the same benchmarks. Paths are relative to the grid
 * file's folder. Checked at load, so a bad grid fails with one line before any cell starts.
 *
 * @param version format version, 1
 * @param base the base model: a {@code gen train} run folder, checkpoint or TorchScript segmenter folder
 * @param profile {@code sample-cpu} or {@code reference}; default: sample-cpu without {@code cityscapesRoot}
 * @param sampleData the bundled sample data folder (default {@code sample-data}); training frames and benchmark
 *     roots come from it unless given
 * @param cityscapesRoot a Cityscapes root to train on instead of the sample data, or null
 * @param losses fine-tuning losses ({@code gen finetune --loss})
 * @param sources negative sources: {@code none}, a registered outlier source, {@code recipe} (each loss's own),
 *     {@code flow} (squares decoded in the training loop from the flow run of {@code sourceRoots.flow}, frozen) or
 *     {@code flow:joint} (the same with the flow trained jointly, {@code gen finetune --joint})
 * @param seeds run seeds, one cell each
 * @param set schedule and config overrides, {@code --set} keys, the same for every cell
 * @param benchmarks benchmark names as in {@code gen eval --dataset}
 * @param roots benchmark folders by name; default: the sample set of each
 * @param scores anomaly scores ({@code gen score --score})
 * @param reference the source every other is compared with, per seed; default {@code none} when listed, else the
 *     first source
 * @param area paste-area controls, one set of cells each: {@code recipe} (each source pastes with its own preset's
 *     geometry and count) and {@code matched} (every source pastes areas and counts from {@code matched}); default
 *     {@code [recipe]}; {@code none} has one set of cells whatever this says
 * @param matched the one distribution of {@code area: matched}; default {@link Matched#DEFAULT}
 * @param scoresByLoss scores for particular losses in place of {@code scores} (a score needs the loss's head:
 *     {@code {ce: [msp, energy], rpl: [rpl]}}); optional
 * @param sourceRoots outlier-source dataset roots by the registry's root name ({@code coco}, {@code ade20k},
 *     {@code patches}, or a plugged-in source's, such as a flow source's run folder), passed to every cell's
 *     {@code gen finetune} as that root's option; default: the sample data's
 * @param baseScores scores of the base model itself, without fine-tuning (e.g. {@code [msp]}): rows of loss
 *     {@code base}, source {@code none}; the same model scored once per seed (so its sd is 0), which puts the
 *     base beside the fine-tunes in every table; optional
 */
record AblationGrid(int version, String base, String profile, String sampleData, String cityscapesRoot,
        List<String> losses, List<String> sources, List<Long> seeds, Map<String, String> set,
        List<String> benchmarks, Map<String, String> roots, List<String> scores, String reference, List<String> area,
        Matched matched, Map<String, List<String>> scoresByLoss, Map<String, String> sourceRoots,
        List<String> baseScores) {
    /** The loss name of the base's own rows ({@code baseScores}). */
    static final String BASE = "base";

    /** Squares decoded from the flow run of {@code sourceRoots.flow} in the training loop (a frozen flow). */
    static final String FLOW = TrainConfig.NegativesConfig.FLOW;
    /** The same squares with the flow trained jointly with the segmenter ({@code gen finetune --joint}). */
    static final String FLOW_JOINT = FLOW + ":joint";

    /** Whether a source is one of the in-loop flow sources. */
    static boolean isFlow(String source) {
        return source.equals(FLOW) || source.equals(FLOW_JOINT);
    }

    /** The area control that draws from {@code matched}. */
    static final String MATCHED = "matched";

    /**
     * The pasted-area distribution of {@code area: matched}, the same for every source: per sample that the mix
     * gives negatives (recipe probability set to 1), a uniform count of objects in {@code objects}; per object an
     * area drawn log-uniformly from {@code area} (fractions of the frame), the object rescaled so its mask covers
     * that area (paste planning, {@code placement.area}).
     *
     * @param area [min, max] fraction of the frame per object
     * @param objects [min, max] objects per sample
     */
    record Matched(List<Double> area, List<Integer> objects) {
        /** 0.2 % to 5 % of the frame per object (on 512 x 256 sample frames about 16 x 16 to 81 x 81 pixels), one or
         * two objects: between the bundled presets' own geometries. */
        static final Matched DEFAULT = new Matched(List.of(0.002, 0.05), List.of(1, 2));

        Matched {
            area = area == null ? DEFAULT.area() : List.copyOf(area);
            objects = objects == null ? DEFAULT.objects() : List.copyOf(objects);
            if (area.size() != 2 || !(area.get(0) > 0) || area.get(1) < area.get(0) || area.get(1) > 1) {
                throw new IllegalArgumentException("matched.area: " + area + " must be [min, max] fractions of the "
                        + "frame with 0 < min <= max <= 1");
            }
            if (objects.size() != 2 || objects.get(0) < 1 || objects.get(1) < objects.get(0)) {
                throw new IllegalArgumentException("matched.objects: " + objects + " must be [min, max] with "
                        + "1 <= min <= max");
            }
        }
    }

    /** The source name that keeps each loss recipe's own negatives. */
    static final String RECIPE = "recipe";

    AblationGrid {
        if (version != 1) {
            throw new IllegalArgumentException("version: " + version + " is not supported; this gen reads version 1");
        }
        if (base == null || base.isBlank()) {
            throw new IllegalArgumentException("base: required (a gen train run folder or checkpoint)");
        }
        if (profile != null && !Recipes.PROFILES.contains(profile)) {
            throw new IllegalArgumentException("profile: " + profile + " is unknown; known: "
                    + String.join(", ", Recipes.PROFILES));
        }
        sampleData = sampleData == null ? "sample-data" : sampleData;
        losses = checked("losses", losses);
        for (String l : losses) {
            if (l.equals("base") || !Recipes.NAMES.contains(l)) {
                throw new IllegalArgumentException("losses: " + l + " is not a fine-tuning loss; known: "
                        + String.join(", ", Recipes.NAMES.subList(1, Recipes.NAMES.size())));
            }
        }
        sources = checked("sources", sources);
        for (String s : sources) {
            if (!s.equals("none") && !s.equals(RECIPE) && !isFlow(s)) {
                try {
                    NegativeSpec.parse(s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("sources: " + s + ": " + e.getMessage() + " (or none, recipe; "
                            + "mask variants NAME:box, mixtures NAME:W+NAME:W)");
                }
            }
        }
        seeds = checked("seeds", seeds);
        set = set == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(set));
        benchmarks = checked("benchmarks", benchmarks);
        roots = roots == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roots));
        for (String b : benchmarks) {
            String known = java.util.Arrays.stream(Benchmark.values()).map(Benchmark::cliName)
                    .reduce((x, y) -> x + ", " + y).orElse("");
            if (java.util.Arrays.stream(Benchmark.values()).noneMatch(x -> x.cliName().equals(b))) {
                throw new IllegalArgumentException("benchmarks: " + b + " is unknown; known: " + known);
            }
            if (!roots.containsKey(b) && !TrainCommands.SAMPLE_BENCHMARKS.containsKey(b)) {
                throw new IllegalArgumentException("benchmarks: " + b + " has no sample set; give its folder in roots");
            }
        }
        for (String r : roots.keySet()) {
            if (!benchmarks.contains(r)) {
                throw new IllegalArgumentException("roots: " + r + " is not one of the grid's benchmarks");
            }
        }
        scores = checkedScores("scores", scores);
        Map<String, List<String>> byLoss = new LinkedHashMap<>();
        if (scoresByLoss != null) {
            for (var e : scoresByLoss.entrySet()) {
                if (!losses.contains(e.getKey())) {
                    throw new IllegalArgumentException("scoresByLoss: " + e.getKey() + " is not one of the grid's "
                            + "losses " + losses);
                }
                byLoss.put(e.getKey(), checkedScores("scoresByLoss." + e.getKey(), e.getValue()));
            }
        }
        scoresByLoss = java.util.Collections.unmodifiableMap(byLoss);
        area = area == null ? List.of(RECIPE) : checked("area", area);
        for (String a : area) {
            if (!a.equals(RECIPE) && !a.equals(MATCHED)) {
                throw new IllegalArgumentException("area: " + a + " is unknown; known: recipe, matched");
            }
        }
        matched = matched == null ? Matched.DEFAULT : matched;
        sourceRoots = sourceRoots == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sourceRoots));
        for (String r : sourceRoots.keySet()) {
            if (OutlierSources.roots().stream().noneMatch(x -> x.name().equals(r))) {
                throw new IllegalArgumentException("sourceRoots: " + r + " is not a root of a registered source; "
                        + "known: " + String.join(", ", OutlierSources.roots().stream().map(x -> x.name()).toList()));
            }
        }
        baseScores = baseScores == null || baseScores.isEmpty() ? List.of() : checkedScores("baseScores", baseScores);
        if (sources.stream().anyMatch(AblationGrid::isFlow) && !sourceRoots.containsKey(FLOW)) {
            throw new IllegalArgumentException("sources: " + sources.stream().filter(AblationGrid::isFlow).toList()
                    + " sample a flow in the training loop: give its run folder as sourceRoots: {flow: RUN}");
        }
        if (reference != null && !sources.contains(reference)) {
            throw new IllegalArgumentException("reference: " + reference + " is not one of the grid's sources "
                    + sources);
        }
    }

    /** The reference source: the grid's, else {@code none} when listed, else the first source. */
    String effectiveReference() {
        return reference != null ? reference : sources.contains("none") ? "none" : sources.get(0);
    }

    private static List<String> checkedScores(String field, List<String> values) {
        List<String> list = checked(field, values);
        for (String s : list) {
            try {
                Score.byKey(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": " + s + " is unknown; known: " + java.util.Arrays.stream(
                        Score.values()).map(Score::key).reduce((x, y) -> x + ", " + y).orElse(""));
            }
        }
        return list;
    }

    /** The scores of a loss's cells: its {@code scoresByLoss} entry, else {@code scores}. */
    List<String> scoresOf(String loss) {
        if (loss.equals(BASE)) {
            return baseScores;
        }
        return scoresByLoss.getOrDefault(loss, scores);
    }

    private static <T> List<T> checked(String field, List<T> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(field + ": must list at least one value");
        }
        Set<T> seen = new HashSet<>();
        for (T v : values) {
            if (v == null) {
                throw new IllegalArgumentException(field + ": holds an empty value");
            }
            if (!seen.add(v)) {
                throw new IllegalArgumentException(field + ": " + v + " is listed twice");
            }
        }
        return List.copyOf(values);
    }

    /** The profile the cells use. */
    String effectiveProfile() {
        return profile != null ? profile : cityscapesRoot == null ? "sample-cpu" : "reference";
    }
}
