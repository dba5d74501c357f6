package org.ngvi.data.augment;

/**
 * The stored shape of the images a transform works on: uint8 pixels in HWC order, value
 * {@code (y, x, c)} at byte {@code (y·width + x)·channels + c}.
 *
 * @param height   rows
 * @param width    columns
 * @param channels values per pixel
 */
public record ImageShape(int height, int width, int channels) implements java.io.Serializable {
    public ImageShape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image shape must be positive, found height=" + height + " width=" + width
                    + " channels=" + channels);
        }
        Math.multiplyExact(Math.multiplyExact(height, width), channels);
    }

    /** Bytes per image, {@code h·w·c}. */
    public int size() {
        return height * width * channels;
    }

    /** Checks that {@code image} has {@link #size()} bytes; {@code what} names it in the error. */
    void check(byte[] image, String what) {
        if (image == null || image.length != size()) {
            throw new IllegalArgumentException(what + " has " + (image == null ? "no" : image.length)
                    + " bytes, expected height·width·channels = " + height + "·" + width + "·" + channels + " = " + size());
        }
    }
}
