package org.ngvi.prep.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Reads the real Fashion-MNIST files (Debian package {@code dataset-fashion-mnist}) through
 * {@link IdxReader}: headers, counts and labels only, to stay fast. Skipped when absent.
 */
class FashionMnistIdxTest {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void trainSet() throws IOException {
        check("train", 60000);
    }

    @Test
    void testSet() throws IOException {
        check("t10k", 10000);
    }

    private void check(String prefix, int n) throws IOException {
        Path images = DIR.resolve(prefix + "-images-idx3-ubyte.gz");
        Path labels = DIR.resolve(prefix + "-labels-idx1-ubyte.gz");
        assumeTrue(Files.isReadable(images) && Files.isReadable(labels),
                "Fashion-MNIST not found at " + DIR + " (install the Debian package dataset-fashion-mnist); skipping");
        IdxHeader ih = IdxReader.readHeader(images, IdxReader.IMAGES_MAGIC);
        assertEquals(n, ih.count());
        assertArrayEquals(new int[]{28, 28}, ih.recordDims());
        assertEquals(true, ih.gzipped());
        try (IdxReader r = IdxReader.open(labels, IdxReader.LABELS_MAGIC)) {
            IdxReader.checkSameCount(ih, r.header());
            byte[] l = r.readRemaining();
            r.checkEnd();
            long[] counts = new long[10];
            for (byte b : l) {
                counts[b]++; // a label outside 0..9 throws here
            }
            for (long c : counts) {
                assertEquals(n / 10, c, "Fashion-MNIST is balanced");
            }
        }
    }
}
