package org.ngvi.prep.imagefolder;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Test images written with ImageIO, and a reference resize-and-crop written from the definition
 * (a double sum over every input pixel, no windows, no separable passes, no float rounding).
 */
final class TestImages {
    private TestImages() {
    }

    /** {@code [h][w][3]} pixels → an RGB BufferedImage. */
    static BufferedImage rgb(int[][][] px) {
        int h = px.length;
        int w = px[0].length;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (px[y][x][0] << 16) | (px[y][x][1] << 8) | px[y][x][2]);
            }
        }
        return img;
    }

    static int[][][] solid(int w, int h, int r, int g, int b) {
        int[][][] px = new int[h][w][];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y][x] = new int[]{r, g, b};
            }
        }
        return px;
    }

    /** A smooth colour gradient, different in each channel. */
    static int[][][] gradient(int w, int h) {
        int[][][] px = new int[h][w][];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y][x] = new int[]{255 * x / Math.max(1, w - 1), 255 * y / Math.max(1, h - 1), (3 * x + 5 * y) % 256};
            }
        }
        return px;
    }

    /** Smooth random blobs (JPEG-friendly) from a seed. */
    static int[][][] blobs(int w, int h, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] a = new double[9];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble();
        }
        int[][][] px = new int[h][w][];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y][x] = new int[3];
                for (int c = 0; c < 3; c++) {
                    double v = 127.5 + 110 * Math.sin(a[3 * c] * 12 * x / w + a[3 * c + 1] * 9 * y / h + 6 * a[3 * c + 2]);
                    px[y][x][c] = (int) Math.round(v);
                }
            }
        }
        return px;
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, o)) {
            throw new IOException("no ImageIO writer for " + format + " and image type " + img.getType());
        }
        return o.toByteArray();
    }

    /** A grey PNG of the given grey values {@code [h][w]}. */
    static byte[] greyPng(int[][] grey) throws IOException {
        int h = grey.length;
        int w = grey[0].length;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, grey[y][x]);
            }
        }
        return encode(img, "png");
    }

    /** An RGBA PNG with the given colours and a varying alpha. */
    static byte[] rgbaPng(int[][][] px) throws IOException {
        int h = px.length;
        int w = px[0].length;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setPixel(x, y, new int[]{px[y][x][0], px[y][x][1], px[y][x][2], (x * 37 + y * 11) % 256});
            }
        }
        return encode(img, "png");
    }

    /**
     * A solid 4-component JPEG with samples {@code s} (CMYK, or YCCK when transform is 2); with
     * {@code adobeTransform ≥ 0} an Adobe APP14 marker with that transform is inserted after SOI.
     */
    static byte[] fourComponentJpeg(int w, int h, int[] s, int adobeTransform) throws IOException {
        WritableRaster ras = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ras.setPixel(x, y, s);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(o)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(ras, null, null), null);
        } finally {
            writer.dispose();
        }
        byte[] j = o.toByteArray();
        if (adobeTransform < 0) {
            return j;
        }
        byte[] seg = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) adobeTransform};
        byte[] out = new byte[j.length + seg.length];
        System.arraycopy(j, 0, out, 0, 2);
        System.arraycopy(seg, 0, out, 2, seg.length);
        System.arraycopy(j, 2, out, 2 + seg.length, j.length - 2);
        return out;
    }

    /** A PNG whose header claims {@code w×h} RGB pixels, with no image data. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put(new byte[]{'I', 'H', 'D', 'R'}).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putInt(13).put(ihdr.array()).putInt(crc(ihdr.array()));
        byte[] iend = {'I', 'E', 'N', 'D'};
        b.putInt(0).put(iend).putInt(crc(iend));
        return b.array();
    }

    private static int crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return (int) c.getValue();
    }

    /** The decoded pixels of an image file as ImageIO gives them ({@code [h][w][3]}, 3-component images only). */
    static int[][][] decodeWithImageIo(byte[] bytes) throws IOException {
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        Raster r = img.getRaster();
        int[][][] px = new int[img.getHeight()][img.getWidth()][3];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                for (int c = 0; c < 3; c++) {
                    px[y][x][c] = r.getNumBands() == 1 ? r.getSample(x, y, 0) : r.getSample(x, y, c);
                }
            }
        }
        return px;
    }

    /**
     * Reference for {@link ResizeCrop}: torchvision's output size, Python-rounded crop offsets and
     * PIL's antialiased bilinear weights, summed over every input pixel in double precision, unrounded.
     *
     * @return {@code [crop][crop][3]} real-valued pixels
     */
    static double[][][] referenceResizeCrop(int[][][] src, int resize, int crop) {
        int h = src.length;
        int w = src[0].length;
        int newW;
        int newH;
        if (w <= h) {
            newW = resize;
            newH = new BigDecimal(resize).multiply(new BigDecimal(h)).divide(new BigDecimal(w), 0, RoundingMode.FLOOR).intValue();
        } else {
            newH = resize;
            newW = new BigDecimal(resize).multiply(new BigDecimal(w)).divide(new BigDecimal(h), 0, RoundingMode.FLOOR).intValue();
        }
        int top = new BigDecimal(newH - crop).divide(new BigDecimal(2), 0, RoundingMode.HALF_EVEN).intValue();
        int left = new BigDecimal(newW - crop).divide(new BigDecimal(2), 0, RoundingMode.HALF_EVEN).intValue();
        double[][] wy = weights(h, newH, top, crop);
        double[][] wx = weights(w, newW, left, crop);
        double[][][] out = new double[crop][crop][3];
        for (int i = 0; i < crop; i++) {
            for (int j = 0; j < crop; j++) {
                for (int c = 0; c < 3; c++) {
                    double s = 0;
                    for (int y = 0; y < h; y++) {
                        if (wy[i][y] == 0) {
                            continue;
                        }
                        for (int x = 0; x < w; x++) {
                            s += wy[i][y] * wx[j][x] * src[y][x][c];
                        }
                    }
                    out[i][j][c] = s;
                }
            }
        }
        return out;
    }

    /** Normalised triangle weights {@code [k][input]} of outputs {@code from..from+count−1}. */
    private static double[][] weights(int in, int outSize, int from, int count) {
        double scale = (double) in / outSize;
        double support = Math.max(1.0, scale);
        double[][] wt = new double[count][in];
        for (int k = 0; k < count; k++) {
            double centre = (from + k + 0.5) * scale;
            double sum = 0;
            for (int x = 0; x < in; x++) {
                double d = Math.abs(x + 0.5 - centre) / support;
                wt[k][x] = d < 1 ? 1 - d : 0;
                sum += wt[k][x];
            }
            for (int x = 0; x < in; x++) {
                wt[k][x] /= sum;
            }
        }
        return wt;
    }

    /** Asserts every byte of {@code hwc} ({@code crop×crop×3}) is the reference rounded: within ½ (+ float slack). */
    static void assertMatchesReference(byte[] hwc, double[][][] ref, String what) {
        int crop = ref.length;
        if (hwc.length != crop * crop * 3) {
            throw new AssertionError(what + ": " + hwc.length + " bytes, expected " + crop * crop * 3);
        }
        for (int i = 0; i < crop; i++) {
            for (int j = 0; j < crop; j++) {
                for (int c = 0; c < 3; c++) {
                    int v = hwc[(i * crop + j) * 3 + c] & 0xff;
                    if (Math.abs(v - ref[i][j][c]) > 0.5 + 1e-3) {
                        throw new AssertionError(what + ": pixel (y=" + i + ", x=" + j + ", c=" + c + ") is " + v
                                + ", the reference is " + ref[i][j][c]);
                    }
                }
            }
        }
    }

    /** Largest absolute difference between {@code hwc} and the reference. */
    static double maxDifference(byte[] hwc, double[][][] ref) {
        int crop = ref.length;
        double m = 0;
        for (int i = 0; i < crop; i++) {
            for (int j = 0; j < crop; j++) {
                for (int c = 0; c < 3; c++) {
                    m = Math.max(m, Math.abs((hwc[(i * crop + j) * 3 + c] & 0xff) - ref[i][j][c]));
                }
            }
        }
        return m;
    }
}
