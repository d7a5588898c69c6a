package io.roadneg.datasets.sample;

/**
 * How much sample data to make: {@link #SMALL} for tests and a first try (a few seconds), {@link #FULL} at the real
 * datasets' resolutions.
 */
public enum SampleScale {
    /** 512x256 street scenes, a few dozen frames. */
    SMALL(512, 256, 24, 6, 24, 6, 12, 4, 10),
    /** 2048x1024 street scenes (the Cityscapes size), fewer frames. */
    FULL(2048, 1024, 8, 4, 16, 8, 12, 6, 3);

    final int streetWidth;
    final int streetHeight;
    final int cityscapesTrain;
    final int cityscapesVal;
    final int cocoTrain;
    final int cocoVal;
    final int adeTrain;
    final int adeVal;
    final int anomalyFrames;

    SampleScale(int streetWidth, int streetHeight, int cityscapesTrain, int cityscapesVal, int cocoTrain, int cocoVal,
            int adeTrain, int adeVal, int anomalyFrames) {
        this.streetWidth = streetWidth;
        this.streetHeight = streetHeight;
        this.cityscapesTrain = cityscapesTrain;
        this.cityscapesVal = cityscapesVal;
        this.cocoTrain = cocoTrain;
        this.cocoVal = cocoVal;
        this.adeTrain = adeTrain;
        this.adeVal = adeVal;
        this.anomalyFrames = anomalyFrames;
    }
}
