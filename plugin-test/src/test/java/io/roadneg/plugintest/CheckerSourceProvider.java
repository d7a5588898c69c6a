package io.roadneg.plugintest;

import io.roadneg.datasets.image.RgbImage;
import io.roadneg.generators.IndexedSource;
import io.roadneg.generators.OutlierSource;
import io.roadneg.generators.OutlierSourceProvider;
import io.roadneg.generators.PasteConfig;
import io.roadneg.generators.SourceContext;
import io.roadneg.pasting.PasteObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A test outlier source: checkerboard discs drawn procedurally, with a colour per item. Its optional root
 * {@code --checker-dir} is a folder whose {@code colours.txt} (one {@code R G B} line per item) replaces the built-in
 * colours; without it the source needs no data at all.
 */
public final class CheckerSourceProvider implements OutlierSourceProvider {
    static final DatasetRoot ROOT = new DatasetRoot("checker", "--checker-dir",
            "Folder with colours.txt for the checker test source.");

    @Override
    public String type() {
        return "checker";
    }

    @Override
    public Class<CheckerSourceConfig> configType() {
        return CheckerSourceConfig.class;
    }

    @Override
    public List<String> presets() {
        return List.of("checker");
    }

    @Override
    public List<DatasetRoot> roots() {
        return List.of(ROOT);
    }

    @Override
    public OutlierSource open(PasteConfig.Source config, SourceContext context) {
        CheckerSourceConfig c = (CheckerSourceConfig) config;
        Path dir = context.root(ROOT.name());
        int[][] colours = new int[c.items()][];
        for (int i = 0; i < c.items(); i++) {
            colours[i] = new int[] {(37 * i + 200) % 256, (91 * i + 30) % 256, (53 * i + 120) % 256};
        }
        if (dir != null) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve("colours.txt"));
                for (int i = 0; i < Math.min(lines.size(), c.items()); i++) {
                    String[] v = lines.get(i).trim().split("\\s+");
                    colours[i] = new int[] {Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2])};
                }
            } catch (java.io.IOException e) {
                throw new io.roadneg.datasets.InputException(dir.resolve("colours.txt"), ROOT.option(), dir,
                        "cannot read: " + e.getMessage(), e);
            }
        }
        return new CheckerSource(c, colours);
    }

    @Override
    public RootCheck check(DatasetRoot root, Path path) {
        return Files.isRegularFile(path.resolve("colours.txt"))
                ? new RootCheck(RootCheck.Status.OK, path + " (colours.txt)", null)
                : new RootCheck(RootCheck.Status.MISSING, path + ": no colours.txt", "write one R G B line per item");
    }

    /** The discs. */
    static final class CheckerSource extends IndexedSource {
        private final CheckerSourceConfig config;
        private final int[][] colours;

        CheckerSource(CheckerSourceConfig config, int[][] colours) {
            this.config = config;
            this.colours = colours;
        }

        @Override
        public String name() {
            return "checker";
        }

        @Override
        public int size() {
            return config.items();
        }

        @Override
        public String itemId(int index) {
            return "checker:" + index;
        }

        @Override
        public Map<String, Object> draw(int index, Random rng) {
            double lo = config.side().get(0);
            double hi = config.side().get(1);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("side", (int) Math.round(lo + rng.nextDouble() * (hi - lo)));
            d.put("cell", 2 + rng.nextInt(6));
            return d;
        }

        @Override
        public PasteObject load(int index, Map<String, Object> draw) {
            int side = OutlierSource.intOf(draw, "side");
            int cell = OutlierSource.intOf(draw, "cell");
            byte[] rgb = new byte[side * side * 3];
            byte[] mask = new byte[side * side];
            double r = side / 2.0;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int p = y * side + x;
                    double dx = x + 0.5 - r;
                    double dy = y + 0.5 - r;
                    mask[p] = (byte) (dx * dx + dy * dy <= r * r ? 1 : 0);
                    boolean dark = ((x / cell) + (y / cell)) % 2 == 0;
                    for (int ch = 0; ch < 3; ch++) {
                        rgb[p * 3 + ch] = (byte) (dark ? colours[index][ch] / 3 : colours[index][ch]);
                    }
                }
            }
            return new PasteObject(new RgbImage(side, side, rgb), mask, itemId(index), 1, "checker");
        }

        @Override
        public Map<Integer, String> categories() {
            return Map.of(1, "checker");
        }
    }
}
