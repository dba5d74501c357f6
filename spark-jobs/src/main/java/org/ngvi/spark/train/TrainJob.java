package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.PixelNormalization;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.nn.arch.Architectures;
import org.ngvi.cli.Cli;
import org.ngvi.cli.ConfigOverrideOptions;
import org.ngvi.cli.OverwriteOption;
import org.ngvi.cli.SparkMasterOption;
import org.ngvi.cli.SparkSessions;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.ImageDataset;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a network with VOGN (or Adam) on Spark from a JSON config.
 * <pre>
 * spark-submit --class org.ngvi.spark.train.TrainJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar \
 *   --config configs/fmnist_mlp_vogn.json --train data/fmnist/train --val data/fmnist/test \
 *   --out runs/vogn [--set optim_args.lr=0.01 --set epochs=3] [--overwrite]
 * spark-submit ... --resume runs/vogn     # after a crash: continue from the last checkpoint
 * </pre>
 * Writes RUNDIR/checkpoint.ngvi (per {@link CheckpointPolicy}), metrics.jsonl, provenance.json and summary.json.
 * {@code --resume RUNDIR} continues that run ({@link Resumption}: its own config and data; a
 * {@code --set} that changes the config, or other data, is an error naming what differs) and ends
 * as the uninterrupted run would have; on a finished run it prints
 * "run RUNDIR already finished at round R of R" and exits 0.
 */
public final class TrainJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainJob() {
    }

    /**
     * Parsed command line.
     *
     * @param config    the JSON config file
     * @param train     prepared training set
     * @param val       prepared validation set, or {@code null}
     * @param out       run folder
     * @param master    Spark master, or {@code null} (spark-submit's, else local[*])
     * @param overrides {@code key=value} config overrides
     * @param overwrite replace an earlier run in {@code out}
     * @param resume    a run folder to continue ({@code config}, {@code train}, {@code out} then optional), or {@code null}
     */
    public record Params(Path config, Path train, Path val, Path out, String master, List<String> overrides, boolean overwrite,
                         Path resume) {
        public Params {
            overrides = List.copyOf(overrides);
        }

        /** Parses {@code ngvi train} arguments ({@link Command}); a usage error is a {@link CommandLine.ParameterException}. */
        static Params parse(String... args) {
            return Cli.parse(new Command(), args).params();
        }
    }

    /** spark-submit entry point: {@link Command} as {@code ngvi train}; bad input exits with code 2. */
    public static void main(String[] args) {
        Cli.main("ngvi train", new Command(), args);
    }

    /** {@code ngvi train}: parses into {@link Params}, loads the config, trains (or resumes). */
    @CommandLine.Command(name = "train", description = "trains with VOGN or Adam on Spark; writes RUNDIR/checkpoint.ngvi, "
            + "metrics.jsonl, provenance.json and summary.json; --resume RUNDIR continues a killed run from its last checkpoint")
    public static final class Command implements Callable<Integer> {
        @Spec
        private CommandSpec spec;
        @Option(names = "--config", paramLabel = "FILE", description = "JSON config (configs/README.md lists every key); "
                + "required unless --resume")
        private Path config;
        @Option(names = "--train", paramLabel = "DIR", description = "prepared training set (the --out of ngvi prepare); "
                + "required unless --resume (then the run's own)")
        private Path train;
        @Option(names = "--val", paramLabel = "DIR", description = "prepared validation set, evaluated after every epoch")
        private Path val;
        @Option(names = "--out", paramLabel = "RUNDIR", description = "run folder; required unless --resume")
        private Path out;
        @Option(names = "--resume", paramLabel = "RUNDIR", description = "continue this run from its last checkpoint "
                + "(its config and data; --set may not change the config)")
        private Path resume;
        @Mixin
        private SparkMasterOption master;
        @Mixin
        private ConfigOverrideOptions overrides;
        @Mixin
        private OverwriteOption overwrite;

        /** The parsed options as the job's params; which options go together is a usage error naming them. */
        public Params params() {
            if (resume != null) {
                if (out != null || overwrite.overwrite()) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--resume RUNDIR continues RUNDIR: it takes no --out or --overwrite");
                }
                return new Params(config, train, val, null, master.master(), overrides.overrides(), false, resume);
            }
            List<String> missing = new java.util.ArrayList<>();
            if (config == null) {
                missing.add("'--config=FILE'");
            }
            if (train == null) {
                missing.add("'--train=DIR'");
            }
            if (out == null) {
                missing.add("'--out=RUNDIR'");
            }
            if (!missing.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option"
                        + (missing.size() == 1 ? ": " : "s: ") + String.join(", ", missing) + " (or --resume RUNDIR)");
            }
            return new Params(config, train, val, out, master.master(), overrides.overrides(), overwrite.overwrite(), null);
        }

        @Override
        public Integer call() throws IOException {
            Params p = params();
            if (p.resume() != null) {
                Resumption r = Resumption.load(p.resume(), p.config(), p.overrides(), p.train(), p.val());
                if (r.at().finished()) {
                    System.out.println(r.finishedMessage());
                    return 0;
                }
                SparkSessions.run("ngvi-train", p.master(), spark -> resume(spark, r, System.out));
                return 0;
            }
            TrainConfig config = TrainConfig.load(p.config(), p.overrides());
            SparkSessions.run("ngvi-train", p.master(),
                    spark -> run(spark, config, p.train(), p.val(), RunDirectory.create(p.out(), p.overwrite()), System.out));
            return 0;
        }
    }

    /**
     * The network a config builds for data of the given manifest: the MLP on the flattened image,
     * or the {@link Architectures} model on {@code [C, H, W]} (the manifest's shape is [H, W, C]),
     * both with the manifest's number of classes.
     */
    public static NetworkSpec network(TrainConfig config, DatasetManifest manifest) {
        if (config.model().equals("mlp")) {
            return Mlp.spec(manifest.exampleSize(), config.hidden(), manifest.numClasses(), config.activation(), config.dropout());
        }
        long[] chw = {manifest.channels(), manifest.height(), manifest.width()};
        return Architectures.spec(config.model(), config.modelArgs(), chw, manifest.numClasses());
    }

    public static PixelNormalization normalization(TrainConfig config, DatasetManifest manifest) {
        return config.normalize().equals("standardize") ? PixelNormalization.standardize(manifest)
                : PixelNormalization.unitScale(manifest);
    }

    /** Trains and writes the run folder; returns the outcome. */
    public static ParameterAveragingTrainer.Outcome run(SparkSession spark, TrainConfig config, Path trainDir, Path valDir,
                                                        RunDirectory run, PrintStream console) throws IOException {
        return run(spark, config, trainDir, valDir, run, null, console);
    }

    /** Continues a run ({@link Resumption#load}, not finished) in its folder; returns the outcome of the rounds it ran. */
    public static ParameterAveragingTrainer.Outcome resume(SparkSession spark, Resumption r, PrintStream console)
            throws IOException {
        return run(spark, r.config(), r.train(), r.val(), r.run(), r, console);
    }

    private static ParameterAveragingTrainer.Outcome run(SparkSession spark, TrainConfig config, Path trainDir, Path valDir,
                                                         RunDirectory run, Resumption resumption, PrintStream console)
            throws IOException {
        int partitions = config.partitions() == null && resumption != null ? resumption.at().partitions()
                : partitions(spark, config);
        try (ImageDataset train = ImageDataset.open(spark, trainDir, partitions, config.seed());
             ImageDataset val = valDir == null ? null : ImageDataset.open(spark, valDir, partitions, config.seed())) {
            if (val != null && !java.util.Arrays.equals(val.manifest().shape(), train.manifest().shape())) {
                throw new IllegalArgumentException(valDir + ": image shape " + java.util.Arrays.toString(val.manifest().shape())
                        + " differs from the training set's " + java.util.Arrays.toString(train.manifest().shape()));
            }
            return train(spark, config, train, val, trainDir, valDir, run, resumption, console);
        }
    }

    /** Training tasks of a run: the config's {@code partitions}, else the session's default parallelism. */
    public static int partitions(SparkSession spark, TrainConfig config) {
        return config.partitions() != null ? config.partitions() : spark.sparkContext().defaultParallelism();
    }

    /**
     * Trains on opened data sets (in {@link #partitions} partitions, seeded by the config's seed) and
     * writes the run folder; returns the outcome. {@code val} may be {@code null}.
     */
    public static ParameterAveragingTrainer.Outcome run(SparkSession spark, TrainConfig config, ImageDataset train, ImageDataset val,
                                                        RunDirectory run, PrintStream console) throws IOException {
        return train(spark, config, train, val, null, null, run, null, console);
    }

    /**
     * Trains (or, with {@code resumption}, continues) on opened data sets; {@code trainDir}/{@code valDir},
     * when known, are recorded in the provenance for {@code --resume}.
     */
    private static ParameterAveragingTrainer.Outcome train(SparkSession spark, TrainConfig config, ImageDataset train, ImageDataset val,
                                                           Path trainDir, Path valDir, RunDirectory run, Resumption resumption,
                                                           PrintStream console) throws IOException {
        int partitions = train.partitionCounts().length;
        DatasetManifest m = train.manifest();
        long n = config.datasetSize() != null ? config.datasetSize() : m.rows();
        BatchPlan plan = new BatchPlan(config.seed(), train.partitionCounts(), config.batchSize(), config.localSteps());
        NetworkSpec spec = network(config, m);
        RunSetup setup = new RunSetup(spec, config.dtype(), normalization(config, m), plan,
                config.optim().params(n, spec, plan.stepsPerEpoch()), config.sync(), config.seed(), config.augmentation());
        ObjectNode provenance;
        if (resumption == null) {
            provenance = Provenance.of(spark, config.json(), config.seed(), m, val == null ? null : val.manifest());
            provenance.set("augmentation", setup.augmentation().toJson());
            if (trainDir != null) {
                provenance.with("data").put("train_dir", trainDir.toAbsolutePath().toString());
            }
            if (valDir != null) {
                provenance.with("data").put("val_dir", valDir.toAbsolutePath().toString());
            }
        } else {
            provenance = resumption.provenance();
        }
        run.writeJson(RunDirectory.PROVENANCE, provenance);
        console.printf("training %s with %s on %s: %d examples in %d partitions, batch %d, K=%d (%s), %d rounds/epoch%n",
                setup.spec().layers().size() + "-layer " + config.model(), setup.optimizer().optimizerName(), spark.sparkContext().master(),
                m.rows(), partitions, config.batchSize(), config.localSteps(), config.aggregation(), plan.roundsPerEpoch());
        if (!config.optim().schedule().isConstant()) {
            console.println("learning-rate schedule: " + config.optim().schedule().describe());
        }
        if (!setup.augmentation().isNone()) {
            console.println("augmenting training examples: " + setup.augmentation());
        }
        CheckpointPolicy checkpoints = CheckpointPolicy.of(config);
        console.println("checkpoints: " + checkpoints.describe());
        ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(spark, setup, config.epochs(),
                config.optim().valNumMcSamples(), config.valBatchSize(), console, checkpoints,
                new NonFinitePolicy(config.maxBadRounds()));
        ParameterAveragingTrainer.Outcome out;
        if (resumption == null) {
            out = trainer.train(train, val, run, provenance);
        } else {
            console.printf("resuming %s after round %d of %d%n", run.dir(), resumption.at().roundsDone(),
                    resumption.at().totalRounds());
            run.restoreMetrics(resumption.at());
            out = trainer.resume(resumption.checkpoint(), resumption.at(), train, val, run, provenance);
        }
        ObjectNode summary = JSON.createObjectNode();
        summary.put("optimizer", setup.optimizer().optimizerName()).put("epochs", config.epochs()).put("steps", out.state().step())
                .put("seconds", out.seconds()).put("examples_per_s", out.examplesPerSecond());
        if (resumption != null) {
            summary.put("resumed_at_round", resumption.at().roundsDone()); // seconds and examples/s: this session's
        }
        summary.set("per_round", out.profile().json());
        if (out.validation() != null) {
            summary.set("validation", out.validation().toJson());
        }
        run.writeJson(RunDirectory.SUMMARY, summary);
        console.printf("done in %.1f s (%.0f examples/s); run folder %s%n", out.seconds(), out.examplesPerSecond(), run.dir());
        return out;
    }
}
