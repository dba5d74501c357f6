package org.ngvi.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.spark.config.ConfigException;
import org.ngvi.spark.eval.TrainedRun;
import org.ngvi.spark.eval.TrainedRuns;
import org.ngvi.spark.score.ScoreColumns;
import org.ngvi.spark.score.ScoreJob;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.spark.train.RunDirectory;

/**
 * The spark.ml API against the jobs it wraps: {@code fit} + {@code transform} give what
 * {@code ngvi train} + {@code ngvi score} give on the same data and config, bit for bit; a saved
 * model loads to the same predictions and is a run folder the jobs read; the model works as the
 * last stage of a {@code Pipeline} and with {@code MulticlassClassificationEvaluator}; bad params
 * are errors naming the param.
 */
class VognClassifierTest {
    static final String VOGN_CONFIG = """
            {"model_args": {"hidden": [24]}, "optim_name": "VOGN", "epochs": 1, "batch_size": 32, "local_steps": 2,
             "optim_args": {"lr": 0.05, "grad_ema_decay": 0.1, "init_precision": 0.05, "val_num_mc_samples": 5},
             "curv_args": {"damping": 0.001, "ema_decay": 0.05}, "val_batch_size": 64, "seed": 4}""";
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path train;
    static Path test;
    static Path configFile;
    static VognClassificationModel vogn;

    @BeforeAll
    static void fitOnce() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        train = SyntheticImages.prepare(spark, tmp, "train", 400, 6, 21);
        test = SyntheticImages.prepare(spark, tmp, "test", 150, 6, 22);
        configFile = tmp.resolve("vogn.json");
        Files.writeString(configFile, VOGN_CONFIG);
        vogn = new VognClassifier().setConfig(configFile.toString()).setVerbose(false).fit(spark.read().parquet(train.toString()));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Dataset<Row> testRows() {
        return spark.read().parquet(test.toString());
    }

    private static Map<Long, Row> byIndex(Dataset<Row> rows) {
        Map<Long, Row> m = new HashMap<>();
        for (Row r : rows.collectAsList()) {
            m.put(r.getLong(r.fieldIndex("index")), r);
        }
        return m;
    }

    private static double[] array(Row r, String column) {
        return r.getList(r.fieldIndex(column)).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static double[] vector(Row r, String column) {
        return ((Vector) r.get(r.fieldIndex(column))).toArray();
    }

    @Test
    void fitAndTransformEqualTrainAndScore() throws Exception {
        Path run = TrainedRuns.train(spark, tmp, train, "vogn-job", VOGN_CONFIG);
        TrainedRun job = TrainedRun.open(run);
        assertEquals(job.checkpoint().step(), vogn.trainedRun().checkpoint().step());
        assertArrayEquals(job.posterior().mean().flat().toDoubleVector(), vogn.trainedRun().posterior().mean().flat().toDoubleVector(),
                "posterior mean");
        assertArrayEquals(job.posterior().std().flat().toDoubleVector(), vogn.trainedRun().posterior().std().flat().toDoubleVector(),
                "posterior std");

        Path scores = tmp.resolve("scores");
        ScoreJob.run(spark, new ScoreJob.Params(run, test, scores, null, null, null, null, null, false),
                new PrintStream(new ByteArrayOutputStream()));
        Map<Long, Row> expected = byIndex(spark.read().parquet(scores.toString()));
        Dataset<Row> transformed = vogn.transform(testRows());
        assertEquals("vector", transformed.schema().apply("probability").dataType().typeName());
        assertEquals("double", transformed.schema().apply("prediction").dataType().typeName());
        Map<Long, Row> got = byIndex(transformed);
        assertEquals(150, got.size());
        assertEquals(expected.keySet(), got.keySet());
        double miSum = 0;
        for (Map.Entry<Long, Row> e : expected.entrySet()) {
            Row want = e.getValue();
            Row have = got.get(e.getKey());
            String row = "row " + e.getKey();
            assertEquals(want.getInt(want.fieldIndex(ScoreColumns.PREDICTION)), have.getDouble(have.fieldIndex("prediction")), row);
            assertArrayEquals(array(want, ScoreColumns.PROBABILITIES), vector(have, "probability"), row);
            for (String c : List.of(ScoreColumns.CONFIDENCE, ScoreColumns.ENTROPY, ScoreColumns.MUTUAL_INFORMATION)) {
                assertEquals(want.getDouble(want.fieldIndex(c)), have.getDouble(have.fieldIndex(c)), row + " " + c);
            }
            assertEquals(want.getInt(want.fieldIndex("label")), have.getInt(have.fieldIndex("label")), row + " keeps its columns");
            miSum += have.getDouble(have.fieldIndex(ScoreColumns.MUTUAL_INFORMATION));
        }
        assertTrue(miSum > 0, "5 weight samples disagree somewhere");
        assertEquals(5, vogn.getNumMcSamples());
    }

    @Test
    void saveLoadRoundTripsAndTheSavedModelIsARunFolder() throws Exception {
        VognClassificationModel model = vogn.copy(new org.apache.spark.ml.param.ParamMap()).setNumMcSamples(3)
                .setEntropyCol("h");
        Path path = tmp.resolve("saved-model");
        model.write().save(path.toString());
        VognClassificationModel loaded = VognClassificationModel.load(path.toString());
        assertEquals(model.uid(), loaded.uid());
        assertEquals(3, loaded.getNumMcSamples());
        assertEquals("h", loaded.getOrDefault(loaded.entropyCol()));
        Map<Long, Row> a = byIndex(model.transform(testRows()));
        Map<Long, Row> b = byIndex(loaded.transform(testRows()));
        for (long i : a.keySet()) {
            assertArrayEquals(vector(a.get(i), "probability"), vector(b.get(i), "probability"), "row " + i);
            assertEquals(a.get(i).getDouble(a.get(i).fieldIndex("h")), b.get(i).getDouble(b.get(i).fieldIndex("h")));
        }
        // what evaluate and score read
        TrainedRun asRun = TrainedRun.open(path);
        assertEquals(vogn.trainedRun().checkpoint().step(), asRun.checkpoint().step());
        assertTrue(Files.isRegularFile(path.resolve(RunDirectory.PROVENANCE)));
        assertEquals(vogn.summary().get("steps").asLong(), loaded.summary().get("steps").asLong());
        // an existing path is kept unless overwrite(); no temporary sibling is left behind
        IOException exists = assertThrows(IOException.class, () -> model.write().save(path.toString()));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
        model.setNumMcSamples(0).write().overwrite().save(path.toString());
        assertEquals(0, VognClassificationModel.load(path.toString()).getNumMcSamples());
        try (var siblings = Files.list(tmp)) {
            assertFalse(siblings.anyMatch(f -> f.getFileName().toString().contains(".tmp-")), "temporary folder removed");
        }
        // the estimator saves its params
        VognClassifier clf = new VognClassifier().setConfig(configFile.toString()).setEpochs(2).setLr(0.02)
                .setOverrides("optim_args.kl_weighting=0.5");
        clf.write().save(tmp.resolve("saved-estimator").toString());
        VognClassifier back = VognClassifier.load(tmp.resolve("saved-estimator").toString());
        assertEquals(clf.effectiveConfig().json(), back.effectiveConfig().json());
        assertEquals(2, back.effectiveConfig().epochs());
        assertEquals(0.5, ((org.ngvi.optim.VognParams) back.effectiveConfig().optim().params(1000)).klWeighting());
    }

    @Test
    void aPipelineEndingInTheClassifierFitsTransformsSavesAndEvaluates() throws Exception {
        // renamed columns and no index column: the fit numbers the rows itself
        SQLTransformer rename = new SQLTransformer().setStatement(
                "SELECT image AS pixels, height, width, channels, label AS y FROM __THIS__");
        VognClassifier mcDropout = new VognClassifier().setOptimizer("Adam").setHidden(32).setDropout(0.3).setLr(0.01)
                .setEpochs(3).setBatchSize(32).setValNumMcSamples(4).setSeed(6).setVerbose(false)
                .setImageCol("pixels").setLabelCol("y");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {rename, mcDropout});
        PipelineModel fitted = pipeline.fit(spark.read().parquet(train.toString()));
        VognClassificationModel model = (VognClassificationModel) fitted.stages()[1];
        assertEquals("mc_dropout", model.predictive().method().json());
        assertEquals(4, model.predictive().samples());
        Dataset<Row> out = fitted.transform(testRows());
        assertEquals(List.of("pixels", "height", "width", "channels", "y", "prediction", "probability", "confidence", "entropy",
                "mutual_information"), Arrays.asList(out.columns()));
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setLabelCol("y")
                .setMetricName("accuracy");
        double acc = accuracy.evaluate(out);
        assertTrue(acc > 0.5, "accuracy " + acc + " on 6 learnable classes");
        double logLoss = new MulticlassClassificationEvaluator().setLabelCol("y").setMetricName("logLoss").evaluate(out);
        assertTrue(logLoss > 0 && logLoss < Math.log(6), "log loss " + logLoss);

        Path saved = tmp.resolve("saved-pipeline");
        fitted.write().save(saved.toString());
        PipelineModel reloaded = PipelineModel.load(saved.toString());
        assertEquals(acc, accuracy.evaluate(reloaded.transform(testRows())), "same predictions after save and load");
    }

    @Test
    void badParamsAreErrorsNamingTheParam() {
        VognClassifier clf = new VognClassifier();
        ConfigException epochs = assertThrows(ConfigException.class, () -> clf.setEpochs(0));
        assertTrue(epochs.getMessage().contains("param 'epochs'") && epochs.getMessage().contains("[1, 100000]"), epochs.getMessage());
        ConfigException model = assertThrows(ConfigException.class, () -> clf.setModel("resnet99"));
        assertTrue(model.getMessage().contains("param 'model'") && model.getMessage().contains("lenet5"), model.getMessage());
        ConfigException lr = assertThrows(ConfigException.class, () -> clf.setLr(-1));
        assertTrue(lr.getMessage().contains("param 'lr'") && lr.getMessage().contains("optim_args.lr"), lr.getMessage());
        ConfigException config = assertThrows(ConfigException.class, () -> clf.setConfig(tmp.resolve("nope.json").toString()));
        assertTrue(config.getMessage().contains("param 'config'") && config.getMessage().contains("nope.json"), config.getMessage());
        ConfigException set = assertThrows(ConfigException.class, () -> clf.setOverrides("epochs"));
        assertTrue(set.getMessage().contains("param 'overrides'"), set.getMessage());

        // keys that are only wrong together: the error names the key and the params that set it
        clf.setAggregation("sync").setLocalSteps(3);
        ConfigException joint = assertThrows(ConfigException.class, clf::effectiveConfig);
        assertTrue(joint.getMessage().contains("local_steps") && joint.getMessage().contains("param 'localSteps'"), joint.getMessage());
        clf.setOverrides("optim_args.no_such_key=1").setLocalSteps(1);
        ConfigException unknown = assertThrows(ConfigException.class, clf::effectiveConfig);
        assertTrue(unknown.getMessage().contains("optim_args.no_such_key"), unknown.getMessage());

        // input columns are checked before any training
        VognClassifier ok = new VognClassifier().setImageCol("pixels").setVerbose(false);
        IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
                () -> ok.fit(spark.read().parquet(train.toString())));
        assertTrue(column.getMessage().contains("'pixels'") && column.getMessage().contains("imageCol"), column.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> vogn.transform(testRows().withColumn("width", org.apache.spark.sql.functions.col("width").cast("long"))));
        assertTrue(type.getMessage().contains("'width'") && type.getMessage().contains("widthCol")
                && type.getMessage().contains("bigint"), type.getMessage());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> vogn.transform(testRows().withColumn("entropy", org.apache.spark.sql.functions.lit(0.0))));
        assertTrue(clash.getMessage().contains("'entropy'") && clash.getMessage().contains("entropyCol"), clash.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> vogn.copy(
                new org.apache.spark.ml.param.ParamMap()).setNumMcSamples(-1));
        assertTrue(k.getMessage().contains("numMcSamples"), k.getMessage());
        IllegalArgumentException remote = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.localPath("hdfs://namenode/models/vogn"));
        assertTrue(remote.getMessage().contains("hdfs://namenode/models/vogn") && remote.getMessage().contains("local"),
                remote.getMessage());
        assertEquals(tmp.resolve("a b#1"), ModelFiles.localPath(tmp.resolve("a b#1").toString()));
        assertEquals(tmp.resolve("m"), ModelFiles.localPath(tmp.resolve("m").toUri().toString()));
        // rows of another shape fail when scored, naming the row and the expected shape
        Dataset<Row> wide = testRows().withColumn("width", org.apache.spark.sql.functions.lit(13));
        Exception shape = assertThrows(Exception.class, () -> vogn.transform(wide).count());
        assertTrue(String.valueOf(shape.getMessage()).contains("expected 12x12x1"), shape.getMessage());
    }
}
