package org.ngvi.spark.transform;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.ngvi.data.ImageSchema;

/**
 * A deterministic per-image transform of uint8 HWC pixels, applied in this order:
 * <pre>
 *   vertical flip:    out(y, x, c) = in(H − 1 − y, x, c)
 *   horizontal flip:  out(y, x, c) = in(y, W − 1 − x, c)
 *   inversion:        out(y, x, c) = 255 − in(y, x, c)
 * </pre>
 * (the flips commute; inversion acts on values only).
 *
 * @param flipVertical   turn the image upside down
 * @param flipHorizontal mirror it left–right
 * @param invert         negate the intensities
 */
public record PixelTransform(boolean flipVertical, boolean flipHorizontal, boolean invert) implements Serializable {
    public PixelTransform {
        if (!flipVertical && !flipHorizontal && !invert) {
            throw new IllegalArgumentException("a transform needs at least one of --flip-vertical, --flip-horizontal, --invert");
        }
    }

    /** The transformed copy of {@code hwc}, an image of {@code height × width × channels}. */
    public byte[] apply(byte[] hwc, int height, int width, int channels) {
        if (hwc.length != height * width * channels) {
            throw new IllegalArgumentException("image has " + hwc.length + " bytes, " + height + "x" + width + "x" + channels
                    + " needs " + height * width * channels);
        }
        byte[] out = new byte[hwc.length];
        for (int y = 0; y < height; y++) {
            int sy = flipVertical ? height - 1 - y : y;
            for (int x = 0; x < width; x++) {
                int sx = flipHorizontal ? width - 1 - x : x;
                for (int c = 0; c < channels; c++) {
                    int v = hwc[ImageSchema.hwcOffset(sy, sx, c, width, channels)] & 0xff;
                    out[ImageSchema.hwcOffset(y, x, c, width, channels)] = (byte) (invert ? 255 - v : v);
                }
            }
        }
        return out;
    }

    /** The transform's name, e.g. {@code "flip-vertical+invert"}, for manifests and logs. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (flipVertical) {
            parts.add("flip-vertical");
        }
        if (flipHorizontal) {
            parts.add("flip-horizontal");
        }
        if (invert) {
            parts.add("invert");
        }
        return String.join("+", parts);
    }
}
