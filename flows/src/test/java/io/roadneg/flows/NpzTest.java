package io.roadneg.flows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** Saved parameters are the same bytes every time, and read back as they were. */
class NpzTest {
    @Test
    void entriesCarryOneFixedTimeAndTheArraysComeBack() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1.5f, -2f, 3.25f, 0f, 7f, 8f}, new Shape(2, 3));
            a.setName("w.0");
            NDArray t = m.create(new long[] {41});
            t.setName("t");
            NDList list = new NDList(a, t);
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            Npz.write(list, first);
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            Npz.write(list, second);
            assertArrayEquals(first.toByteArray(), second.toByteArray());
            List<String> names = new ArrayList<>();
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(first.toByteArray()))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    names.add(e.getName());
                    assertEquals(Npz.ENTRY_TIME, e.getTimeLocal(), e.getName());
                }
            }
            assertEquals(List.of("w.0.npy", "t.npy"), names);
            NDList back = NDList.decode(m, first.toByteArray());
            assertArrayEquals(a.toFloatArray(), back.get(0).toFloatArray());
            assertEquals(new Shape(2, 3), back.get(0).getShape());
            assertArrayEquals(t.toLongArray(), back.get(1).toLongArray());
        }
    }
}
