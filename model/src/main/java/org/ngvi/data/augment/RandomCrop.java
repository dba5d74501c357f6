package org.ngvi.data.augment;

import java.util.Arrays;

/**
 * torchvision's {@code RandomCrop(size=(h, w), padding=p)} (constant zero fill): the image is
 * padded by {@code p} zero pixels on every side, to {@code (h + 2p) × (w + 2p)}, and a window of
 * the stored size {@code h × w} is cut at {@code (top, left)}, drawn in that order, each uniform
 * on {@code {0, …, 2p}} (torchvision's {@code randint(0, h + 2p − h + 1)}). Equivalently
 * <pre>
 *   out(y, x, c) = in(y + top − p, x + left − p, c)   when that pixel lies inside the image,
 *                = 0                                   otherwise,
 * </pre>
 * a shift by {@code (top − p, left − p)} ∈ {@code [−p, p]²} with zeros shifted in. The padding
 * value 0 is the raw pixel 0 (black), as torchvision pads the PIL image before {@code ToTensor}
 * and {@code Normalize}. Each window row is one {@code System.arraycopy} plus zero fills.
 */
public final class RandomCrop implements ImageTransform {
    private final ImageShape shape;
    private final int padding;

    /**
     * @throws IllegalArgumentException {@code padding < 0}
     */
    public RandomCrop(ImageShape shape, int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be ≥ 0, got " + padding);
        }
        this.shape = shape;
        this.padding = padding;
    }

    public int padding() {
        return padding;
    }

    @Override
    public boolean apply(byte[] src, byte[] dst, AugmentationRandom rng) {
        int top = rng.nextInt(2 * padding + 1);
        int left = rng.nextInt(2 * padding + 1);
        if (top == padding && left == padding) {
            return false;
        }
        crop(src, dst, top, left);
        return true;
    }

    /**
     * The window at {@code (top, left)} of the zero-padded image (any offsets, also beyond
     * {@code [0, 2p]}: pixels outside the image are 0).
     */
    public void crop(byte[] src, byte[] dst, int top, int left) {
        shape.check(src, "source image");
        shape.check(dst, "destination image");
        final int h = shape.height();
        final int w = shape.width();
        final int c = shape.channels();
        final int row = w * c;
        final int dx = left - padding;
        // columns x with 0 ≤ x + dx < w
        final int x0 = Math.min(w, Math.max(0, -dx));
        final int x1 = Math.max(x0, Math.min(w, w - dx));
        for (int y = 0; y < h; y++) {
            int sy = y + top - padding;
            int o = y * row;
            if (sy < 0 || sy >= h || x0 == x1) {
                Arrays.fill(dst, o, o + row, (byte) 0);
                continue;
            }
            if (x0 > 0) {
                Arrays.fill(dst, o, o + x0 * c, (byte) 0);
            }
            System.arraycopy(src, sy * row + (x0 + dx) * c, dst, o + x0 * c, (x1 - x0) * c);
            if (x1 < w) {
                Arrays.fill(dst, o + x1 * c, o + row, (byte) 0);
            }
        }
    }
}
