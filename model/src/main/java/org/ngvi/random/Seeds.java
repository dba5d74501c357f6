package org.ngvi.random;

/**
 * Every seed the project derives, in one place: each random stream of a run is a pure function
 * of the run's seed and the coordinates that name it (epoch, partition, step, MC sample,
 * position, layer), so a retried Spark task, the single-process trainer and the tests draw the
 * same numbers. Each stream has its own derivation (and domain constant), so no two streams
 * share values by accident. The values are frozen: tests and quoted results depend on them.
 */
public final class Seeds {
    /** Domain constant of the weight-noise stream seeds. */
    private static final long WEIGHT_NOISE_DOMAIN = 0x5EEDL;
    /** Domain constant of the dropout-mask seeds (xor-ed into the run seed). */
    private static final long DROPOUT_DOMAIN = 0xD80F_0A7EL;
    /** Domain constant of augmentation seeds (distinct from the data-order and noise seeds). */
    private static final long AUGMENTATION_DOMAIN = 0xA3C59AC2F1B7E5D3L;
    /** Domain constant of continual learning's per-task streams (pixel permutation, coreset). */
    private static final long TASK_DOMAIN = 0x7A5C_C0DEL;

    private Seeds() {
    }

    /**
     * A seed for (a, b, c): two rounds of z ← (z ⊕ z≫33)·0xff51afd7ed558ccd + v·γ;
     * z ← (z ⊕ z≫33)·0xc4ceb9fe1a85ec53 over v = b, c starting at z = a, then z ⊕ z≫33.
     */
    public static long mix(long a, long b, long c) {
        long z = a;
        for (long v : new long[] {b, c}) {
            z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL + v * BitMix.GOLDEN_GAMMA;
            z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        }
        return z ^ (z >>> 33);
    }

    /** The data order: seed of {@code partition}'s permutation in {@code epoch}. */
    public static long dataOrder(long runSeed, int epoch, int partition) {
        return mix(runSeed, epoch, partition);
    }

    /** The row → partition assignment of a data set: 64 mixed bits of (row index, seed). */
    public static long rowPartition(long index, long seed) {
        return BitMix.mix13(index * BitMix.GOLDEN_GAMMA + seed * 0xBF58476D1CE4E5B9L);
    }

    /** The weight-noise stream of task {@code partition} ({@code -1}: the one stream all sync-mode tasks share). */
    public static long weightNoise(long runSeed, int partition) {
        return mix(runSeed, partition, WEIGHT_NOISE_DOMAIN);
    }

    /** The generator of ε for MC sample {@code sample} of optimizer step {@code step} of a weight-noise stream. */
    public static long weightNoiseSample(long streamSeed, long step, int sample) {
        long h = BitMix.mix13(streamSeed + BitMix.GOLDEN_GAMMA);
        h = BitMix.mix13(h ^ (step * BitMix.GOLDEN_GAMMA + 0x632BE59BD9B4E019L));
        return BitMix.mix13(h ^ ((sample + 1L) * 0xD1B54A32D192ED03L));
    }

    /** The dropout masks of optimizer step {@code step} on task {@code partition}. */
    public static long dropout(long runSeed, int partition, long step) {
        return mix(runSeed ^ DROPOUT_DOMAIN, partition, step);
    }

    /** The augmentation stream of task {@code partition} in {@code epoch}. */
    public static long augmentation(long runSeed, int epoch, int partition) {
        return combine(combine(combine(AUGMENTATION_DOMAIN, runSeed), epoch), partition);
    }

    /** The augmentation of the example at {@code position} of the task's epoch permutation. */
    public static long augmentationExample(long streamSeed, int position) {
        return combine(streamSeed, position);
    }

    /** The network noise (dropout) of MC-dropout prediction pass {@code k}. */
    public static long mcPass(long seed, int k) {
        return BitMix.mix13(seed + (k + 1L) * BitMix.GOLDEN_GAMMA);
    }

    /** The stream of layer {@code i} of a network whose noise is seeded {@code networkSeed}. */
    public static long layer(long networkSeed, int i) {
        return BitMix.fmix64(networkSeed + (i + 1) * BitMix.GOLDEN_GAMMA);
    }

    /** The stream of sub-layer {@code k} of a residual block whose noise is seeded {@code blockSeed}. */
    public static long subLayer(long blockSeed, int k) {
        return BitMix.mix13(blockSeed + (k + 1) * BitMix.GOLDEN_GAMMA);
    }

    /** The pixel permutation of continual-learning task {@code task} (1-based). */
    public static long taskPermutation(long runSeed, int task) {
        return combine(combine(TASK_DOMAIN, runSeed), task);
    }

    /** The coreset drawn from continual-learning task {@code task} (1-based). */
    public static long taskCoreset(long runSeed, int task) {
        return combine(combine(TASK_DOMAIN ^ 0xC0AE5E7L, runSeed), task);
    }

    /** fmix(h ⊕ fmix(v + γ)): neighbouring v give unrelated results. */
    private static long combine(long h, long v) {
        return BitMix.fmix64(h ^ BitMix.fmix64(v + BitMix.GOLDEN_GAMMA));
    }
}
