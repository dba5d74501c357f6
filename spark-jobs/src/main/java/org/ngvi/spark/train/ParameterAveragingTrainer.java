package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ngvi.nn.Network;
import org.ngvi.optim.Optimizer;
import org.ngvi.optim.OptimizerState;
import org.ngvi.optim.StateSnapshot;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.eval.EvalResult;
import org.ngvi.spark.eval.Evaluation;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;

/**
 * The parameter-averaging trainer of DESIGN.md. Each round:
 * <ol>
 * <li>the driver broadcasts the optimizer state (μ, s, v, m, λ̄, step; in sync mode only what
 *     weight sampling needs) and the network's BatchNorm running statistics;</li>
 * <li>every task runs K local steps on its partition ({@code average}) or computes the MC-averaged
 *     ĝ and ĥ of its share of the global batch ({@code sync}, K = 1), seeded per (run, partition);</li>
 * <li>the driver folds the results in partition order as they arrive ({@link RoundJob}, so the
 *     aggregate does not depend on task timing), weighted by examples ({@link RoundAggregate}):
 *     natural-parameter averaging of the posteriors, or the union batch's ĝ and ĥ on which the
 *     driver takes one optimizer step — then exactly synchronous data-parallel VOGN; the running
 *     statistics as the example-weighted mean of the tasks';</li>
 * <li>the driver destroys the broadcast, validates at an epoch end, checkpoints when its
 *     {@link CheckpointPolicy} says so, with the run's {@link ResumePoint} (so {@link #resume}
 *     continues bit-identically from it), and logs the round's metrics lines with its per-phase
 *     times and bytes ({@link RoundTimer}).</li>
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
    private final CheckpointPolicy checkpoints;
    private final NonFinitePolicy nonFinite;

    /**
     * A trainer checkpointing by {@link CheckpointPolicy#DEFAULT}, with the default
     * {@link NonFinitePolicy} ({@value TrainConfig#DEFAULT_MAX_BAD_ROUNDS} bad rounds).
     *
     * @param valMc    MC samples of the per-epoch validation (0: mean weights)
     * @param valBatch examples per validation batch
     */
    public ParameterAveragingTrainer(SparkSession spark, RunSetup setup, int epochs, int valMc, int valBatch, PrintStream console) {
        this(spark, setup, epochs, valMc, valBatch, console, CheckpointPolicy.DEFAULT,
                new NonFinitePolicy(TrainConfig.DEFAULT_MAX_BAD_ROUNDS));
    }

    /** With the default {@link NonFinitePolicy}; {@code checkpoints}: when to write RUNDIR/checkpoint.ngvi. */
    public ParameterAveragingTrainer(SparkSession spark, RunSetup setup, int epochs, int valMc, int valBatch, PrintStream console,
                                     CheckpointPolicy checkpoints) {
        this(spark, setup, epochs, valMc, valBatch, console, checkpoints, new NonFinitePolicy(TrainConfig.DEFAULT_MAX_BAD_ROUNDS));
    }

    /** With {@link CheckpointPolicy#DEFAULT}; {@code nonFinite}: what to do with non-finite task results. */
    public ParameterAveragingTrainer(SparkSession spark, RunSetup setup, int epochs, int valMc, int valBatch, PrintStream console,
                                     NonFinitePolicy nonFinite) {
        this(spark, setup, epochs, valMc, valBatch, console, CheckpointPolicy.DEFAULT, nonFinite);
    }

    /**
     * @param checkpoints when to write RUNDIR/checkpoint.ngvi
     * @param nonFinite   what to do with non-finite task results
     */
    public ParameterAveragingTrainer(SparkSession spark, RunSetup setup, int epochs, int valMc, int valBatch, PrintStream console,
                                     CheckpointPolicy checkpoints, NonFinitePolicy nonFinite) {
        this.nonFinite = nonFinite;
        this.spark = spark;
        this.setup = setup;
        this.epochs = epochs;
        this.valMc = valMc;
        this.valBatch = valBatch;
        this.console = console;
        this.checkpoints = checkpoints;
    }

    /**
     * Outcome of a run: the final state, the last validation (or {@code null}), throughput, the
     * network's final BatchNorm running statistics ({@code null} when it has none) and where the
     * rounds' time and bytes went.
     */
    public record Outcome(OptimizerState state, EvalResult validation, double examplesPerSecond, double seconds,
                          FlatTensor runningStats, RoundProfile profile) {
    }

    /**
     * Per-round means of a run, as {@link RoundTimer} measured them.
     *
     * @param describe one line for people
     * @param json     the same as fields ({@code snapshot_ms}, …, {@code broadcast_bytes}, {@code result_bytes})
     */
    public record RoundProfile(String describe, ObjectNode json) {
    }

    /**
     * Trains from the initial weights of {@code setup.seed()}.
     *
     * @param val  validated after every epoch when not {@code null}
     * @param run  where checkpoints and metrics go; {@code null} writes nothing (tests)
     */
    public Outcome train(ImageDataset train, ImageDataset val, RunDirectory run, ObjectNode provenance) throws IOException {
        return train(setup.optimizer().create(), null, null, train, val, run, provenance, totalRounds(), null);
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
        return train(setup.optimizer().create(), new Start(from, at), null, train, val, run, provenance, totalRounds(), null);
    }

    /** Rounds of the whole run: epochs × rounds per epoch. */
    public long totalRounds() {
        return (long) setup.plan().roundsPerEpoch() * epochs;
    }

    /** A resumed run's starting point. */
    private record Start(ModelCheckpoint checkpoint, ResumePoint at) {
    }

    /** Only the first {@code rounds} rounds, writing nothing: the state after them. */
    public OptimizerState trainRounds(ImageDataset train, long rounds) throws IOException {
        return trainRoundsTimed(train, rounds).state();
    }

    /** Only the first {@code rounds} rounds, writing nothing: the whole outcome (throughput and profile). */
    public Outcome trainRoundsTimed(ImageDataset train, long rounds) throws IOException {
        return train(setup.optimizer().create(), null, null, train, null, null, null, rounds, null);
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
        return train(setup.optimizer().create(), null, initial, train, null, null, null, totalRounds(), listener);
    }

    /**
     * The round loop: from {@code start} (a resumed run), else from {@code initial} (a given state),
     * else from the seed's initial weights.
     */
    private <S extends OptimizerState> Outcome train(Optimizer<S> opt, Start start, OptimizerState initial, ImageDataset train,
                                                     ImageDataset val, RunDirectory run, ObjectNode provenance, long totalRounds,
                                                     EpochListener listener) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Network network = Network.build(setup.spec(), setup.dataType());
        S state;
        long firstRound = 0;
        int badRounds = 0;
        if (start != null) {
            state = opt.restore(start.checkpoint());
            if (network.hasRunningStats()) {
                if (start.checkpoint().runningStats() == null) {
                    throw new IllegalArgumentException("the network keeps BatchNorm running statistics but the checkpoint has none");
                }
                network.runningStats().assign(start.checkpoint().runningStats());
            }
            firstRound = start.at().roundsDone();
            badRounds = start.at().consecutiveBadRounds();
        } else {
            state = initial != null ? opt.cast(initial) : opt.init(network.initParams(setup.seed()));
        }
        double epochLoss = 0;
        long epochExamples = 0;
        BatchPlan plan = setup.plan();
        Broadcast<RunSetup> bcSetup = jsc.broadcast(setup);
        Progress progress = new Progress(console, totalRounds, 1000);
        FlatTensor grad = setup.sync() ? FlatTensor.zeros(network.layout(), setup.dataType()) : null;
        FlatTensor curv = setup.sync() && opt.needsCurvature() ? FlatTensor.zeros(network.layout(), setup.dataType()) : null;
        RoundTimer timer = new RoundTimer();
        CheckpointClock clock = new CheckpointClock();
        EvalResult lastVal = null;
        long examplesSeen = 0;
        long startNanos = System.nanoTime();
        try {
            for (long round = firstRound; round < totalRounds; round++) {
                timer.start();
                StateSnapshot snap = opt.snapshot(state, setup.sync())
                        .withRunningStats(network.hasRunningStats() ? FlatValues.of(network.runningStats()) : null);
                timer.end(RoundTimer.Phase.SNAPSHOT);
                Broadcast<StateSnapshot> bcState = jsc.broadcast(snap);
                timer.broadcast(snap.payloadBytes());
                timer.end(RoundTimer.Phase.BROADCAST);
                final long r = round;
                JavaRDD<TaskResult> results = train.examples()
                        .mapPartitionsWithIndex((p, it) -> RoundTask.run(bcSetup.value(), bcState.value(), r, p, it), true);
                RoundAggregate agg = fold(results, RoundAggregate.forMode(setup.sync(), opt.precisionWeightedTensor()), timer, round);
                timer.end(RoundTimer.Phase.TASKS);
                bcState.destroy();
                if (agg.tasks() != plan.partitions()) {
                    throw new IllegalStateException("round " + round + ": " + agg.tasks() + " of " + plan.partitions() + " tasks reported");
                }
                badRounds = nonFinite.afterRound(round, agg, badRounds);
                if (agg.anyContribution()) { // a round whose every partition was dropped leaves the state as it was
                    if (agg instanceof RoundAggregate.Sync sync) {
                        sync.meanGradientInto(grad);
                        if (curv != null) {
                            sync.meanCurvatureInto(curv);
                        }
                        state = opt.update(grad, curv, state);
                    } else {
                        state = opt.fromSnapshot(((RoundAggregate.Averaging) agg).averagedState(), state, network.layout(),
                                setup.dataType());
                    }
                    if (network.hasRunningStats()) { // example-weighted mean over the tasks (both modes)
                        new FlatValues.F64(agg.meanRunningStats()).copyInto(network.runningStats());
                    }
                }
                // a driver update that overflowed from finite inputs stops the run before anything is written
                ModelCheckpoint ckpt = NonFinitePolicy.requireFinite(round,
                        opt.toCheckpoint(setup.spec(), state, provenance).withRunningStats(network.runningStats()));
                timer.end(RoundTimer.Phase.UPDATE);
                examplesSeen += agg.examples();
                int epoch = plan.epochOf(round);
                boolean epochEnd = (round + 1) % plan.roundsPerEpoch() == 0;
                boolean last = round + 1 == totalRounds;
                double lr = opt.lrAt(state.step() - 1); // the rate of the round's last step
                ObjectNode line = JSON.createObjectNode();
                line.put("round", round + 1).put("epoch", epoch + 1).put("step", state.step())
                        .put("train_loss", agg.anyContribution() ? agg.meanLoss() : null) // null: every partition dropped
                        .put("lr", lr).put("examples", agg.examples())
                        .put("dropped_partitions", agg.dropped().size());
                if (!agg.dropped().isEmpty()) {
                    console.println("round " + (round + 1) + ": dropped non-finite partition"
                            + (agg.dropped().size() == 1 ? " " : "s ") + NonFinitePolicy.describe(agg.dropped()));
                }
                List<ObjectNode> lines = new ArrayList<>(List.of(line));
                if (agg.anyContribution()) {
                    epochLoss += agg.meanLoss() * agg.examples();
                    epochExamples += agg.examples();
                }
                if (listener != null && epochEnd) {
                    listener.epochEnd(epoch, state, epochExamples > 0 ? epochLoss / epochExamples : Double.NaN,
                            (System.nanoTime() - startNanos) / 1e9);
                    epochLoss = 0;
                    epochExamples = 0;
                }
                if (val != null && epochEnd) { // before the checkpoint, which carries the round's metrics lines
                    lastVal = Evaluation.evaluate(spark, val,
                            opt.posterior(setup.spec(), state).withRunningStats(network.runningStats()), setup.dataType(),
                            setup.normalization(), valMc, valBatch, setup.seed());
                    console.println("validation after epoch " + (epoch + 1) + ": " + lastVal.summary());
                    ObjectNode valLine = lastVal.toJson();
                    valLine.put("round", round + 1).put("epoch", epoch + 1).put("split", "val");
                    lines.add(valLine);
                }
                timer.skip(); // validation is not part of the round's time
                if (run != null) { // the timing so far, which the checkpoint's copy of the line keeps; rewritten below
                    line.put("examples_per_s", agg.examples() / timer.roundSeconds());
                    timer.into(line);
                }
                String checkpointError = null;
                boolean checkpointDue = run != null && checkpoints.due(clock.rounds + 1, clock.seconds(), epochEnd, last);
                if (checkpointDue) {
                    line.put("checkpoint", true); // as the checkpoint's copy of the line says; false below if it failed
                    ResumePoint at = new ResumePoint(round + 1, totalRounds, plan.partitions(), badRounds, lines);
                    checkpointError = checkpoint(new ModelCheckpoint(ckpt.spec(), ckpt.optimizer(), ckpt.optimizerParams(),
                            ckpt.step(), ckpt.tensors(), ckpt.scalars(), at.into(ckpt.metadata()), ckpt.runningStats()),
                            run, round, last);
                    clock.wrote();
                } else {
                    line.put("checkpoint", false);
                    clock.rounds++;
                }
                timer.end(RoundTimer.Phase.CHECKPOINT);
                double secs = timer.roundSeconds();
                if (run != null) {
                    line.put("examples_per_s", agg.examples() / secs);
                    timer.into(line);
                    if (checkpointError != null) {
                        line.put("checkpoint", false).put("checkpoint_error", checkpointError);
                    }
                    lines.forEach(run::appendMetrics);
                }
                timer.finish();
                progress.round(round, epoch, epochs, agg.meanLoss(), lr, agg.examples() / secs);
            }
        } finally {
            bcSetup.destroy();
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        RoundTimer.Summary s = timer.summary();
        return new Outcome(state, lastVal, examplesSeen / seconds, seconds,
                network.hasRunningStats() ? network.runningStats().copy() : null,
                new RoundProfile(s.describe(), s.into(JSON.createObjectNode())));
    }

    /** The round's job, folded in partition order; each result's bytes and compute time go to the timer. */
    private static RoundAggregate fold(JavaRDD<TaskResult> results, RoundAggregate zero, RoundTimer timer, long round) {
        try {
            return RoundJob.fold(results, zero, (a, t) -> {
                long t0 = System.nanoTime();
                RoundAggregate out = a.add(t);
                timer.fold(System.nanoTime() - t0);
                return out;
            }, (p, t) -> timer.result(t.payloadBytes(), t.taskNanos()));
        } catch (SparkException e) {
            throw new IllegalStateException("round " + (round + 1) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the checkpoint; a failed write (e.g. a full disk) leaves the previous checkpoint intact
     * ({@link org.ngvi.io.AtomicFiles}) and is reported on the console and returned for the metrics
     * line. The last round's checkpoint is the run's result: its failure is thrown.
     */
    private String checkpoint(ModelCheckpoint checkpoint, RunDirectory run, long round, boolean last) throws IOException {
        try {
            CheckpointFile.write(run.checkpoint(), checkpoint);
            return null;
        } catch (IOException e) {
            if (last) {
                throw new IOException(run.checkpoint() + ": cannot write the final checkpoint (round " + (round + 1) + "): "
                        + e.getMessage(), e);
            }
            String msg = run.checkpoint() + ": checkpoint of round " + (round + 1) + " failed (" + e
                    + "); the previous checkpoint is intact, training continues";
            console.println("WARNING: " + msg);
            return e.toString();
        }
    }

    /** Rounds and time since the last checkpoint write. */
    private static final class CheckpointClock {
        long rounds;
        long since = System.nanoTime();

        double seconds() {
            return (System.nanoTime() - since) / 1e9;
        }

        void wrote() {
            rounds = 0;
            since = System.nanoTime();
        }
    }
}
