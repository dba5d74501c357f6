package org.ngvi.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Examples/s of VOGN training on prepared Fashion-MNIST: the single-process loop against the
 * Spark trainer on the session's master ({@code local[2]}), sync and averaging with K local steps,
 * each Spark run with where its round time went (per phase) and the bytes it shipped per round.
 * MLP 784-400-400-10 for one epoch; with {@code lenetRounds > 0} also LeNet-5+BN (1 MC sample per
 * step) for that many rounds of sync. Ratios are within this one run (the machine is shared).
 */
final class ThroughputBenchmark {
    private ThroughputBenchmark() {
    }

    static String run(SparkSession spark, Path trainDir, int localSteps, int lenetRounds) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append("VOGN training, MLP 784-400-400-10, batch 128, one epoch of prepared Fashion-MNIST\n");
        List<String> mlp = List.of("epochs=1");
        double single = single(spark, trainDir, "configs/fmnist_mlp_vogn.json", mlp, 0, out);
        jobOverhead(spark, trainDir, out);
        spark(spark, trainDir, "configs/fmnist_mlp_vogn.json", mlp, "sync", 1, 0, single, out);
        spark(spark, trainDir, "configs/fmnist_mlp_vogn.json", mlp, "average", localSteps, 0, single, out);
        if (lenetRounds > 0) {
            out.append("VOGN training, LeNet-5+BN, 1 MC sample per step, batch 128, first ").append(lenetRounds)
                    .append(" steps of Fashion-MNIST\n");
            List<String> lenet = List.of("epochs=1", "optim_args.num_mc_samples=1");
            double s = single(spark, trainDir, "configs/fmnist_lenet5_bn_vogn.json", lenet, lenetRounds, out);
            spark(spark, trainDir, "configs/fmnist_lenet5_bn_vogn.json", lenet, "sync", 1, lenetRounds, s, out);
        }
        return out.toString();
    }

    /** Single-process examples/s (whole epoch when {@code rounds} is 0). */
    private static double single(SparkSession spark, Path trainDir, String config, List<String> sets, int rounds,
                                 StringBuilder out) throws Exception {
        TrainConfig c = TrainConfig.load(Path.of(config), sets);
        try (ImageDataset one = ImageDataset.open(spark, trainDir, 1, c.seed())) {
            RunSetup setup = setup(c, one);
            Example[] rows = one.examples().collect().toArray(new Example[0]);
            long n = rounds > 0 ? rounds : setup.plan().roundsPerEpoch();
            long t0 = System.nanoTime();
            SingleProcessTrainer.trainRounds(setup, rows, n);
            double secs = (System.nanoTime() - t0) / 1e9;
            double single = n * c.batchSize() / secs;
            out.append(String.format(Locale.ROOT, "  single process:                 %8.0f examples/s (%.1f ms per step)%n",
                    single, secs * 1e3 / n));
            return single;
        }
    }

    private static void spark(SparkSession spark, Path trainDir, String config, List<String> sets, String mode, int k,
                              int rounds, double single, StringBuilder out) throws Exception {
        List<String> all = new ArrayList<>(sets);
        all.addAll(List.of("aggregation=" + mode, "local_steps=" + k, "partitions=2"));
        TrainConfig c = TrainConfig.load(Path.of(config), all);
        try (ImageDataset two = ImageDataset.open(spark, trainDir, 2, c.seed())) {
            RunSetup setup = setup(c, two);
            ParameterAveragingTrainer t = new ParameterAveragingTrainer(spark, setup, 1, 0, 1000,
                    new PrintStream(new ByteArrayOutputStream()));
            ParameterAveragingTrainer.Outcome o = rounds > 0 ? t.trainRoundsTimed(two, rounds) : t.train(two, null, null, null);
            out.append(String.format(Locale.ROOT, "  Spark %s, %-22s %8.0f examples/s  (%.2fx single process)%n",
                    spark.sparkContext().master(), mode + (mode.equals("sync") ? ":" : " K=" + k + ":"),
                    o.examplesPerSecond(), o.examplesPerSecond() / single));
            out.append("      per round: ").append(o.profile().describe()).append('\n');
        }
    }

    /**
     * What a round costs with no training in it, on the training set's cached 2-partition RDD: a
     * job whose tasks return nothing, and one whose tasks return the float32 payload of a sync-mode
     * MLP result (ĝ and ĥ, 2 × 478,410 values) each, medians of 40 jobs.
     */
    static void jobOverhead(SparkSession spark, Path trainDir, StringBuilder out) throws Exception {
        TrainConfig c = TrainConfig.load(Path.of("configs/fmnist_mlp_vogn.json"), List.of("partitions=2"));
        try (ImageDataset two = ImageDataset.open(spark, trainDir, 2, c.seed())) {
            int values = 2 * 478_410;
            org.apache.spark.api.java.JavaRDD<Integer> bare = org.apache.spark.api.java.JavaSparkContext
                    .fromSparkContext(spark.sparkContext()).parallelize(List.of(0, 1), 2);
            double[] plain = new double[40];
            double[] empty = new double[40];
            double[] payload = new double[40];
            for (int i = 0; i < empty.length; i++) {
                long t0 = System.nanoTime();
                bare.mapPartitionsWithIndex((p, it) -> List.of(p).iterator(), true).collect();
                long t1 = System.nanoTime();
                two.examples().mapPartitionsWithIndex((p, it) -> List.of(p).iterator(), true).collect();
                long t2 = System.nanoTime();
                two.examples().mapPartitionsWithIndex((p, it) -> List.of(new float[values]).iterator(), true).collect();
                long t3 = System.nanoTime();
                plain[i] = (t1 - t0) / 1e6;
                empty[i] = (t2 - t1) / 1e6;
                payload[i] = (t3 - t2) / 1e6;
            }
            java.util.Arrays.sort(plain);
            java.util.Arrays.sort(empty);
            java.util.Arrays.sort(payload);
            out.append(String.format(Locale.ROOT, "  Spark %s job overhead, no training (medians of %d jobs of 2 tasks): "
                    + "%.1f ms on a parallelized list, %.1f ms on the cached training set, %.1f ms with %.2f MB of results "
                    + "per task%n", spark.sparkContext().master(), empty.length, plain[plain.length / 2],
                    empty[empty.length / 2], payload[payload.length / 2], values * 4 / 1e6));
        }
    }

    private static RunSetup setup(TrainConfig c, ImageDataset d) {
        BatchPlan plan = new BatchPlan(c.seed(), d.partitionCounts(), c.batchSize(), c.localSteps());
        org.ngvi.nn.NetworkSpec spec = TrainJob.network(c, d.manifest());
        return new RunSetup(spec, c.dtype(), TrainJob.normalization(c, d.manifest()), plan,
                c.optim().params(d.manifest().rows(), spec, plan.stepsPerEpoch()), c.sync(), c.seed());
    }
}
