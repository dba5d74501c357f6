package org.ngvi.spark.train;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.data.PixelNormalization;
import org.ngvi.data.augment.AugmentationRandom;
import org.ngvi.data.augment.AugmentationSpec;
import org.ngvi.nn.NetworkSpec;

/**
 * Everything a task needs that stays fixed for a whole run (broadcast once): the network, the
 * compute type, how pixels become inputs, the batch schedule, the algorithm and the seed.
 *
 * @param spec          the network
 * @param dtype         {@code float32} or {@code float64}
 * @param normalization pixel → input mapping
 * @param plan          which examples each task uses at each step
 * @param algorithm     the optimizer with its hyper-parameters
 * @param sync          {@code true}: aggregate gradients (K = 1); {@code false}: average states after K steps
 * @param seed          the run's seed (MC noise and augmentation streams derive from it)
 * @param augmentation  what each task does to its training examples before normalisation (never to evaluation data)
 */
public record RunSetup(NetworkSpec spec, String dtype, PixelNormalization normalization, BatchPlan plan,
                       TrainingAlgorithm<?> algorithm, boolean sync, long seed,
                       AugmentationSpec augmentation) implements Serializable {
    public RunSetup {
        if (augmentation == null) {
            throw new IllegalArgumentException("augmentation is required (AugmentationSpec.none() for none)");
        }
    }

    /** A setup without augmentation. */
    public RunSetup(NetworkSpec spec, String dtype, PixelNormalization normalization, BatchPlan plan,
                    TrainingAlgorithm<?> algorithm, boolean sync, long seed) {
        this(spec, dtype, normalization, plan, algorithm, sync, seed, AugmentationSpec.none());
    }

    public DataType dataType() {
        return dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** Seed of the MC noise of {@code partition}; in sync mode every task draws the same ε. */
    public long noiseSeed(int partition) {
        return BatchPlan.mix(seed, sync ? -1 : partition, 0x5EEDL);
    }

    /**
     * Seed of the augmentation stream of task {@code partition} in {@code epoch}
     * ({@link AugmentationRandom#streamSeed}); the example at position k of the task's epoch
     * permutation is augmented with {@code AugmentationRandom.exampleSeed(stream, k)}.
     */
    public long augmentationSeed(int epoch, int partition) {
        return AugmentationRandom.streamSeed(seed, epoch, partition);
    }

    /** Key of the worker pool: workers are interchangeable between runs with equal setups. */
    String workerKey() {
        return spec.toJson().toString() + '|' + dtype + '|' + normalization + '|' + algorithm.name() + '|' + augmentation;
    }
}
