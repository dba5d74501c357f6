package org.ngvi.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RandomResizedCropTest {
    @Test
    void defaultWindowsStayInsideAndKeepScaleAndRatioInRange() {
        ImageShape s = new ImageShape(32, 32, 3);
        double[] scale = RandomResizedCrop.DEFAULT_SCALE;
        double[] ratio = RandomResizedCrop.DEFAULT_RATIO;
        RandomResizedCrop rrc = new RandomResizedCrop(s, scale[0], scale[1], ratio[0], ratio[1]);
        AugmentationRandom rng = new AugmentationRandom(5);
        int[] box = new int[4];
        double area = 32 * 32;
        double minFrac = 1;
        double maxFrac = 0;
        for (int i = 0; i < 20_000; i++) {
            rrc.sampleWindow(rng, box);
            int top = box[0], left = box[1], h = box[2], w = box[3];
            assertTrue(h > 0 && w > 0 && top >= 0 && left >= 0 && top + h <= 32 && left + w <= 32, java.util.Arrays.toString(box));
            // w = round(√(a·r)), h = round(√(a/r)) for a target area a ∈ [s₀A, s₁A] and ratio r ∈ [r₀, r₁]:
            // a ∈ [(w−½)(h−½), (w+½)(h+½)] and r ∈ [(w−½)/(h+½), (w+½)/(h−½)] must meet those ranges
            assertTrue((w + 0.5) * (h + 0.5) >= scale[0] * area && (w - 0.5) * (h - 0.5) <= scale[1] * area,
                    "area of " + java.util.Arrays.toString(box));
            assertTrue((w - 0.5) / (h + 0.5) <= ratio[1] && (w + 0.5) / Math.max(h - 0.5, 1e-9) >= ratio[0],
                    "ratio of " + java.util.Arrays.toString(box));
            minFrac = Math.min(minFrac, w * h / area);
            maxFrac = Math.max(maxFrac, w * h / area);
        }
        assertTrue(minFrac < 0.1 && maxFrac > 0.9, "the draws cover the scale range: " + minFrac + " .. " + maxFrac);
    }

    @Test
    void aspectRatioIsLogUniform() {
        ImageShape s = new ImageShape(400, 400, 1);
        RandomResizedCrop rrc = new RandomResizedCrop(s, 0.1, 0.1, 0.5, 2);
        AugmentationRandom rng = new AugmentationRandom(9);
        int[] box = new int[4];
        int n = 20_000;
        int[] quarters = new int[4];
        double lo = Math.log(0.5);
        double hi = Math.log(2);
        for (int i = 0; i < n; i++) {
            rrc.sampleWindow(rng, box);
            double lr = Math.log((double) box[3] / box[2]);
            assertTrue(lr >= lo - 0.02 && lr <= hi + 0.02, "log ratio " + lr);
            assertEquals(0.1 * 400 * 400, box[2] * box[3], 0.02 * 400 * 400 * 0.1, "area");
            quarters[Math.min(3, Math.max(0, (int) ((lr - lo) / (hi - lo) * 4)))]++;
        }
        for (int q = 0; q < 4; q++) {
            assertEquals(n / 4.0, quarters[q], 5 * Math.sqrt(n * 0.25 * 0.75) + 0.01 * n, "quarter " + q + " of log ratio");
        }
    }

    @Test
    void fixedSizeWindowsArePlacedUniformly() {
        ImageShape s = new ImageShape(6, 6, 1);
        // scale 4/9 of 36 = 16, ratio 1: always a 4×4 window, top and left uniform on {0, 1, 2}
        RandomResizedCrop rrc = new RandomResizedCrop(s, 16.0 / 36, 16.0 / 36, 1, 1);
        AugmentationRandom rng = new AugmentationRandom(2);
        int[] box = new int[4];
        int[] counts = new int[9];
        int n = 9000;
        for (int i = 0; i < n; i++) {
            rrc.sampleWindow(rng, box);
            assertEquals(4, box[2]);
            assertEquals(4, box[3]);
            counts[box[0] * 3 + box[1]]++;
        }
        for (int k = 0; k < 9; k++) {
            assertEquals(n / 9.0, counts[k], 5 * Math.sqrt(n / 9.0 * 8 / 9.0), "position " + k);
        }
    }

    @Test
    void sizesRoundHalfToEvenAsPython() {
        // 5×5, scale 1/4: target area 6.25, ratio 1 → √6.25 = 2.5 → round(2.5) = 2 (Python), not 3
        RandomResizedCrop rrc = new RandomResizedCrop(new ImageShape(5, 5, 1), 0.25, 0.25, 1, 1);
        int[] box = new int[4];
        rrc.sampleWindow(new AugmentationRandom(1), box);
        assertEquals(2, box[2]);
        assertEquals(2, box[3]);
        // 7×7, scale 12.25/49: √12.25 = 3.5 → 4
        new RandomResizedCrop(new ImageShape(7, 7, 1), 0.25, 0.25, 1, 1).sampleWindow(new AugmentationRandom(1), box);
        assertEquals(4, box[2]);
    }

    @Test
    void allAttemptsFailingFallsBackToTheCentredCrop() {
        ImageShape s = new ImageShape(10, 10, 1);
        int[] box = new int[4];
        // ratio 2 and scale 1: w = round(√200) = 14 > 10 every attempt; W/H = 1 < 2 → w = 10, h = round(10/2) = 5, centred
        new RandomResizedCrop(s, 1, 1, 2, 2).sampleWindow(new AugmentationRandom(1), box);
        assertArrayEquals(new int[] {2, 0, 5, 10}, box);
        // ratio 1/4: h = round(√400) = 20 > 10; W/H = 1 > 1/4 → h = 10, w = round(10/4) = round(2.5) = 2, left = 4
        new RandomResizedCrop(s, 1, 1, 0.25, 0.25).sampleWindow(new AugmentationRandom(1), box);
        assertArrayEquals(new int[] {0, 4, 10, 2}, box);
        // a 10×20 image with ratios in [3/4, 4/3] and scale 1: h = round(√(200/r)) ≥ round(√150) = 12 > 10 every attempt;
        // W/H = 2 > 4/3 → h = 10, w = round(10·4/3) = 13, left = (20 − 13)/2 = 3
        ImageShape wide = new ImageShape(10, 20, 1);
        new RandomResizedCrop(wide, 1, 1, 0.75, 4.0 / 3).sampleWindow(new AugmentationRandom(4), box);
        assertArrayEquals(new int[] {0, 3, 10, 13}, box);
    }

    @Test
    void unitScaleAndRatioOnASquareImageIsTheIdentity() {
        ImageShape s = new ImageShape(9, 9, 3);
        RandomResizedCrop rrc = new RandomResizedCrop(s, 1, 1, 1, 1);
        byte[] img = RandomCropTest.pattern(s);
        byte[] out = new byte[s.size()];
        AugmentationRandom rng = new AugmentationRandom(8);
        for (int i = 0; i < 50; i++) {
            byte[] result = rrc.apply(img, out, rng) ? out : img;
            assertArrayEquals(img, result);
        }
        // the resampling itself is the identity for the full window
        rrc.resizedCrop(img, out, 0, 0, 9, 9);
        assertArrayEquals(img, out);
    }

    @Test
    void twoByTwoWindowUpsampledToFourByFourByHand() {
        ImageShape s = new ImageShape(4, 4, 1);
        byte[] img = new byte[16];
        // window at (1, 1): a=40 b=80 / c=120 d=200
        img[5] = 40;
        img[6] = 80;
        img[9] = 120;
        img[10] = (byte) 200;
        byte[] out = new byte[16];
        new RandomResizedCrop(s, 0.5, 1, 0.5, 2).resizedCrop(img, out, 1, 1, 2, 2);
        // per axis the source coordinates are −¼→0, ¼, ¾, 1¼→1: weights (1,0), (¾,¼), (¼,¾), (0,1)
        double[][] wts = {{1, 0}, {0.75, 0.25}, {0.25, 0.75}, {0, 1}};
        double[][] v = {{40, 80}, {120, 200}};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                double e = 0;
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        e += wts[y][i] * wts[x][j] * v[i][j];
                    }
                }
                assertEquals((int) Math.floor(e + 0.5), out[y * 4 + x] & 0xff, "pixel " + y + "," + x);
            }
        }
        assertEquals(40, out[0] & 0xff);
        assertEquals(73, out[5] & 0xff); // ¾·¾·40 + ¾·¼·80 + ¼·¾·120 + ¼·¼·200 = 22.5 + 15 + 22.5 + 12.5 = 72.5, rounded half up
    }

    @Test
    void resamplingReproducesALinearRampInsideTheWindow() {
        for (int ch = 2; ch <= 3; ch++) {
            checkRamp(ch);
        }
    }

    private static void checkRamp(int ch) {
        ImageShape s = new ImageShape(20, 24, ch);
        byte[] img = new byte[s.size()];
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 24; x++) {
                img[(y * 24 + x) * ch] = (byte) (3 * y + 2 * x + 10);
                img[(y * 24 + x) * ch + 1] = (byte) (200 - 4 * y - x);
            }
        }
        byte[] out = new byte[s.size()];
        int top = 3, left = 5, wh = 11, cw = 13;
        new RandomResizedCrop(s, 0.08, 1, 0.5, 2).resizedCrop(img, out, top, left, wh, cw);
        for (int y = 0; y < 20; y++) {
            double sy = (y + 0.5) * wh / 20.0 - 0.5;
            for (int x = 0; x < 24; x++) {
                double sx = (x + 0.5) * cw / 24.0 - 0.5;
                if (sy < 0 || sy > wh - 1 || sx < 0 || sx > cw - 1) {
                    continue; // clamped border: not on the ramp
                }
                double r0 = 3 * (top + sy) + 2 * (left + sx) + 10;
                double r1 = 200 - 4 * (top + sy) - (left + sx);
                assertEquals(r0, out[(y * 24 + x) * ch] & 0xff, 0.5 + 1e-9, "channel 0 at " + y + "," + x);
                assertEquals(r1, out[(y * 24 + x) * ch + 1] & 0xff, 0.5 + 1e-9, "channel 1 at " + y + "," + x);
                if (ch == 3) {
                    assertEquals(0, out[(y * 24 + x) * ch + 2], "a zero channel stays zero");
                }
            }
        }
    }

    @Test
    void badParametersAreRejected() {
        ImageShape s = new ImageShape(4, 4, 1);
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(s, 0, 1, 0.75, 1.33));
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(s, 0.5, 0.4, 0.75, 1.33));
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(s, 0.5, 1.2, 0.75, 1.33));
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(s, 0.5, 1, 2, 1));
        RandomResizedCrop r = new RandomResizedCrop(s, 0.5, 1, 0.75, 1.33);
        assertThrows(IllegalArgumentException.class, () -> r.resizedCrop(new byte[16], new byte[16], 2, 2, 3, 2));
        assertFalse(new RandomResizedCrop(s, 1, 1, 1, 1).apply(new byte[16], new byte[16], new AugmentationRandom(0)));
    }
}
