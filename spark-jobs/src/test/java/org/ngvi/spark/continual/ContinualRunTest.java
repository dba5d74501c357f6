package org.ngvi.spark.continual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.optim.Optimizer;
import org.ngvi.optim.OptimizerState;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.prep.idx.IdxWriter;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.eval.Evaluation;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.spark.train.ParameterAveragingTrainer;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;

/**
 * {@code ngvi continual} end to end on small generated data: with one task every method is the
 * ordinary training run (EWC's is Adam's), several tasks give complete lower-triangular results
 * and both plots, and bad input fails before any training.
 */
class ContinualRunTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path train;
    static Path test;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "\"model\": \"mlp\", \"model_args\": {\"hidden\": [16]}, \"epochs\": 2, \"batch_size\": 32, "
            + "\"local_steps\": 2, \"val_batch_size\": 100, \"seed\": 5";
    static final String VOGN_ARGS = "\"optim_name\": \"VOGN\", \"optim_args\": {\"lr\": 0.05, \"grad_ema_decay\": 0.1, "
            + "\"num_mc_samples\": 2, \"val_num_mc_samples\": 4, \"prior_precision\": 1, \"init_prec_ema\": 0.05}, "
            + "\"curv_args\": {\"damping\": 0.001, \"ema_decay\": 0.05}";

    @BeforeAll
    static void data() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        train = SyntheticImages.prepare(spark, tmp, "train", 400, 10, 41);
        test = SyntheticImages.prepare(spark, tmp, "test", 200, 10, 42);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Path config(String name, String body) throws Exception {
        Path f = tmp.resolve(name + ".json");
        Files.writeString(f, "{" + body + "}");
        return f;
    }

    static Path vogn() throws Exception {
        return config("vogn", "\"continual_method\": \"vogn\", " + MODEL + ", " + VOGN_ARGS);
    }

    static Path coreset() throws Exception {
        return config("coreset", "\"continual_method\": \"vogn_coreset\", \"coreset_size\": 20, \"coreset_epochs\": 1, "
                + MODEL + ", " + VOGN_ARGS);
    }

    static Path ewc() throws Exception {
        return config("ewc", "\"continual_method\": \"ewc\", " + MODEL
                + ", \"optim_name\": \"ewc\", \"optim_args\": {\"lr\": 0.01, \"ewc_lambda\": 50}");
    }

    static Path adam() throws Exception {
        return config("adam", "\"continual_method\": \"adam\", " + MODEL + ", \"optim_name\": \"adam\", \"optim_args\": {\"lr\": 0.01}");
    }

    static String[] args(Path out, int tasks, Path... configs) {
        List<String> a = new ArrayList<>();
        for (Path c : configs) {
            a.add("--config");
            a.add(c.toString());
        }
        a.addAll(List.of("--train", train.toString(), "--test", test.toString(), "--tasks", Integer.toString(tasks),
                "--out", out.toString()));
        return a.toArray(new String[0]);
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    /** Test metrics of an ordinary {@code train} run of {@code configFile} (its continual_method removed). */
    static MetricsResult ordinary(Path configFile, String name) throws Exception {
        var obj = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(configFile.toFile());
        obj.remove("continual_method");
        TrainConfig c = TrainConfig.fromJson(name, obj);
        ParameterAveragingTrainer.Outcome out = TrainJob.run(spark, c, train, null,
                RunDirectory.create(tmp.resolve("ordinary-" + name), false), quiet());
        Optimizer<?> opt = c.optim().params(400, null, 1).create();
        try (ImageDataset t = ImageDataset.open(spark, test, spark.sparkContext().defaultParallelism(), c.seed())) {
            var posterior = posterior(opt, TrainJob.network(c, t.manifest()), out.state());
            int mc = posterior.isPointEstimate() ? 0 : c.optim().valNumMcSamples();
            return Evaluation.evaluate(spark, t, posterior, DataType.FLOAT, TrainJob.normalization(c, t.manifest()), mc,
                    c.valBatchSize(), c.seed()).metrics();
        }
    }

    private static <S extends OptimizerState> org.ngvi.posterior.GaussianPosterior posterior(Optimizer<S> o,
            org.ngvi.nn.NetworkSpec spec, OptimizerState s) {
        return o.posterior(spec, o.cast(s));
    }

    @Test
    void withOneTaskEveryMethodIsOrdinaryTraining() throws Exception {
        Path out = tmp.resolve("one-task");
        List<MethodResult> r = ContinualRun.run(spark, ContinualJob.parse(args(out, 1, vogn(), ewc(), adam())), quiet());
        MetricsResult vognOrdinary = ordinary(vogn(), "vogn");
        MetricsResult adamOrdinary = ordinary(adam(), "adam");
        assertEquals(3, r.size());
        assertEquals(vognOrdinary.accuracy(), r.get(0).accuracy(1, 1), 0, "vogn accuracy");
        assertEquals(adamOrdinary.accuracy(), r.get(1).accuracy(1, 1), 0, "ewc with no past task = Adam");
        assertEquals(adamOrdinary.accuracy(), r.get(2).accuracy(1, 1), 0, "adam");
        JsonNode j = JSON.readTree(out.resolve(ContinualRun.RESULT).toFile());
        assertEquals(vognOrdinary.nll(), j.at("/methods/vogn/nll/0/0").asDouble(), 0, "vogn NLL");
        assertEquals(adamOrdinary.nll(), j.at("/methods/ewc/nll/0/0").asDouble(), 0, "ewc NLL");
        assertEquals(adamOrdinary.ece(), j.at("/methods/adam/ece/0/0").asDouble(), 0, "adam ECE");
        assertTrue(vognOrdinary.accuracy() > 0.3, "the synthetic task is learnable: " + vognOrdinary.accuracy());
    }

    @Test
    void severalTasksGiveTheMatrixTheAveragesAndThePlots() throws Exception {
        Path out = tmp.resolve("three-tasks");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<MethodResult> r = ContinualRun.run(spark, ContinualJob.parse(args(out, 3, adam(), coreset(), vogn(), ewc())),
                new PrintStream(log, true));
        assertEquals(4, r.size());
        JsonNode j = JSON.readTree(out.resolve(ContinualRun.RESULT).toFile());
        assertEquals(3, j.get("tasks").asInt());
        for (String m : List.of("vogn", "vogn_coreset", "ewc", "adam")) {
            JsonNode res = j.at("/methods/" + m);
            assertEquals(3, res.get("accuracy").size(), m);
            for (int t = 0; t < 3; t++) {
                JsonNode row = res.get("accuracy").get(t);
                assertEquals(t + 1, row.size(), m + " row " + t);
                assertEquals(t + 1, res.get("nll").get(t).size());
                assertEquals(t + 1, res.get("ece").get(t).size());
                double mean = 0;
                for (JsonNode x : row) {
                    assertTrue(x.asDouble() >= 0 && x.asDouble() <= 1);
                    mean += x.asDouble() / row.size();
                }
                assertEquals(mean, res.get("average").get(t).asDouble(), 1e-12, m + " average " + t);
            }
            assertEquals(3, res.get("train_seconds").size());
            assertNotNull(ImageIO.read(out.resolve("accuracy_" + m + ".png").toFile()), m + " heat map");
        }
        assertNotNull(ImageIO.read(out.resolve("average_accuracy.png").toFile()));
        Files.delete(out.resolve("average_accuracy.png"));
        ContinualPlots.redraw(out.resolve(ContinualRun.RESULT));
        assertNotNull(ImageIO.read(out.resolve("average_accuracy.png").toFile()), "redrawn from the JSON");
        assertEquals(r.get(2).average(3), MethodResult.fromJson(ContinualMethod.VOGN, j.at("/methods/vogn")).average(3), 0);
        String lines = log.toString();
        for (String m : List.of("vogn", "vogn_coreset", "ewc", "adam")) {
            for (int t = 1; t <= 3; t++) {
                for (int e = 1; e <= 2; e++) {
                    assertTrue(lines.contains(m + " task " + t + "/3 epoch " + e + "/2:"), m + " task " + t + " epoch " + e);
                }
            }
        }
        assertTrue(lines.contains("vogn_coreset task 3/3: predictive fine-tuned 1 epochs on the 60 coreset examples"), lines);
    }

    @Test
    void badInputFailsBeforeTraining() throws Exception {
        Path out = tmp.resolve("bad");
        assertThrows(IllegalArgumentException.class, () -> ContinualJob.parse(args(out, 0, vogn())), "--tasks 0");
        String[] unknown = java.util.stream.Stream.concat(java.util.Arrays.stream(args(out, 2, vogn())),
                java.util.stream.Stream.of("--methods", "vogn,sgd")).toArray(String[]::new);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContinualJob.parse(unknown));
        assertTrue(e.getMessage().contains("unknown continual method \"sgd\""), e.getMessage());
        String[] missing = java.util.stream.Stream.concat(java.util.Arrays.stream(args(out, 2, vogn())),
                java.util.stream.Stream.of("--methods", "ewc")).toArray(String[]::new);
        assertThrows(IllegalArgumentException.class, () -> ContinualJob.parse(missing), "no config for ewc");
        Path wrongOptimizer = config("wrong", "\"continual_method\": \"ewc\", " + MODEL + ", \"optim_name\": \"adam\"");
        e = assertThrows(IllegalArgumentException.class, () -> ContinualJob.parse(args(out, 2, wrongOptimizer)));
        assertTrue(e.getMessage().contains("optim_name"), e.getMessage());
        Path coresetKey = config("key", "\"continual_method\": \"vogn\", \"coreset_size\": 5, " + MODEL + ", " + VOGN_ARGS);
        e = assertThrows(IllegalArgumentException.class, () -> ContinualJob.parse(args(out, 2, coresetKey)));
        assertTrue(e.getMessage().contains("coreset_size"), e.getMessage());
        Path priorMean = config("mean", "\"continual_method\": \"vogn\", " + MODEL + ", "
                + VOGN_ARGS.replace("\"prior_precision\": 1", "\"prior_mean\": 0.5"));
        e = assertThrows(IllegalArgumentException.class, () -> ContinualJob.parse(args(out, 2, priorMean)));
        assertTrue(e.getMessage().contains("optim_args.prior_mean"), e.getMessage());

        // a test set of another shape: 10x10 images against the training set's 12x12
        Path small = tmp.resolve("small");
        Files.createDirectories(small);
        byte[][] images = new byte[20][100];
        byte[] labels = new byte[20];
        IdxWriter.writeImages(small.resolve("i.gz"), images, 10, 10, true);
        IdxWriter.writeLabels(small.resolve("l.gz"), labels, true);
        Path smallSet = small.resolve("set");
        PrepareIdxJob.run(spark, new PrepareIdxParams(small.resolve("i.gz").toString(), small.resolve("l.gz").toString(),
                smallSet.toString(), false, 2).validate());
        String[] shape = args(out, 2, vogn());
        shape[java.util.Arrays.asList(shape).indexOf("--test") + 1] = smallSet.toString();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        e = assertThrows(IllegalArgumentException.class,
                () -> ContinualRun.run(spark, ContinualJob.parse(shape), new PrintStream(log)));
        assertTrue(e.getMessage().contains("differs from the training set's"), e.getMessage());
        assertFalse(log.toString().contains("epoch"), "no training started");
        assertFalse(Files.exists(out.resolve(ContinualRun.RESULT)));
    }
}
