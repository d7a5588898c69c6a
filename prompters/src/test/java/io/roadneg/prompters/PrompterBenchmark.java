package io.roadneg.prompters;

import io.roadneg.datasets.image.RgbImage;
import io.roadneg.generators.masks.Box;
import io.roadneg.generators.masks.PredictedMask;
import io.roadneg.generators.masks.PromptableSegmenter;
import io.roadneg.generators.masks.Prompt;
import io.roadneg.generators.masks.Prompters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Masks per second for a 640x480 image with 10 boxes, per prompter, encode included (a benchmark, not a test). Args:
 * prompter specs; by default {@code grabcut} and the TorchScript contract fixture (whose speed says nothing about
 * SAM's, only about this module's own pre- and post-processing). Set {@code -Dai.djl.pytorch.num_threads}.
 */
public final class PrompterBenchmark {
    private PrompterBenchmark() {
    }

    /** Runs the benchmark and prints one line per prompter. */
    public static void main(String[] args) throws Exception {
        List<String> specs = new ArrayList<>(List.of(args));
        if (specs.isEmpty()) {
            specs.add("grabcut");
            Path fixture = Path.of(PrompterBenchmark.class.getResource("/fixtures/box/encoder.pt").toURI()).getParent();
            specs.add("torchscript:" + fixture);
        }
        Random rng = new Random(1);
        int w = 640;
        int h = 480;
        RgbImage image = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRgb(x, y, 0x406040 + rng.nextInt(32) * 0x010101);
            }
        }
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int bw = 40 + rng.nextInt(80);
            int bh = 40 + rng.nextInt(80);
            int x0 = rng.nextInt(w - bw);
            int y0 = rng.nextInt(h - bh);
            int colour = rng.nextInt(0xffffff);
            for (int y = y0 + bh / 6; y < y0 + bh - bh / 6; y++) {
                for (int x = x0 + bw / 6; x < x0 + bw - bw / 6; x++) {
                    image.setRgb(x, y, colour);
                }
            }
            prompts.add(Prompt.of(new Box(x0, y0, x0 + bw, y0 + bh)));
        }
        for (String spec : specs) {
            try (PromptableSegmenter p = Prompters.open(spec)) {
                run(p, image, prompts, 2);
                int rounds = 10;
                long t0 = System.nanoTime();
                long area = run(p, image, prompts, rounds);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%-40s %6.1f masks/s (%d rounds of 1 image x %d boxes, %.3f s/image, area %d)%n",
                        p.name(), rounds * prompts.size() / s, rounds, prompts.size(), s / rounds, area);
            }
        }
    }

    private static long run(PromptableSegmenter p, RgbImage image, List<Prompt> prompts, int rounds) {
        long area = 0;
        for (int r = 0; r < rounds; r++) {
            try (PromptableSegmenter.Session s = p.encode(image)) {
                for (PredictedMask m : s.predict(prompts)) {
                    area += m.area();
                }
            }
        }
        return area;
    }
}
