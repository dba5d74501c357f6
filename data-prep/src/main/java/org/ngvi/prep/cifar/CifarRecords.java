package org.ngvi.prep.cifar;

/**
 * The image part of a CIFAR binary record: 32×32 RGB, {@value #PIXEL_BYTES} bytes in CHW order.
 */
public final class CifarRecords {
    /** Image height. */
    public static final int HEIGHT = 32;
    /** Image width. */
    public static final int WIDTH = 32;
    /** Colour channels (R, G, B). */
    public static final int CHANNELS = 3;
    /** Pixel bytes per record: 32·32·3 = 3072. */
    public static final int PIXEL_BYTES = HEIGHT * WIDTH * CHANNELS;

    private static final int PLANE = HEIGHT * WIDTH;

    private CifarRecords() {
    }

    /**
     * Converts one image from CIFAR's CHW order to HWC:
     * {@code hwc[(y·32 + x)·3 + c] = chw[offset + c·1024 + y·32 + x]}, i.e. plane c, pixel
     * p = y·32 + x goes to {@code p·3 + c}.
     *
     * @param chw    buffer holding the record
     * @param offset where the 3072 pixel bytes start in {@code chw}
     * @param hwc    destination, {@value #PIXEL_BYTES} bytes
     */
    public static void chwToHwc(byte[] chw, int offset, byte[] hwc) {
        for (int p = 0; p < PLANE; p++) {
            int o = p * CHANNELS;
            hwc[o] = chw[offset + p];
            hwc[o + 1] = chw[offset + PLANE + p];
            hwc[o + 2] = chw[offset + 2 * PLANE + p];
        }
    }
}
