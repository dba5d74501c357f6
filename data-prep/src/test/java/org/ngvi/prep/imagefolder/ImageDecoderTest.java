package org.ngvi.prep.imagefolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    @Test
    void rgbJpegAndPngDecodeToTheirPixels() throws Exception {
        int[][][] px = TestImages.blobs(45, 31, 1);
        RgbImage png = ImageDecoder.decode(TestImages.encode(TestImages.rgb(px), "png"));
        assertEquals("png", png.format());
        assertEquals(45, png.width());
        assertEquals(31, png.height());
        for (int y = 0; y < 31; y++) {
            for (int x = 0; x < 45; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(px[y][x][c], png.get(y, x, c));
                }
            }
        }
        byte[] jpegBytes = TestImages.encode(TestImages.rgb(px), "jpeg");
        RgbImage jpeg = ImageDecoder.decode(jpegBytes);
        assertEquals("jpeg", jpeg.format());
        int[][][] viaImageIo = TestImages.decodeWithImageIo(jpegBytes);
        double err = 0;
        for (int y = 0; y < 31; y++) {
            for (int x = 0; x < 45; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(viaImageIo[y][x][c], jpeg.get(y, x, c), "same decoder, same samples");
                    err += Math.abs(px[y][x][c] - jpeg.get(y, x, c));
                }
            }
        }
        assertTrue(err / (31 * 45 * 3) < 8, "JPEG (quality 75) close to its source, mean |error| " + err / (31 * 45 * 3));
    }

    @Test
    void greyPaletteAlphaAndSixteenBitBecomeRgb() throws Exception {
        int[][] grey = new int[7][9];
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 9; x++) {
                grey[y][x] = (y * 9 + x) * 4;
            }
        }
        RgbImage g = ImageDecoder.decode(TestImages.greyPng(grey));
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 9; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(grey[y][x], g.get(y, x, c), "grey replicated, not gamma-converted");
                }
            }
        }

        int[][][] px = TestImages.gradient(13, 6);
        RgbImage a = ImageDecoder.decode(TestImages.rgbaPng(px));
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 13; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(px[y][x][c], a.get(y, x, c), "alpha dropped, colour kept");
                }
            }
        }

        byte[] r = {0, (byte) 255, 10, 20};
        byte[] gg = {0, 0, (byte) 200, 30};
        byte[] b = {0, 0, 7, 40};
        BufferedImage pal = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(2, 4, r, gg, b));
        for (int x = 0; x < 4; x++) {
            pal.getRaster().setSample(x, 0, 0, x);
            pal.getRaster().setSample(x, 1, 0, 3 - x);
        }
        RgbImage p = ImageDecoder.decode(TestImages.encode(pal, "png"));
        for (int x = 0; x < 4; x++) {
            assertEquals(r[x] & 0xff, p.get(0, x, 0));
            assertEquals(gg[x] & 0xff, p.get(0, x, 1));
            assertEquals(b[3 - x] & 0xff, p.get(1, x, 2));
        }

        BufferedImage u16 = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] v16 = {0, 257 * 100 + 128, 65535};
        for (int x = 0; x < 3; x++) {
            u16.getRaster().setSample(x, 0, 0, v16[x]);
        }
        RgbImage s = ImageDecoder.decode(TestImages.encode(u16, "png"));
        assertEquals(0, s.get(0, 0, 1));
        assertEquals(100, s.get(0, 1, 1)); // round(25828·255/65535) = round(100.498)
        assertEquals(255, s.get(0, 2, 2));

        // 16-bit RGB with alpha
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        WritableRaster wr = cm.createCompatibleWritableRaster(2, 1);
        wr.setPixel(0, 0, new int[]{65535, 32896, 0, 1000});
        wr.setPixel(1, 0, new int[]{257, 514, 771, 65535});
        RgbImage rgb16 = ImageDecoder.decode(TestImages.encode(new BufferedImage(cm, wr, false, null), "png"));
        assertEquals(Arrays.toString(new int[]{255, 128, 0, 1, 2, 3}), Arrays.toString(new int[]{rgb16.get(0, 0, 0),
                rgb16.get(0, 0, 1), rgb16.get(0, 0, 2), rgb16.get(0, 1, 0), rgb16.get(0, 1, 1), rgb16.get(0, 1, 2)}));
    }

    @Test
    void cmykAndYcckJpegsBecomeRgb() throws Exception {
        int[] stored = {250, 128, 30, 200};
        // stored values are inverted ink amounts (Adobe's convention, as PIL assumes), so R = C·K/255 etc.
        assertRgb(ImageDecoder.decode(TestImages.fourComponentJpeg(16, 8, stored, 0)),
                250 * 200 / 255.0, 128 * 200 / 255.0, 30 * 200 / 255.0);
        // the same without an Adobe marker
        assertRgb(ImageDecoder.decode(TestImages.fourComponentJpeg(16, 8, stored, -1)),
                250 * 200 / 255.0, 128 * 200 / 255.0, 30 * 200 / 255.0);
        // YCCK (Adobe transform 2) holding the same image as the Adobe CMYK one: Y, Cb, Cr of (255 − C, 255 − M, 255 − Y)
        double r = 255 - stored[0];
        double g = 255 - stored[1];
        double b = 255 - stored[2];
        int[] ycck = {(int) Math.round(0.299 * r + 0.587 * g + 0.114 * b),
            (int) Math.round(-0.168736 * r - 0.331264 * g + 0.5 * b + 128),
            (int) Math.round(0.5 * r - 0.418688 * g - 0.081312 * b + 128), stored[3]};
        assertRgb(ImageDecoder.decode(TestImages.fourComponentJpeg(16, 8, ycck, 2)),
                250 * 200 / 255.0, 128 * 200 / 255.0, 30 * 200 / 255.0);
    }

    private static void assertRgb(RgbImage img, double r, double g, double b) {
        double[] expected = {r, g, b};
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected[c], img.get(y, x, c), 3, "channel " + c + " at (" + y + ", " + x + ")");
                }
            }
        }
    }

    @Test
    void badBytesAreUndecodableWithTheReason() throws Exception {
        assertUndecodable(new byte[0], "the file is empty");
        byte[] garbage = new byte[3000];
        new Random(5).nextBytes(garbage);
        garbage[0] = 'G';
        garbage[1] = 'A';
        assertUndecodable(garbage, "not an image format ImageIO can decode", "47 41");

        byte[] jpeg = TestImages.encode(TestImages.rgb(TestImages.blobs(300, 200, 4)), "jpeg");
        assertEquals(300, ImageDecoder.decode(jpeg).width());
        assertUndecodable(Arrays.copyOf(jpeg, jpeg.length * 6 / 10), "truncated jpeg", "Truncated File");
        assertUndecodable(Arrays.copyOf(jpeg, 400), "jpeg decoder failed");
        byte[] png = TestImages.encode(TestImages.rgb(TestImages.blobs(100, 80, 4)), "png");
        assertUndecodable(Arrays.copyOf(png, png.length / 2), "png decoder failed");
        assertUndecodable(TestImages.pngHeaderOnly(20_000, 20_000), "too large", "20000×20000", "178956970");
    }

    private static void assertUndecodable(byte[] bytes, String... parts) {
        UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> ImageDecoder.decode(bytes));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
    }
}
