package org.ngvi.prep.imagefolder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ResizeCropTest {
    private static RgbImage image(int[][][] px) {
        int h = px.length;
        int w = px[0].length;
        byte[] b = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    b[(y * w + x) * 3 + c] = (byte) px[y][x][c];
                }
            }
        }
        return new RgbImage(w, h, b, "png");
    }

    private static int[][][] random(int w, int h, long seed) {
        Random r = new Random(seed);
        int[][][] px = new int[h][w][3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    px[y][x][c] = r.nextInt(256);
                }
            }
        }
        return px;
    }

    @Test
    void sizesFollowTorchvision() {
        ResizeCrop t = new ResizeCrop(256, 224);
        assertArrayEquals(new int[]{341, 256}, t.resizedSize(500, 375)); // 256·500/375 = 341.33
        assertArrayEquals(new int[]{256, 341}, t.resizedSize(375, 500));
        assertArrayEquals(new int[]{256, 256}, t.resizedSize(80, 80));
        assertArrayEquals(new int[]{512, 256}, t.resizedSize(10, 5)); // enlarging
        assertArrayEquals(new int[]{256, 2_560_000}, t.resizedSize(1, 10_000));
        // Python's round: halves to even
        assertEquals(16, t.cropOffset(256));
        assertEquals(58, t.cropOffset(341)); // 117/2 = 58.5 → 58
        assertEquals(60, t.cropOffset(343)); // 119/2 = 59.5 → 60
        assertEquals(59, t.cropOffset(342));
        assertThrows(IllegalArgumentException.class, () -> new ResizeCrop(224, 256));
        assertThrows(IllegalArgumentException.class, () -> new ResizeCrop(0, 0));
    }

    @Test
    void shrinkingMatchesTheAntialiasedDefinition() {
        for (int[] wh : new int[][]{{37, 23}, {23, 37}, {100, 61}, {61, 61}, {400, 33}}) {
            int[][][] px = random(wh[0], wh[1], wh[0] * 1000L + wh[1]);
            for (int[] rc : new int[][]{{16, 12}, {16, 16}, {20, 7}}) {
                byte[] out = new ResizeCrop(rc[0], rc[1]).apply(image(px));
                TestImages.assertMatchesReference(out, TestImages.referenceResizeCrop(px, rc[0], rc[1]),
                        wh[0] + "×" + wh[1] + " → resize " + rc[0] + ", crop " + rc[1]);
            }
        }
    }

    @Test
    void enlargingIsBilinearInterpolation() {
        int[][][] px = random(5, 4, 3);
        byte[] out = new ResizeCrop(12, 10).apply(image(px));
        TestImages.assertMatchesReference(out, TestImages.referenceResizeCrop(px, 12, 10), "5×4 → 15×12, crop 10");
        // a 1-pixel image is that colour everywhere
        byte[] one = new ResizeCrop(8, 8).apply(image(new int[][][]{{{9, 200, 77}}}));
        for (int p = 0; p < 64; p++) {
            assertEquals(9, one[3 * p] & 0xff);
            assertEquals(200, one[3 * p + 1] & 0xff);
            assertEquals(77, one[3 * p + 2] & 0xff);
        }
    }

    @Test
    void sameSizeIsTheIdentityAndSolidStaysSolid() {
        int[][][] px = random(20, 20, 9);
        RgbImage img = image(px);
        assertArrayEquals(img.pixels(), new ResizeCrop(20, 20).apply(img));
        // a pure centre crop of a 20×30 image resized to 20 wide: rows 5..24
        int[][][] tall = random(20, 30, 10);
        byte[] out = new ResizeCrop(20, 20).apply(image(tall));
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(tall[y + 5][x][c], out[(y * 20 + x) * 3 + c] & 0xff);
                }
            }
        }
        byte[] solid = new ResizeCrop(64, 48).apply(image(TestImages.solid(333, 211, 250, 3, 128)));
        for (int p = 0; p < 48 * 48; p++) {
            assertEquals(250, solid[3 * p] & 0xff);
            assertEquals(3, solid[3 * p + 1] & 0xff);
            assertEquals(128, solid[3 * p + 2] & 0xff);
        }
    }
}
