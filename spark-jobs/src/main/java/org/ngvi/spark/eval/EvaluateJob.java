package org.ngvi.spark.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.PixelNormalization;
import org.ngvi.io.AtomicFiles;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.cli.Cli;
import org.ngvi.cli.SparkMasterOption;
import org.ngvi.cli.SparkSessions;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.plot.ChartPng;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Evaluates a trained run on a prepared data set with distributed MC prediction.
 * <pre>
 * spark-submit --class org.ngvi.spark.eval.EvaluateJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar \
 *   --run runs/vogn --data data/fmnist/test [--mc 10 | --mc-dropout 10] [--out runs/vogn/eval-test.json]
 *   [--ood data/mnist/test] [--plots runs/vogn/plots]
 * </pre>
 * Writes JSON with {@code accuracy}, {@code nll}, {@code ece}, {@code brier}, {@code entropy},
 * {@code mutual_information}, {@code examples}, {@code mc_samples} and {@code predictive} (how the K
 * samples are drawn, {@link Predictive#choose}): a VOGN run samples K weights (K defaults to the
 * run's {@code val_num_mc_samples}); a point-estimate run (Adam) whose network has dropout layers
 * is evaluated with MC dropout (K passes with dropout kept on, same default K; {@code --mc 0}: the
 * deterministic network), and {@code --mc-dropout K} asks for that explicitly; other point
 * estimates use their weights (K = 0).
 *
 * <p>With {@code --plots DIR}, two PNGs are written atomically into DIR and their paths recorded
 * under {@code plots} in the JSON: {@code reliability-<data>.png} ({@link ReliabilityDiagram}: per-bin
 * accuracy and mean confidence, counts per bin, ECE in the title) and {@code entropy-<data>.png}
 * ({@link EntropyHistogramPlot}: density of the predictive entropy, with the OOD set's overlaid
 * when {@code --ood} is given). The entropy histograms are binned on the executors and merged
 * (40 counts per set reach the driver).
 *
 * <p>With {@code --ood DIR} the data set at DIR (same image shape as {@code --data}; its labels are
 * not read) is predicted with the same posterior, K, noise seed and pixel normalization (the
 * in-distribution set's), and {@code ood} is added: {@code data}, {@code examples},
 * {@code auroc_entropy}, {@code fpr95_entropy}, {@code auroc_mutual_information},
 * {@code fpr95_mutual_information}, and the OOD set's mean {@code entropy} and
 * {@code mutual_information} ({@link OodResult}). The in-distribution pass is the same single
 * pass, keeping per-example scores. Memory: the per-example scores of both sets come to the driver
 * as float arrays, 4 bytes per example per score (entropy and mutual information: 8 bytes per
 * example, 8 MB per million examples per set, within Spark's default
 * {@code spark.driver.maxResultSize} of 1 GB up to ~100 million examples), plus a transient
 * 8-byte-per-example sorted copy of one score while its AUROC/FPR are computed.
 */
public final class EvaluateJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluateJob() {
    }

    /**
     * @param run    training run folder
     * @param data   prepared data set
     * @param mc     MC samples, or {@code null} for the run's default
     * @param out    result JSON, or {@code null} for {@code RUNDIR/eval-<data folder name>.json}
     * @param master Spark master or {@code null}
     * @param ood    out-of-distribution data set, or {@code null}
     * @param plots  folder for the reliability diagram and entropy histogram PNGs, or {@code null} for none
     * @param mcDropout K of an explicit MC-dropout evaluation, or {@code null} ({@link Predictive#choose})
     */
    public record Params(Path run, Path data, Integer mc, Path out, String master, Path ood, Path plots, Integer mcDropout) {
        /** Without an out-of-distribution set. */
        public Params(Path run, Path data, Integer mc, Path out, String master) {
            this(run, data, mc, out, master, null);
        }

        /** Without plots, with the default predictive. */
        public Params(Path run, Path data, Integer mc, Path out, String master, Path ood) {
            this(run, data, mc, out, master, ood, null, null);
        }

        /** Parses {@code ngvi evaluate} arguments ({@link Command}); a usage error is a {@link CommandLine.ParameterException}. */
        static Params parse(String... args) {
            return Cli.parse(new Command(), args).params();
        }
    }

    /** spark-submit entry point: {@link Command} as {@code ngvi evaluate}; bad input exits with code 2. */
    public static void main(String[] args) {
        Cli.main("ngvi evaluate", new Command(), args);
    }

    /** {@code ngvi evaluate}: parses into {@link Params} and evaluates. */
    @CommandLine.Command(name = "evaluate", description = "distributed MC prediction of a run on a prepared set: accuracy, NLL, ECE, "
            + "Brier, entropy, mutual information; OOD detection with --ood; reliability and entropy plots with --plots")
    public static final class Command implements Callable<Integer> {
        @Option(names = "--run", required = true, paramLabel = "RUNDIR", description = "training run folder")
        private Path run;
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "prepared data set")
        private Path data;
        @Mixin
        private PredictiveOptions predictive;
        @Option(names = "--out", paramLabel = "FILE", description = "result JSON (default: RUNDIR/eval-<data folder name>.json)")
        private Path out;
        @Option(names = "--ood", paramLabel = "DIR",
                description = "out-of-distribution set of the same image shape: AUROC and FPR at 95%% TPR")
        private Path ood;
        @Option(names = "--plots", paramLabel = "DIR", description = "folder for reliability-<data>.png and entropy-<data>.png")
        private Path plots;
        @Mixin
        private SparkMasterOption master;

        /** The parsed options as the job's params. */
        public Params params() {
            return new Params(run, data, predictive.mc(), out, master.master(), ood, plots, predictive.mcDropout());
        }

        @Override
        public Integer call() throws IOException {
            Params p = params();
            SparkSessions.run("ngvi-evaluate", p.master(), spark -> EvaluateJob.run(spark, p, System.out));
            return 0;
        }
    }

    public static EvalResult run(SparkSession spark, Params p, PrintStream console) throws IOException {
        int partitions = spark.sparkContext().defaultParallelism();
        TrainedRun trained = TrainedRun.open(p.run());
        ModelCheckpoint c = trained.checkpoint();
        TrainConfig config = trained.config();
        Predictive predictive = trained.predictive(p.mc(), p.mcDropout());
        try (ImageDataset data = ImageDataset.open(spark, p.data(), partitions, config.seed())) {
            PixelNormalization normalization = TrainJob.normalization(config, data.manifest());
            EvalResult r;
            if (p.ood() == null) {
                r = Evaluation.evaluate(spark, data, predictive, normalization, config.valBatchSize());
            } else {
                checkSameShape(p.data(), data.manifest(), p.ood());
                PredictionSummary in = Evaluation.predict(spark, data, predictive, normalization, config.valBatchSize(), true, true);
                PredictionSummary ood;
                try (ImageDataset oodData = ImageDataset.open(spark, p.ood(), partitions, config.seed())) {
                    ood = Evaluation.predict(spark, oodData, predictive, normalization, config.valBatchSize(), false, true);
                }
                r = Evaluation.result(in, predictive).withOod(OodResult.of(p.ood().toString(), in.scores(), ood.scores(),
                        ood.uncertainty(), ood.entropyHistogram()));
            }
            ObjectNode json = r.toJson();
            json.put("run", p.run().toString()).put("data", p.data().toString()).put("optimizer", c.optimizer())
                    .put("step", c.step()).put("data_manifest_sha256", data.manifest().digest());
            if (p.plots() != null) {
                json.set("plots", writePlots(p, c.optimizer(), predictive, r));
            }
            Path out = p.out() != null ? p.out() : p.run().resolve("eval-" + p.data().getFileName() + ".json");
            AtomicFiles.write(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
            console.println(c.optimizer() + " on " + p.data() + ": " + r.summary());
            console.println("wrote " + out);
            if (p.plots() != null) {
                console.println("wrote " + json.at("/plots/reliability").asText() + " and "
                        + json.at("/plots/entropy_histogram").asText());
            }
            return r;
        }
    }

    /**
     * Writes {@code reliability-<data>.png} and {@code entropy-<data>.png} into {@code p.plots()}
     * (atomically, through temporary files); returns {@code {"reliability": path, "entropy_histogram": path}}.
     */
    static ObjectNode writePlots(Params p, String optimizer, Predictive predictive, EvalResult r) throws IOException {
        String name = p.data().getFileName().toString();
        String method = predictive.describe();
        Path reliability = p.plots().resolve("reliability-" + name + ".png");
        ChartPng.write(ReliabilityDiagram.chart(r.histogram(), optimizer + " on " + label(p.data()) + ", " + method),
                ReliabilityDiagram.WIDTH, ReliabilityDiagram.HEIGHT, reliability);
        Path entropy = p.plots().resolve("entropy-" + name + ".png");
        String oodName = r.ood() == null ? null : "OOD: " + label(p.ood());
        ChartPng.write(EntropyHistogramPlot.chart(r.entropyHistogram(), "in-distribution: " + label(p.data()),
                r.ood() == null ? null : r.ood().entropyHistogram(), oodName,
                "Predictive entropy, " + optimizer + " (" + method + ")"),
                EntropyHistogramPlot.WIDTH, EntropyHistogramPlot.HEIGHT, entropy);
        ObjectNode n = JSON.createObjectNode();
        n.put("reliability", reliability.toString()).put("entropy_histogram", entropy.toString());
        return n;
    }

    /** A data set's folder with its parent ({@code fashion-mnist/test}), for plot labels. */
    static String label(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        return parent == null || parent.getFileName() == null ? abs.getFileName().toString()
                : parent.getFileName() + "/" + abs.getFileName();
    }

    /** The OOD set must hold images of the in-distribution set's shape (the network's input). */
    private static void checkSameShape(Path dataDir, DatasetManifest data, Path oodDir) throws IOException {
        if (!Files.isDirectory(oodDir)) {
            throw new IOException(oodDir + ": no such data set directory (--ood expects the --out of 'ngvi prepare')");
        }
        DatasetManifest ood = DatasetManifest.read(oodDir);
        if (!Arrays.equals(ood.shape(), data.shape())) {
            throw new IllegalArgumentException("--ood " + oodDir + ": image shape " + Arrays.toString(ood.shape())
                    + " differs from --data " + dataDir + "'s " + Arrays.toString(data.shape()) + " [height, width, channels]");
        }
    }
}
