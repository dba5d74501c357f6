package org.ngvi.data.augment;

/**
 * One worker's augmentation pipeline ({@link AugmentationSpec#transforms}) with two scratch
 * images it alternates between, so augmenting an example allocates nothing:
 * {@link #apply(byte[], long)} re-seeds one {@link AugmentationRandom} with the example's seed,
 * runs the transforms in order (each draws its parameters from that generator, in order) and
 * returns the result. Deterministic: the same image and seed always give the same bytes.
 * Not thread-safe: one per worker thread.
 */
public final class Augmenter {
    private final AugmentationSpec spec;
    private final ImageShape shape;
    private final ImageTransform[] transforms;
    private final AugmentationRandom rng = new AugmentationRandom(0);
    private final byte[] scratchA;
    private final byte[] scratchB;

    public Augmenter(AugmentationSpec spec, ImageShape shape) {
        this.spec = spec;
        this.shape = shape;
        this.transforms = spec.transforms(shape);
        boolean any = transforms.length > 0;
        this.scratchA = any ? new byte[shape.size()] : null;
        this.scratchB = any ? new byte[shape.size()] : null;
    }

    public AugmentationSpec spec() {
        return spec;
    }

    public ImageShape shape() {
        return shape;
    }

    /** True when {@link #apply} always returns its input ({@link AugmentationSpec.Kind#NONE}). */
    public boolean isIdentity() {
        return transforms.length == 0;
    }

    /**
     * The augmented {@code hwc} for the example seed {@code seed} (see
     * {@link AugmentationRandom#exampleSeed}): {@code hwc} itself when every draw was the identity,
     * otherwise one of this augmenter's scratch arrays, valid until the next call. {@code hwc} is
     * never modified.
     *
     * @throws IllegalArgumentException {@code hwc} is not {@code h·w·c} bytes
     */
    public byte[] apply(byte[] hwc, long seed) {
        shape.check(hwc, "image");
        if (transforms.length == 0) {
            return hwc;
        }
        rng.reset(seed);
        byte[] current = hwc;
        for (ImageTransform t : transforms) {
            byte[] target = current == scratchA ? scratchB : scratchA;
            if (t.apply(current, target, rng)) {
                current = target;
            }
        }
        return current;
    }
}
