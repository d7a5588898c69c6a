package io.roadneg.flows;

import ai.djl.ndarray.NDList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * {@code .npz} files whose bytes depend only on the arrays. DJL's NPZ encoder stamps every zip entry with the time of
 * writing, so two saves of the same parameters differed; here its entries are copied, in its order, each stamped
 * with one fixed date (1980-01-01, the first a zip entry can hold, set as a local date so the time zone does not
 * enter either).
 */
public final class Npz {
    /** The time every entry carries. */
    public static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /** Writes {@code list} as an {@code .npz} to {@code out} (left open). */
    public static void write(NDList list, OutputStream out) throws IOException {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        list.encode(encoded, NDList.Encoding.NPZ);
        ZipOutputStream z = new ZipOutputStream(out);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(encoded.toByteArray()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTimeLocal(ENTRY_TIME);
                z.putNextEntry(copy);
                in.transferTo(z);
                z.closeEntry();
            }
        }
        z.finish();
        z.flush();
    }
}
