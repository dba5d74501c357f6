package org.ngvi.spark.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;
import org.ngvi.data.PixelNormalization;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.prep.DatasetOutput;
import org.ngvi.cli.Cli;
import org.ngvi.cli.Converters;
import org.ngvi.cli.OverwriteOption;
import org.ngvi.cli.SparkMasterOption;
import org.ngvi.cli.SparkSessions;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.eval.Predictive;
import org.ngvi.spark.eval.PredictiveOptions;
import org.ngvi.spark.eval.TrainedRun;
import org.ngvi.spark.train.TrainJob;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scores a Parquet data set of images with a trained run: every row gets the run's MC predictive
 * p̄(y | x) = (1/K) Σ_k p_k(y | x) and its uncertainties, computed on the executors.
 * <pre>
 * spark-submit --class org.ngvi.spark.score.ScoreJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar \
 *   --run runs/vogn --data data/fmnist/test --out runs/vogn/scores-test [--mc 10 | --mc-dropout 10] \
 *   [--batch 1000] [--partitions N] [--overwrite]
 * </pre>
 * Input: any Parquet with the image columns of {@link ScoreColumns}; all its columns are kept.
 * Output: Parquet with those columns plus {@code prediction}, {@code probabilities},
 * {@code confidence}, {@code entropy}, {@code mutual_information}, and {@code _score.json} (run,
 * data, predictive, K, seed, rows). The predictive is the one {@code evaluate} uses
 * ({@link Predictive#choose}: VOGN weight samples, MC dropout for point estimates with dropout
 * layers, else the weights; K defaults to the run's {@code val_num_mc_samples}), with the same seed,
 * so a row's scores do not depend on its batch or partition and equal an in-process
 * {@code McPredictor} over the same rows.
 *
 * <p>The image shape comes from {@code --data}'s manifest when it has one, else from its first row;
 * every row must have it and it must fill the network's input. Pixels are normalised as in training
 * ({@code normalize = standardize} needs the manifest's channel statistics). The rows go through
 * {@code mapPartitions} with one predictor per task (the posterior is broadcast once); the output is
 * written to a temporary sibling of {@code --out} and renamed into place ({@link DatasetOutput}); an
 * existing {@code --out} is replaced only with {@code --overwrite}.
 */
public final class ScoreJob {
    /** The metadata file written beside the output Parquet (hidden from Spark by its underscore). */
    public static final String METADATA = "_score.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScoreJob() {
    }

    /**
     * @param run        training run folder
     * @param data       Parquet data set to score
     * @param out        output folder
     * @param mc         K, or {@code null} for the run's default
     * @param mcDropout  K of explicit MC dropout, or {@code null}
     * @param batch      rows per forward pass, or {@code null} for the run's {@code val_batch_size}
     * @param partitions repartition the input into this many tasks, or {@code null} to keep its partitioning
     * @param master     Spark master or {@code null}
     * @param overwrite  replace an existing {@code out}
     */
    public record Params(Path run, Path data, Path out, Integer mc, Integer mcDropout, Integer batch, Integer partitions,
                         String master, boolean overwrite) {
        /** Parses {@code ngvi score} arguments ({@link Command}); a usage error is a {@link CommandLine.ParameterException}. */
        static Params parse(String... args) {
            return Cli.parse(new Command(), args).params();
        }
    }

    /** {@code ngvi score}: parses into {@link Params} and scores. */
    @CommandLine.Command(name = "score", description = "any image Parquet -> the same rows plus prediction, probabilities, confidence, "
            + "entropy, mutual_information")
    public static final class Command implements Callable<Integer> {
        @Option(names = "--run", required = true, paramLabel = "RUNDIR", description = "training run folder")
        private Path run;
        @Option(names = "--data", required = true, paramLabel = "DIR",
                description = "Parquet data set to score (image columns as prepared sets)")
        private Path data;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder: Parquet plus _score.json")
        private Path out;
        @Mixin
        private PredictiveOptions predictive;
        @Option(names = "--batch", paramLabel = "N", converter = Converters.PositiveInt.class,
                description = "rows per forward pass (default: the run's val_batch_size)")
        private Integer batch;
        @Option(names = "--partitions", paramLabel = "N", converter = Converters.PositiveInt.class,
                description = "repartition the input into N tasks (default: keep its partitioning)")
        private Integer partitions;
        @Mixin
        private OverwriteOption overwrite;
        @Mixin
        private SparkMasterOption master;

        /** The parsed options as the job's params. */
        public Params params() {
            return new Params(run, data, out, predictive.mc(), predictive.mcDropout(), batch, partitions, master.master(),
                    overwrite.overwrite());
        }

        @Override
        public Integer call() throws IOException {
            Params p = params();
            SparkSessions.run("ngvi-score", p.master(), spark -> ScoreJob.run(spark, p, System.out));
            return 0;
        }
    }

    /**
     * What was written.
     *
     * @param out        the published output folder
     * @param rows       rows scored
     * @param predictive the predictive used
     */
    public record Result(Path out, long rows, Predictive predictive) {
    }

    /** spark-submit entry point: {@link Command} as {@code ngvi score}; bad input exits with code 2. */
    public static void main(String[] args) {
        Cli.main("ngvi score", new Command(), args);
    }

    public static Result run(SparkSession spark, Params p, PrintStream console) throws IOException {
        TrainedRun trained = TrainedRun.open(p.run());
        ModelCheckpoint c = trained.checkpoint();
        TrainConfig config = trained.config();
        GaussianPosterior posterior = trained.posterior();
        Predictive predictive = trained.predictive(p.mc(), p.mcDropout());
        if (!Files.isDirectory(p.data())) {
            throw new IOException(p.data() + ": no such data set directory (expected a folder of Parquet files)");
        }
        String where = p.data().toString();
        Dataset<Row> input;
        try {
            input = spark.read().parquet(where);
        } catch (Exception e) { // Spark's AnalysisException is checked but undeclared
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                throw new IllegalArgumentException(where + ": not readable as Parquet (" + e.getMessage() + ")", e);
            }
            throw e;
        }
        StructType schema = input.schema();
        ScoreColumns.checkInput(where, schema);
        DatasetManifest manifest = hasManifest(p.data()) ? DatasetManifest.read(p.data()) : null;
        int[] shape = manifest != null ? manifest.shape() : firstRowShape(input, where);
        long inputSize = 1;
        for (long d : posterior.spec().inputShape()) {
            inputSize *= d;
        }
        if ((long) shape[0] * shape[1] * shape[2] != inputSize) {
            throw new IllegalArgumentException(where + ": images of " + shape[0] + "x" + shape[1] + "x" + shape[2]
                    + " (height x width x channels) do not fit the network's input " + Arrays.toString(posterior.spec().inputShape()));
        }
        PixelNormalization normalization = normalization(config, manifest, shape, where);
        List<String> names = Arrays.asList(schema.fieldNames());
        int index = names.indexOf(ImageSchema.INDEX);
        if (index >= 0 && !schema.apply(ImageSchema.INDEX).dataType().equals(DataTypes.LongType)) {
            index = -1; // an 'index' column of another type is just copied
        }
        int[] columns = {names.indexOf(ImageSchema.IMAGE), names.indexOf(ImageSchema.HEIGHT), names.indexOf(ImageSchema.WIDTH),
                names.indexOf(ImageSchema.CHANNELS), index};
        int batch = p.batch() != null ? p.batch() : config.valBatchSize();
        if (p.partitions() != null) {
            input = input.repartition(p.partitions());
        }
        console.printf(Locale.ROOT, "scoring %s with %s (%s, %s) in %d partitions%n", where, p.run(), c.optimizer(),
                predictive.describe(), input.rdd().getNumPartitions());

        DatasetOutput output = DatasetOutput.begin(spark.sparkContext().hadoopConfiguration(), p.out().toString(), p.overwrite());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<RowScorer.Setup> bc = jsc.broadcast(new RowScorer.Setup(predictive, normalization, batch, shape, columns, where));
        boolean published = false;
        long t0 = System.nanoTime();
        try {
            StructType outSchema = ScoreColumns.output(schema, predictive.dataType() == DataType.DOUBLE);
            input.mapPartitions(new RowScorer(bc), Encoders.row(outSchema))
                    .write().mode(SaveMode.ErrorIfExists).parquet(output.temp().toString());
            long rows = spark.read().parquet(output.temp().toString()).count();
            ObjectNode meta = JSON.createObjectNode();
            meta.put("run", p.run().toString()).put("data", where).put("optimizer", c.optimizer()).put("step", c.step())
                    .put("predictive", predictive.method().json()).put("mc_samples", predictive.samples())
                    .put("seed", predictive.seed()).put("rows", rows).put("batch", batch);
            if (manifest != null) {
                meta.put("data_manifest_sha256", manifest.digest());
            }
            meta.putArray("added_columns").addAll(ScoreColumns.ADDED.stream()
                    .map(s -> JSON.getNodeFactory().textNode(s)).toList());
            try (OutputStream o = output.fileSystem().create(new org.apache.hadoop.fs.Path(output.temp(), METADATA), false)) {
                o.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta).getBytes(StandardCharsets.UTF_8));
            }
            output.publish();
            published = true;
            double s = (System.nanoTime() - t0) / 1e9;
            console.printf(Locale.ROOT, "scored %d rows in %.1f s (%.0f rows/s); wrote %s%n", rows, s, rows / s, output.out());
            return new Result(p.out(), rows, predictive);
        } finally {
            bc.destroy();
            if (!published) {
                output.abort();
            }
        }
    }

    private static boolean hasManifest(Path dir) {
        return Files.isRegularFile(dir.resolve(DatasetManifest.FILE_NAME)) || Files.isRegularFile(dir.resolve(DatasetManifest.PLAIN_FILE_NAME));
    }

    /** [height, width, channels] of the first row (a one-row Spark job). */
    private static int[] firstRowShape(Dataset<Row> input, String where) {
        List<Row> first = input.select(ImageSchema.HEIGHT, ImageSchema.WIDTH, ImageSchema.CHANNELS).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException(where + ": has no rows to score");
        }
        Row r = first.get(0);
        if (r.isNullAt(0) || r.isNullAt(1) || r.isNullAt(2)) {
            throw new IllegalArgumentException(where + ": the first row has a null height, width or channels");
        }
        return new int[] {r.getInt(0), r.getInt(1), r.getInt(2)};
    }

    /**
     * The training normalization ({@link TrainJob#normalization}) for the manifest's images, or x/255
     * for images of {@code shape} when the data has no manifest ({@code standardize} needs one).
     */
    static PixelNormalization normalization(TrainConfig config, DatasetManifest manifest, int[] shape, String where) {
        if (manifest != null) {
            return TrainJob.normalization(config, manifest);
        }
        if (config.normalize().equals("standardize")) {
            throw new IllegalArgumentException(where + ": the run normalizes with 'standardize', which needs the data's "
                    + DatasetManifest.FILE_NAME + " (channel_mean, channel_std); none found");
        }
        return PixelNormalization.unitScale(shape[0], shape[1], shape[2]);
    }
}
