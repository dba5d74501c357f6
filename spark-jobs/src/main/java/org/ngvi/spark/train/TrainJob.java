package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.PixelNormalization;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.nn.arch.Architectures;
import org.ngvi.prep.cli.Flags;
import org.ngvi.prep.cli.SparkSessions;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.ImageDataset;

/**
 * Trains a network with VOGN (or Adam) on Spark from a JSON config.
 * <pre>
 * spark-submit --class org.ngvi.spark.train.TrainJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar \
 *   --config configs/fmnist_mlp_vogn.json --train data/fmnist/train --val data/fmnist/test \
 *   --out runs/vogn [--set optim_args.lr=0.01 --set epochs=3] [--overwrite]
 * spark-submit ... --resume runs/vogn     # after a crash: continue from the last checkpoint
 * </pre>
 * Writes RUNDIR/checkpoint.ngvi (every round), metrics.jsonl, provenance.json and summary.json.
 * {@code --resume RUNDIR} continues that run ({@link Resumption}: its own config and data; a
 * {@code --set} that changes the config, or other data, is an error naming what differs) and ends
 * as the uninterrupted run would have; on a finished run it prints
 * "run RUNDIR already finished at round R of R" and exits 0.
 */
public final class TrainJob {
    static final String USAGE = "usage: ngvi train --config F --train DIR [--val DIR] --out RUNDIR [--master URL] "
            + "[--set key=value]... [--overwrite]  |  ngvi train --resume RUNDIR [--train DIR] [--val DIR] [--master URL] "
            + "[--set key=value]...";
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

        static Params parse(String[] args) {
            Flags f = Flags.parse(args, USAGE, Set.of("config", "train", "val", "out", "master", "set", "resume"), Set.of("overwrite"));
            if (f.has("resume")) {
                if (f.has("out") || f.flag("overwrite")) {
                    throw f.error("--resume RUNDIR continues RUNDIR: it takes no --out or --overwrite");
                }
                return new Params(f.optionalPath("config"), f.optionalPath("train"), f.optionalPath("val"), null,
                        f.get("master", null), f.all("set"), false, f.path("resume"));
            }
            return new Params(f.path("config"), f.path("train"), f.optionalPath("val"), f.path("out"),
                    f.get("master", null), f.all("set"), f.flag("overwrite"), null);
        }
    }

    public static void main(String[] args) throws IOException {
        Params p = Params.parse(args);
        if (p.resume() != null) {
            Resumption r = Resumption.load(p.resume(), p.config(), p.overrides(), p.train(), p.val());
            if (r.at().finished()) {
                System.out.println(r.finishedMessage());
                return;
            }
            SparkSessions.run("ngvi-train", p.master(), spark -> resume(spark, r, System.out));
            return;
        }
        TrainConfig config = TrainConfig.load(p.config(), p.overrides());
        SparkSessions.run("ngvi-train", p.master(),
                spark -> run(spark, config, p.train(), p.val(), RunDirectory.create(p.out(), p.overwrite()), System.out));
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
        int partitions = config.partitions() != null ? config.partitions()
                : resumption != null ? resumption.at().partitions() : spark.sparkContext().defaultParallelism();
        try (ImageDataset train = ImageDataset.open(spark, trainDir, partitions, config.seed());
             ImageDataset val = valDir == null ? null : ImageDataset.open(spark, valDir, partitions, config.seed())) {
            DatasetManifest m = train.manifest();
            if (val != null && !java.util.Arrays.equals(val.manifest().shape(), m.shape())) {
                throw new IllegalArgumentException(valDir + ": image shape " + java.util.Arrays.toString(val.manifest().shape())
                        + " differs from the training set's " + java.util.Arrays.toString(m.shape()));
            }
            long n = config.datasetSize() != null ? config.datasetSize() : m.rows();
            BatchPlan plan = new BatchPlan(config.seed(), train.partitionCounts(), config.batchSize(), config.localSteps());
            NetworkSpec spec = network(config, m);
            RunSetup setup = new RunSetup(spec, config.dtype(), normalization(config, m), plan,
                    config.optim().params(n, spec, plan.stepsPerEpoch()), config.sync(), config.seed(), config.augmentation());
            ObjectNode provenance;
            if (resumption == null) {
                provenance = Provenance.of(spark, config.json(), config.seed(), m, val == null ? null : val.manifest());
                provenance.set("augmentation", setup.augmentation().toJson());
                provenance.with("data").put("train_dir", trainDir.toAbsolutePath().toString());
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
            ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(spark, setup, config.epochs(),
                    config.optim().valNumMcSamples(), config.valBatchSize(), console, new NonFinitePolicy(config.maxBadRounds()));
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
            if (out.validation() != null) {
                summary.set("validation", out.validation().toJson());
            }
            run.writeJson(RunDirectory.SUMMARY, summary);
            console.printf("done in %.1f s (%.0f examples/s); run folder %s%n", out.seconds(), out.examplesPerSecond(), run.dir());
            return out;
        }
    }
}
