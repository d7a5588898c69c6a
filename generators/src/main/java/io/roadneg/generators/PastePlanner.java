package io.roadneg.generators;

import io.roadneg.datasets.Seeds;
import io.roadneg.pasting.ObjectTransforms;
import io.roadneg.pasting.PasteObject;
import io.roadneg.pasting.PastePlan;
import io.roadneg.pasting.Placement;
import io.roadneg.pasting.RoadGeometry;
import io.roadneg.pasting.Scene;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws the plan of one output: whether it gets objects, how many, which source items, their scale, rotation, flip,
 * position and blend parameters. All randomness of an output happens here, in a fixed order, from the item's own
 * generator (stream {@link Seeds#PASTE_PLAN} of the run seed and the output index).
 */
public final class PastePlanner {
    /** Draws per object before the source is declared to have no usable object for this output. */
    public static final int MAX_DRAWS = 20;

    private final PasteConfig config;
    private final OutlierSource source;

    public PastePlanner(PasteConfig config, OutlierSource source) {
        this.config = config;
        this.source = source;
    }

    /** A plan with the objects it needs, loaded once so the job does not load them again. */
    public record Planned(PastePlan plan, List<PasteObject> objects, int unusableDraws) {
    }

    /** Thrown when no usable object could be drawn for an output. */
    public static final class NoUsableObjectException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoUsableObjectException(String message) {
            super(message);
        }
    }

    /**
     * Plans item {@code index} on {@code scene}.
     *
     * @throws RoadGeometry.NoRoadException for road placement on a scene without road
     * @throws NoUsableObjectException when {@link #MAX_DRAWS} draws gave no usable object
     */
    public Planned plan(long runSeed, long index, String destination, String split, Scene scene) {
        PasteConfig.PlacementConfig pc = config.placement();
        PasteConfig.BlendConfig bc = config.blend();
        Random rng = Seeds.rng(runSeed, Seeds.PASTE_PLAN, index);
        List<Placement> placements = new ArrayList<>();
        List<PasteObject> objects = new ArrayList<>();
        int unusable = 0;
        if (rng.nextDouble() < pc.probability()) {
            int count = pc.objects().get(0) + rng.nextInt(pc.objects().get(1) - pc.objects().get(0) + 1);
            RoadGeometry road = pc.mode().equals("road")
                    ? RoadGeometry.fit(scene.trainIds(), pc.roadTrainIds().stream().mapToInt(i -> i).toArray())
                    : null;
            int w = scene.width();
            int h = scene.height();
            double geometry = geometryScale(pc, w);
            for (int k = 0; k < count; k++) {
                PasteObject obj = null;
                int item = -1;
                Map<String, Object> draw = null;
                for (int attempt = 0; attempt < MAX_DRAWS && obj == null; attempt++) {
                    item = rng.nextInt(source.size());
                    draw = source.draw(item, rng);
                    obj = source.load(item, draw);
                    if (obj == null) {
                        unusable++;
                    }
                }
                if (obj == null) {
                    throw new NoUsableObjectException("source " + source.name() + " gave no usable object in "
                            + MAX_DRAWS + " draws");
                }
                double rot = pc.rotation() > 0 ? (rng.nextDouble() * 2 - 1) * pc.rotation() : 0.0;
                boolean flip = pc.flipProbability() > 0 && rng.nextDouble() < pc.flipProbability();
                int ow = obj.rgb().width();
                int oh = obj.rgb().height();
                double scale;
                int x;
                int y;
                if (road != null) {
                    int[] contact = road.samplePoint(rng);
                    scale = pc.area().isEmpty() ? road.objectHeightAt(contact[1], uniform(rng, pc.heightRatio())) / oh
                            : areaScale(rng, pc.area(), obj, w, h);
                    int[] size = ObjectTransforms.outputSize(ow, oh, scale, rot);
                    x = contact[0] - size[0] / 2;
                    y = contact[1] - size[1] + 1;
                } else {
                    scale = !pc.area().isEmpty() ? areaScale(rng, pc.area(), obj, w, h)
                            : geometry * (pc.scales().isEmpty() ? uniform(rng, pc.scaleRange())
                            : pc.scales().get(rng.nextInt(pc.scales().size())));
                    int[] size = ObjectTransforms.outputSize(ow, oh, scale, rot);
                    int x0 = 0;
                    int y0 = 0;
                    int rw = w;
                    int rh = h;
                    if (pc.mode().equals("crop")) {
                        int window = Math.max(1, (int) Math.round(pc.cropSize() * geometry));
                        rw = Math.min(window, w);
                        rh = Math.min(window, h);
                        x0 = rng.nextInt(w - rw + 1);
                        y0 = rng.nextInt(h - rh + 1);
                    }
                    x = x0 + uniformInt(rng, rw - size[0]);
                    y = y0 + uniformInt(rng, rh - size[1]);
                }
                double match = uniform(rng, bc.colorMatch());
                double gain = uniform(rng, bc.brightness());
                placements.add(new Placement(source.name(), source.itemId(item), draw, scale, rot, flip, x, y,
                        bc.mode(), bc.featherSigma() * geometry, match, gain));
                objects.add(obj);
            }
        }
        PastePlan plan = new PastePlan(index, Seeds.of(runSeed, Seeds.PASTE_PLAN, index), destination, split, placements);
        return new Planned(plan, objects, unusable);
    }

    /**
     * The factor pixel sizes of the recipe take on a destination {@code width} pixels wide (see
     * {@link PasteConfig.PlacementConfig#referenceWidth()}); 1 for road placement.
     */
    static double geometryScale(PasteConfig.PlacementConfig pc, int width) {
        return pc.mode().equals("road") || pc.referenceWidth() == 0 ? 1.0 : (double) width / pc.referenceWidth();
    }

    /**
     * The scale that gives {@code obj}'s mask an area drawn log-uniformly from {@code range} (fractions of the
     * {@code w x h} frame): sqrt(drawn area / mask area).
     */
    static double areaScale(Random rng, List<Double> range, PasteObject obj, int w, int h) {
        double lo = Math.log(range.get(0));
        double hi = Math.log(range.get(1));
        double fraction = Math.exp(lo == hi ? lo : lo + rng.nextDouble() * (hi - lo));
        return Math.sqrt(fraction * w * h / Math.max(1, obj.area()));
    }

    /** Uniform in [0, span] when span >= 0, else in [span, 0] (an object larger than its region). */
    private static int uniformInt(Random rng, int span) {
        return span >= 0 ? rng.nextInt(span + 1) : -rng.nextInt(-span + 1);
    }

    private static double uniform(Random rng, List<Double> range) {
        double lo = range.get(0);
        double hi = range.get(1);
        return lo == hi ? lo : lo + rng.nextDouble() * (hi - lo);
    }
}
