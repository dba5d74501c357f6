package org.ngvi.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.train.BatchPlan;
import org.ngvi.spark.train.ParameterAveragingTrainer;
import org.ngvi.spark.train.RunSetup;
import org.ngvi.spark.train.SingleProcessTrainer;
import org.ngvi.spark.train.TrainJob;

/**
 * Examples/s of one epoch of VOGN training on prepared Fashion-MNIST: the single-process loop
 * against the Spark trainer on {@code local[2]} (sync and averaging with K local steps).
 */
final class ThroughputBenchmark {
    private ThroughputBenchmark() {
    }

    static String run(SparkSession spark, Path trainDir, int localSteps) throws Exception {
        StringBuilder out = new StringBuilder("VOGN training, MLP 784-400-400-10, batch 128, one epoch of prepared Fashion-MNIST\n");
        TrainConfig base = TrainConfig.load(Path.of("configs/fmnist_mlp_vogn.json"), List.of("epochs=1"));
        double single;
        try (ImageDataset one = ImageDataset.open(spark, trainDir, 1, base.seed())) {
            RunSetup setup = setup(base, one);
            Example[] rows = one.examples().collect().toArray(new Example[0]);
            long t0 = System.nanoTime();
            SingleProcessTrainer.train(setup, rows, 1);
            double secs = (System.nanoTime() - t0) / 1e9;
            single = (double) setup.plan().roundsPerEpoch() * base.batchSize() / secs;
            out.append(String.format(Locale.ROOT, "  single process:                 %8.0f examples/s%n", single));
        }
        for (String mode : List.of("sync", "average")) {
            TrainConfig c = TrainConfig.load(Path.of("configs/fmnist_mlp_vogn.json"),
                    List.of("epochs=1", "aggregation=" + mode, "local_steps=" + (mode.equals("sync") ? 1 : localSteps), "partitions=2"));
            try (ImageDataset two = ImageDataset.open(spark, trainDir, 2, c.seed())) {
                RunSetup setup = setup(c, two);
                ParameterAveragingTrainer.Outcome o = new ParameterAveragingTrainer(spark, setup, 1, 0, 1000,
                        new PrintStream(new ByteArrayOutputStream())).train(two, null, null, null);
                out.append(String.format(Locale.ROOT, "  Spark %s, %-22s %8.0f examples/s  (%.2fx single process)%n",
                        spark.sparkContext().master(), mode + (mode.equals("sync") ? ":" : " K=" + localSteps + ":"),
                        o.examplesPerSecond(), o.examplesPerSecond() / single));
            }
        }
        return out.toString();
    }

    private static RunSetup setup(TrainConfig c, ImageDataset d) {
        BatchPlan plan = new BatchPlan(c.seed(), d.partitionCounts(), c.batchSize(), c.localSteps());
        return new RunSetup(TrainJob.network(c, d.manifest()), c.dtype(), TrainJob.normalization(c, d.manifest()), plan,
                c.optim().params(d.manifest().rows(), null, plan.stepsPerEpoch()), c.sync(), c.seed());
    }
}
