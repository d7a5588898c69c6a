package io.roadneg.generators.sources;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.coco.MetaOodPreparer;
import io.roadneg.generators.OutlierSource;
import io.roadneg.generators.OutlierSourceProvider;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.SourceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * COCO objects with the Meta-OOD filter ({@link CocoSource}). Without {@code --coco-root} it reads the sample COCO
 * set and prepares its Meta-OOD masks on first use; with it, the masks must come from {@code gen prepare coco-ood}.
 */
public final class CocoSourceProvider implements OutlierSourceProvider {
    static final DatasetRoot COCO = new DatasetRoot("coco", "--coco-root", "COCO root (annotations/, train2017/).");
    static final DatasetRoot COCO_OOD = new DatasetRoot("coco-ood", "--coco-ood",
            "Root of the Meta-OOD masks from gen prepare coco-ood (default: --coco-root).");

    @Override
    public String type() {
        return "coco";
    }

    @Override
    public Class<CocoSourceConfig> configType() {
        return CocoSourceConfig.class;
    }

    @Override
    public List<String> presets() {
        return List.of("pebal", "rpl", "mask2anomaly", "road-obstacles");
    }

    @Override
    public List<DatasetRoot> roots() {
        return List.of(COCO, COCO_OOD);
    }

    @Override
    public OutlierSource open(PasteConfig.Source config, SourceContext context) {
        CocoSourceConfig c = (CocoSourceConfig) config;
        Path cocoRoot = context.root(COCO.name());
        Path cocoOod = context.root(COCO_OOD.name());
        Path root = cocoRoot != null ? cocoRoot : context.sampleData().resolve("coco");
        Path ood = cocoOod != null ? cocoOod : root;
        Path masks = MetaOodPreparer.maskFolder(ood, c.split());
        if (cocoRoot == null && cocoOod == null && !Files.isDirectory(masks)) {
            context.say("preparing the Meta-OOD masks of the sample COCO set");
            MetaOodPreparer.run(MetaOodPreparer.Options.defaults(root, c.split(), ood), context.progress());
        } else if (!Files.isDirectory(masks)) {
            throw new InputException(masks, COCO_OOD.option(), ood, "has no Meta-OOD masks: run gen prepare "
                    + "coco-ood first");
        }
        return CocoSource.open(root, ood, c);
    }

    @Override
    public RootCheck check(DatasetRoot root, Path path) {
        if (root.equals(COCO_OOD)) {
            List<String> found = new ArrayList<>();
            for (String split : List.of("train", "val")) {
                if (Files.isDirectory(MetaOodPreparer.maskFolder(path, split))) {
                    found.add(split);
                }
            }
            return found.isEmpty() ? new RootCheck(RootCheck.Status.MISSING, path + ": no Meta-OOD masks",
                    "run gen prepare coco-ood --coco-root DIR --split train --out " + path)
                    : new RootCheck(RootCheck.Status.OK, path + " (Meta-OOD masks: " + String.join(", ", found) + ")",
                            null);
        }
        List<String> found = new ArrayList<>();
        for (String split : List.of("train", "val")) {
            Path ann = path.resolve("annotations/instances_" + split + "2017.json");
            Path img = path.resolve(split + "2017");
            if (Files.isRegularFile(ann) && Files.isDirectory(img)) {
                String broken = io.roadneg.datasets.io.JsonErrors.notWhole(ann);
                if (broken != null) {
                    return new RootCheck(RootCheck.Status.BROKEN, ann + ": " + broken, "download "
                            + "annotations_trainval2017.zip again and unzip it over " + path.resolve("annotations"));
                }
                found.add(split + "2017: " + FileCounts.count(img, ".jpg") + " images");
            }
        }
        if (found.isEmpty()) {
            return new RootCheck(RootCheck.Status.MISSING, path + ": no annotations/instances_{train,val}2017.json "
                    + "with its {train,val}2017/ image folder", "point " + COCO.option() + " at the folder holding "
                    + "annotations/ and train2017/ (from train2017.zip and annotations_trainval2017.zip)");
        }
        return new RootCheck(RootCheck.Status.OK, path + " (" + String.join(", ", found) + ")", null);
    }
}
