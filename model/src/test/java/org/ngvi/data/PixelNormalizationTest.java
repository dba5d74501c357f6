package org.ngvi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PixelNormalizationTest {
    private static byte[] randomImage(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void unitScaleGreyIsHwDividedBy255() {
        Random r = new Random(1);
        PixelNormalization p = PixelNormalization.unitScale(4, 5, 1);
        assertEquals(20, p.exampleSize());
        byte[] img = randomImage(r, 20);
        float[] batch = new float[3 * 20];
        p.write(img, batch, 2);
        for (int i = 0; i < 20; i++) {
            assertEquals((img[i] & 0xff) / 255f, batch[40 + i], 0f);
            assertEquals(0f, batch[i], 0f);
        }
        assertEquals(1f, p.toChw(new byte[]{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1})[7]);
    }

    @Test
    void standardizeRgbTransposesHwcToChw() {
        Random r = new Random(2);
        int h = 3, w = 4, c = 3;
        double[] mean = {10, 120.5, 200};
        double[] std = {2, 60.25, 30};
        PixelNormalization p = PixelNormalization.standardize(h, w, c, mean, std);
        assertArrayEquals(new long[]{3, 3, 4}, p.chwShape());
        byte[] img = randomImage(r, h * w * c);
        float[] f = new float[2 * h * w * c];
        double[] d = new double[2 * h * w * c];
        FloatBuffer fb = FloatBuffer.allocate(2 * h * w * c);
        DoubleBuffer db = DoubleBuffer.allocate(2 * h * w * c);
        p.write(img, f, 1);
        p.write(img, d, 1);
        p.write(img, fb, 1);
        p.write(img, db, 1);
        int base = h * w * c;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = img[ImageSchema.hwcOffset(y, x, ch, w, c)] & 0xff;
                    double expected = (v - mean[ch]) / std[ch];
                    int k = base + ch * h * w + y * w + x;
                    assertEquals(expected, d[k], 1e-15);
                    assertEquals((float) expected, f[k], 0f);
                    assertEquals((float) expected, fb.get(k), 0f);
                    assertEquals(expected, db.get(k), 1e-15);
                }
            }
        }
        assertEquals(0, fb.position());
    }

    @Test
    void standardizeFromManifestUsesItsStatistics() {
        DatasetManifest m = new DatasetManifest(1, "t", 1, new int[]{1, 2, 1}, new long[]{1}, List.of(),
                new double[]{100}, new double[]{50}, List.of());
        float[] out = PixelNormalization.standardize(m).toChw(new byte[]{0, (byte) 200});
        assertArrayEquals(new float[]{-2f, 2f}, out, 0f);
        assertArrayEquals(new float[]{0f, 200f / 255f}, PixelNormalization.unitScale(m).toChw(new byte[]{0, (byte) 200}), 0f);
    }

    @Test
    void wrongByteLengthAndRowOutOfRangeAreClearErrors() {
        PixelNormalization p = PixelNormalization.unitScale(28, 28, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.write(new byte[783], new float[784], 0));
        assertTrue(e.getMessage().contains("783") && e.getMessage().contains("784"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> p.write(new byte[784], new float[784 * 2], 2));
        assertThrows(IllegalArgumentException.class,
                () -> PixelNormalization.standardize(2, 2, 1, new double[]{3}, new double[]{0}));
    }
}
