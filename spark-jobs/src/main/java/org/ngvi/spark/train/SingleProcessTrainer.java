package org.ngvi.spark.train;

import org.ngvi.nn.Network;
import org.ngvi.optim.Optimizer;
import org.ngvi.optim.OptimizerState;
import org.ngvi.spark.data.Example;
import org.ngvi.tensor.FlatTensor;

/**
 * The same training without Spark: one process, one partition, the plain loop of optimizer steps
 * over the {@link BatchPlan} of a single partition, with the noise stream task 0 would use
 * (in sync mode: the stream every task shares). It is
 * the reference the distributed trainer is tested against ({@code local[1]} must equal it) and
 * the baseline of the throughput benchmark.
 */
public final class SingleProcessTrainer {
    private SingleProcessTrainer() {
    }

    /**
     * Trains for {@code epochs} from the initial weights of {@code setup.seed()}.
     *
     * @param setup    a setup whose plan has exactly one partition
     * @param examples the whole training set, sorted by row index
     */
    public static OptimizerState train(RunSetup setup, Example[] examples, int epochs) {
        return trainModel(setup, examples, epochs).state();
    }

    /**
     * The optimizer state and the network's buffers after training.
     *
     * @param runningStats BatchNorm running statistics as the training forward passes left them (a copy),
     *                     or {@code null} when the network has none
     */
    public record Trained(OptimizerState state, FlatTensor runningStats) {
    }

    /** As {@link #train}, also returning the running statistics (they start at mean 0, variance 1). */
    public static Trained trainModel(RunSetup setup, Example[] examples, int epochs) {
        return trainRounds(setup, examples, (long) setup.plan().roundsPerEpoch() * epochs);
    }

    /** The first {@code rounds} rounds of the plan (a benchmark's shorter run). */
    public static Trained trainRounds(RunSetup setup, Example[] examples, long rounds) {
        Worker w = Worker.borrow(setup);
        try {
            return train(w.optimizer(setup.optimizer()), setup, w, examples, rounds);
        } finally {
            Worker.release(setup, w);
        }
    }

    private static <S extends OptimizerState> Trained train(Optimizer<S> alg, RunSetup setup, Worker w, Example[] examples,
                                                            long rounds) {
        BatchPlan plan = setup.plan();
        if (plan.partitions() != 1) {
            throw new IllegalArgumentException("single-process training needs a plan of one partition, got " + plan.partitions());
        }
        w.network.resetRunningStats(); // a pooled worker may hold another run's running statistics
        S state = alg.init(Network.build(setup.spec(), setup.dataType()).initParams(setup.seed()));
        for (long r = 0; r < rounds; r++) {
            state = RoundTask.execute(alg, setup, w, state, r, 0, examples, false, System.nanoTime()).state();
        }
        return new Trained(state, w.network.hasRunningStats() ? w.network.runningStats().copy() : null);
    }
}
