package org.ngvi.spark.train;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.data.PixelNormalization;
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
 * @param seed          the run's seed (MC noise streams derive from it)
 */
public record RunSetup(NetworkSpec spec, String dtype, PixelNormalization normalization, BatchPlan plan,
                       TrainingAlgorithm<?> algorithm, boolean sync, long seed) implements Serializable {
    public DataType dataType() {
        return dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** Seed of the MC noise of {@code partition}; in sync mode every task draws the same ε. */
    public long noiseSeed(int partition) {
        return BatchPlan.mix(seed, sync ? -1 : partition, 0x5EEDL);
    }

    /** Key of the worker pool: workers are interchangeable between runs with equal setups. */
    String workerKey() {
        return spec.toJson().toString() + '|' + dtype + '|' + normalization + '|' + algorithm.name();
    }
}
