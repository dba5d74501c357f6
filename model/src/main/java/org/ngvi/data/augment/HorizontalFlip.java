package org.ngvi.data.augment;

/**
 * torchvision's {@code RandomHorizontalFlip(p)}: with probability {@code p} (one uniform draw
 * {@code u < p}, as {@code torch.rand(1) < p}) the columns are reversed,
 * {@code out(y, x, c) = in(y, w − 1 − x, c)}; otherwise the image is unchanged.
 */
public final class HorizontalFlip implements ImageTransform {
    /** torchvision's default probability. */
    public static final double DEFAULT_PROBABILITY = 0.5;

    private final ImageShape shape;
    private final double probability;

    /**
     * @throws IllegalArgumentException {@code probability} outside {@code [0, 1]}
     */
    public HorizontalFlip(ImageShape shape, double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + probability);
        }
        this.shape = shape;
        this.probability = probability;
    }

    @Override
    public boolean apply(byte[] src, byte[] dst, AugmentationRandom rng) {
        if (rng.nextDouble() < probability) {
            flip(src, dst);
            return true;
        }
        return false;
    }

    /** Reverses the columns of {@code src} into {@code dst} (distinct arrays). */
    public void flip(byte[] src, byte[] dst) {
        shape.check(src, "source image");
        shape.check(dst, "destination image");
        final int h = shape.height();
        final int w = shape.width();
        final int c = shape.channels();
        final int row = w * c;
        if (c == 1) {
            for (int y = 0; y < h; y++) {
                int o = y * row;
                for (int x = 0, s = o + w - 1; x < w; x++, s--) {
                    dst[o + x] = src[s];
                }
            }
            return;
        }
        if (c == 3) {
            for (int y = 0; y < h; y++) {
                int o = y * row;
                for (int d = o, s = o + row - 3; d < o + row; d += 3, s -= 3) {
                    dst[d] = src[s];
                    dst[d + 1] = src[s + 1];
                    dst[d + 2] = src[s + 2];
                }
            }
            return;
        }
        for (int y = 0; y < h; y++) {
            int o = y * row;
            for (int x = 0; x < w; x++) {
                int d = o + x * c;
                int s = o + (w - 1 - x) * c;
                for (int k = 0; k < c; k++) {
                    dst[d + k] = src[s + k];
                }
            }
        }
    }
}
