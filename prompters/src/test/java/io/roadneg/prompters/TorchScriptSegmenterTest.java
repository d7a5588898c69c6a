package io.roadneg.prompters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.InputException;
import io.roadneg.datasets.coco.Rle;
import io.roadneg.datasets.image.RgbImage;
import io.roadneg.generators.masks.Box;
import io.roadneg.generators.masks.MaskQuality;
import io.roadneg.generators.masks.PredictedMask;
import io.roadneg.generators.masks.PromptableSegmenter;
import io.roadneg.generators.masks.Prompt;
import io.roadneg.generators.masks.Prompters;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract tests with the fixtures of {@code scripts/make_prompter_fixture.py}: the fixture decoder answers each box
 * with the box itself, so any slip in resize, padding or the way back to the original size shows as a lower IoU.
 * The fixture learns nothing; its IoU says nothing about SAM's mask quality.
 */
class TorchScriptSegmenterTest {
    @TempDir
    Path tmp;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(TorchScriptSegmenterTest.class.getResource("/fixtures/" + name + "/encoder.pt").toURI())
                .getParent();
    }

    private static Rle boxMask(int w, int h, int x0, int y0, int x1, int y1) {
        byte[] m = new byte[w * h];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * w + x] = 1;
            }
        }
        return Rle.fromRowMajor(m, h, w);
    }

    @Test
    void boxesComeBackAtTheirPlaceInLandscapeAndPortraitImages() throws Exception {
        try (PromptableSegmenter s = Prompters.open("torchscript:" + fixture("box"))) {
            assertEquals("torchscript:box", s.name());
            for (int[] size : new int[][] {{160, 90}, {75, 130}}) {
                int w = size[0];
                int h = size[1];
                try (PromptableSegmenter.Session session = s.encode(RgbImage.blank(w, h))) {
                    List<PredictedMask> out = session.predict(List.of(Prompt.of(new Box(10, 20, 50, 70)),
                            new Prompt(new Box(30, 5, 70, 40), List.of(new Prompt.Point(40, 20, true)))));
                    assertEquals(2, out.size());
                    double iou0 = MaskQuality.iou(out.get(0).toRle(), boxMask(w, h, 10, 20, 50, 70));
                    double iou1 = MaskQuality.iou(out.get(1).toRle(), boxMask(w, h, 30, 5, 70, 40));
                    assertTrue(iou0 > 0.9 && iou1 > 0.9, w + "x" + h + ": IoUs " + iou0 + ", " + iou1);
                    assertEquals(0.75, out.get(0).score(), 1e-6);
                }
            }
        }
    }

    @Test
    void decoderBreakingTheContractIsAOneLineInputError() throws Exception {
        try (PromptableSegmenter s = TorchScriptSegmenter.load(fixture("broken"));
                PromptableSegmenter.Session session = s.encode(RgbImage.blank(40, 30))) {
            InputException e = assertThrows(InputException.class,
                    () -> session.predict(List.of(Prompt.of(new Box(1, 1, 20, 20)))));
            assertTrue(e.getMessage().contains("decoder.pt: mask_logits shape"), e.getMessage());
            assertTrue(e.getMessage().contains("breaks the prompter contract"), e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'));
        }
    }

    @Test
    void missingFilesAndBadConfigAreInputErrors() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("half"));
        Files.copy(fixture("box").resolve("encoder.pt"), dir.resolve("encoder.pt"));
        InputException e = assertThrows(InputException.class, () -> TorchScriptSegmenter.load(dir));
        assertTrue(e.getMessage().contains("decoder.pt: missing"), e.getMessage());
        Files.copy(fixture("box").resolve("decoder.pt"), dir.resolve("decoder.pt"));
        Files.writeString(dir.resolve("prompter.json"), "{\"image_size\": 3}");
        e = assertThrows(InputException.class, () -> TorchScriptSegmenter.load(dir));
        assertTrue(e.getMessage().contains("image_size = 3"), e.getMessage());
        Files.writeString(dir.resolve("decoder.pt"), "not a model");
        Files.delete(dir.resolve("prompter.json"));
        e = assertThrows(InputException.class, () -> TorchScriptSegmenter.load(dir));
        assertTrue(e.getMessage().contains("cannot load as TorchScript"), e.getMessage());
    }
}
