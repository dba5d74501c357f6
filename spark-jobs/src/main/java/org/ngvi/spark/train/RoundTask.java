package org.ngvi.spark.train;

import java.util.Iterator;
import java.util.List;
import org.ngvi.optim.NoiseSource;
import org.ngvi.optim.OptimizerState;
import org.ngvi.optim.StepResult;
import org.ngvi.spark.data.Example;

/**
 * One task's share of a round, run on an executor (or in-process by {@link SingleProcessTrainer}):
 * restore the broadcast state, then either K local optimizer steps ({@code average} mode) or the
 * MC-averaged gradient and curvature of one batch ({@code sync} mode). The network's buffers
 * (BatchNorm running statistics) come with the broadcast state, are updated by every training
 * forward pass of the round and go back with the result. Its MC noise is seeded by
 * (run seed, partition) and indexed by the optimizer step, and its examples are augmented (when the
 * run augments) with seeds of (run seed, epoch, partition, position in the epoch's permutation), so a
 * retried task reproduces its result.
 */
final class RoundTask {
    private RoundTask() {
    }

    /** Spark entry: one result per partition. */
    static Iterator<TaskResult> run(RunSetup setup, StateSnapshot snapshot, long round, int partition, Iterator<Example> rows) {
        List<Example> list = new java.util.ArrayList<>();
        rows.forEachRemaining(list::add);
        Example[] examples = list.toArray(new Example[0]);
        Worker w = Worker.borrow(setup);
        try {
            return List.of(run(setup.algorithm(), setup, w, snapshot, round, partition, examples)).iterator();
        } finally {
            Worker.release(setup, w);
        }
    }

    private static <S extends OptimizerState> TaskResult run(TrainingAlgorithm<S> alg, RunSetup setup, Worker w,
                                                             StateSnapshot snapshot, long round, int partition,
                                                             Example[] examples) {
        S state = alg.restore(snapshot, alg.cast(w.state), w.network.layout(), setup.dataType());
        if (w.network.hasBuffers()) {
            if (snapshot.networkBuffers() == null) {
                throw new IllegalStateException("the network has buffers (BatchNorm running statistics) but the broadcast "
                        + "state of round " + round + " carries none");
            }
            snapshot.networkBuffers().copyInto(w.network.buffers());
        }
        Outcome<S> out = execute(alg, setup, w, state, round, partition, examples, setup.sync());
        w.state = out.state;
        return out.result;
    }

    /** Result of a round on one partition plus the task's state after it. */
    record Outcome<S extends OptimizerState>(S state, TaskResult result) {
    }

    /**
     * @param gradientsOnly sync mode: return ĝ and ĥ of the round's batch instead of stepping
     */
    static <S extends OptimizerState> Outcome<S> execute(TrainingAlgorithm<S> alg, RunSetup setup, Worker w, S state,
                                                         long round, int partition, Example[] examples, boolean gradientsOnly) {
        BatchPlan plan = setup.plan();
        int mc = setup.algorithm() instanceof VognTraining v ? v.mcSamples() : 1;
        NoiseSource noise = w.noise(setup.noiseSeed(partition), mc);
        int epoch = plan.epochOf(round);
        int[] perm = plan.permutation(epoch, partition, null);
        long augSeed = setup.augmentationSeed(epoch, partition);
        int b = plan.localBatch(partition);
        int stepInEpoch = plan.firstStep(round);
        if (gradientsOnly) {
            w.objective.setBatch(w.assembler.assembleAugmented(examples, perm, stepInEpoch * b, stepInEpoch * b + b, augSeed),
                    w.assembler.labels());
            w.network.reseedNoise(dropoutSeed(setup, partition, state.step()), false);
            double loss = alg.gradients(w.objective, state, noise, w.grad, alg.needsCurvature() ? w.curv : null);
            FlatValues h = alg.needsCurvature() ? FlatValues.of(w.curv) : null;
            return new Outcome<>(state, new TaskResult(partition, b, loss * b, null, null, FlatValues.of(w.grad), h, b,
                    networkBuffers(w)));
        }
        double lossSum = 0;
        for (int j = 0; j < plan.localSteps(); j++) {
            int from = (stepInEpoch + j) * b;
            w.objective.setBatch(w.assembler.assembleAugmented(examples, perm, from, from + b, augSeed), w.assembler.labels());
            w.network.reseedNoise(dropoutSeed(setup, partition, state.step()), false);
            StepResult<S> r = alg.step(w.objective, state, noise);
            state = r.state();
            lossSum += r.loss() * b;
        }
        long n = (long) b * plan.localSteps();
        // in average mode the worker's curvature buffer is free: scratch for the precision weights
        FlatValues precision = alg.precision(state, w.curv);
        return new Outcome<>(state, new TaskResult(partition, n, lossSum, alg.snapshot(state), precision, null, null, 0,
                networkBuffers(w)));
    }

    /**
     * Seed of the dropout masks (the network's stochastic layers) of optimizer step {@code step} on
     * {@code partition}: a mix of (run seed, partition, step), so masks do not depend on which pooled
     * worker runs the task, and a retried task or the single-process trainer draws the same ones. In
     * sync mode every partition draws its own masks (its own examples); the union batch therefore
     * sees other masks than a single process would, with the same distribution.
     */
    static long dropoutSeed(RunSetup setup, int partition, long step) {
        return BatchPlan.mix(setup.seed() ^ 0xD80F_0A7EL, partition, step);
    }

    /** A copy of the worker network's buffers after the round's forward passes, or {@code null} when it has none. */
    private static FlatValues networkBuffers(Worker w) {
        return w.network.hasBuffers() ? FlatValues.of(w.network.buffers()) : null;
    }
}
