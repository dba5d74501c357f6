package org.ngvi.data.augment;

import org.ngvi.random.BitMix;
import org.ngvi.random.Seeds;

/**
 * The random numbers of one augmented example: a SplitMix64 generator (Steele, Lea and Flood,
 * "Fast splittable pseudorandom number generators", 2014) that can be re-seeded in place, so a
 * worker draws every example's parameters from one object without allocating.
 *
 * <p>Seeds are derived, never shared: {@link #streamSeed}{@code (runSeed, epoch, partition)} names
 * the augmentation stream of one task in one epoch, and {@link #exampleSeed}{@code (stream, position)}
 * the generator of the example at {@code position} of that task's epoch permutation. Each step
 * combines with the 64-bit finaliser of MurmurHash3, {@code fmix(h ⊕ fmix(v + domain))}, so
 * neighbouring positions or epochs give unrelated sequences, and the streams are independent of
 * the data order's permutation seeds. A retried task therefore reproduces its batches exactly.
 * Not thread-safe.
 */
public final class AugmentationRandom {
    private long state;

    public AugmentationRandom(long seed) {
        this.state = seed;
    }

    /** Restarts the sequence of {@code seed}: the same seed gives the same draws. */
    public void reset(long seed) {
        this.state = seed;
    }

    /** Seed of the augmentation stream of task {@code partition} in {@code epoch} of a run seeded {@code runSeed}. */
    public static long streamSeed(long runSeed, int epoch, int partition) {
        return Seeds.augmentation(runSeed, epoch, partition);
    }

    /** Seed of the example at {@code position} of the task's permutation in the stream's epoch. */
    public static long exampleSeed(long streamSeed, int position) {
        return Seeds.augmentationExample(streamSeed, position);
    }

    /** The next 64 uniformly random bits (SplitMix64: state += γ, then mix13). */
    public long nextLong() {
        return BitMix.mix13(state += BitMix.GOLDEN_GAMMA);
    }

    /** Uniform on {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return BitMix.unitDouble(nextLong());
    }

    /** Uniform on {@code [lo, hi)}; {@code lo} when {@code lo = hi}. */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /**
     * Uniform on {@code {0, …, bound − 1}}, exactly (31-bit draws, rejecting the incomplete top
     * block as {@link java.util.Random#nextInt(int)} does).
     *
     * @throws IllegalArgumentException {@code bound ≤ 0}
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int r = (int) (nextLong() >>> 33);
        int m = bound - 1;
        if ((bound & m) == 0) {
            return (int) ((bound * (long) r) >> 31);
        }
        for (int u = r; u - (r = u % bound) + m < 0; u = (int) (nextLong() >>> 33)) {
            // rejected: u fell in the incomplete block at the top of [0, 2^31)
        }
        return r;
    }
}
