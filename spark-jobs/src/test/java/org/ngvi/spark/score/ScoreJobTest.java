package org.ngvi.spark.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.data.DatasetManifest;
import org.ngvi.nn.Network;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.predict.McPredictor;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.eval.InProcessPrediction;
import org.ngvi.optim.Posteriors;
import org.ngvi.spark.eval.TrainedRuns;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;

/**
 * {@code score} keeps every input column and adds per-row predictions and uncertainties equal to an
 * in-process {@link McPredictor} with the same ensemble, for VOGN weight samples and MC dropout.
 */
class ScoreJobTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path test;
    static Path extra;
    static Path vogn;
    static Path dropout;
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @BeforeAll
    static void trainOnce() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        Path train = SyntheticImages.prepare(spark, tmp, "train", 400, 6, 21);
        test = SyntheticImages.prepare(spark, tmp, "test", 150, 6, 22);
        // the test set with an extra column and without a manifest, in 3 files
        extra = tmp.resolve("extra");
        spark.read().parquet(test.toString()).withColumn("note", concat(lit("row-"), col("index").cast("string")))
                .repartition(3).write().parquet(extra.toString());
        vogn = TrainedRuns.train(spark, tmp, train, "vogn", """
                {"model_args": {"hidden": [24]}, "optim_name": "VOGN", "epochs": 1, "batch_size": 32, "local_steps": 2,
                 "optim_args": {"lr": 0.05, "grad_ema_decay": 0.1, "init_precision": 0.05, "val_num_mc_samples": 5},
                 "curv_args": {"damping": 0.001, "ema_decay": 0.05}, "seed": 4}""");
        dropout = TrainedRuns.train(spark, tmp, train, "adam-dropout", """
                {"model_args": {"hidden": [32], "dropout": 0.4}, "optim_name": "Adam", "epochs": 1, "batch_size": 32,
                 "optim_args": {"lr": 0.01, "val_num_mc_samples": 3}, "dtype": "float64", "seed": 6}""");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static ScoreJob.Params params(Path run, Path data, Path out, Integer mc, Integer batch, boolean overwrite) {
        return new ScoreJob.Params(run, data, out, mc, null, batch, null, null, overwrite);
    }

    /** Row → its scored values, by index, compared with an in-process prediction over all rows at once. */
    private static void assertEqualsInProcess(Path run, Path out, int k, boolean mcDropout, double tol) throws IOException {
        ModelCheckpoint c = CheckpointFile.read(run.resolve(RunDirectory.CHECKPOINT));
        GaussianPosterior p = Posteriors.of(c);
        TrainConfig config = TrainConfig.fromJson("ckpt", (ObjectNode) c.metadata().get("config"));
        List<Row> scored = new ArrayList<>(spark.read().parquet(out.toString()).collectAsList());
        scored.sort(Comparator.comparingLong(r -> r.getLong(r.fieldIndex("index"))));
        assertEquals(150, scored.size());
        Example[] rows = scored.stream().map(r -> new Example(r.getLong(r.fieldIndex("index")), r.getInt(r.fieldIndex("label")),
                (byte[]) r.get(r.fieldIndex("image")))).toArray(Example[]::new);
        Network net = Network.build(p.spec(), c.dataType());
        InProcessPrediction reference;
        try (GaussianNoise noise = new GaussianNoise(config.seed(), k)) {
            McPredictor predictor = mcDropout ? McPredictor.mcDropout(net, p.mean(), k, config.seed())
                    : new McPredictor(net, p.mean(), p.std(), k, noise, 0);
            BatchAssembler a = new BatchAssembler(TrainJob.normalization(config, DatasetManifest.read(test)), net.inputShape(),
                    c.dataType());
            reference = InProcessPrediction.of(predictor, a, rows);
        }
        int classes = reference.classes();
        double[] pr = reference.probabilities();
        double miSum = 0;
        for (int i = 0; i < rows.length; i++) {
            Row r = scored.get(i);
            double[] got = probabilities(r);
            assertEquals(classes, got.length);
            int argmax = 0;
            for (int q = 0; q < classes; q++) {
                assertEquals(pr[i * classes + q], got[q], tol, "row " + rows[i].index() + " class " + q);
                argmax = pr[i * classes + q] > pr[i * classes + argmax] ? q : argmax;
            }
            assertEquals(argmax, r.getInt(r.fieldIndex(ScoreColumns.PREDICTION)), "row " + rows[i].index());
            assertEquals(pr[i * classes + argmax], r.getDouble(r.fieldIndex(ScoreColumns.CONFIDENCE)), tol);
            assertEquals(reference.entropy(i), r.getDouble(r.fieldIndex(ScoreColumns.ENTROPY)), 10 * tol);
            double mi = reference.mutualInformation(i);
            assertEquals(mi, r.getDouble(r.fieldIndex(ScoreColumns.MUTUAL_INFORMATION)), 10 * tol);
            miSum += mi;
            assertEquals("row-" + rows[i].index(), r.getString(r.fieldIndex("note")), "extra column kept with its row");
        }
        assertTrue(miSum > 0, "K samples disagree somewhere");
    }

    private static double[] probabilities(Row r) {
        List<Object> l = r.getList(r.fieldIndex(ScoreColumns.PROBABILITIES));
        return l.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    @Test
    void vognScoresKeepInputColumnsAndEqualTheInProcessPredictor() throws Exception {
        Path out = tmp.resolve("scores-vogn");
        ScoreJob.Result res = ScoreJob.run(spark, params(vogn, extra, out, 4, 16, false), QUIET);
        assertEquals(150, res.rows());
        Dataset<Row> df = spark.read().parquet(out.toString());
        List<String> expectedColumns = new ArrayList<>(Arrays.asList(spark.read().parquet(extra.toString()).columns()));
        expectedColumns.addAll(ScoreColumns.ADDED);
        assertEquals(expectedColumns, Arrays.asList(df.columns()));
        assertEquals("array<float>", df.schema().apply(ScoreColumns.PROBABILITIES).dataType().simpleString());
        assertEqualsInProcess(vogn, out, 4, false, 2e-6);
        JsonNode meta = new ObjectMapper().readTree(out.resolve(ScoreJob.METADATA).toFile());
        assertEquals("weight_samples", meta.get("predictive").asText());
        assertEquals(4, meta.get("mc_samples").asInt());
        assertEquals(150, meta.get("rows").asInt());
        try (var siblings = Files.list(tmp)) {
            assertFalse(siblings.anyMatch(f -> f.getFileName().toString().startsWith("scores-vogn.tmp")), "temp dir removed");
        }
    }

    @Test
    void mcDropoutScoresAreReproducibleAndIndependentOfPartitioning() throws Exception {
        Path out = tmp.resolve("scores-dropout");
        ScoreJob.Result res = ScoreJob.run(spark, params(dropout, extra, out, null, 7, false), QUIET);
        assertEquals("mc_dropout", res.predictive().method().json());
        assertEquals(3, res.predictive().samples());
        assertEquals("array<double>", spark.read().parquet(out.toString()).schema().apply(ScoreColumns.PROBABILITIES)
                .dataType().simpleString());
        assertEqualsInProcess(dropout, out, 3, true, 1e-12);
        // other batch size and partitioning: the same numbers for every row
        Path again = tmp.resolve("scores-dropout-2");
        ScoreJob.run(spark, new ScoreJob.Params(dropout, extra, again, null, null, 50, 2, null, false), QUIET);
        assertEqualsInProcess(dropout, again, 3, true, 1e-12);
    }

    @Test
    void badInputIsAClearErrorAndOutputIsOnlyReplacedWithOverwrite() throws Exception {
        Path noHeight = tmp.resolve("no-height");
        spark.read().parquet(test.toString()).drop("height").write().parquet(noHeight.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScoreJob.run(spark, params(vogn, noHeight, tmp.resolve("never"), 2, null, false), QUIET));
        assertTrue(e.getMessage().contains("'height'") && e.getMessage().contains(noHeight.toString()), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("never")));

        Path clash = tmp.resolve("clash");
        spark.read().parquet(test.toString()).withColumn("entropy", lit(0.0)).write().parquet(clash.toString());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> ScoreJob.run(spark, params(vogn, clash, tmp.resolve("never"), 2, null, false), QUIET));
        assertTrue(c.getMessage().contains("'entropy'"), c.getMessage());

        Path wrongType = tmp.resolve("wrong-type");
        spark.read().parquet(test.toString()).withColumn("width", col("width").cast("long")).write().parquet(wrongType.toString());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> ScoreJob.run(spark, params(vogn, wrongType, tmp.resolve("never"), 2, null, false), QUIET));
        assertTrue(w.getMessage().contains("'width'") && w.getMessage().contains("bigint"), w.getMessage());

        IOException missing = assertThrows(IOException.class,
                () -> ScoreJob.run(spark, params(vogn, tmp.resolve("nope"), tmp.resolve("never"), 2, null, false), QUIET));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());

        Path out = tmp.resolve("scores-twice");
        ScoreJob.run(spark, params(vogn, test, out, 0, null, false), QUIET);
        IOException exists = assertThrows(IOException.class, () -> ScoreJob.run(spark, params(vogn, test, out, 0, null, false), QUIET));
        assertTrue(exists.getMessage().contains("--overwrite"), exists.getMessage());
        ScoreJob.run(spark, params(vogn, test, out, 2, null, true), QUIET);
        assertEquals(2, new ObjectMapper().readTree(out.resolve(ScoreJob.METADATA).toFile()).get("mc_samples").asInt());
        assertTrue(Files.isDirectory(out));
    }
}
