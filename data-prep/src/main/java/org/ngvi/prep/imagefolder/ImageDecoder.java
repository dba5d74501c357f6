package org.ngvi.prep.imagefolder;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Decodes the bytes of an image file into 8-bit RGB ({@link RgbImage}) with the JDK's ImageIO
 * readers (JPEG, PNG, and whatever else ImageIO reads: BMP, GIF, TIFF). The format is detected
 * from the bytes, not the file name, so a PNG named {@code .JPEG} decodes as PNG.
 *
 * <p>Every image becomes 3 channels, the same way whatever its source layout (as PIL's
 * {@code convert("RGB")}, which torchvision's ImageFolder uses, except for 16-bit samples):
 * <ul>
 *   <li>grey: {@code R = G = B = grey};</li>
 *   <li>an alpha channel is dropped (colour samples kept as stored, not composited);</li>
 *   <li>palette images: the palette's RGB;</li>
 *   <li>samples of b bits (e.g. 16-bit PNG): {@code round(v·255 / (2^b − 1))} (PIL clips 16-bit grey
 *       at 255 instead);</li>
 *   <li>CMYK and YCCK JPEGs (4 components): YCCK is first turned into CMYK as libjpeg does
 *       ({@code R = Y + 1.402·(Cr−128)}, {@code G = Y − 0.344136·(Cb−128) − 0.714136·(Cr−128)},
 *       {@code B = Y + 1.772·(Cb−128)}, then {@code C = 255 − R}, {@code M = 255 − G},
 *       {@code Y = 255 − B}, K kept); CMYK JPEGs store inverted ink amounts (Adobe's convention,
 *       assumed with or without an Adobe APP14 marker, as PIL and the JDK's reader do), so each of
 *       the four is inverted; then
 *       {@code R = (255 − C)(255 − K)/255}, {@code G = (255 − M)(255 − K)/255},
 *       {@code B = (255 − Y)(255 − K)/255}, rounded;</li>
 *   <li>RGB samples are taken as stored: embedded ICC profiles are not applied (as PIL);</li>
 *   <li>any other colour model: Java2D's conversion to sRGB ({@link BufferedImage#getRGB}).</li>
 * </ul>
 *
 * <p>A file that cannot be decoded throws {@link UndecodableImageException} with the reason:
 * no ImageIO reader recognises the bytes; the decoder fails; the JPEG decoder warns that the
 * data is truncated ("Truncated File", "premature end": libjpeg fills the missing part with grey
 * and carries on, PIL refuses such a file); or the image has more than {@link #MAX_PIXELS}
 * pixels (checked from the header before decoding). Other decoder warnings (e.g. "extraneous
 * bytes before marker", common and harmless) do not reject the image.
 */
public final class ImageDecoder {
    /** Largest accepted image, in pixels: PIL's decompression-bomb error threshold (2 × 89,478,485). */
    public static final long MAX_PIXELS = 178_956_970L;

    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";
    private static final Pattern TRUNCATION = Pattern.compile("(?i).*(truncated|premature end).*");

    private ImageDecoder() {
    }

    /**
     * Decodes a whole image file.
     *
     * @throws UndecodableImageException the bytes are not a decodable image (see the class comment)
     */
    public static RgbImage decode(byte[] bytes) throws UndecodableImageException {
        ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new UndecodableImageException("not an image format ImageIO can decode (JPEG, PNG, BMP, GIF, TIFF): "
                        + (bytes.length == 0 ? "the file is empty" : "no reader recognises the first bytes " + firstBytes(bytes)));
            }
            ImageReader reader = readers.next();
            try {
                return decode(reader, reader.getOriginatingProvider() == null ? "image"
                        : reader.getOriginatingProvider().getFormatNames()[0].toLowerCase(Locale.ROOT), iis);
            } finally {
                reader.dispose();
            }
        } finally {
            try {
                iis.close();
            } catch (IOException ignored) {
                // an in-memory stream
            }
        }
    }

    private static RgbImage decode(ImageReader reader, String format, ImageInputStream iis) throws UndecodableImageException {
        Set<String> warnings = new LinkedHashSet<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try {
            reader.setInput(iis, true, false);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w <= 0 || h <= 0) {
                throw new UndecodableImageException(format + " header gives an empty size " + w + "×" + h);
            }
            if ((long) w * h > MAX_PIXELS) {
                throw new UndecodableImageException("too large: " + w + "×" + h + " = " + (long) w * h
                        + " pixels, more than " + MAX_PIXELS + " (PIL's decompression-bomb limit)");
            }
            RgbImage image;
            int adobe = format.equals("jpeg") ? cmykAdobeTransform(reader) : NOT_CMYK;
            if (adobe != NOT_CMYK) {
                image = fromCmyk(reader.readRaster(0, null), adobe, format);
            } else {
                image = fromBufferedImage(reader.read(0), format);
            }
            for (String warning : warnings) {
                if (TRUNCATION.matcher(warning).matches()) {
                    throw new UndecodableImageException("truncated " + format + ": the decoder warned '" + warning + "'");
                }
            }
            return image;
        } catch (IOException e) {
            throw new UndecodableImageException(format + " decoder failed: " + e.getMessage() + warned(warnings), e);
        } catch (RuntimeException e) {
            throw new UndecodableImageException(format + " decoder failed: " + e + warned(warnings), e);
        }
    }

    private static String warned(Set<String> warnings) {
        return warnings.isEmpty() ? "" : " (decoder warnings: " + String.join("; ", warnings) + ")";
    }

    private static String firstBytes(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }

    /** Returned by {@link #cmykAdobeTransform} for a JPEG without 4 components. */
    private static final int NOT_CMYK = -2;
    /** A 4-component JPEG without an Adobe APP14 marker (CMYK, not YCCK). */
    private static final int NO_ADOBE_MARKER = -1;

    /**
     * For a 4-component (CMYK or YCCK) JPEG: the Adobe APP14 transform (0 = CMYK, 2 = YCCK) or
     * {@link #NO_ADOBE_MARKER}; {@link #NOT_CMYK} for 1 or 3 components.
     */
    private static int cmykAdobeTransform(ImageReader reader) throws IOException {
        IIOMetadata md = reader.getImageMetadata(0);
        if (md == null || !java.util.Arrays.asList(md.getMetadataFormatNames()).contains(JPEG_METADATA)) {
            return NOT_CMYK;
        }
        Node root = md.getAsTree(JPEG_METADATA);
        int components = 0;
        int transform = NO_ADOBE_MARKER;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!n.getNodeName().equals("markerSequence")) {
                continue;
            }
            for (Node m = n.getFirstChild(); m != null; m = m.getNextSibling()) {
                if (m.getNodeName().equals("sof")) {
                    for (Node c = m.getFirstChild(); c != null; c = c.getNextSibling()) {
                        if (c.getNodeName().equals("componentSpec")) {
                            components++;
                        }
                    }
                } else if (m.getNodeName().equals("app14Adobe")) {
                    NamedNodeMap a = m.getAttributes();
                    Node t = a == null ? null : a.getNamedItem("transform");
                    transform = t == null ? 0 : Integer.parseInt(t.getNodeValue());
                }
            }
        }
        return components == 4 ? transform : NOT_CMYK;
    }

    /** CMYK/YCCK samples → RGB, as described in the class comment. */
    static RgbImage fromCmyk(Raster r, int adobeTransform, String format) throws UndecodableImageException {
        if (r.getNumBands() != 4) {
            throw new UndecodableImageException("4-component JPEG decoded into " + r.getNumBands() + " bands");
        }
        int w = r.getWidth();
        int h = r.getHeight();
        boolean ycck = adobeTransform == 2;
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w * 4];
        for (int y = 0; y < h; y++) {
            r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int c = row[4 * x];
                int m = row[4 * x + 1];
                int ye = row[4 * x + 2];
                int k = row[4 * x + 3];
                if (ycck) {
                    double lum = c;
                    double cb = m - 128;
                    double cr = ye - 128;
                    c = 255 - clamp(Math.round(lum + 1.402 * cr));
                    m = 255 - clamp(Math.round(lum - 0.344136 * cb - 0.714136 * cr));
                    ye = 255 - clamp(Math.round(lum + 1.772 * cb));
                }
                // stored values are inverted ink amounts: 255 − ink = c, so R = (255 − ink_C)(255 − ink_K)/255 = c·k/255
                int o = (y * w + x) * 3;
                out[o] = (byte) ((c * k + 127) / 255);
                out[o + 1] = (byte) ((m * k + 127) / 255);
                out[o + 2] = (byte) ((ye * k + 127) / 255);
            }
        }
        return new RgbImage(w, h, out, format);
    }

    private static int clamp(long v) {
        return (int) Math.max(0, Math.min(255, v));
    }

    /** Any decoded image → RGB, as described in the class comment. */
    static RgbImage fromBufferedImage(BufferedImage img, String format) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof IndexColorModel icm) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(r.getMinX(), r.getMinY() + y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int rgb = icm.getRGB(row[x]);
                    int o = (y * w + x) * 3;
                    out[o] = (byte) (rgb >> 16);
                    out[o + 1] = (byte) (rgb >> 8);
                    out[o + 2] = (byte) rgb;
                }
            }
        } else if (cm instanceof ComponentColorModel && isGreyOrRgb(cm)) {
            int colours = cm.getNumColorComponents();
            if (!interleavedBytes(r, cm, colours, out)) {
                samples(r, cm, colours, out);
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = (byte) (row[x] >> 16);
                    out[o + 1] = (byte) (row[x] >> 8);
                    out[o + 2] = (byte) row[x];
                }
            }
        }
        return new RgbImage(w, h, out, format);
    }

    private static boolean isGreyOrRgb(ColorModel cm) {
        int type = cm.getColorSpace().getType();
        return (type == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1)
                || (type == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3);
    }

    /** Fast path: 8-bit samples interleaved in one byte array (JPEG's and most PNGs' layout). */
    private static boolean interleavedBytes(Raster r, ColorModel cm, int colours, byte[] out) {
        if (!(r.getSampleModel() instanceof PixelInterleavedSampleModel sm) || !(r.getDataBuffer() instanceof DataBufferByte db)
                || db.getNumBanks() != 1 || r.getSampleModelTranslateX() != 0 || r.getSampleModelTranslateY() != 0) {
            return false;
        }
        for (int c = 0; c < colours; c++) {
            if (cm.getComponentSize(c) != 8) {
                return false;
            }
        }
        byte[] data = db.getData();
        int base = db.getOffset();
        int ps = sm.getPixelStride();
        int ss = sm.getScanlineStride();
        int[] off = sm.getBandOffsets();
        int w = r.getWidth();
        int h = r.getHeight();
        int o = 0;
        if (colours == 3) {
            int r0 = off[0];
            int g0 = off[1];
            int b0 = off[2];
            for (int y = 0; y < h; y++) {
                int p = base + y * ss;
                for (int x = 0; x < w; x++, p += ps) {
                    out[o++] = data[p + r0];
                    out[o++] = data[p + g0];
                    out[o++] = data[p + b0];
                }
            }
        } else {
            int g0 = off[0];
            for (int y = 0; y < h; y++) {
                int p = base + y * ss;
                for (int x = 0; x < w; x++, p += ps) {
                    byte g = data[p + g0];
                    out[o++] = g;
                    out[o++] = g;
                    out[o++] = g;
                }
            }
        }
        return true;
    }

    /** General path: samples of any bit depth, scaled to 8 bits with rounding. */
    private static void samples(Raster r, ColorModel cm, int colours, byte[] out) {
        int w = r.getWidth();
        int h = r.getHeight();
        int bands = r.getNumBands();
        long[] max = new long[colours];
        for (int c = 0; c < colours; c++) {
            max[c] = (1L << cm.getComponentSize(c)) - 1;
        }
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                for (int c = 0; c < 3; c++) {
                    int band = colours == 3 ? c : 0;
                    long v = row[x * bands + band] & 0xffffffffL;
                    long m = max[band];
                    out[o + c] = (byte) (m == 255 ? v : (2 * v * 255 + m) / (2 * m));
                }
            }
        }
    }
}
