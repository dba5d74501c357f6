package org.ngvi.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PixelStatsTest {
    @Test
    void rgbStatisticsMatchTwoPassDoubleAndAreMergeInvariant() {
        Random r = new Random(3);
        int h = 4, w = 3, c = 3, n = 40;
        byte[][] imgs = new byte[n][h * w * c];
        int[] labels = new int[n];
        PixelStats all = new PixelStats(h, w, c);
        PixelStats a = new PixelStats(h, w, c);
        PixelStats b = new PixelStats(h, w, c);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < imgs[i].length; k++) {
                imgs[i][k] = (byte) ((k % c) * 60 + r.nextInt(100));
            }
            labels[i] = r.nextInt(4);
            all.add(labels[i], imgs[i], h, w, c);
            (i % 3 == 0 ? a : b).add(labels[i], imgs[i], h, w, c);
        }
        PixelStats merged = b.merge(a);
        assertArrayEquals(all.channelMean(), merged.channelMean(), 0);
        assertArrayEquals(all.channelStd(), merged.channelStd(), 0);
        assertArrayEquals(all.classCounts(), merged.classCounts());
        assertEquals(n, merged.rows());
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            long cnt = 0;
            for (byte[] img : imgs) {
                for (int k = ch; k < img.length; k += c) {
                    s += img[k] & 0xff;
                    cnt++;
                }
            }
            double mean = s / cnt;
            double ss = 0;
            for (byte[] img : imgs) {
                for (int k = ch; k < img.length; k += c) {
                    double d = (img[k] & 0xff) - mean;
                    ss += d * d;
                }
            }
            assertEquals(mean, all.channelMean()[ch], 1e-12 * mean);
            assertEquals(Math.sqrt(ss / cnt), all.channelStd()[ch], 1e-12 * mean);
        }
        long[] counts = new long[4];
        for (int l : labels) {
            counts[l]++;
        }
        int last = 3;
        while (counts[last] == 0) {
            last--;
        }
        assertArrayEquals(java.util.Arrays.copyOf(counts, last + 1), all.classCounts());
    }

    @Test
    void rejectsRowsOfAnotherShape() {
        PixelStats s = new PixelStats(2, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> s.add(0, new byte[5], 2, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> s.add(0, new byte[4], 1, 4, 1));
    }

    @Test
    void countsAnyNumberOfClassesAcrossMerges() {
        PixelStats a = new PixelStats(1, 1, 1);
        PixelStats b = new PixelStats(1, 1, 1);
        a.add(3, new byte[1], 1, 1, 1);
        b.add(999, new byte[1], 1, 1, 1);
        b.add(999, new byte[1], 1, 1, 1);
        long[] counts = a.merge(b).classCounts(1000);
        assertEquals(1000, counts.length);
        assertEquals(1, counts[3]);
        assertEquals(2, counts[999]);
        assertEquals(3, java.util.Arrays.stream(counts).sum());
        assertThrows(IllegalStateException.class, () -> a.classCounts(999));
        assertThrows(IllegalArgumentException.class, () -> a.add(-1, new byte[1], 1, 1, 1));
    }
}
