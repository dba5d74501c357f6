package org.ngvi.spark.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.data.DatasetManifest;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.nn.Network;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.predict.McPredictor;
import org.ngvi.spark.cli.Flags;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;

/** {@code train} writes a complete run folder; {@code evaluate}'s distributed metrics equal an in-process computation. */
class TrainAndEvaluateJobTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path train;
    static Path test;
    static Path run;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void trainOnce() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        train = SyntheticImages.prepare(spark, tmp, "train", 600, 10, 31);
        test = SyntheticImages.prepare(spark, tmp, "test", 300, 10, 32);
        Path config = tmp.resolve("vogn.json");
        Files.writeString(config, """
                {"model_args": {"hidden": [32]}, "optim_name": "VOGN", "epochs": 2, "batch_size": 32, "local_steps": 3,
                 "optim_args": {"lr": 0.05, "grad_ema_decay": 0.1, "init_precision": 0.05, "val_num_mc_samples": 5},
                 "curv_args": {"damping": 0.001, "ema_decay": 0.05}, "seed": 3}""");
        run = tmp.resolve("run");
        TrainJob.run(spark, TrainConfig.load(config, List.of("epochs=2")), train, test, RunDirectory.create(run, false),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void trainWritesCheckpointMetricsProvenanceAndSummary() throws Exception {
        ModelCheckpoint c = CheckpointFile.read(run.resolve(RunDirectory.CHECKPOINT));
        assertEquals("vogn", c.optimizer());
        JsonNode prov = JSON.readTree(run.resolve(RunDirectory.PROVENANCE).toFile());
        assertEquals(3, prov.get("seed").asInt());
        assertEquals(DatasetManifest.read(train).digest(), prov.at("/data/train_manifest_sha256").asText());
        assertEquals(DatasetManifest.read(test).digest(), prov.at("/data/val_manifest_sha256").asText());
        assertEquals(0.05, prov.at("/config/optim_args/lr").asDouble());
        assertFalse(prov.at("/versions/spark").asText().isEmpty());
        assertTrue(prov.has("git_revision"));
        assertEquals(prov.get("config"), c.metadata().get("config"), "the checkpoint carries the provenance");
        List<String> lines = Files.readAllLines(run.resolve(RunDirectory.METRICS));
        long val = lines.stream().filter(l -> l.contains("\"split\":\"val\"")).count();
        assertEquals(2, val, "one validation line per epoch");
        JsonNode summary = JSON.readTree(run.resolve(RunDirectory.SUMMARY).toFile());
        assertTrue(summary.at("/validation/accuracy").asDouble() > 0.5, summary.toString());
    }

    @Test
    void evaluateEqualsInProcessMcPrediction() throws Exception {
        Path out = tmp.resolve("eval.json");
        EvalResult r = EvaluateJob.run(spark, new EvaluateJob.Params(run, test, 6, out, null), new PrintStream(new ByteArrayOutputStream()));
        JsonNode json = JSON.readTree(out.toFile());
        for (String f : List.of("accuracy", "nll", "ece", "brier", "entropy", "examples")) {
            assertTrue(json.has(f), "missing " + f + " in " + json);
        }
        assertEquals(300, json.get("examples").asInt());
        assertEquals(6, json.get("mc_samples").asInt());

        // the same posterior, noise seed and K in one process over the collected test set
        ModelCheckpoint c = CheckpointFile.read(run.resolve(RunDirectory.CHECKPOINT));
        GaussianPosterior p = Posteriors.of(c);
        TrainConfig config = TrainConfig.fromJson("ckpt", (com.fasterxml.jackson.databind.node.ObjectNode) c.metadata().get("config"));
        MetricsResult local;
        try (ImageDataset data = ImageDataset.open(spark, test, 1, config.seed());
             GaussianNoise noise = new GaussianNoise(config.seed(), 6)) {
            Example[] rows = data.examples().collect().toArray(new Example[0]);
            Network net = Network.build(p.spec(), c.dataType());
            McPredictor predictor = new McPredictor(net, p.mean(), p.std(), 6, noise, 0);
            BatchAssembler a = new BatchAssembler(TrainJob.normalization(config, data.manifest()), net.inputShape(), c.dataType());
            INDArray probs = Nd4j.create(c.dataType(), rows.length, 10);
            predictor.predict(a.assemble(rows, java.util.stream.IntStream.range(0, rows.length).toArray()), probs);
            local = new ClassificationMetrics().add(probs, a.labels()).result();
        }
        MetricsResult d = r.metrics();
        assertEquals(local.accuracy(), d.accuracy(), 1e-12);
        assertEquals(local.nll(), d.nll(), 1e-5);
        assertEquals(local.brier(), d.brier(), 1e-5);
        assertEquals(local.entropy(), d.entropy(), 1e-5);
        assertEquals(local.ece(), d.ece(), 1e-4);
        // more samples than the mean: VOGN's predictive entropy is above the point estimate's
        EvalResult mean = EvaluateJob.run(spark, new EvaluateJob.Params(run, test, 0, tmp.resolve("eval0.json"), null),
                new PrintStream(new ByteArrayOutputStream()));
        assertTrue(d.entropy() > mean.metrics().entropy(), d.entropy() + " vs " + mean.metrics().entropy());
    }

    @Test
    void badInvocationsAreClearErrors() throws Exception {
        assertTrue(assertThrows(Flags.UsageException.class, () -> TrainJob.main(new String[] {"--config", "c.json", "--epochs", "3"}))
                .getMessage().contains("unknown option '--epochs'"));
        assertTrue(assertThrows(Flags.UsageException.class, () -> TrainJob.main(new String[] {"--config", "c.json", "--train", "d"}))
                .getMessage().contains("missing required option --out"));
        IOException rerun = assertThrows(IOException.class, () -> RunDirectory.create(run, false));
        assertTrue(rerun.getMessage().contains("--overwrite"), rerun.getMessage());
        IOException notRun = assertThrows(IOException.class, () -> EvaluateJob.run(spark,
                new EvaluateJob.Params(train, test, null, null, null), System.out));
        assertTrue(notRun.getMessage().contains(train + ": not a training run"), notRun.getMessage());
        IOException noData = assertThrows(IOException.class, () -> EvaluateJob.run(spark,
                new EvaluateJob.Params(run, tmp.resolve("nope"), null, null, null), System.out));
        assertTrue(noData.getMessage().contains("nope"), noData.getMessage());
    }
}
