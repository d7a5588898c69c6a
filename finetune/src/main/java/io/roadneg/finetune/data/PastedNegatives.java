package io.roadneg.finetune.data;

import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.generators.OutlierSource;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.PastePlanner;
import io.roadneg.pasting.Compositor;
import io.roadneg.pasting.PasteObject;
import io.roadneg.pasting.PasteResult;
import io.roadneg.pasting.RoadGeometry;
import io.roadneg.pasting.Scene;
import java.util.stream.Collectors;

/** Negatives pasted on the fly by the same planner, recipe and compositor as {@code gen paste}. */
public final class PastedNegatives implements NegativeSource {
    private final PasteConfig config;
    private final OutlierSource source;
    private final PastePlanner planner;
    private final Compositor compositor = new Compositor();

    /** Pastes from {@code source} following {@code config}. */
    public PastedNegatives(PasteConfig config, OutlierSource source) {
        this.config = config;
        this.source = source;
        this.planner = new PastePlanner(config, source);
    }

    @Override
    public Negative negative(long runSeed, long index, CityscapesFrame frame, Scene scene) {
        PastePlanner.Planned p;
        try {
            p = planner.plan(runSeed, index, frame.id().stem(), frame.split(), scene);
        } catch (PastePlanner.NoUsableObjectException | RoadGeometry.NoRoadException e) {
            return null;
        }
        if (p.objects().isEmpty()) {
            return null;
        }
        PasteResult r = compositor.apply(scene, p.objects(), p.plan().placements());
        String ids = r.instances().stream().map(i -> String.valueOf(i.sourceId())).collect(Collectors.joining(","));
        var first = p.plan().placements().get(0);
        PasteObject cut = p.objects().get(0);
        return new Negative(new Scene(r.image(), r.trainIds(), null, null), config.name() + ":" + ids, () -> {
            PasteObject whole = source.whole(source.indexOf(first.sourceItem()), first.sourceDraw());
            return whole != null ? whole : cut;
        }, first.scale(), p.plan().placements().size());
    }

    @Override
    public void close() {
        try {
            source.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
