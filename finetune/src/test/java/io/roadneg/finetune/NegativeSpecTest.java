package io.roadneg.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.cityscapes.CityscapesDataset.CityscapesFrame;
import io.roadneg.finetune.data.MixedNegatives;
import io.roadneg.finetune.data.NegativeSource;
import io.roadneg.finetune.data.NegativeSpec;
import io.roadneg.pasting.Scene;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Negative source names: plain, mask variants, weighted mixtures; the mixture draws its part by weight per sample. */
class NegativeSpecTest {
    @Test
    void parsesPlainVariantAndMixtures() {
        NegativeSpec plain = NegativeSpec.parse("coco");
        assertTrue(plain.plain());
        NegativeSpec box = NegativeSpec.parse("coco:box");
        assertFalse(box.plain());
        assertEquals("box", box.parts().get(0).variant());
        assertEquals("instance", box.parts().get(0).overrides().get("source.mode"));
        assertEquals("box", box.parts().get(0).overrides().get("source.maskFrom"));
        NegativeSpec mix = NegativeSpec.parse("coco:0.5+ade20k:1.5");
        assertEquals(List.of("coco", "ade20k"), mix.parts().stream().map(NegativeSpec.Part::name).toList());
        assertArrayEquals(new double[] {0.25, 0.75}, mix.shares(), 1e-15);
        assertArrayEquals(new double[] {0.5, 0.5}, NegativeSpec.parse("coco+ade20k").shares(), 1e-15);
        NegativeSpec both = NegativeSpec.parse("coco:box:2+patches");
        assertEquals("box", both.parts().get(0).variant());
        assertEquals(2.0, both.parts().get(0).weight());
        assertNull(both.parts().get(1).variant());
    }

    @Test
    void badNamesSayWhichPart() {
        for (String[] c : new String[][] {{"lava", "lava"}, {"coco+lava:1", "lava:1"}, {"coco:lid", "lid"},
            {"coco:0", "positive"}, {"coco:-1", "-1"}, {"coco+", "registered"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NegativeSpec.parse(c[0]));
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
            assertFalse(NegativeSpec.isSpec(c[0]));
        }
    }

    /** A part that answers with its own number, so the test sees which part a sample drew. */
    private record Tagged(int k) implements NegativeSource {
        @Override
        public Negative negative(long runSeed, long index, CityscapesFrame frame, Scene scene) {
            return new Negative(null, "part" + k);
        }
    }

    @Test
    void aMixtureDrawsItsPartsByWeightPerSample() {
        MixedNegatives m = new MixedNegatives(List.of(new Tagged(0), new Tagged(1)), new double[] {0.25, 0.75});
        int n = 8000;
        int first = 0;
        for (int g = 0; g < n; g++) {
            String p = m.negative(7, g, null, null).provenance();
            first += p.equals("part0") ? 1 : 0;
            assertEquals(p, m.negative(7, g, null, null).provenance(), "the same sample, the same part");
        }
        // binomial sd at n = 8000, p = 0.25: about 39; 5 sd
        assertEquals(0.25 * n, first, 5 * Math.sqrt(n * 0.25 * 0.75));
    }
}
