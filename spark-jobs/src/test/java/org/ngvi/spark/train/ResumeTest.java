package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.testing.DriverProcess;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;

/**
 * {@code ngvi train --resume}: a driver JVM killed with SIGKILL after round 3 and resumed ends
 * bit-identical to an uninterrupted run (checkpoint tensors, scalars, step, running statistics and
 * progress; metrics.jsonl without its timing fields), in sync and in average mode; a finished run
 * says so; a changed config key or other data is an error naming it.
 */
class ResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields of a metrics line that measure time, and so differ between any two runs. */
    private static final List<String> TIMING = List.of("examples_per_s", "snapshot_ms", "broadcast_ms", "tasks_ms",
            "update_ms", "checkpoint_ms", "fold_ms", "task_compute_ms");

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path train;
    static Path val;
    static Path other;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        train = SyntheticImages.prepare(spark, tmp, "train", 400, 10, 41);
        val = SyntheticImages.prepare(spark, tmp, "val", 100, 10, 42);
        other = SyntheticImages.prepare(spark, tmp, "other", 400, 10, 43);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** VOGN MLP, 2 epochs of 25 sync rounds, checkpointed every round. */
    private static Path syncConfig(String name) throws Exception {
        return writeConfig(name, """
                {"model": "mlp", "model_args": {"hidden": [16], "activation": "relu"},
                 "optim_name": "VOGN",
                 "optim_args": {"lr": 0.02, "grad_ema_decay": 0.1, "num_mc_samples": 2, "val_num_mc_samples": 4,
                                "init_precision": 0.05, "prior_variance": 1, "kl_weighting": 1},
                 "curv_args": {"damping": 0.001, "ema_decay": 0.05},
                 "aggregation": "sync", "epochs": 2, "batch_size": 16, "partitions": 2, "seed": 7, "checkpoint_every": 1}""");
    }

    /**
     * VOGN LeNet-5 with BatchNorm and dropout, flip augmentation and a per-epoch schedule, K = 2
     * local steps, 2 epochs of 12 rounds, validated every epoch: every stream and statistic a round
     * depends on.
     */
    private static Path averageConfig(String name) throws Exception {
        return writeConfig(name, """
                {"model": "lenet5_bn", "model_args": {"dropout": 0.2},
                 "optim_name": "VOGN",
                 "optim_args": {"lr": 0.02, "grad_ema_decay": 0.1, "num_mc_samples": 1, "val_num_mc_samples": 2,
                                "init_precision": 0.05, "prior_variance": 1, "kl_weighting": 1},
                 "curv_args": {"damping": 0.001, "ema_decay": 0.05},
                 "scheduler_name": "ExponentialLR", "scheduler_args": {"gamma": 0.5},
                 "augmentation": "flip",
                 "aggregation": "average", "local_steps": 2, "epochs": 2, "batch_size": 16, "partitions": 2, "seed": 11,
                 "checkpoint_every": 1}""");
    }

    private static Path writeConfig(String name, String json) throws Exception {
        Path f = tmp.resolve(name + ".json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void killedSyncRunResumesBitIdentical() throws Exception {
        killResumeAndCompare("sync", syncConfig("sync"), null);
    }

    @Test
    void killedAverageRunWithBatchNormResumesBitIdentical() throws Exception {
        killResumeAndCompare("average", averageConfig("average"), val);
    }

    private void killResumeAndCompare(String name, Path config, Path valDir) throws Exception {
        // the uninterrupted run, in this JVM
        Path whole = tmp.resolve(name + "-whole");
        TrainConfig c = TrainConfig.load(config, List.of());
        TrainJob.run(spark, c, train, valDir, RunDirectory.create(whole, false), quiet());

        // the same run in a driver JVM of its own, killed with SIGKILL once round 3 is in metrics.jsonl
        Path killed = tmp.resolve(name + "-killed");
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--train", train.toString(),
                "--out", killed.toString(), "--master", "local[2]"));
        if (valDir != null) {
            args.addAll(List.of("--val", valDir.toString()));
        }
        try (DriverProcess driver = DriverProcess.start(tmp.resolve(name + "-driver.log"), TrainJob.class.getName(),
                args.toArray(new String[0]))) {
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (lastRound(killed) < 3) {
                assertTrue(driver.isAlive(), "the driver ended before round 3:\n" + driver.output());
                assertTrue(System.nanoTime() < deadline, "no round 3 within 10 minutes:\n" + driver.output());
                Thread.sleep(20);
            }
            driver.kill();
        }
        ResumePoint at = ResumePoint.of(CheckpointFile.read(killed.resolve(RunDirectory.CHECKPOINT)),
                killed.resolve(RunDirectory.CHECKPOINT));
        assertTrue(at.roundsDone() >= 3 && !at.finished(),
                "the kill should land mid-run, the checkpoint is of round " + at.roundsDone() + " of " + at.totalRounds());

        // resume in this JVM: config and data from the run folder
        Resumption r = Resumption.load(killed, null, List.of(), null, null);
        assertEquals(at.roundsDone(), r.at().roundsDone());
        TrainJob.resume(spark, r, quiet());

        ModelCheckpoint a = CheckpointFile.read(whole.resolve(RunDirectory.CHECKPOINT));
        ModelCheckpoint b = CheckpointFile.read(killed.resolve(RunDirectory.CHECKPOINT));
        assertBitIdentical(a, b);
        assertEquals(withoutTiming(a), withoutTiming(b), "progress of the final checkpoints");
        assertEquals(roundLines(whole), roundLines(killed), "metrics.jsonl without timing fields");
        assertEquals(at.roundsDone(), b.metadata().path("resumed").path(0).path("at_round").asLong(),
                "the provenance records the resumption");
        JsonNode summary = JSON.readTree(killed.resolve(RunDirectory.SUMMARY).toFile());
        assertEquals(a.step(), summary.get("steps").asLong());
    }

    @Test
    void resumingAFinishedRunSaysSo() throws Exception {
        Path run = tmp.resolve("finished");
        TrainConfig c = TrainConfig.load(syncConfig("finished"), List.of("epochs=1"));
        TrainJob.run(spark, c, train, null, RunDirectory.create(run, false), quiet());
        byte[] before = Files.readAllBytes(run.resolve(RunDirectory.CHECKPOINT));

        Resumption r = Resumption.load(run, null, List.of(), null, null);
        assertTrue(r.at().finished());
        long total = r.at().totalRounds();
        assertEquals("run " + run + " already finished at round " + total + " of " + total, r.finishedMessage());
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            TrainJob.main(new String[] {"--resume", run.toString()}); // returns (exit 0) without training
        } finally {
            System.setOut(stdout);
        }
        assertEquals(r.finishedMessage(), printed.toString(StandardCharsets.UTF_8).trim());
        assertArrayEquals(before, Files.readAllBytes(run.resolve(RunDirectory.CHECKPOINT)), "the checkpoint is untouched");
    }

    @Test
    void resumingWithAChangedConfigOrOtherDataNamesWhatDiffers() throws Exception {
        Path run = tmp.resolve("changed");
        TrainConfig c = TrainConfig.load(syncConfig("changed"), List.of("epochs=1"));
        TrainJob.run(spark, c, train, null, RunDirectory.create(run, false), quiet());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Resumption.load(run, null, List.of("optim_args.lr=0.5", "seed=7"), null, null));
        assertTrue(e.getMessage().contains("optim_args.lr (run: 0.02, now: 0.5)"), e.getMessage());
        assertFalse(e.getMessage().contains("seed"), "an override to the run's own value changes nothing: " + e.getMessage());

        Path edited = writeConfig("edited", Files.readString(syncConfig("edited")).replace("\"batch_size\": 16", "\"batch_size\": 32")
                .replace("\"epochs\": 2", "\"epochs\": 1"));
        e = assertThrows(IllegalArgumentException.class, () -> Resumption.load(run, edited, List.of(), null, null));
        assertTrue(e.getMessage().contains("batch_size (run: 16, now: 32)"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Resumption.load(run, null, List.of(), other, null));
        assertTrue(e.getMessage().contains("another data set") && e.getMessage().contains(other.toString()), e.getMessage());
    }

    /** Tensors, scalars, step and running statistics equal bit for bit. */
    private static void assertBitIdentical(ModelCheckpoint a, ModelCheckpoint b) {
        assertEquals(a.step(), b.step(), "step");
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        for (Map.Entry<String, FlatTensor> e : a.tensors().entrySet()) {
            assertBitIdentical(e.getValue(), b.tensor(e.getKey()), e.getKey());
        }
        assertEquals(a.scalars().keySet(), b.scalars().keySet());
        a.scalars().forEach((k, v) -> assertArrayEquals(v, b.scalars(k), "scalars " + k));
        if (a.runningStats() != null || b.runningStats() != null) {
            assertBitIdentical(a.runningStats(), b.runningStats(), "running statistics");
        }
    }

    private static void assertBitIdentical(FlatTensor x, FlatTensor y, String what) {
        FlatValues u = FlatValues.of(x);
        FlatValues v = FlatValues.of(y);
        assertEquals(u.length(), v.length(), what);
        for (int i = 0; i < u.length(); i++) {
            if (Double.doubleToRawLongBits(u.get(i)) != Double.doubleToRawLongBits(v.get(i))) {
                throw new AssertionError(what + "[" + i + "]: " + u.get(i) + " (uninterrupted) != " + v.get(i) + " (resumed)");
            }
        }
    }

    /** The checkpoint's progress record with the timing fields taken out of its metrics lines. */
    private static JsonNode withoutTiming(ModelCheckpoint c) {
        ObjectNode p = (ObjectNode) c.metadata().get(ResumePoint.KEY);
        p.get("round_metrics").forEach(l -> ((ObjectNode) l).remove(TIMING));
        return p;
    }

    /** metrics.jsonl's lines without their timing fields. */
    private static List<JsonNode> roundLines(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve(RunDirectory.METRICS))) {
            ObjectNode n = (ObjectNode) JSON.readTree(l);
            n.remove(TIMING);
            out.add(n);
        }
        return out;
    }

    /** The last complete round in a run folder's metrics.jsonl, 0 when none. */
    private static long lastRound(Path run) throws Exception {
        Path m = run.resolve(RunDirectory.METRICS);
        if (!Files.exists(m)) {
            return 0;
        }
        long last = 0;
        for (String l : Files.readAllLines(m)) {
            try {
                last = Math.max(last, JSON.readTree(l).path("round").asLong());
            } catch (Exception partial) {
                // a line being written
            }
        }
        return last;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
