package org.ngvi.spark.train;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.data.PixelNormalization;
import org.ngvi.data.augment.AugmentationSpec;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.OptimizerParams;
import org.ngvi.random.Seeds;

/**
 * Everything a task needs that stays fixed for a whole run (broadcast once): the network, the
 * compute type, how pixels become inputs, the batch schedule, the optimizer and the seed.
 *
 * @param spec          the network
 * @param dtype         {@code float32} or {@code float64}
 * @param normalization pixel → input mapping
 * @param plan          which examples each task uses at each step
 * @param optimizer     the optimizer's hyper-parameters (each task and the driver create their own optimizer from them)
 * @param sync          {@code true}: aggregate gradients (K = 1); {@code false}: average states after K steps
 * @param seed          the run's seed (MC noise and augmentation streams derive from it)
 * @param augmentation  what each task does to its training examples before normalisation (never to evaluation data)
 */
public record RunSetup(NetworkSpec spec, String dtype, PixelNormalization normalization, BatchPlan plan,
                       OptimizerParams optimizer, boolean sync, long seed,
                       AugmentationSpec augmentation) implements Serializable {
    public RunSetup {
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer params are required");
        }
        if (augmentation == null) {
            throw new IllegalArgumentException("augmentation is required (AugmentationSpec.none() for none)");
        }
    }

    /** A setup without augmentation. */
    public RunSetup(NetworkSpec spec, String dtype, PixelNormalization normalization, BatchPlan plan,
                    OptimizerParams optimizer, boolean sync, long seed) {
        this(spec, dtype, normalization, plan, optimizer, sync, seed, AugmentationSpec.none());
    }

    public DataType dataType() {
        return dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** Seed of the MC noise of {@code partition}; in sync mode every task draws the same ε. */
    public long noiseSeed(int partition) {
        return Seeds.weightNoise(seed, sync ? -1 : partition);
    }

    /**
     * Seed of the augmentation stream of task {@code partition} in {@code epoch}
     * ({@link Seeds#augmentation}); the example at position k of the task's epoch
     * permutation is augmented with {@link Seeds#augmentationExample}{@code (stream, k)}.
     */
    public long augmentationSeed(int epoch, int partition) {
        return Seeds.augmentation(seed, epoch, partition);
    }

    /**
     * Seed of the dropout masks (the network's stochastic layers) of optimizer step {@code step} on
     * {@code partition} ({@link Seeds#dropout}), so masks do not depend on which pooled worker runs
     * the task, and a retried task or the single-process trainer draws the same ones. In sync mode
     * every partition draws its own masks (its own examples); the union batch therefore sees other
     * masks than a single process would, with the same distribution.
     */
    public long dropoutSeed(int partition, long step) {
        return Seeds.dropout(seed, partition, step);
    }

    /** Key of the worker pool: workers are interchangeable between runs with equal setups. */
    String workerKey() {
        return spec.toJson().toString() + '|' + dtype + '|' + normalization + '|' + optimizer.optimizerName() + '|' + augmentation;
    }
}
