package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ngvi.nn.Network;
import org.ngvi.optim.Optimizer;
import org.ngvi.optim.OptimizerState;
import org.ngvi.optim.StateSnapshot;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.spark.eval.Evaluation;
import org.ngvi.spark.eval.EvalResult;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;

/**
 * The parameter-averaging trainer of DESIGN.md. Each round:
 * <ol>
 * <li>the driver broadcasts the optimizer state (μ, s, v, m, λ̄, step) and the network's BatchNorm
 *     running statistics;</li>
 * <li>every task runs K local steps on its partition ({@code average}) or computes the MC-averaged
 *     ĝ and ĥ of its share of the global batch ({@code sync}, K = 1), seeded per (run, partition);</li>
 * <li>{@code treeAggregate} combines the results weighted by examples ({@link RoundAggregate}):
 *     natural-parameter averaging of the posteriors, or the union batch's ĝ and ĥ on which the
 *     driver takes one optimizer step — then exactly synchronous data-parallel VOGN; the running
 *     statistics as the example-weighted mean of the tasks' (which their forward passes updated);</li>
 * <li>the driver destroys the broadcast, checkpoints atomically and logs a metrics line.</li>
 * </ol>
 */
public final class ParameterAveragingTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final RunSetup setup;
    private final int epochs;
    private final int valMc;
    private final int valBatch;
    private final PrintStream console;

    /**
     * @param valMc    MC samples of the per-epoch validation (0: mean weights)
     * @param valBatch examples per validation batch
     */
    public ParameterAveragingTrainer(SparkSession spark, RunSetup setup, int epochs, int valMc, int valBatch, PrintStream console) {
        this.spark = spark;
        this.setup = setup;
        this.epochs = epochs;
        this.valMc = valMc;
        this.valBatch = valBatch;
        this.console = console;
    }

    /**
     * Outcome of a run: the final state, the last validation (or {@code null}), throughput, and the
     * network's final BatchNorm running statistics ({@code null} when it has none).
     */
    public record Outcome(OptimizerState state, EvalResult validation, double examplesPerSecond, double seconds,
                          FlatTensor runningStats) {
    }

    /**
     * Trains from the initial weights of {@code setup.seed()}.
     *
     * @param val  validated after every epoch when not {@code null}
     * @param run  where checkpoints and metrics go; {@code null} writes nothing (tests)
     */
    public Outcome train(ImageDataset train, ImageDataset val, RunDirectory run, ObjectNode provenance) throws IOException {
        return train(setup.optimizer().create(), null, train, val, run, provenance,
                (long) setup.plan().roundsPerEpoch() * epochs, null);
    }

    /** Only the first {@code rounds} rounds, writing nothing: the state after them. */
    public OptimizerState trainRounds(ImageDataset train, long rounds) throws IOException {
        return train(setup.optimizer().create(), null, train, null, null, null, rounds, null).state();
    }

    /** What {@link #trainFrom} reports after each epoch. */
    @FunctionalInterface
    public interface EpochListener {
        /**
         * @param epoch    0-based epoch just finished
         * @param state    the state after it (read it, do not keep it: the next round updates it in place)
         * @param meanLoss example-weighted mean training loss of the epoch
         * @param seconds  seconds since training started
         */
        void epochEnd(int epoch, OptimizerState state, double meanLoss, double seconds);
    }

    /**
     * Trains every epoch from {@code initial} (a state of the setup's optimizer, e.g. the next task's
     * prior in continual learning; consumed) instead of the seed's initial weights, writing nothing
     * and validating nothing; {@code listener} (may be {@code null}) hears each epoch's end.
     */
    public Outcome trainFrom(OptimizerState initial, ImageDataset train, EpochListener listener) throws IOException {
        return train(setup.optimizer().create(), initial, train, null, null, null,
                (long) setup.plan().roundsPerEpoch() * epochs, listener);
    }

    private <S extends OptimizerState> Outcome train(Optimizer<S> alg, OptimizerState initial, ImageDataset train,
                                                     ImageDataset val, RunDirectory run, ObjectNode provenance,
                                                     long totalRounds, EpochListener listener) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Network network = Network.build(setup.spec(), setup.dataType());
        S state = initial != null ? alg.cast(initial) : alg.init(network.initParams(setup.seed()));
        double epochLoss = 0;
        long epochExamples = 0;
        BatchPlan plan = setup.plan();
        Broadcast<RunSetup> bcSetup = jsc.broadcast(setup);
        Progress progress = new Progress(console, totalRounds, 1000);
        FlatTensor grad = setup.sync() ? FlatTensor.zeros(network.layout(), setup.dataType()) : null;
        FlatTensor curv = setup.sync() && alg.needsCurvature() ? FlatTensor.zeros(network.layout(), setup.dataType()) : null;
        EvalResult lastVal = null;
        long examplesSeen = 0;
        long start = System.nanoTime();
        try {
            for (long round = 0; round < totalRounds; round++) {
                long t0 = System.nanoTime();
                StateSnapshot snap = alg.snapshot(state, setup.sync())
                        .withRunningStats(network.hasRunningStats() ? FlatValues.of(network.runningStats()) : null);
                long tSnap = System.nanoTime();
                Broadcast<StateSnapshot> bcState = jsc.broadcast(snap);
                final long r = round;
                RoundAggregate agg = train.examples()
                        .mapPartitionsWithIndex((p, it) -> RoundTask.run(bcSetup.value(), bcState.value(), r, p, it), true)
                        .treeAggregate(RoundAggregate.forMode(setup.sync(), alg.precisionWeightedTensor()), RoundAggregate::add,
                                RoundAggregate::merge);
                long tAgg = System.nanoTime();
                bcState.destroy();
                if (agg.tasks() != plan.partitions()) {
                    throw new IllegalStateException("round " + round + ": " + agg.tasks() + " of " + plan.partitions() + " tasks reported");
                }
                if (agg instanceof RoundAggregate.Sync sync) {
                    new FlatValues.F64(sync.meanGradient()).copyInto(grad);
                    if (curv != null) {
                        new FlatValues.F64(sync.meanCurvature()).copyInto(curv);
                    }
                    state = alg.update(grad, curv, state);
                } else {
                    state = alg.fromSnapshot(((RoundAggregate.Averaging) agg).averagedState(), state, network.layout(),
                            setup.dataType());
                }
                if (network.hasRunningStats()) { // running statistics: example-weighted mean over the tasks (both modes)
                    new FlatValues.F64(agg.meanRunningStats()).copyInto(network.runningStats());
                }
                long tUpd = System.nanoTime();
                examplesSeen += agg.examples();
                int epoch = plan.epochOf(round);
                if (run != null) {
                    CheckpointFile.write(run.checkpoint(),
                            alg.toCheckpoint(setup.spec(), state, provenance).withRunningStats(network.runningStats()));
                }
                long tCk = System.nanoTime();
                double secs = (tCk - t0) / 1e9;
                double lr = alg.lrAt(state.step() - 1); // the rate of the round's last step
                if (run != null) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("round", round + 1).put("epoch", epoch + 1).put("step", state.step())
                            .put("train_loss", agg.meanLoss()).put("lr", lr).put("examples", agg.examples())
                            .put("examples_per_s", agg.examples() / secs)
                            .put("snapshot_ms", (tSnap - t0) / 1e6).put("tasks_ms", (tAgg - tSnap) / 1e6)
                            .put("driver_update_ms", (tUpd - tAgg) / 1e6).put("checkpoint_ms", (tCk - tUpd) / 1e6);
                    run.appendMetrics(line);
                }
                progress.round(round, epoch, epochs, agg.meanLoss(), lr, agg.examples() / secs);
                boolean epochEnd = (round + 1) % plan.roundsPerEpoch() == 0;
                epochLoss += agg.meanLoss() * agg.examples();
                epochExamples += agg.examples();
                if (listener != null && epochEnd) {
                    listener.epochEnd(epoch, state, epochLoss / epochExamples, (System.nanoTime() - start) / 1e9);
                    epochLoss = 0;
                    epochExamples = 0;
                }
                if (val != null && epochEnd) {
                    lastVal = Evaluation.evaluate(spark, val,
                            alg.posterior(setup.spec(), state).withRunningStats(network.runningStats()), setup.dataType(),
                            setup.normalization(), valMc, valBatch, setup.seed());
                    console.println("validation after epoch " + (epoch + 1) + ": " + lastVal.summary());
                    if (run != null) {
                        ObjectNode line = lastVal.toJson();
                        line.put("round", round + 1).put("epoch", epoch + 1).put("split", "val");
                        run.appendMetrics(line);
                    }
                }
            }
        } finally {
            bcSetup.destroy();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(state, lastVal, examplesSeen / seconds, seconds,
                network.hasRunningStats() ? network.runningStats().copy() : null);
    }
}
