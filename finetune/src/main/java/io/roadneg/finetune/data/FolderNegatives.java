package io.roadneg.finetune.data;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.Seeds;
import io.roadneg.datasets.cityscapes.CityscapesDataset;
import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.pasting.Scene;
import java.nio.file.Path;
import java.util.List;

/** Negatives read from a finished {@code gen paste} output (a Cityscapes tree whose pasted pixels are 254). */
public final class FolderNegatives implements NegativeSource {
    private final List<CityscapesFrame> frames;

    /** Opens the output's frames of {@code split}. */
    public FolderNegatives(Path dir, String split) {
        CityscapesDataset ds = CityscapesDataset.open(dir, "negatives folder (--negatives, data.negatives.dir)");
        frames = ds.labelledFrames(split);
        if (frames.isEmpty()) {
            throw new InputException(dir, "split", split, "no labelled frames: not a finished gen paste output");
        }
    }

    @Override
    public Negative negative(long runSeed, long index, CityscapesFrame frame, Scene scene) {
        CityscapesFrame f = frames.get(Seeds.rng(runSeed, Seeds.TRAIN_FOLDER_NEGATIVE, index).nextInt(frames.size()));
        return new Negative(new Scene(io.roadneg.datasets.image.Images.readRgb(f.imagePath()), f.trainIds(), null,
                null), "dir:" + f.id().stem());
    }
}
