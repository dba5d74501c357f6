package org.ngvi.spark.train;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.ngvi.random.Seeds;

/**
 * Which examples every task uses at every step: the schedule of a training run, a pure function
 * of (seed, partition sizes, batch size, K), so a retried task, the single-process trainer and
 * the tests all see the same batches.
 *
 * <p>The global batch of {@code batchSize} examples per step is split over the P tasks (task p
 * takes {@code batchSize/P}, the first {@code batchSize mod P} tasks one more). Each epoch every
 * task visits its partition in a fresh permutation seeded by (seed, epoch, partition); an epoch
 * has {@code stepsPerEpoch = min_p ⌊n_p / b_p⌋} steps (the remainder of a partition is left for
 * later epochs' permutations) and {@code roundsPerEpoch = ⌊stepsPerEpoch / K⌋} rounds of K local steps.
 */
public final class BatchPlan implements Serializable {
    private final long seed;
    private final long[] partitionCounts;
    private final int batchSize;
    private final int localSteps;
    private final int stepsPerEpoch;

    public BatchPlan(long seed, long[] partitionCounts, int batchSize, int localSteps) {
        int p = partitionCounts.length;
        if (batchSize < p) {
            throw new IllegalArgumentException("batch_size " + batchSize + " is smaller than the number of partitions " + p
                    + ": every task needs at least one example per step (lower 'partitions' or raise 'batch_size')");
        }
        this.seed = seed;
        this.partitionCounts = partitionCounts.clone();
        this.batchSize = batchSize;
        this.localSteps = localSteps;
        long steps = Long.MAX_VALUE;
        for (int i = 0; i < p; i++) {
            steps = Math.min(steps, partitionCounts[i] / localBatch(i));
        }
        if (steps < localSteps) {
            throw new IllegalArgumentException("a partition holds too few examples for one round: "
                    + java.util.Arrays.toString(partitionCounts) + " examples per partition, " + localSteps
                    + " local steps of batch " + batchSize + " split over " + p + " tasks");
        }
        this.stepsPerEpoch = (int) steps;
    }

    public int partitions() {
        return partitionCounts.length;
    }

    public int batchSize() {
        return batchSize;
    }

    public int localSteps() {
        return localSteps;
    }

    /** Examples task {@code partition} uses per step. */
    public int localBatch(int partition) {
        int p = partitionCounts.length;
        return batchSize / p + (partition < batchSize % p ? 1 : 0);
    }

    /** Optimizer steps per epoch as the trainer takes them: {@link #roundsPerEpoch()} rounds of K steps. */
    public int stepsPerEpoch() {
        return roundsPerEpoch() * localSteps;
    }

    public int roundsPerEpoch() {
        return stepsPerEpoch / localSteps;
    }

    public int epochOf(long round) {
        return (int) (round / roundsPerEpoch());
    }

    /**
     * Index, within its epoch's permutation, of the first local step of {@code round}: local step j
     * of task p uses positions {@code [(first + j) b_p, (first + j + 1) b_p)} of the permutation.
     */
    public int firstStep(long round) {
        return (int) (round % roundsPerEpoch()) * localSteps;
    }

    /** The permutation of partition {@code partition} in {@code epoch}, into {@code scratch} when it fits. */
    public int[] permutation(int epoch, int partition, int[] scratch) {
        int n = (int) partitionCounts[partition];
        int[] perm = scratch != null && scratch.length == n ? scratch : new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(Seeds.dataOrder(seed, epoch, partition));
        for (int i = n - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[k];
            perm[k] = t;
        }
        return perm;
    }
}
