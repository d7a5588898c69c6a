package io.roadneg.generators.sources;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.roadneg.generators.PasteConfig;
import java.util.List;

/**
 * DenseHybrid ADE20K negatives: image and label resized to {@code shortSide}, scale-jittered, cropped to
 * {@code crop}; the mask is a rectangle (probability {@code rectProbability}, side a multiple of
 * {@code rectStep} below {@code crop}) or the union of {@code classCount} class ids drawn from the crop.
 */
@JsonTypeName("ade20k")
public record Ade20kSourceConfig(String split, Integer shortSide, List<Double> jitter, Integer crop,
        Double rectProbability, Integer rectMin, Integer rectStep, Integer classCount, Integer minArea)
        implements PasteConfig.Source {
    public Ade20kSourceConfig {
        split = PasteConfig.required(split, "source.split");
        shortSide = PasteConfig.required(shortSide, "source.shortSide");
        jitter = List.copyOf(PasteConfig.required(jitter, "source.jitter"));
        PasteConfig.range(jitter, "jitter", 0.01, 100);
        crop = PasteConfig.required(crop, "source.crop");
        rectProbability = PasteConfig.required(rectProbability, "source.rectProbability");
        rectMin = PasteConfig.required(rectMin, "source.rectMin");
        rectStep = PasteConfig.required(rectStep, "source.rectStep");
        classCount = PasteConfig.required(classCount, "source.classCount");
        minArea = PasteConfig.required(minArea, "source.minArea");
        if (shortSide < 8 || crop < 8 || rectMin < 1 || rectStep < 1 || rectMin >= crop || classCount < 1
                || rectProbability < 0 || rectProbability > 1) {
            throw new IllegalArgumentException("ade20k source: invalid sizes or probability (shortSide "
                    + shortSide + ", crop " + crop + ", rectMin " + rectMin + ", rectStep " + rectStep
                    + ", classCount " + classCount + ", rectProbability " + rectProbability + ")");
        }
    }
}
