package org.ngvi.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.eval.EvalResult;
import org.ngvi.spark.eval.EvaluateJob;
import org.ngvi.spark.train.ParameterAveragingTrainer;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;

/**
 * {@code bench/run --modes [--local-steps K] [--set key=value]...}: the shipped VOGN MLP config
 * trained on the session's master (2 partitions) with {@code aggregation} sync and average with K
 * local steps, each evaluated on the Fashion-MNIST test set with the config's MC samples: the
 * measurement behind the demo's choice of mode (throughput and posterior quality side by side).
 * Runs go to {@code runs/bench-modes/}.
 */
final class ModeComparison {
    private ModeComparison() {
    }

    static String run(SparkSession spark, Path source, int k, List<String> sets) throws Exception {
        Path train = prepared(spark, source, "train");
        Path test = prepared(spark, source, "t10k");
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "VOGN MLP (configs/fmnist_mlp_vogn.json %s), Spark %s, 2 partitions: training throughput and test metrics%n",
                sets, spark.sparkContext().master()));
        out.append(String.format(Locale.ROOT, "  %-14s %10s %9s %8s %8s %8s%n", "mode", "examples/s", "accuracy", "NLL", "ECE", "Brier"));
        for (String mode : List.of("sync", "average")) {
            List<String> all = new ArrayList<>(sets);
            all.addAll(List.of("aggregation=" + mode, "local_steps=" + (mode.equals("sync") ? 1 : k), "partitions=2"));
            TrainConfig c = TrainConfig.load(Path.of("configs/fmnist_mlp_vogn.json"), all);
            RunDirectory run = RunDirectory.create(Path.of("runs/bench-modes", mode), true);
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
            ParameterAveragingTrainer.Outcome o = TrainJob.run(spark, c, train, null, run, quiet);
            EvalResult r = EvaluateJob.run(spark, new EvaluateJob.Params(run.dir(), test, null, null, null), quiet);
            MetricsResult m = r.metrics();
            out.append(String.format(Locale.ROOT, "  %-14s %10.0f %9.4f %8.4f %8.4f %8.4f%n",
                    mode + (mode.equals("sync") ? "" : " K=" + k), o.examplesPerSecond(), m.accuracy(), m.nll(), m.ece(), m.brier()));
        }
        return out.toString();
    }

    private static Path prepared(SparkSession spark, Path source, String prefix) throws Exception {
        Path out = Path.of("data/fashion-mnist", prefix.equals("t10k") ? "test" : "train");
        if (!Files.exists(out.resolve(org.ngvi.data.DatasetManifest.FILE_NAME))) {
            PrepareIdxJob.run(spark, new PrepareIdxParams(source.resolve(prefix + "-images-idx3-ubyte.gz").toString(),
                    source.resolve(prefix + "-labels-idx1-ubyte.gz").toString(), out.toString(), false, 0).validate());
        }
        return out;
    }
}
