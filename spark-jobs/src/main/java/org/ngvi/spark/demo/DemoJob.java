package org.ngvi.spark.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.ngvi.data.DatasetManifest;
import org.ngvi.io.AtomicFiles;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.cli.Cli;
import org.ngvi.cli.ConfigOverrideOptions;
import org.ngvi.cli.Converters;
import org.ngvi.cli.SparkMasterOption;
import org.ngvi.cli.SparkSessions;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.eval.EvalResult;
import org.ngvi.spark.eval.EvaluateJob;
import org.ngvi.spark.train.ParameterAveragingTrainer;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on the embedded default ({@code local[*]}): prepares Fashion-MNIST from the
 * Debian package {@code dataset-fashion-mnist} into Parquet (once), trains the MLP
 * 784-400-400-10 with VOGN and with Adam on the Spark trainer (the shipped configs
 * {@code configs/fmnist_mlp_vogn.json} and {@code configs/fmnist_mlp_adam.json}, averaged after
 * 10 local steps: {@link #DEMO_MODE}), evaluates both
 * on the test set and prints a side-by-side table; writes {@code OUT/comparison.json}.
 * <pre>
 * spark-submit --class org.ngvi.spark.demo.DemoJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar [--out runs/demo] [--epochs 3]
 * </pre>
 */
public final class DemoJob {
    static final Path DEBIAN_SOURCE = Path.of("/usr/share/datasets/fashion-mnist");
    /**
     * How the demo trains the shipped configs (which are the reference's synchronous algorithm):
     * natural-parameter averaging after 10 local steps, chosen by measurement ({@code bench/run
     * --modes}, README "Spark throughput"): about as fast as one process on {@code local[2]}
     * where {@code sync} pays a Spark job per step, with test metrics as good. {@code --set}
     * overrides it; a {@code --vogn-config}/{@code --adam-config} file is used as it is.
     */
    static final List<String> DEMO_MODE = List.of("aggregation=average", "local_steps=10");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoJob() {
    }

    /**
     * @param out        folder for the two runs and the comparison
     * @param data       where the prepared Parquet sets live ({@code DATA/train}, {@code DATA/test})
     * @param source     folder with the four Fashion-MNIST IDX files
     * @param epochs     overrides both configs' {@code epochs} when not {@code null}
     * @param master     Spark master or {@code null}
     * @param vognConfig VOGN config file, or {@code null} for the shipped one
     * @param adamConfig Adam config file, or {@code null} for the shipped one
     * @param overrides  {@code --set} overrides applied to both configs
     */
    public record Params(Path out, Path data, Path source, Integer epochs, String master, Path vognConfig, Path adamConfig,
                         List<String> overrides) {
        /** Parses {@code ngvi demo} arguments ({@link Command}); a usage error is a {@link CommandLine.ParameterException}. */
        static Params parse(String... args) {
            return Cli.parse(new Command(), args).params();
        }
    }

    /** spark-submit entry point: {@link Command} as {@code ngvi demo}; bad input exits with code 2. */
    public static void main(String[] args) {
        Cli.main("ngvi demo", new Command(), args);
    }

    /** {@code ngvi demo}: parses into {@link Params} and runs the demo. */
    @CommandLine.Command(name = "demo", description = "the main job: Fashion-MNIST -> Parquet -> VOGN and Adam on Spark -> test metrics "
            + "side by side")
    public static final class Command implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/demo", description = "folder for the two runs and comparison.json")
        private Path out;
        @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/fashion-mnist",
                description = "where the prepared sets live (DIR/train, DIR/test; prepared once)")
        private Path data;
        @Option(names = "--source", paramLabel = "DIR", defaultValue = "/usr/share/datasets/fashion-mnist",
                description = "folder with the four Fashion-MNIST IDX files (Debian's dataset-fashion-mnist)")
        private Path source;
        @Option(names = "--epochs", paramLabel = "N", converter = Converters.PositiveInt.class,
                description = "epochs of both runs (default: the configs')")
        private Integer epochs;
        @Mixin
        private SparkMasterOption master;
        @Option(names = "--vogn-config", paramLabel = "FILE",
                description = "VOGN config (default: the shipped configs/fmnist_mlp_vogn.json)")
        private Path vognConfig;
        @Option(names = "--adam-config", paramLabel = "FILE",
                description = "Adam config (default: the shipped configs/fmnist_mlp_adam.json)")
        private Path adamConfig;
        @Mixin
        private ConfigOverrideOptions overrides;

        /** The parsed options as the job's params. */
        public Params params() {
            return new Params(out, data, source, epochs, master.master(), vognConfig, adamConfig, overrides.overrides());
        }

        @Override
        public Integer call() throws IOException {
            Params p = params();
            SparkSessions.run("ngvi-demo", p.master(), spark -> DemoJob.run(spark, p, System.out));
            return 0;
        }
    }

    /** One row of the comparison. */
    record Row(String name, EvalResult test, double trainSeconds, double examplesPerSecond) {
    }

    public static ObjectNode run(SparkSession spark, Params p, PrintStream console) throws IOException {
        Path train = prepare(spark, p, "train");
        Path test = prepare(spark, p, "t10k");
        List<Row> rows = new ArrayList<>();
        for (String name : List.of("vogn", "adam")) {
            TrainConfig config = config(name, name.equals("vogn") ? p.vognConfig() : p.adamConfig(), p);
            console.println("== " + name + " ==");
            RunDirectory run = RunDirectory.create(p.out().resolve(name), true);
            ParameterAveragingTrainer.Outcome o = TrainJob.run(spark, config, train, null, run, console);
            EvalResult r = EvaluateJob.run(spark, new EvaluateJob.Params(run.dir(), test, null, null, null), console);
            rows.add(new Row(name, r, o.seconds(), o.examplesPerSecond()));
        }
        ObjectNode comparison = JSON.createObjectNode();
        ArrayNode arr = comparison.putArray("runs");
        console.println();
        console.println("Fashion-MNIST test set, MLP 784-400-400-10, Spark " + spark.sparkContext().master());
        console.printf(Locale.ROOT, "%-6s %9s %8s %8s %8s %8s %4s %9s %10s%n", "", "accuracy", "NLL", "ECE", "Brier",
                "entropy", "K", "train s", "examples/s");
        for (Row row : rows) {
            var m = row.test().metrics();
            console.printf(Locale.ROOT, "%-6s %9.4f %8.4f %8.4f %8.4f %8.4f %4d %9.1f %10.0f%n", row.name(), m.accuracy(),
                    m.nll(), m.ece(), m.brier(), m.entropy(), row.test().mcSamples(), row.trainSeconds(), row.examplesPerSecond());
            ObjectNode n = row.test().toJson();
            n.put("optimizer", row.name()).put("train_seconds", row.trainSeconds()).put("examples_per_s", row.examplesPerSecond());
            arr.add(n);
        }
        AtomicFiles.write(p.out().resolve("comparison.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(comparison));
        console.println("wrote " + p.out().resolve("comparison.json"));
        return comparison;
    }

    private static TrainConfig config(String name, Path file, Params p) throws IOException {
        List<String> overrides = new ArrayList<>();
        if (file == null) {
            overrides.addAll(DEMO_MODE);
        }
        overrides.addAll(p.overrides());
        if (p.epochs() != null) {
            overrides.add("epochs=" + p.epochs());
        }
        if (file != null) {
            return TrainConfig.load(file, overrides);
        }
        String resource = "/configs/fmnist_mlp_" + name + ".json";
        try (InputStream in = DemoJob.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("shipped config " + resource + " is missing from the jar");
            }
            return TrainConfig.parse("configs/fmnist_mlp_" + name + ".json", in.readAllBytes(), overrides);
        }
    }

    /** Prepares {@code DATA/train} or {@code DATA/test} unless a complete one is there already. */
    private static Path prepare(SparkSession spark, Params p, String prefix) throws IOException {
        Path out = p.data().resolve(prefix.equals("t10k") ? "test" : "train");
        if (Files.isRegularFile(out.resolve(DatasetManifest.FILE_NAME))) {
            return out;
        }
        Path images = p.source().resolve(prefix + "-images-idx3-ubyte.gz");
        Path labels = p.source().resolve(prefix + "-labels-idx1-ubyte.gz");
        if (!Files.isRegularFile(images) || !Files.isRegularFile(labels)) {
            throw new IOException("Fashion-MNIST not found: " + images + " and " + labels
                    + " are needed; install them with 'apt-get install dataset-fashion-mnist' or pass --source DIR");
        }
        Files.createDirectories(p.data());
        PrepareIdxJob.run(spark, new PrepareIdxParams(images.toString(), labels.toString(), out.toString(), false, 0).validate());
        return out;
    }
}
