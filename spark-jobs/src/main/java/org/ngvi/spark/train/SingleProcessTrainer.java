package org.ngvi.spark.train;

import org.ngvi.nn.Network;
import org.ngvi.optim.OptimizerState;
import org.ngvi.spark.data.Example;

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
        return train(setup.algorithm(), setup, examples, epochs);
    }

    private static <S extends OptimizerState> S train(TrainingAlgorithm<S> alg, RunSetup setup, Example[] examples, int epochs) {
        BatchPlan plan = setup.plan();
        if (plan.partitions() != 1) {
            throw new IllegalArgumentException("single-process training needs a plan of one partition, got " + plan.partitions());
        }
        Worker w = Worker.borrow(setup);
        try {
            S state = alg.init(Network.build(setup.spec(), setup.dataType()).initParams(setup.seed()));
            long rounds = (long) plan.roundsPerEpoch() * epochs;
            for (long r = 0; r < rounds; r++) {
                state = RoundTask.execute(alg, setup, w, state, r, 0, examples, false).state();
            }
            return state;
        } finally {
            Worker.release(setup, w);
        }
    }
}
