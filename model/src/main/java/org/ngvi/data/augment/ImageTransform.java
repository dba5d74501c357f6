package org.ngvi.data.augment;

/**
 * One random transform of a uint8 HWC image of a fixed shape into an image of the same shape.
 * Implementations keep their scratch in the instance: one instance per thread.
 */
public interface ImageTransform {
    /**
     * Draws this transform's parameters from {@code rng} and writes the transformed {@code src}
     * into {@code dst} (distinct arrays of {@code h·w·c} bytes).
     *
     * @return {@code true} when {@code dst} holds the result; {@code false} when the draw is the
     *         identity and {@code dst} was left untouched (the result is {@code src})
     */
    boolean apply(byte[] src, byte[] dst, AugmentationRandom rng);
}
