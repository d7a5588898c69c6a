package io.roadneg.evaluation.scores;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roadneg.datasets.InputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile {@code .npy} score and class maps, one row per case (part of the case table in docs/hostile-inputs.md):
 * every declared size is checked against the file's own size before anything is allocated, and non-finite scores are
 * refused; each row must end in a one-line {@link InputException} naming the file.
 */
class HostileNpyTest {
    @TempDir
    Path dir;

    /** A version-1 .npy: magic, version, header length, the header dict, then {@code data}. */
    static byte[] npy(int major, String dict, long headerLenOverride, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        long len = headerLenOverride >= 0 || headerLenOverride < -1 ? headerLenOverride : h.length;
        ByteBuffer b = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            b.putShort((short) len);
        } else {
            b.putInt((int) len);
        }
        out.writeBytes(b.array());
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    static String dict(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private record Row(String name, byte[] bytes, String expect) {
    }

    @TestFactory
    Stream<DynamicTest> hostileScoreFiles() {
        byte[] four = floats(0.1f, 0.2f, 0.3f, 0.4f);
        List<Row> rows = new ArrayList<>(List.of(
                new Row("128-byte file declaring 40000x40000", npy(1, dict("<f4", "(40000, 40000)"), -1,
                        new byte[16]), "declares more samples than the"),
                new Row("shape (256, -512)", npy(1, dict("<f4", "(256, -512)"), -1, four), "sides must be positive"),
                new Row("shape (-1, -1)", npy(1, dict("<f4", "(-1, -1)"), -1, four), "sides must be positive"),
                new Row("shape (0, 4)", npy(1, dict("<f4", "(0, 4)"), -1, four), "sides must be positive"),
                new Row("shape with a product that overflows an int", npy(1, dict("<f4", "(65536, 65536)"), -1, four),
                        "declares more samples than the"),
                new Row("shape (2**62, 2**62)", npy(1, dict("<f4", "(4611686018427387904, 4611686018427387904)"),
                        -1, four), "declares more samples than the"),
                new Row("shape beyond a long", npy(1, dict("<f4", "(99999999999999999999, 1)"), -1, four),
                        "not whole numbers"),
                new Row("shape of three dimensions", npy(1, dict("<f4", "(1, 2, 2)"), -1, four),
                        "expected a 2-D H x W map"),
                new Row("shape of one dimension", npy(1, dict("<f4", "(4,)"), -1, four), "expected a 2-D H x W map"),
                new Row("shape not numbers", npy(1, dict("<f4", "(a, b)"), -1, four), "not whole numbers"),
                new Row("version-2 header length -16", npy(2, dict("<f4", "(2, 2)"), -16, four),
                        "header_len = 4294967280: larger than"),
                new Row("version-1 header length past the end", npy(1, dict("<f4", "(2, 2)"), 60000, four),
                        "header_len = 60000: larger than"),
                new Row("unknown version 9", npy(9, dict("<f4", "(2, 2)"), -1, four), "unknown .npy format version"),
                new Row("big-endian floats", npy(1, dict(">f4", "(2, 2)"), -1, four), "expected little-endian"),
                new Row("float64 NaN score", npy(1, dict("<f8", "(1, 2)"), -1, doubles(0.5, Double.NaN)),
                        "scores must be finite"),
                new Row("float64 -inf score", npy(1, dict("<f8", "(1, 2)"), -1, doubles(Double.NEGATIVE_INFINITY,
                        0.1)), "scores must be finite"),
                new Row("float64 data cut short", npy(1, dict("<f8", "(2, 2)"), -1, doubles(0.5, 0.5, 0.5)),
                        "truncated: expected 32"),
                new Row("Fortran order", npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", -1,
                        four), "only C-order arrays"),
                new Row("header without a shape", npy(1, "{'descr': '<f4', 'fortran_order': False, }", -1, four),
                        "shape: missing from the .npy header"),
                new Row("data cut short", npy(1, dict("<f4", "(2, 2)"), -1, floats(0.1f, 0.2f, 0.3f)),
                        "truncated: expected 16"),
                new Row("float16 data cut short", npy(1, dict("<f2", "(2, 2)"), -1, new byte[6]),
                        "truncated: expected 8"),
                new Row("magic only", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}, "truncated .npy header"),
                new Row("zero bytes", new byte[0], "not a .npy file"),
                new Row("a PNG named .npy", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, "not a .npy file"),
                new Row("NaN score", npy(1, dict("<f4", "(2, 2)"), -1, floats(0.1f, Float.NaN, 0.3f, 0.4f)),
                        "scores must be finite"),
                new Row("+inf score", npy(1, dict("<f4", "(2, 2)"), -1, floats(0.1f, 0.2f, Float.POSITIVE_INFINITY,
                        0.4f)), "scores must be finite"),
                new Row("-inf score", npy(1, dict("<f4", "(2, 2)"), -1, floats(Float.NEGATIVE_INFINITY, 0.2f, 0.3f,
                        0.4f)), "scores must be finite"),
                new Row("float16 NaN score", npy(1, dict("<f2", "(1, 2)"), -1, new byte[] {0, 0, 0, 0x7e}),
                        "scores must be finite")));
        List<DynamicTest> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(DynamicTest.dynamicTest("score map: " + r.name(), () -> {
                Path f = dir.resolve("s" + out.size() + ".npy");
                Files.write(f, r.bytes());
                assertRefused(f, r.expect(), ScoreFiles::read);
            }));
        }
        for (Row r : rows.subList(0, 12)) {
            out.add(DynamicTest.dynamicTest("class map: " + r.name(), () -> {
                Path f = dir.resolve("c" + out.size() + ".npy");
                Files.write(f, r.bytes().clone());
                // class maps read the same header; descr <f4 is then refused, but only after the size checks
                InputException e = assertThrows(InputException.class, () -> Npy.readInts(f));
                assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            }));
        }
        out.add(DynamicTest.dynamicTest("class map: negative class id", () -> {
            Path f = dir.resolve("neg.npy");
            Files.write(f, npy(1, dict("<i4", "(1, 2)"), -1, new byte[] {1, 0, 0, 0, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff}));
            assertRefused(f, "class ids must be non-negative", Npy::readInts);
        }));
        out.add(DynamicTest.dynamicTest("hdf5 score map declaring more pixels than the limit", () -> {
            Path f = dir.resolve("big.hdf5");
            try (io.jhdf.WritableHdfFile w = io.jhdf.HdfFile.write(f)) {
                w.putDataset("value", new float[4][5]);
            }
            String old = System.getProperty(io.roadneg.datasets.image.ImageLimits.PROPERTY);
            System.setProperty(io.roadneg.datasets.image.ImageLimits.PROPERTY, "10");
            try {
                assertRefused(f, "over the pixel limit of 10", ScoreFiles::read);
            } finally {
                if (old == null) {
                    System.clearProperty(io.roadneg.datasets.image.ImageLimits.PROPERTY);
                } else {
                    System.setProperty(io.roadneg.datasets.image.ImageLimits.PROPERTY, old);
                }
            }
        }));
        out.add(DynamicTest.dynamicTest("float64 maps of float32 values read without loss (.npy and .hdf5)", () -> {
            float[] f = {0.1f, -3.5e-9f, 1f, Float.MIN_VALUE, 0.99999994f, 7e37f};
            double[] d = new double[f.length];
            double[][] grid = new double[2][3];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
                grid[i / 3][i % 3] = f[i];
            }
            Path n = dir.resolve("up.npy");
            Files.write(n, npy(1, dict("<f8", "(2, 3)"), -1, doubles(d)));
            Path h = dir.resolve("up.hdf5");
            try (io.jhdf.WritableHdfFile w = io.jhdf.HdfFile.write(h)) {
                w.putDataset("value", grid);
            }
            for (Path p : List.of(n, h)) {
                ScoreMap m = ScoreFiles.read(p);
                assertEquals(3, m.width());
                assertEquals(2, m.height());
                assertArrayEquals(f, m.values(), p.toString());
                assertEquals(null, m.halfBits());
            }
        }));
        out.add(DynamicTest.dynamicTest("float64 scores float32 cannot hold are kept as doubles (.npy and .hdf5)",
                () -> {
            double[] d = {0.5, 0.25, 0.75, 0.1, 1e300, -1e300};
            Path n = dir.resolve("f64.npy");
            Files.write(n, npy(1, dict("<f8", "(3, 2)"), -1, doubles(d)));
            Path h = dir.resolve("f64.hdf5");
            try (io.jhdf.WritableHdfFile w = io.jhdf.HdfFile.write(h)) {
                w.putDataset("value", new double[][] {{d[0], d[1]}, {d[2], d[3]}, {d[4], d[5]}});
            }
            for (Path p : List.of(n, h)) {
                ScoreMap m = ScoreFiles.read(p);
                assertArrayEquals(d, m.wide(), p.toString());
                // the float copy, for pictures: nearest float, the finite beyond float32 at its largest value
                assertArrayEquals(new float[] {0.5f, 0.25f, 0.75f, 0.1f, Float.MAX_VALUE, -Float.MAX_VALUE},
                        m.values(), p.toString());
            }
        }));
        out.add(DynamicTest.dynamicTest("a well-formed map still reads exactly", () -> {
            Path f = dir.resolve("good.npy");
            Npy.write(f, 2, 2, new float[] {0.1f, 0.2f, 0.3f, 0.4f}, false);
            assertEquals(0.3f, ScoreFiles.read(f).values()[2]);
        }));
        return out.stream();
    }

    private static <T> void assertRefused(Path f, String expect, Function<Path, T> reader) throws IOException {
        InputException e = assertThrows(InputException.class, () -> reader.apply(f));
        assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expect), "says '" + expect + "': " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
