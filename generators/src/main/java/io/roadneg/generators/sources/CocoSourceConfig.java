package io.roadneg.generators.sources;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.roadneg.generators.PasteConfig;
import java.util.List;

/**
 * COCO objects with the Meta-OOD filter.
 *
 * @param mode {@code union}: the bounding box of all Meta-OOD 254 pixels of an image (RPL, PEBAL, Mask2Anomaly);
 *     {@code instance}: one annotated instance
 * @param split COCO split
 * @param excluded category names whose images are not used (the Meta-OOD list in the presets)
 * @param minSize minimum image height and width (Meta-OOD: 480)
 * @param rescale factors the whole COCO image is rescaled by, one drawn uniformly per object (RPL); empty = none
 * @param centreCrop side of the centre crop/pad applied after rescaling (RPL: 700); 0 = none
 * @param minArea objects with fewer pixels are not usable
 * @param maskFrom {@code annotation}: the COCO mask; {@code box}: the mask a box-prompted segmenter makes from the
 *     annotation's bbox (instance mode; an ablation of mask quality)
 * @param prompter the box-prompted segmenter for {@code maskFrom: box} ({@code grabcut[:options]} or
 *     {@code torchscript:DIR})
 */
@JsonTypeName("coco")
public record CocoSourceConfig(String mode, String split, List<String> excluded, Integer minSize,
        List<Double> rescale, Integer centreCrop, Integer minArea, String maskFrom, String prompter)
        implements PasteConfig.Source {
    public CocoSourceConfig {
        mode = PasteConfig.required(mode, "source.mode");
        if (!mode.equals("union") && !mode.equals("instance")) {
            throw new IllegalArgumentException("mode must be union or instance, found " + mode);
        }
        maskFrom = PasteConfig.required(maskFrom, "source.maskFrom");
        if (!maskFrom.equals("annotation") && !maskFrom.equals("box")) {
            throw new IllegalArgumentException("source.maskFrom must be annotation or box, found " + maskFrom);
        }
        if (maskFrom.equals("box") && mode.equals("union")) {
            throw new IllegalArgumentException("source.maskFrom box needs source.mode instance (a box per object)");
        }
        prompter = PasteConfig.required(prompter, "source.prompter");
        split = PasteConfig.required(split, "source.split");
        excluded = List.copyOf(PasteConfig.required(excluded, "source.excluded"));
        minSize = PasteConfig.required(minSize, "source.minSize");
        rescale = List.copyOf(PasteConfig.required(rescale, "source.rescale"));
        for (double f : rescale) {
            if (!(f > 0)) {
                throw new IllegalArgumentException("rescale factors must be positive, found " + f);
            }
        }
        centreCrop = PasteConfig.required(centreCrop, "source.centreCrop");
        minArea = PasteConfig.required(minArea, "source.minArea");
        if (centreCrop < 0 || minArea < 1 || minSize < 1) {
            throw new IllegalArgumentException("centreCrop >= 0, minArea >= 1 and minSize >= 1 required, found "
                    + centreCrop + ", " + minArea + ", " + minSize);
        }
    }
}
