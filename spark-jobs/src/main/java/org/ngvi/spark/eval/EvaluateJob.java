package org.ngvi.spark.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.cli.Flags;
import org.ngvi.spark.cli.SparkSessions;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;

/**
 * Evaluates a trained run on a prepared data set with distributed MC prediction.
 * <pre>
 * spark-submit --class org.ngvi.spark.eval.EvaluateJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar \
 *   --run runs/vogn --data data/fmnist/test [--mc 10] [--out runs/vogn/eval-test.json]
 * </pre>
 * Writes JSON with {@code accuracy}, {@code nll}, {@code ece}, {@code brier}, {@code entropy},
 * {@code examples} (and {@code mc_samples}). K defaults to the run's {@code val_num_mc_samples}
 * (0 for point estimates).
 */
public final class EvaluateJob {
    static final String USAGE = "ngvi evaluate --run RUNDIR --data DIR [--mc K] [--out FILE] [--master URL]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluateJob() {
    }

    /**
     * @param run    training run folder
     * @param data   prepared data set
     * @param mc     MC samples, or {@code null} for the run's default
     * @param out    result JSON, or {@code null} for {@code RUNDIR/eval-<data folder name>.json}
     * @param master Spark master or {@code null}
     */
    public record Params(Path run, Path data, Integer mc, Path out, String master) {
        static Params parse(String[] args) {
            Flags f = Flags.parse(args, USAGE, Set.of("run", "data", "mc", "out", "master"), Set.of());
            Integer mc = f.has("mc") ? f.integer("mc", 0, 0) : null;
            return new Params(f.path("run"), f.path("data"), mc, f.optionalPath("out"), f.get("master", null));
        }
    }

    public static void main(String[] args) throws IOException {
        Params p = Params.parse(args);
        SparkSession spark = SparkSessions.create("ngvi-evaluate", p.master());
        try {
            run(spark, p, System.out);
        } finally {
            spark.stop();
        }
    }

    public static EvalResult run(SparkSession spark, Params p, PrintStream console) throws IOException {
        RunDirectory run = RunDirectory.open(p.run());
        ModelCheckpoint c = CheckpointFile.read(run.checkpoint());
        JsonNode configJson = c.metadata().get("config");
        if (configJson == null || !configJson.isObject()) {
            throw new IOException(run.checkpoint() + ": metadata lacks the training 'config' (not written by ngvi train?)");
        }
        TrainConfig config = TrainConfig.fromJson(run.checkpoint() + " (config)", (ObjectNode) configJson);
        GaussianPosterior posterior = Posteriors.of(c);
        int mc = p.mc() != null ? p.mc() : posterior.isPointEstimate() ? 0 : config.optim().valNumMcSamples();
        int partitions = spark.sparkContext().defaultParallelism();
        try (ImageDataset data = ImageDataset.open(spark, p.data(), partitions, config.seed())) {
            EvalResult r = Evaluation.evaluate(spark, data, posterior, c.dataType(),
                    TrainJob.normalization(config, data.manifest()), mc, config.valBatchSize(), config.seed());
            ObjectNode json = r.toJson();
            json.put("run", p.run().toString()).put("data", p.data().toString()).put("optimizer", c.optimizer())
                    .put("step", c.step()).put("data_manifest_sha256", data.manifest().digest());
            Path out = p.out() != null ? p.out() : p.run().resolve("eval-" + p.data().getFileName() + ".json");
            RunDirectory.writeAtomically(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
            console.println(c.optimizer() + " on " + p.data() + ": " + r.summary());
            console.println("wrote " + out);
            return r;
        }
    }
}
