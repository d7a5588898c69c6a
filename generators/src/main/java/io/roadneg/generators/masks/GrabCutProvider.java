package io.roadneg.generators.masks;

/**
 * The {@code grabcut} scheme: {@code grabcut} with the defaults, or {@code grabcut:iterations=N,margin=F,min-margin=PX}.
 */
public final class GrabCutProvider implements PrompterProvider {
    @Override
    public String scheme() {
        return "grabcut";
    }

    @Override
    public PromptableSegmenter open(String argument) {
        GrabCutSegmenter.Options d = GrabCutSegmenter.Options.DEFAULT;
        int iterations = d.iterations();
        double margin = d.margin();
        int minMargin = d.minMarginPx();
        if (!argument.isBlank()) {
            for (String kv : argument.split(",")) {
                String[] p = kv.split("=", 2);
                String key = p[0].trim();
                String value = p.length == 2 ? p[1].trim() : "";
                try {
                    switch (key) {
                        case "iterations" -> iterations = Integer.parseInt(value);
                        case "margin" -> margin = Double.parseDouble(value);
                        case "min-margin" -> minMargin = Integer.parseInt(value);
                        default -> throw new IllegalArgumentException("prompter grabcut: unknown key '" + key
                                + "' (known: iterations, margin, min-margin)");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("prompter grabcut: " + key + " = " + value + ": not a number",
                            e);
                }
            }
        }
        return new GrabCutSegmenter(new GrabCutSegmenter.Options(iterations, margin, minMargin));
    }
}
