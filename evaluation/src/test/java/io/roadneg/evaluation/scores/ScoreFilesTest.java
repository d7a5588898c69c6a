package io.roadneg.evaluation.scores;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** HDF5 score maps written by h5py (make_hdf5_fixtures.py): types jhdf cannot write for the tests itself. */
class ScoreFilesTest {
    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ScoreFilesTest.class.getResource("/reference/" + name).toURI());
    }

    @Test
    void float16AsTheOfficialToolStoresItKeepsItsBits() throws Exception {
        ScoreMap m = ScoreFiles.read(fixture("smiyc_float16.hdf5"));
        // the bits numpy printed for np.float16([[0.1, 0.5, 65504], [1e-7, -2.5, 0.333]])
        assertArrayEquals(new short[] {0x2e66, 0x3800, 0x7bff, 0x0002, (short) 0xc100, 0x3554}, m.halfBits());
        assertArrayEquals(new float[] {0.099975586f, 0.5f, 65504f, 1.1920929e-7f, -2.5f, 0.33300781f}, m.values());
        assertNull(m.wide());
    }

    @Test
    void float64IsKeptAsDoubles() throws Exception {
        ScoreMap m = ScoreFiles.read(fixture("scores_float64.hdf5"));
        assertArrayEquals(new double[] {0.1, 0.5, 0.3, 1e300}, m.wide());
        assertNull(m.halfBits());
    }
}
