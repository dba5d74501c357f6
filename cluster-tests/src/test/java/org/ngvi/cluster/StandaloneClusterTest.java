package org.ngvi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.cli.SparkSessions;
import org.ngvi.spark.eval.EvaluateJob;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;

/**
 * {@code train} and {@code evaluate} on a Spark standalone cluster (a Master and two one-core Workers on
 * 127.0.0.1, the shaded jar submitted with SparkSubmit) against the same commands on an in-process
 * {@code local[2]}: same seed, two partitions, so the same tasks on the same examples. The final checkpoints hold
 * the same state bit for bit and evaluate writes the same JSON. Then one executor is killed with SIGKILL while it
 * runs a round's task, in {@code sync} and in {@code average} mode: Spark retries the task and the run's final
 * state equals the fault-free run's bit for bit.
 */
class StandaloneClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8); // generous: the CI machine may be shared
    /** A small MLP; 8 rounds per epoch in both modes, so the kill after round 2 comes well before the end. */
    private static final String CONFIG = """
            {"model": "mlp", "model_args": {"hidden": [128], "activation": "relu"},
             "epochs": 2, "batch_size": 128, "val_batch_size": 500, "normalize": "scale",
             "optim_name": "VOGN",
             "optim_args": {"lr": 0.01, "grad_ema_decay": 0.1, "grad_ema_type": "raw", "num_mc_samples": 2,
                            "val_num_mc_samples": 4, "kl_weighting": 1, "init_precision": 8e-3, "prior_variance": 1},
             "curv_args": {"damping": 0, "ema_decay": 0.001},
             "aggregation": "sync", "local_steps": 1, "seed": 5, "partitions": 2}""";
    /** What the average-mode runs change: K local steps per round on each partition, then averaging. */
    private static final List<String> AVERAGE = List.of("aggregation=average", "local_steps=2", "batch_size=64");

    static ClusterSettings settings;
    static Path dir;
    static Path config;
    static Path train;
    static Path test;
    static SparkSession local;
    static StandaloneCluster cluster;
    static final Map<String, Path> localRuns = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        settings = ClusterSettings.fromSystemProperties();
        dir = settings.work();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        config = dir.resolve("mlp.json");
        Files.writeString(config, CONFIG);
        local = SparkSessions.create("cluster-tests local[2]", "local[2]");
        train = prepare("train", 1024, 11);
        test = prepare("test", 500, 12);
        cluster = StandaloneCluster.start(settings, dir.resolve("standalone"), 2, 1, "1g");
    }

    @AfterAll
    static void stop() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (local != null) {
                local.stop();
            }
        }
    }

    @Test
    void trainAndEvaluateOnTheClusterEqualLocal2() throws Exception {
        Path expected = localRun("sync", List.of());
        Path run = dir.resolve("cluster-sync");
        JvmProcess driver = cluster.run("train-sync", TrainJob.class.getName(), trainArgs(run, List.of()), Map.of(), RUN_TIMEOUT);

        JsonNode provenance = JSON.readTree(run.resolve(RunDirectory.PROVENANCE).toFile());
        assertEquals(cluster.masterUrl(), provenance.path("spark_master").asText(), "the run trained on the cluster");
        assertEquals(2, workersThatRanTasks(driver), "both Workers' executors ran training tasks");
        SameState.assertBitIdentical(expected.resolve(RunDirectory.CHECKPOINT), run.resolve(RunDirectory.CHECKPOINT));

        Path localEval = dir.resolve("eval-local.json");
        EvaluateJob.main(evaluateArgs(expected, localEval, "--master", "local[2]"));
        Path clusterEval = dir.resolve("eval-cluster.json");
        cluster.run("evaluate", EvaluateJob.class.getName(), List.of(evaluateArgs(run, clusterEval)), Map.of(), RUN_TIMEOUT);
        ObjectNode l = (ObjectNode) JSON.readTree(localEval.toFile());
        ObjectNode c = (ObjectNode) JSON.readTree(clusterEval.toFile());
        assertEquals(expected.toString(), l.remove("run").asText());
        assertEquals(run.toString(), c.remove("run").asText());
        assertEquals(l, c, "evaluate's JSON on the cluster (" + clusterEval + ") equals local[2]'s (" + localEval + ")");
        assertEquals(500, c.path("examples").asInt());
        assertEquals(4, c.path("mc_samples").asInt());
    }

    @Test
    void executorKilledMidRoundInSyncModeFinishesWithTheFaultFreeState() throws Exception {
        assertKilledRunEqualsFaultFree("sync", List.of());
    }

    @Test
    void executorKilledMidRoundInAverageModeFinishesWithTheFaultFreeState() throws Exception {
        assertKilledRunEqualsFaultFree("average", AVERAGE);
    }

    /**
     * Trains on the cluster, kills an executor mid-task after round 2, and checks that the driver saw the task lost,
     * the run finished, and its final state equals the fault-free local[2] run's.
     */
    private static void assertKilledRunEqualsFaultFree(String mode, List<String> overrides) throws Exception {
        Path expected = localRun(mode, overrides);
        Path run = dir.resolve("cluster-" + mode + "-killed");
        JvmProcess driver = cluster.submit("train-" + mode + "-killed", TrainJob.class.getName(), trainArgs(run, overrides), Map.of());
        MidRoundKill kill;
        int code;
        try {
            kill = MidRoundKill.inject(cluster, driver, run.resolve(RunDirectory.METRICS), 2, Duration.ofMinutes(5));
            code = driver.waitFor(RUN_TIMEOUT);
        } finally {
            if (driver.isAlive()) {
                driver.stop(); // the next test gets the cluster to itself
            }
        }
        assertEquals(0, code, "the run with executor " + kill.executor().executorId() + " killed failed; driver log "
                + driver.log() + ":\n" + StandaloneCluster.tail(driver.logText(), 60));
        kill.assertRetried(driver);
        int rounds = MidRoundKill.lastRound(run.resolve(RunDirectory.METRICS));
        assertTrue(rounds > kill.round(), "the run went on after the kill (round " + kill.round() + " of " + rounds + ")");
        System.out.printf("%s: killed executor %s (pid %d) running TID %d after round %d of %d (try %d); the run finished%n",
                mode, kill.executor().executorId(), kill.executor().handle().pid(), kill.taskId(), kill.round(), rounds,
                kill.attempt());
        SameState.assertBitIdentical(expected.resolve(RunDirectory.CHECKPOINT), run.resolve(RunDirectory.CHECKPOINT));
    }

    /** The fault-free reference: {@code train} on in-process local[2] with the same config (trained once per mode). */
    private static synchronized Path localRun(String mode, List<String> overrides) throws IOException {
        Path run = localRuns.get(mode);
        if (run == null) {
            run = dir.resolve("local-" + mode);
            List<String> args = new ArrayList<>(trainArgs(run, overrides));
            args.addAll(List.of("--master", "local[2]"));
            TrainJob.main(args.toArray(new String[0]));
            localRuns.put(mode, run);
        }
        return run;
    }

    private static List<String> trainArgs(Path run, List<String> overrides) {
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--train", train.toString(), "--out", run.toString()));
        for (String o : overrides) {
            args.add("--set");
            args.add(o);
        }
        return args;
    }

    private static String[] evaluateArgs(Path run, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("--run", run.toString(), "--data", test.toString(), "--mc", "4",
                "--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /** Prepares a Fashion-MNIST-shaped split into Parquet with {@code prepare idx} on local[2]. */
    private static Path prepare(String name, int n, long seed) throws IOException {
        FashionMnistShaped.IdxFiles f = FashionMnistShaped.write(dir, name, n, seed);
        Path out = dir.resolve(name);
        PrepareIdxJob.run(local, new PrepareIdxParams(f.images().toString(), f.labels().toString(), out.toString(), false, 2).validate());
        return out;
    }

    /** How many Workers hold an executor log of the driver's application with a task in it. */
    private static int workersThatRanTasks(JvmProcess driver) throws IOException {
        java.util.regex.Matcher m = Pattern.compile("Connected to Spark cluster with app ID (\\S+)").matcher(driver.logText());
        if (!m.find()) {
            throw new AssertionError("the driver's log (" + driver.log() + ") does not name its application id");
        }
        String app = m.group(1);
        int n = 0;
        for (Path worker : cluster.workerDirs()) {
            Path appDir = worker.resolve(app);
            if (!Files.isDirectory(appDir)) {
                continue;
            }
            try (Stream<Path> logs = Files.walk(appDir)) {
                boolean ran = logs.filter(p -> p.getFileName().toString().equals("stderr")).anyMatch(p -> {
                    try {
                        return Files.readString(p).contains("Running task");
                    } catch (IOException e) {
                        return false;
                    }
                });
                n += ran ? 1 : 0;
            }
        }
        return n;
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
