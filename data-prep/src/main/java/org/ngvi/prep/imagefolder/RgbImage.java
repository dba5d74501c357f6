package org.ngvi.prep.imagefolder;

/**
 * A decoded 8-bit RGB image in HWC order: byte {@code (y·width + x)·3 + c} is channel c
 * (0 = red, 1 = green, 2 = blue) of pixel (y, x). The pixel array is shared, not copied.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] pixels;
    private final String format;

    /**
     * @param width  columns, positive
     * @param height rows, positive
     * @param pixels {@code width·height·3} bytes, HWC
     * @param format the source's ImageIO format name in lower case ({@code "jpeg"}, {@code "png"}, ...)
     */
    public RgbImage(int width, int height, byte[] pixels, String format) {
        if (width <= 0 || height <= 0 || pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException("RGB image " + width + "×" + height + " needs " + (long) width * height * 3
                    + " bytes, found " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
        this.format = format;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The HWC bytes (not a copy). */
    public byte[] pixels() {
        return pixels;
    }

    /** The source format: ImageIO's format name in lower case, e.g. {@code "jpeg"} or {@code "png"}. */
    public String format() {
        return format;
    }

    /** Channel c of pixel (y, x), 0..255. */
    public int get(int y, int x, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xff;
    }
}
