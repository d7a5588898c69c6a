package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasteCommandTest {
    @TempDir
    Path dir;

    private GenTest.Run paste(String... extra) {
        String[] base = {"paste", "-q", "--sample-data", dir.resolve("sd").toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return new GenTest.Run(all);
    }

    @Test
    void withoutRootsItMakesAndUsesTheSampleDataThenResumes() throws Exception {
        GenTest.Run r = paste("--src", "coco", "--preset", "rpl", "--count", "3", "--out", dir.resolve("o").toString());
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("no dataset roots given: making the bundled sample data"), r.out);
        assertTrue(r.out.contains("made 3, already done 0, skipped 0 of 3 outputs"), r.out);
        assertTrue(Files.exists(dir.resolve("o/manifest.jsonl")));
        assertTrue(Files.exists(dir.resolve("o/annotations/outliers_train.json")));
        GenTest.Run again = paste("--src", "coco", "--preset", "rpl", "--count", "3", "--out",
                dir.resolve("o").toString());
        assertEquals(0, again.code);
        assertTrue(again.out.contains("made 0, already done 3"), again.out);
        assertTrue(again.out.contains("using the bundled sample data in"), again.out);

        GenTest.Run other = paste("--src", "coco", "--preset", "rpl", "--count", "3", "--seed", "9", "--out",
                dir.resolve("o").toString());
        assertEquals(2, other.code);
        assertTrue(other.err.contains("seed = 0: this output folder holds another run's files (now 9)"), other.err);
        assertFalse(other.err.contains("\tat "), "no stack trace without -v");
    }

    @Test
    void badPresetsKeysAndSourcesAreOneLineErrors() {
        GenTest.Run p = paste("--src", "coco", "--preset", "nope", "--out", dir.resolve("a").toString());
        assertEquals(2, p.code);
        assertEquals(1, p.err.strip().lines().count(), p.err);
        assertTrue(p.err.contains("--preset = nope: unknown preset"), p.err);
        GenTest.Run k = paste("--src", "coco", "--set", "placement.bogus=1", "--out", dir.resolve("b").toString());
        assertEquals(2, k.code);
        assertTrue(k.err.contains("placement.bogus: unknown key"), k.err);
        GenTest.Run m = paste("--src", "ade20k", "--preset", "rpl", "--out", dir.resolve("c").toString());
        assertEquals(2, m.code);
        assertTrue(m.err.contains("does not match --src ade20k"), m.err);
        GenTest.Run d = paste("--src", "coco", "--dst", "mapillary", "--out", dir.resolve("d").toString());
        assertEquals(2, d.code);
        assertTrue(d.err.contains("--dst = mapillary"), d.err);
        GenTest.Run s = paste("--src", "imagenet", "--out", dir.resolve("e").toString());
        assertEquals(2, s.code);
        assertTrue(s.err.contains("--src = imagenet: unknown outlier source; known: ade20k, coco, flow, patches"), s.err);
        GenTest.Run both = paste("--src", "coco", "--count", "3", "--per-image", "2", "--out",
                dir.resolve("f").toString());
        assertEquals(2, both.code, "--count and --per-image are exclusive: " + both.err);
        assertTrue(both.err.contains("mutually exclusive"), both.err);
    }
}
