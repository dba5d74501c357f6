package org.ngvi.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RandomCropTest {
    /** A pattern whose every value names its pixel and channel (never 0, so padding is visible). */
    static byte[] pattern(ImageShape s) {
        byte[] img = new byte[s.size()];
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                for (int c = 0; c < s.channels(); c++) {
                    img[(y * s.width() + x) * s.channels() + c] = (byte) (1 + (y * 37 + x * 11 + c * 101) % 255);
                }
            }
        }
        return img;
    }

    /** The window at (top, left) of an explicitly built zero-padded image. */
    private static byte[] windowOfPadded(byte[] img, ImageShape s, int p, int top, int left) {
        int ph = s.height() + 2 * p;
        int pw = s.width() + 2 * p;
        int c = s.channels();
        byte[] padded = new byte[ph * pw * c];
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                for (int k = 0; k < c; k++) {
                    padded[((y + p) * pw + x + p) * c + k] = img[(y * s.width() + x) * c + k];
                }
            }
        }
        byte[] out = new byte[s.size()];
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                for (int k = 0; k < c; k++) {
                    out[(y * s.width() + x) * c + k] = padded[((y + top) * pw + x + left) * c + k];
                }
            }
        }
        return out;
    }

    @Test
    void everyOffsetIsTheWindowOfTheZeroPaddedImage() {
        for (ImageShape s : new ImageShape[] {new ImageShape(6, 5, 1), new ImageShape(4, 7, 3), new ImageShape(3, 3, 2)}) {
            for (int p : new int[] {0, 1, 2, 4}) {
                RandomCrop crop = new RandomCrop(s, p);
                byte[] img = pattern(s);
                byte[] out = new byte[s.size()];
                for (int top = 0; top <= 2 * p; top++) {
                    for (int left = 0; left <= 2 * p; left++) {
                        java.util.Arrays.fill(out, (byte) 77); // stale contents must be overwritten
                        crop.crop(img, out, top, left);
                        assertArrayEquals(windowOfPadded(img, s, p, top, left), out, s + " p=" + p + " top=" + top + " left=" + left);
                    }
                }
            }
        }
    }

    @Test
    void knownShiftOfASmallGreyImage() {
        ImageShape s = new ImageShape(3, 3, 1);
        byte[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        byte[] out = new byte[9];
        new RandomCrop(s, 1).crop(img, out, 0, 2); // shift by (-1, +1): row above is padding, column right of the image too
        assertArrayEquals(new byte[] {0, 0, 0, 2, 3, 0, 5, 6, 0}, out);
        new RandomCrop(s, 4).crop(img, out, 8, 0); // padding larger than the image: all zeros
        assertArrayEquals(new byte[9], out);
    }

    @Test
    void offsetsAreUniformOverTheFullRange() {
        ImageShape s = new ImageShape(8, 8, 1);
        int p = 2;
        RandomCrop crop = new RandomCrop(s, p);
        byte[] img = pattern(s);
        byte[][] candidates = new byte[25][];
        for (int t = 0; t < 5; t++) {
            for (int l = 0; l < 5; l++) {
                candidates[t * 5 + l] = windowOfPadded(img, s, p, t, l);
            }
        }
        int[] counts = new int[25];
        byte[] out = new byte[s.size()];
        AugmentationRandom rng = new AugmentationRandom(3);
        int n = 25_000;
        for (int i = 0; i < n; i++) {
            byte[] result = crop.apply(img, out, rng) ? out : img;
            int found = -1;
            for (int k = 0; k < 25; k++) {
                if (java.util.Arrays.equals(candidates[k], result)) {
                    found = k;
                }
            }
            assertTrue(found >= 0, "the result is one of the 25 windows");
            counts[found]++;
        }
        // each offset has probability 1/25: count ~ Binomial(n, 1/25), sd ≈ 31
        for (int k = 0; k < 25; k++) {
            assertEquals(n / 25.0, counts[k], 5 * Math.sqrt(n * (1 / 25.0) * (24 / 25.0)), "offset " + k);
        }
    }

    @Test
    void centreOffsetIsReportedAsIdentityAndLeavesTheDestinationAlone() {
        ImageShape s = new ImageShape(4, 4, 1);
        RandomCrop crop = new RandomCrop(s, 0);
        byte[] dst = new byte[16];
        dst[3] = 9;
        assertFalse(crop.apply(pattern(s), dst, new AugmentationRandom(1)));
        assertEquals(9, dst[3]);
    }

    @Test
    void badArgumentsAreClearErrors() {
        ImageShape s = new ImageShape(4, 4, 1);
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(s, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RandomCrop(s, 1).crop(new byte[15], new byte[16], 0, 0));
        assertTrue(e.getMessage().contains("15 bytes") && e.getMessage().contains("16"), e.getMessage());
    }
}
