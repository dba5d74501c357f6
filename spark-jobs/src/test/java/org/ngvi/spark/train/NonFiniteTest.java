package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.optim.StateSnapshot;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.tensor.FlatValues;

/**
 * {@link NonFinitePolicy}: a partition with a NaN is dropped and counted, a round with every
 * partition dropped leaves the state unchanged, {@code max_bad_rounds} consecutive bad rounds stop
 * the run with a message naming round, partitions and quantity, a diverging learning rate stops
 * the run, and no checkpoint ever holds a non-finite value.
 */
class NonFiniteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path train;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        train = SyntheticImages.prepare(spark, tmp, "train", 400, 10, 51);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @AfterEach
    void noFault() {
        RoundTask.fault = null;
    }

    @Test
    void screenNamesTheFirstNonFiniteQuantity() {
        FlatValues ok = FlatValues.of(new double[] {1, 2}, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        TaskResult good = new TaskResult.Gradients(0, 8, 1.5, ok, ok, null, 0);
        assertSame(good, NonFinitePolicy.screen(good));
        assertEquals(new TaskResult.NonFinite(1, 8, "loss", 0),
                NonFinitePolicy.screen(new TaskResult.Gradients(1, 8, Double.NaN, ok, ok, null, 0)));
        assertEquals(new TaskResult.NonFinite(1, 8, "ĝ", 0),
                NonFinitePolicy.screen(new TaskResult.Gradients(1, 8, 1.5, withNaN(ok), ok, null, 0)));
        assertEquals(new TaskResult.NonFinite(1, 8, "ĥ", 0),
                NonFinitePolicy.screen(new TaskResult.Gradients(1, 8, 1.5, ok, withNaN(ok), null, 0)));
        assertEquals(new TaskResult.NonFinite(1, 8, "running statistics", 0),
                NonFinitePolicy.screen(new TaskResult.Gradients(1, 8, 1.5, ok, ok, withNaN(ok), 0)));
        StateSnapshot s = new StateSnapshot(3, Map.of("params", ok, "curvature", withNaN(ok)), Map.of());
        assertEquals(new TaskResult.NonFinite(2, 16, "state tensor 'curvature'", 0),
                NonFinitePolicy.screen(new TaskResult.LocalSteps(2, 16, 3.0, s, ok, null, 0)));
    }

    @Test
    void aNaNInOnePartitionIsDroppedAndCountedAndTheRunGoesOn() throws Exception {
        RoundTask.fault = (round, r) -> round == 2 && r.partition() == 1 ? nanGradient((TaskResult.Gradients) r) : r;
        TrainConfig c = TrainerTestSupport.config("aggregation=sync", "partitions=2");
        Path run = tmp.resolve("one-nan");
        TrainJob.run(spark, c, train, null, RunDirectory.create(run, false), quiet());

        List<JsonNode> lines = metrics(run);
        for (JsonNode l : lines) {
            boolean third = l.get("round").asInt() == 3;
            assertEquals(third ? 1 : 0, l.get("dropped_partitions").asInt(), "round " + l.get("round"));
            // round 3 steps on partition 0's 8 examples alone
            assertEquals(third ? 8 : 16, l.get("examples").asInt(), "round " + l.get("round"));
            assertEquals(l.get("round").asInt(), l.get("step").asInt(), "every round steps");
        }
        assertAllFinite(CheckpointFile.read(run.resolve(RunDirectory.CHECKPOINT)));
    }

    @Test
    void roundsWithEveryPartitionDroppedKeepTheStateAndStopTheRunAfterMaxBadRounds() throws Exception {
        RoundTask.fault = (round, r) -> round >= 2 ? nanParams((TaskResult.LocalSteps) r) : r;
        TrainConfig c = TrainerTestSupport.config("partitions=2", "max_bad_rounds=3", "checkpoint_every=1");
        Path run = tmp.resolve("all-nan");
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> TrainJob.run(spark, c, train, null, RunDirectory.create(run, false), quiet()));
        assertTrue(e.getMessage().startsWith("round 5: non-finite values in partitions 0 (state tensor 'params'), "
                + "1 (state tensor 'params'); 3 consecutive rounds with dropped partitions reached max_bad_rounds = 3"),
                e.getMessage());

        ModelCheckpoint last = CheckpointFile.read(run.resolve(RunDirectory.CHECKPOINT));
        assertAllFinite(last);
        assertEquals(2, last.step(), "rounds 3 and 4 dropped every partition: the state stays that of round 2");
        JsonNode progress = last.metadata().get(ResumePoint.KEY);
        assertEquals(4, progress.get("rounds_done").asInt());
        assertEquals(2, progress.get("consecutive_bad_rounds").asInt());
        List<JsonNode> lines = metrics(run);
        assertEquals(4, lines.size(), "no line for the round that stopped the run");
        assertEquals(2, lines.get(3).get("dropped_partitions").asInt());
        assertEquals(2, lines.get(3).get("step").asInt());
    }

    @Test
    void aDivergingLearningRateStopsTheRunWithAFiniteCheckpoint() throws Exception {
        for (String mode : List.of("sync", "average")) {
            // VOGN at a learning rate of 1000 with a strong prior (λ = 1/(N σ₀²) = 2500): μ grows about ×1000 a step,
            // float32 overflows within a few rounds (sync: in the driver's update; average: in the tasks' steps)
            TrainConfig c = TrainerTestSupport.config("aggregation=" + mode, "partitions=2", "optim_args.lr=1000",
                    "optim_args.prior_variance=1e-6", "optim_args.grad_ema_decay=1", "epochs=2");
            Path run = tmp.resolve("diverging-" + mode);
            NonFiniteException e = assertThrows(NonFiniteException.class,
                    () -> TrainJob.run(spark, c, train, null, RunDirectory.create(run, false), quiet()), mode);
            assertTrue(e.getMessage().matches("round \\d+: .*non-finite.*the last checkpoint holds only finite values"),
                    mode + ": " + e.getMessage());
            Path ckpt = run.resolve(RunDirectory.CHECKPOINT);
            if (Files.exists(ckpt)) {
                assertAllFinite(CheckpointFile.read(ckpt));
            }
        }
    }

    private static TaskResult nanGradient(TaskResult.Gradients g) {
        return new TaskResult.Gradients(g.partition(), g.examples(), g.lossSum(), withNaN(g.grad()), g.curv(), g.runningStats(), g.taskNanos());
    }

    private static TaskResult nanParams(TaskResult.LocalSteps l) {
        Map<String, FlatValues> t = new LinkedHashMap<>(l.state().tensors());
        t.put("params", withNaN(t.get("params")));
        StateSnapshot s = new StateSnapshot(l.state().step(), t, l.state().scalars());
        return new TaskResult.LocalSteps(l.partition(), l.examples(), l.lossSum(), s, l.precision(), l.runningStats(), l.taskNanos());
    }

    /** A copy of {@code v} with element 0 NaN. */
    private static FlatValues withNaN(FlatValues v) {
        if (v instanceof FlatValues.F32 f) {
            float[] a = f.values().clone();
            a[0] = Float.NaN;
            return new FlatValues.F32(a);
        }
        double[] a = ((FlatValues.F64) v).values().clone();
        a[0] = Double.NaN;
        return new FlatValues.F64(a);
    }

    private static void assertAllFinite(ModelCheckpoint c) {
        NonFinitePolicy.requireFinite(c.step(), c); // throws naming the first non-finite value
    }

    private static List<JsonNode> metrics(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve(RunDirectory.METRICS))) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
