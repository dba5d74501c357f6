package org.ngvi.spark.train;

import java.util.Iterator;
import java.util.List;
import org.ngvi.optim.NoiseSource;
import org.ngvi.optim.Optimizer;
import org.ngvi.optim.OptimizerState;
import org.ngvi.optim.StateSnapshot;
import org.ngvi.optim.StepResult;
import org.ngvi.spark.data.Example;
import org.ngvi.tensor.FlatValues;

/**
 * One task's share of a round, run on an executor (or in-process by {@link SingleProcessTrainer}):
 * restore the broadcast state, then either K local optimizer steps ({@code average} mode) or the
 * MC-averaged gradient and curvature of one batch ({@code sync} mode). The network's running
 * statistics (BatchNorm) come with the broadcast state, are updated by every training forward
 * pass of the round and go back with the result. Its MC noise is seeded by (run seed, partition)
 * and indexed by the optimizer step, and its examples are augmented (when the run augments) with
 * seeds of (run seed, epoch, partition, position in the epoch's permutation), so a retried task
 * reproduces its result. A result with a non-finite number goes back as a {@link
 * TaskResult.NonFinite} ({@link NonFinitePolicy#screen}).
 */
final class RoundTask {
    /**
     * Tests only: changes a task's result of a round before it is screened (e.g. puts a NaN into
     * one partition's ĝ), in the JVM that runs the tasks ({@code local} masters); {@code null} in
     * every real run.
     */
    static volatile Fault fault;

    /** A test's change to the result of task {@code partition} in {@code round}. */
    @FunctionalInterface
    interface Fault {
        TaskResult apply(long round, TaskResult result);
    }

    private RoundTask() {
    }

    /** Spark entry: one result per partition, screened for non-finite numbers. */
    static Iterator<TaskResult> run(RunSetup setup, StateSnapshot snapshot, long round, int partition, Iterator<Example> rows) {
        long start = System.nanoTime();
        List<Example> list = new java.util.ArrayList<>();
        rows.forEachRemaining(list::add);
        Example[] examples = list.toArray(new Example[0]);
        Worker w = Worker.borrow(setup);
        try {
            TaskResult r = run(w.optimizer(setup.optimizer()), setup, w, snapshot, round, partition, examples, start);
            Fault f = fault;
            return List.of(NonFinitePolicy.screen(f == null ? r : f.apply(round, r))).iterator();
        } finally {
            Worker.release(setup, w);
        }
    }

    private static <S extends OptimizerState> TaskResult run(Optimizer<S> opt, RunSetup setup, Worker w,
                                                             StateSnapshot snapshot, long round, int partition,
                                                             Example[] examples, long start) {
        S state = opt.fromSnapshot(snapshot, w.state == null ? null : opt.cast(w.state), w.network.layout(), setup.dataType());
        if (w.network.hasRunningStats()) {
            if (snapshot.runningStats() == null) {
                throw new IllegalStateException("the network keeps BatchNorm running statistics but the broadcast "
                        + "state of round " + round + " carries none");
            }
            snapshot.runningStats().copyInto(w.network.runningStats());
        }
        Outcome<S> out = execute(opt, setup, w, state, round, partition, examples, setup.sync(), start);
        w.state = out.state;
        return out.result;
    }

    /** Result of a round on one partition plus the task's state after it. */
    record Outcome<S extends OptimizerState>(S state, TaskResult result) {
    }

    /**
     * @param gradientsOnly sync mode: return ĝ and ĥ of the round's batch instead of stepping
     * @param start         {@link System#nanoTime()} when the task started (for {@link TaskResult#taskNanos()})
     */
    static <S extends OptimizerState> Outcome<S> execute(Optimizer<S> opt, RunSetup setup, Worker w, S state,
                                                         long round, int partition, Example[] examples, boolean gradientsOnly,
                                                         long start) {
        BatchPlan plan = setup.plan();
        NoiseSource noise = w.noise(setup, partition, opt.mcSamples());
        int epoch = plan.epochOf(round);
        int[] perm = w.permutation(plan, epoch, partition);
        long augSeed = setup.augmentationSeed(epoch, partition);
        int b = plan.localBatch(partition);
        int stepInEpoch = plan.firstStep(round);
        if (gradientsOnly) {
            w.objective.setBatch(w.assembler.assembleAugmented(examples, perm, stepInEpoch * b, stepInEpoch * b + b, augSeed),
                    w.assembler.labels());
            w.network.reseedNoise(setup.dropoutSeed(partition, state.step()), false);
            double loss = opt.gradients(w.objective, state, noise, w.grad, opt.needsCurvature() ? w.curv : null);
            FlatValues h = opt.needsCurvature() ? FlatValues.of(w.curv) : null;
            FlatValues g = FlatValues.of(w.grad);
            return new Outcome<>(state, new TaskResult.Gradients(partition, b, loss * b, g, h, runningStats(w),
                    System.nanoTime() - start));
        }
        double lossSum = 0;
        for (int j = 0; j < plan.localSteps(); j++) {
            int from = (stepInEpoch + j) * b;
            w.objective.setBatch(w.assembler.assembleAugmented(examples, perm, from, from + b, augSeed), w.assembler.labels());
            w.network.reseedNoise(setup.dropoutSeed(partition, state.step()), false);
            StepResult<S> r = opt.step(w.objective, state, noise);
            state = r.state();
            lossSum += r.loss() * b;
        }
        long n = (long) b * plan.localSteps();
        FlatValues precision = null;
        if (opt.precisionWeightedTensor() != null) {
            // in average mode the worker's curvature tensor is free: scratch for the precision weights
            opt.precision(state, w.curv);
            precision = FlatValues.of(w.curv);
        }
        StateSnapshot snap = opt.snapshot(state, false);
        return new Outcome<>(state, new TaskResult.LocalSteps(partition, n, lossSum, snap, precision, runningStats(w),
                System.nanoTime() - start));
    }

    /** A copy of the worker network's running statistics after the round's forward passes, or {@code null} when it has none. */
    private static FlatValues runningStats(Worker w) {
        return w.network.hasRunningStats() ? FlatValues.of(w.network.runningStats()) : null;
    }
}
