package org.ngvi.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HorizontalFlipTest {
    @Test
    void flipReversesColumnsAndKeepsChannelOrder() {
        ImageShape grey = new ImageShape(2, 3, 1);
        byte[] out = new byte[6];
        new HorizontalFlip(grey, 1).flip(new byte[] {1, 2, 3, 4, 5, 6}, out);
        assertArrayEquals(new byte[] {3, 2, 1, 6, 5, 4}, out);

        ImageShape rgb = new ImageShape(1, 2, 3);
        byte[] out3 = new byte[6];
        new HorizontalFlip(rgb, 1).flip(new byte[] {1, 2, 3, 4, 5, 6}, out3);
        assertArrayEquals(new byte[] {4, 5, 6, 1, 2, 3}, out3);
    }

    @Test
    void flipMatchesTheDefinitionOnAPatternAndIsAnInvolution() {
        for (int ch = 1; ch <= 4; ch++) {
            ImageShape s = new ImageShape(5, 7, ch);
            byte[] img = RandomCropTest.pattern(s);
            byte[] once = new byte[s.size()];
            byte[] twice = new byte[s.size()];
            HorizontalFlip f = new HorizontalFlip(s, 0.5);
            f.flip(img, once);
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 7; x++) {
                    for (int c = 0; c < ch; c++) {
                        assertEquals(img[(y * 7 + (6 - x)) * ch + c], once[(y * 7 + x) * ch + c], s + " at " + y + "," + x + "," + c);
                    }
                }
            }
            f.flip(once, twice);
            assertArrayEquals(img, twice);
        }
    }

    @Test
    void flipsWithTheGivenProbability() {
        ImageShape s = new ImageShape(2, 2, 1);
        byte[] img = {1, 2, 3, 4};
        byte[] out = new byte[4];
        AugmentationRandom rng = new AugmentationRandom(11);
        for (double p : new double[] {0, 0.5, 0.2, 1}) {
            HorizontalFlip f = new HorizontalFlip(s, p);
            int n = 20_000;
            int flips = 0;
            for (int i = 0; i < n; i++) {
                if (f.apply(img, out, rng)) {
                    assertArrayEquals(new byte[] {2, 1, 4, 3}, out);
                    flips++;
                }
            }
            assertEquals(p * n, flips, 5 * Math.sqrt(n * p * (1 - p)) + 1e-9, "p=" + p);
        }
        assertThrows(IllegalArgumentException.class, () -> new HorizontalFlip(s, 1.5));
    }
}
