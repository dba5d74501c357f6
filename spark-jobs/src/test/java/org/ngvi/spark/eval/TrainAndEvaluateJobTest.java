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
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.optim.Posteriors;
import org.ngvi.cli.BuildInfo;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.PixelNormalization;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.metrics.OodMetrics;
import org.ngvi.nn.Network;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.predict.McPredictor;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.prep.idx.IdxWriter;
import org.ngvi.spark.cli.NgviRun;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;

/**
 * {@code train} writes a complete run folder; {@code evaluate}'s distributed metrics (and mutual information, and
 * out-of-distribution scores with {@code --ood}) equal an in-process computation.
 */
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
        assertEquals(BuildInfo.current().revisionLabel(), prov.get("git_revision").asText(), "the revision the code was built from");
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
        for (String f : List.of("accuracy", "nll", "ece", "brier", "entropy", "mutual_information", "examples")) {
            assertTrue(json.has(f), "missing " + f + " in " + json);
        }
        assertEquals(300, json.get("examples").asInt());
        assertEquals(6, json.get("mc_samples").asInt());

        // the same posterior, noise seed and K in one process over the collected test set
        ModelCheckpoint c = CheckpointFile.read(run.resolve(RunDirectory.CHECKPOINT));
        GaussianPosterior p = Posteriors.of(c);
        TrainConfig config = TrainConfig.fromJson("ckpt", (com.fasterxml.jackson.databind.node.ObjectNode) c.metadata().get("config"));
        InProcessPrediction reference;
        try (ImageDataset data = ImageDataset.open(spark, test, 1, config.seed());
             GaussianNoise noise = new GaussianNoise(config.seed(), 6)) {
            Example[] rows = data.examples().collect().toArray(new Example[0]);
            Network net = Network.build(p.spec(), c.dataType());
            McPredictor predictor = new McPredictor(net, p.mean(), p.std(), 6, noise, 0);
            BatchAssembler a = new BatchAssembler(TrainJob.normalization(config, data.manifest()), net.inputShape(), c.dataType());
            reference = InProcessPrediction.of(predictor, a, rows);
        }
        MetricsResult local = reference.metrics();
        MetricsResult d = r.metrics();
        assertEquals(local.accuracy(), d.accuracy(), 1e-12);
        assertEquals(local.nll(), d.nll(), 1e-5);
        assertEquals(local.brier(), d.brier(), 1e-5);
        assertEquals(local.entropy(), d.entropy(), 1e-5);
        assertEquals(local.ece(), d.ece(), 1e-4);
        assertEquals(reference.meanMutualInformation(), r.mutualInformation(), 1e-5);
        assertEquals(r.mutualInformation(), json.get("mutual_information").asDouble(), 0.0);
        assertTrue(r.mutualInformation() > 0 && r.mutualInformation() < d.entropy(), r.mutualInformation() + " vs " + d.entropy());
        assertFalse(json.has("ood"));
        // more samples than the mean: VOGN's predictive entropy is above the point estimate's
        EvalResult mean = EvaluateJob.run(spark, new EvaluateJob.Params(run, test, 0, tmp.resolve("eval0.json"), null),
                new PrintStream(new ByteArrayOutputStream()));
        assertTrue(d.entropy() > mean.metrics().entropy(), d.entropy() + " vs " + mean.metrics().entropy());
        assertEquals(0.0, mean.mutualInformation(), "the mean weights have no epistemic part");
    }

    @Test
    void oodDetectionMatchesInProcessScores() throws Exception {
        Path ood = noiseImages(tmp, "ood-noise", 200, SyntheticImages.SIZE, 41);
        Path out = tmp.resolve("eval-ood.json");
        EvalResult r = EvaluateJob.run(spark, new EvaluateJob.Params(run, test, 6, out, null, ood),
                new PrintStream(new ByteArrayOutputStream()));
        JsonNode json = JSON.readTree(out.toFile());
        JsonNode o = json.get("ood");
        for (String f : List.of("data", "examples", "auroc_entropy", "fpr95_entropy", "auroc_mutual_information",
                "fpr95_mutual_information", "entropy", "mutual_information")) {
            assertTrue(o.has(f), "missing ood." + f + " in " + json);
        }
        assertEquals(ood.toString(), o.get("data").asText());
        assertEquals(200, o.get("examples").asInt());
        assertEquals(300, json.get("examples").asInt());
        for (String f : List.of("auroc_entropy", "auroc_mutual_information", "fpr95_entropy", "fpr95_mutual_information")) {
            double v = o.get(f).asDouble();
            assertTrue(v >= 0 && v <= 1, f + " = " + v);
        }
        // the in-distribution metrics are those of a plain evaluation
        EvalResult plain = EvaluateJob.run(spark, new EvaluateJob.Params(run, test, 6, tmp.resolve("eval-plain.json"), null),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(plain.metrics(), r.metrics());
        assertEquals(plain.mutualInformation(), r.mutualInformation(), 0.0);

        // the JSON's metrics are OodMetrics of the scores that came to the driver
        OodResult d = r.ood();
        assertEquals(OodMetrics.auroc(d.inDistribution().entropy(), d.outOfDistribution().entropy()), o.get("auroc_entropy").asDouble(), 0.0);
        assertEquals(OodMetrics.fpr95(d.inDistribution().entropy(), d.outOfDistribution().entropy()), o.get("fpr95_entropy").asDouble(), 0.0);
        assertEquals(OodMetrics.auroc(d.inDistribution().mutualInformation(), d.outOfDistribution().mutualInformation()),
                o.get("auroc_mutual_information").asDouble(), 0.0);
        assertEquals(OodMetrics.fpr95(d.inDistribution().mutualInformation(), d.outOfDistribution().mutualInformation()),
                o.get("fpr95_mutual_information").asDouble(), 0.0);

        // those scores equal an in-process MC prediction of both sets with the same ensemble and normalization
        ModelCheckpoint c = CheckpointFile.read(run.resolve(RunDirectory.CHECKPOINT));
        GaussianPosterior p = Posteriors.of(c);
        TrainConfig config = TrainConfig.fromJson("ckpt", (com.fasterxml.jackson.databind.node.ObjectNode) c.metadata().get("config"));
        PixelNormalization norm = TrainJob.normalization(config, DatasetManifest.read(test));
        float[][] in = inProcessScores(test, p, c, config, norm);
        float[][] oo = inProcessScores(ood, p, c, config, norm);
        assertSameMultiset(in[0], d.inDistribution().entropy());
        assertSameMultiset(in[1], d.inDistribution().mutualInformation());
        assertSameMultiset(oo[0], d.outOfDistribution().entropy());
        assertSameMultiset(oo[1], d.outOfDistribution().mutualInformation());
        assertEquals(OodMetrics.auroc(in[0], oo[0]), d.aurocEntropy(), 2e-3);
        assertEquals(OodMetrics.auroc(in[1], oo[1]), d.aurocMutualInformation(), 2e-3);
        assertEquals(mean(oo[0]), o.get("entropy").asDouble(), 1e-5);
        assertEquals(mean(oo[1]), o.get("mutual_information").asDouble(), 1e-5);
        // uniform noise is far from the patterns learned: more uncertain than the test set
        assertTrue(d.aurocEntropy() > 0.5, "AUROC(entropy) " + d.aurocEntropy());
        System.out.printf(java.util.Locale.ROOT, "synthetic OOD (uniform noise vs patches, K=6): AUROC entropy %.4f, MI %.4f; "
                        + "FPR@95 entropy %.4f, MI %.4f; mean entropy ID %.4f OOD %.4f, MI ID %.4f OOD %.4f%n",
                d.aurocEntropy(), d.aurocMutualInformation(), d.fpr95Entropy(), d.fpr95MutualInformation(),
                r.metrics().entropy(), d.entropy(), r.mutualInformation(), d.mutualInformation());
    }

    @Test
    void oodOfAnotherShapeIsAClearError() throws Exception {
        Path small = noiseImages(tmp, "ood-small", 20, 8, 43);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvaluateJob.run(spark,
                new EvaluateJob.Params(run, test, 2, tmp.resolve("never.json"), null, small), System.out));
        assertTrue(e.getMessage().contains(small.toString()) && e.getMessage().contains(test.toString())
                && e.getMessage().contains("[8, 8, 1]") && e.getMessage().contains("[12, 12, 1]"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("never.json")));
        IOException missing = assertThrows(IOException.class, () -> EvaluateJob.run(spark,
                new EvaluateJob.Params(run, test, 2, tmp.resolve("never.json"), null, tmp.resolve("no-ood")), System.out));
        assertTrue(missing.getMessage().contains("no-ood"), missing.getMessage());
    }

    /** n uniform-noise size×size images (labels 0..9) written as IDX and prepared by the real job. */
    static Path noiseImages(Path dir, String name, int n, int size, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[][] images = new byte[n][size * size];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) rng.nextInt(10);
            for (int q = 0; q < size * size; q++) {
                images[i][q] = (byte) rng.nextInt(256);
            }
        }
        Path imagesFile = dir.resolve(name + "-images-idx3-ubyte.gz");
        Path labelsFile = dir.resolve(name + "-labels-idx1-ubyte.gz");
        IdxWriter.writeImages(imagesFile, images, size, size, true);
        IdxWriter.writeLabels(labelsFile, labels, true);
        Path out = dir.resolve(name);
        PrepareIdxJob.run(spark, new PrepareIdxParams(imagesFile.toString(), labelsFile.toString(), out.toString(), false, 2).validate());
        return out;
    }

    /** {entropy, mutual information} per example of one in-process MC prediction over the whole set. */
    private static float[][] inProcessScores(Path dir, GaussianPosterior p, ModelCheckpoint c, TrainConfig config,
                                             PixelNormalization norm) throws IOException {
        try (ImageDataset data = ImageDataset.open(spark, dir, 1, config.seed());
             GaussianNoise noise = new GaussianNoise(config.seed(), 6)) {
            Example[] rows = data.examples().collect().toArray(new Example[0]);
            Network net = Network.build(p.spec(), c.dataType());
            McPredictor predictor = new McPredictor(net, p.mean(), p.std(), 6, noise, 0);
            BatchAssembler a = new BatchAssembler(norm, net.inputShape(), c.dataType());
            InProcessPrediction reference = InProcessPrediction.of(predictor, a, rows);
            float[][] s = new float[2][rows.length];
            for (int i = 0; i < rows.length; i++) {
                s[0][i] = (float) reference.entropy(i);
                s[1][i] = (float) reference.mutualInformation(i);
            }
            return s;
        }
    }

    private static void assertSameMultiset(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        float[] x = expected.clone();
        float[] y = actual.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-4, "sorted score " + i);
        }
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s / v.length;
    }

    @Test
    void badInvocationsAreClearErrors() throws Exception {
        NgviRun unknown = NgviRun.of("train", "--config", "c.json", "--epochs", "3");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("Unknown options: '--epochs', '3'"), unknown.err());
        NgviRun missing = NgviRun.of("train", "--config", "c.json", "--train", "d");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("Missing required option: '--out=RUNDIR'"), missing.err());
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
