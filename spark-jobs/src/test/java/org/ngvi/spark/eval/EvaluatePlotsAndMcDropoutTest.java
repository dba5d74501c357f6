package org.ngvi.spark.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.optim.Posteriors;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.nn.Network;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.predict.McPredictor;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.plot.ChartPng;
import org.ngvi.spark.plot.PlotPixels;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;
import org.ngvi.spark.transform.PixelTransform;
import org.ngvi.spark.transform.TransformJob;
import picocli.CommandLine.ParameterException;

/**
 * {@code evaluate --plots} writes a reliability diagram and entropy histograms binned on the executors;
 * an Adam run with dropout is evaluated with MC dropout, equal to the in-process predictor.
 */
class EvaluatePlotsAndMcDropoutTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path test;
    static Path ood;
    static Path vogn;
    static Path dropout;
    static final ObjectMapper JSON = new ObjectMapper();
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @BeforeAll
    static void trainOnce() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        Path train = SyntheticImages.prepare(spark, tmp, "train", 600, 10, 31);
        test = SyntheticImages.prepare(spark, tmp, "test", 300, 10, 32);
        ood = tmp.resolve("test-flipped-inverted");
        TransformJob.run(spark, new TransformJob.Params(test, ood, new PixelTransform(true, false, true), false, null));
        vogn = TrainedRuns.train(spark, tmp, train, "vogn", """
                {"model_args": {"hidden": [32]}, "optim_name": "VOGN", "epochs": 2, "batch_size": 32, "local_steps": 3,
                 "optim_args": {"lr": 0.05, "grad_ema_decay": 0.1, "init_precision": 0.05, "val_num_mc_samples": 5},
                 "curv_args": {"damping": 0.001, "ema_decay": 0.05}, "seed": 3}""");
        dropout = TrainedRuns.train(spark, tmp, train, "adam-dropout", """
                {"model_args": {"hidden": [64], "dropout": 0.5}, "optim_name": "Adam", "epochs": 2, "batch_size": 32,
                 "local_steps": 3, "optim_args": {"lr": 0.01, "val_num_mc_samples": 4}, "seed": 5}""");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void plotsAreWrittenAndRecordedAndTheHistogramsCountEveryExample() throws Exception {
        Path plots = tmp.resolve("plots");
        Path out = tmp.resolve("eval-plots.json");
        EvalResult r = EvaluateJob.run(spark, new EvaluateJob.Params(vogn, test, 6, out, null, ood, plots, null), QUIET);
        JsonNode json = JSON.readTree(out.toFile());
        Path reliability = Path.of(json.at("/plots/reliability").asText());
        Path entropy = Path.of(json.at("/plots/entropy_histogram").asText());
        assertEquals(plots.resolve("reliability-test.png"), reliability);
        assertEquals(plots.resolve("entropy-test.png"), entropy);
        assertEquals("weight_samples", json.get("predictive").asText());
        try (var files = Files.list(plots)) {
            assertEquals(List.of("entropy-test.png", "reliability-test.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }

        // histograms merged from the tasks count every example, binned as the per-example scores
        ScoreHistogram in = r.entropyHistogram();
        ScoreHistogram o = r.ood().entropyHistogram();
        assertEquals(300, in.total());
        assertEquals(300, o.total());
        assertEquals(Math.log(10), in.hi(), 1e-12);
        assertClose(binned(in, r.ood().inDistribution().entropy()), in.counts());
        assertClose(binned(o, r.ood().outOfDistribution().entropy()), o.counts());

        // the reliability PNG shows the accuracy bar of the fullest confidence bin
        BufferedImage rel = ImageIO.read(reliability.toFile());
        ClassificationMetrics m = r.histogram();
        long[] counts = m.binCounts();
        int full = 0;
        for (int b = 1; b < counts.length; b++) {
            full = counts[b] > counts[full] ? b : full;
        }
        double acc = ReliabilityDiagram.binAccuracy(m)[full];
        // the charts as the job drew them (same titles and legends, so the same layout)
        String optimizer = json.get("optimizer").asText();
        String method = r.mcSamples() + " weight samples";
        JFreeChart relChart = ReliabilityDiagram.chart(m, optimizer + " on " + EvaluateJob.label(test) + ", " + method);
        PlotPixels a = PlotPixels.subplot(relChart, ChartPng.layout(relChart,
                new Rectangle2D.Double(0, 0, ReliabilityDiagram.WIDTH, ReliabilityDiagram.HEIGHT)), 0);
        int px = rel.getRGB((int) a.px((full + 0.5) / counts.length), (int) a.py(acc / 2)) & 0xFFFFFF;
        assertEquals(ReliabilityDiagram.ACCURACY.getRGB() & 0xFFFFFF, px, "bin " + full + " (acc " + acc + ")");

        // the entropy PNG: a bin with in-distribution mass only is filled with the in-distribution colour
        BufferedImage hist = ImageIO.read(entropy.toFile());
        double[] dIn = in.densities();
        double[] dOod = o.densities();
        JFreeChart histChart = EntropyHistogramPlot.chart(in, "in-distribution: " + EvaluateJob.label(test), o,
                "OOD: " + EvaluateJob.label(ood), "Predictive entropy, " + optimizer + " (" + method + ")");
        PlotPixels h = PlotPixels.of(histChart, ChartPng.layout(histChart,
                new Rectangle2D.Double(0, 0, EntropyHistogramPlot.WIDTH, EntropyHistogramPlot.HEIGHT)));
        int checked = 0;
        for (int b = 0; b < dIn.length; b++) {
            double x = in.lo() + (in.hi() - in.lo()) * (b + 0.5) / dIn.length;
            int c = hist.getRGB((int) h.px(x), (int) h.py(dIn[b] / 3)) & 0xFFFFFF;
            if (dIn[b] > 0.3 && dOod[b] == 0) {
                assertTrue((c & 0xFF) > ((c >> 16) & 0xFF) + 20, "bin " + b + ": " + Integer.toHexString(c));
                checked++;
            } else if (dIn[b] == 0 && dOod[b] > 0.3) {
                c = hist.getRGB((int) h.px(x), (int) h.py(dOod[b] / 3)) & 0xFFFFFF;
                assertTrue(((c >> 16) & 0xFF) > (c & 0xFF) + 20, "bin " + b + ": " + Integer.toHexString(c));
                checked++;
            }
        }
        assertTrue(checked > 0, "some bin holds one set only");
        // flipped and inverted patches are far from the training data: more uncertain
        assertTrue(r.ood().entropy() > r.metrics().entropy(), r.ood().entropy() + " vs " + r.metrics().entropy());
    }

    private static long[] binned(ScoreHistogram like, float[] scores) {
        ScoreHistogram h = new ScoreHistogram(like.bins(), like.lo(), like.hi());
        for (float s : scores) {
            h.add(s);
        }
        return h.counts();
    }

    /** Equal up to a couple of examples on bin edges (float vs double scores). */
    private static void assertClose(long[] expected, long[] actual) {
        long diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += Math.abs(expected[i] - actual[i]);
        }
        assertTrue(diff <= 2, java.util.Arrays.toString(expected) + " vs " + java.util.Arrays.toString(actual));
    }

    @Test
    void dropoutRunsAreEvaluatedWithMcDropoutLikeTheInProcessPredictor() throws Exception {
        Path out = tmp.resolve("eval-dropout.json");
        EvalResult r = EvaluateJob.run(spark, new EvaluateJob.Params(dropout, test, null, out, null), QUIET);
        JsonNode json = JSON.readTree(out.toFile());
        assertEquals("mc_dropout", json.get("predictive").asText());
        assertEquals(4, json.get("mc_samples").asInt(), "K = val_num_mc_samples");

        ModelCheckpoint c = CheckpointFile.read(dropout.resolve(RunDirectory.CHECKPOINT));
        GaussianPosterior p = Posteriors.of(c);
        TrainConfig config = TrainConfig.fromJson("ckpt", (ObjectNode) c.metadata().get("config"));
        InProcessPrediction reference;
        try (ImageDataset data = ImageDataset.open(spark, test, 1, config.seed())) {
            Example[] rows = data.examples().collect().toArray(new Example[0]);
            Network net = Network.build(p.spec(), c.dataType());
            McPredictor predictor = McPredictor.mcDropout(net, p.mean(), 4, config.seed());
            BatchAssembler a = new BatchAssembler(TrainJob.normalization(config, data.manifest()), net.inputShape(), c.dataType());
            reference = InProcessPrediction.of(predictor, a, rows);
        }
        MetricsResult local = reference.metrics();
        MetricsResult d = r.metrics();
        assertEquals(local.accuracy(), d.accuracy(), 1e-12);
        assertEquals(local.nll(), d.nll(), 1e-5);
        assertEquals(local.brier(), d.brier(), 1e-5);
        assertEquals(local.ece(), d.ece(), 1e-4);
        assertEquals(reference.meanMutualInformation(), r.mutualInformation(), 1e-5);
        assertTrue(r.mutualInformation() > 0, "MC dropout passes disagree");

        EvalResult det = EvaluateJob.run(spark, new EvaluateJob.Params(dropout, test, 0, tmp.resolve("eval-det.json"), null), QUIET);
        assertEquals("mean_weights", det.predictive());
        assertEquals(0.0, det.mutualInformation());
        EvalResult three = EvaluateJob.run(spark, new EvaluateJob.Params(dropout, test, null, tmp.resolve("eval-3.json"), null,
                null, null, 3), QUIET);
        assertEquals("mc_dropout", three.predictive());
        assertEquals(3, three.mcSamples());
        assertFalse(three.metrics().equals(r.metrics()));
    }

    @Test
    void mcDropoutOnAVognRunIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvaluateJob.run(spark,
                new EvaluateJob.Params(vogn, test, null, tmp.resolve("never.json"), null, null, null, 3), QUIET));
        assertTrue(e.getMessage().contains("--mc-dropout"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("never.json")));
        EvaluateJob.Params parsed = EvaluateJob.Params.parse(new String[] {"--run", "r", "--data", "d", "--mc-dropout", "7",
                "--plots", "p"});
        assertEquals(7, parsed.mcDropout());
        assertEquals(Path.of("p"), parsed.plots());
        ParameterException zero = assertThrows(ParameterException.class,
                () -> EvaluateJob.Params.parse(new String[] {"--run", "r", "--data", "d", "--mc-dropout", "0"}));
        assertTrue(zero.getMessage().contains("--mc-dropout"), zero.getMessage());
    }
}
