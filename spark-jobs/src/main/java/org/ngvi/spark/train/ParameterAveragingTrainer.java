package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ngvi.nn.Network;
import org.ngvi.optim.Optimizer;
import org.ngvi.optim.OptimizerState;
import org.ngvi.optim.StateSnapshot;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.eval.Evaluation;
import org.ngvi.spark.eval.EvalResult;
import org.ngvi.spark.config.TrainConfig;
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
 * <li>the driver destroys the broadcast, validates at an epoch end, checkpoints atomically with
 *     the run's {@link ResumePoint} (so {@link #resume} continues bit-identically from it) and
 *     logs the round's metrics lines.</li>
 * </ol>
 * Non-finite task results are dropped and counted, and nothing non-finite is ever checkpointed
 * ({@link NonFinitePolicy}).
 */
public final class ParameterAveragingTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final RunSetup setup;
    private final int epochs;
    private final int valMc;
    private final int valBatch;
    private final PrintStream console;
    private final NonFinitePolicy nonFinite;

    /** A trainer with the default {@link NonFinitePolicy} ({@value TrainConfig#DEFAULT_MAX_BAD_ROUNDS} bad rounds). */
    public ParameterAveragingTrainer(SparkSession spark, RunSetup setup, int epochs, int valMc, int valBatch, PrintStream console) {
        this(spark, setup, epochs, valMc, valBatch, console, new NonFinitePolicy(TrainConfig.DEFAULT_MAX_BAD_ROUNDS));
    }

    /**
     * @param valMc     MC samples of the per-epoch validation (0: mean weights)
     * @param valBatch  examples per validation batch
     * @param nonFinite what to do with non-finite task results
     */
    public ParameterAveragingTrainer(SparkSession spark, RunSetup setup, int epochs, int valMc, int valBatch, PrintStream console,
                                     NonFinitePolicy nonFinite) {
        this.nonFinite = nonFinite;
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
        return train(setup.optimizer().create(), null, train, val, run, provenance, totalRounds());
    }

    /**
     * Continues a run from its checkpoint {@code from} (state, step, running statistics and
     * {@link ResumePoint}): the rounds after it, as the uninterrupted run would have run them.
     */
    public Outcome resume(ModelCheckpoint from, ResumePoint at, ImageDataset train, ImageDataset val, RunDirectory run,
                          ObjectNode provenance) throws IOException {
        if (at.totalRounds() != totalRounds() || at.partitions() != setup.plan().partitions()) {
            throw new IllegalArgumentException("the checkpoint is of a run of " + at.totalRounds() + " rounds on "
                    + at.partitions() + " partitions, this setup has " + totalRounds() + " on " + setup.plan().partitions());
        }
        return train(setup.optimizer().create(), new Start(from, at), train, val, run, provenance, totalRounds());
    }

    /** Only the first {@code rounds} rounds, writing nothing: the state after them. */
    public OptimizerState trainRounds(ImageDataset train, long rounds) throws IOException {
        return train(setup.optimizer().create(), null, train, null, null, null, rounds).state();
    }

    /** Rounds of the whole run: epochs × rounds per epoch. */
    public long totalRounds() {
        return (long) setup.plan().roundsPerEpoch() * epochs;
    }

    /** A resumed run's starting point. */
    private record Start(ModelCheckpoint checkpoint, ResumePoint at) {
    }

    private <S extends OptimizerState> Outcome train(Optimizer<S> alg, Start start, ImageDataset train, ImageDataset val,
                                                     RunDirectory run, ObjectNode provenance, long totalRounds) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Network network = Network.build(setup.spec(), setup.dataType());
        S state;
        long firstRound = 0;
        int badRounds = 0;
        if (start == null) {
            state = alg.init(network.initParams(setup.seed()));
        } else {
            state = alg.restore(start.checkpoint());
            if (network.hasRunningStats()) {
                if (start.checkpoint().runningStats() == null) {
                    throw new IllegalArgumentException("the network keeps BatchNorm running statistics but the checkpoint has none");
                }
                network.runningStats().assign(start.checkpoint().runningStats());
            }
            firstRound = start.at().roundsDone();
            badRounds = start.at().consecutiveBadRounds();
        }
        BatchPlan plan = setup.plan();
        Broadcast<RunSetup> bcSetup = jsc.broadcast(setup);
        Progress progress = new Progress(console, totalRounds, 1000);
        FlatTensor grad = setup.sync() ? FlatTensor.zeros(network.layout(), setup.dataType()) : null;
        FlatTensor curv = setup.sync() && alg.needsCurvature() ? FlatTensor.zeros(network.layout(), setup.dataType()) : null;
        EvalResult lastVal = null;
        long examplesSeen = 0;
        long startNanos = System.nanoTime();
        try {
            for (long round = firstRound; round < totalRounds; round++) {
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
                badRounds = nonFinite.afterRound(round, agg, badRounds);
                if (agg.anyContribution()) { // a round whose every partition was dropped leaves the state as it was
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
                }
                ModelCheckpoint ckpt = NonFinitePolicy.requireFinite(round,
                        alg.toCheckpoint(setup.spec(), state, provenance).withRunningStats(network.runningStats()));
                long tUpd = System.nanoTime();
                examplesSeen += agg.examples();
                int epoch = plan.epochOf(round);
                double secs = (tUpd - t0) / 1e9;
                double lr = alg.lrAt(state.step() - 1); // the rate of the round's last step
                ObjectNode line = JSON.createObjectNode();
                line.put("round", round + 1).put("epoch", epoch + 1).put("step", state.step())
                        .put("train_loss", agg.anyContribution() ? agg.meanLoss() : null) // null: every partition dropped
                        .put("lr", lr).put("examples", agg.examples())
                        .put("dropped_partitions", agg.dropped().size())
                        .put("examples_per_s", agg.examples() / secs)
                        .put("snapshot_ms", (tSnap - t0) / 1e6).put("tasks_ms", (tAgg - tSnap) / 1e6)
                        .put("driver_update_ms", (tUpd - tAgg) / 1e6);
                if (!agg.dropped().isEmpty()) {
                    console.println("round " + (round + 1) + ": dropped non-finite partition"
                            + (agg.dropped().size() == 1 ? " " : "s ") + NonFinitePolicy.describe(agg.dropped()));
                }
                progress.round(round, epoch, epochs, agg.meanLoss(), lr, agg.examples() / secs);
                List<ObjectNode> lines = new ArrayList<>(List.of(line));
                boolean epochEnd = (round + 1) % plan.roundsPerEpoch() == 0;
                if (val != null && epochEnd) { // before the checkpoint, which carries the round's metrics lines
                    lastVal = Evaluation.evaluate(spark, val,
                            alg.posterior(setup.spec(), state).withRunningStats(network.runningStats()), setup.dataType(),
                            setup.normalization(), valMc, valBatch, setup.seed());
                    console.println("validation after epoch " + (epoch + 1) + ": " + lastVal.summary());
                    ObjectNode valLine = lastVal.toJson();
                    valLine.put("round", round + 1).put("epoch", epoch + 1).put("split", "val");
                    lines.add(valLine);
                }
                if (run != null) {
                    long tCk = System.nanoTime();
                    ResumePoint at = new ResumePoint(round + 1, totalRounds, plan.partitions(), badRounds, lines);
                    CheckpointFile.write(run.checkpoint(), new ModelCheckpoint(ckpt.spec(), ckpt.optimizer(),
                            ckpt.optimizerParams(), ckpt.step(), ckpt.tensors(), ckpt.scalars(), at.into(ckpt.metadata()),
                            ckpt.runningStats()));
                    line.put("checkpoint_ms", (System.nanoTime() - tCk) / 1e6);
                    lines.forEach(run::appendMetrics);
                }
            }
        } finally {
            bcSetup.destroy();
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Outcome(state, lastVal, examplesSeen / seconds, seconds,
                network.hasRunningStats() ? network.runningStats().copy() : null);
    }
}
