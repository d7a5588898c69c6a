package io.roadneg.flows.source;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.roadneg.datasets.InputException;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.flows.FlowImages;
import io.roadneg.flows.FlowSampler;
import io.roadneg.generators.IndexedSource;
import io.roadneg.generators.OutlierSource;
import io.roadneg.pasting.PasteObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Samples of a flow as outlier objects: item i's draw picks a side (uniform over the sides the configuration allows
 * and the flow can decode) and a noise seed; loading decodes item i's latents at that side into a square, all of it
 * the object. Sampling is serialised (a flow serves one thread at a time).
 */
public final class FlowSource extends IndexedSource {
    /** Category of every sample in the pasted set's COCO JSON. */
    public static final int CATEGORY = 1;

    private final FlowSampler sampler;
    private final FlowSourceConfig config;
    private final List<Integer> sides;

    /** A source over {@code sampler} (closed with the source). */
    public FlowSource(FlowSampler sampler, FlowSourceConfig config) {
        this.sampler = sampler;
        this.config = config;
        List<Integer> ok = new ArrayList<>();
        List<Integer> refused = new ArrayList<>();
        for (int s = config.side().get(0); s <= config.side().get(1); s += config.sideStep()) {
            (sampler.acceptsSize(s, s) ? ok : refused).add(s);
        }
        if (ok.isEmpty()) {
            sampler.close();
            throw new InputException(null, "source.side", config.side(), "this flow decodes none of these sides (step "
                    + config.sideStep() + "): " + sampler.describe());
        }
        this.sides = List.copyOf(ok);
    }

    /** The sides drawn from (those of the configuration the flow can decode). */
    public List<Integer> sides() {
        return sides;
    }

    @Override
    public String name() {
        return "flow";
    }

    @Override
    public int size() {
        return config.items();
    }

    @Override
    public String itemId(int index) {
        return "flow:" + index;
    }

    @Override
    public Map<String, Object> draw(int index, Random rng) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("side", sides.get(rng.nextInt(sides.size())));
        d.put("noise", rng.nextInt() & Integer.MAX_VALUE);
        return d;
    }

    @Override
    public PasteObject load(int index, Map<String, Object> draw) {
        int side = OutlierSource.intOf(draw, "side");
        long noise = OutlierSource.intOf(draw, "noise");
        RgbImage img;
        synchronized (this) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray s = sampler.sample(m, 1, side, side, config.temperature(), noise, index);
                img = FlowImages.images(s).get(0);
            }
        }
        byte[] mask = new byte[side * side];
        Arrays.fill(mask, (byte) 1);
        return new PasteObject(img, mask, itemId(index), CATEGORY, "outlier");
    }

    @Override
    public Map<Integer, String> categories() {
        return Map.of(CATEGORY, "outlier");
    }

    @Override
    public void close() {
        sampler.close();
    }
}
