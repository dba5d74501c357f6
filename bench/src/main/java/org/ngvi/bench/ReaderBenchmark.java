package org.ngvi.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.data.PixelNormalization;
import org.ngvi.data.augment.AugmentationRandom;
import org.ngvi.data.augment.AugmentationSpec;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.train.BatchPlan;
import org.ngvi.spark.train.RunSetup;
import org.ngvi.spark.train.SingleProcessTrainer;
import org.ngvi.spark.train.TrainJob;

/**
 * Images/s the training reader delivers, against what the VOGN trainer consumes.
 * <ol>
 *   <li><b>Parquet → rows</b>: {@link ImageDataset#open} on {@code local[2]} (read, hash-partition,
 *       sort and cache the {@link Example} rows; once per run).</li>
 *   <li><b>rows → batches, Spark</b>: a job whose two tasks each turn their cached partition into an
 *       array and assemble every batch of one epoch's {@link BatchPlan} (global batch 128, 64 per
 *       task) with {@link BatchAssembler#assembleAugmented}: augmentation + normalisation into the
 *       CHW float batch, exactly the trainer's path without the optimizer step. Median of 5 epochs.</li>
 *   <li><b>rows → batches, one thread</b>: the same assembly in this thread over all rows (no Spark),
 *       per augmentation, to show what augmentation itself costs per image.</li>
 *   <li><b>VOGN consumption</b>: one epoch of single-process VOGN on the MLP 784-400-400-10 with the
 *       shipped config, without and with {@code augmentation=cifar}: if the reader is not the
 *       bottleneck the two rates agree.</li>
 * </ol>
 */
final class ReaderBenchmark {
    private static final int BATCH = 128;
    private static final int PASSES = 5;

    private ReaderBenchmark() {
    }

    /**
     * {@code bench/run --reader}: the reader on prepared Fashion-MNIST ({@code data/fashion-mnist/train},
     * prepared from {@code source} when missing) and on a generated CIFAR-shaped set, then the VOGN
     * consumption and the Spark trainer's throughput ({@link ThroughputBenchmark}).
     */
    static void runAll(Path source, int localSteps) throws Exception {
        SparkSession s = SparkSession.builder().master("local[2]").appName("ngvi-bench-reader")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Path fmnist = Path.of("data/fashion-mnist/train");
            if (!java.nio.file.Files.exists(fmnist.resolve(org.ngvi.data.DatasetManifest.FILE_NAME))) {
                org.ngvi.prep.PrepareIdxJob.run(s, new org.ngvi.prep.PrepareIdxParams(source.resolve("train-images-idx3-ubyte.gz").toString(),
                        source.resolve("train-labels-idx1-ubyte.gz").toString(), fmnist.toString(), false, 0).validate());
            }
            Path cifar = SyntheticCifar.prepare(s, Path.of("data/bench/cifar-synthetic"));
            System.out.println(run(s, List.of(
                    new Case("Fashion-MNIST train", fmnist, List.of(AugmentationSpec.none(), AugmentationSpec.flip(), AugmentationSpec.cifar(4))),
                    new Case("CIFAR-shaped synthetic train", cifar, List.of(AugmentationSpec.none(), AugmentationSpec.flip(),
                            AugmentationSpec.cifar(4), AugmentationSpec.of(AugmentationSpec.Kind.IMAGENET))))));
            System.out.println(vognConsumption(s, fmnist));
            System.out.println(ThroughputBenchmark.run(s, fmnist, localSteps, 0));
        } finally {
            s.stop();
        }
    }

    /** One data set with the augmentations measured on it. */
    record Case(String name, Path dir, List<AugmentationSpec> augmentations) {
    }

    static String run(SparkSession spark, List<Case> cases) throws Exception {
        StringBuilder out = new StringBuilder("Training reader (Parquet → Example rows → augmented, normalised float32 batch), "
                + spark.sparkContext().master() + ", batch " + BATCH + "\n");
        for (Case c : cases) {
            long t0 = System.nanoTime();
            try (ImageDataset data = ImageDataset.open(spark, c.dir(), 2, 1)) {
                double openSecs = (System.nanoTime() - t0) / 1e9;
                long rows = data.manifest().rows();
                out.append(String.format(Locale.ROOT, "  %s: %d rows %s; Parquet → cached rows (2 partitions): %.1f s, %.0f images/s%n",
                        c.name(), rows, java.util.Arrays.toString(data.manifest().shape()), openSecs, rows / openSecs));
                PixelNormalization norm = PixelNormalization.unitScale(data.manifest());
                BatchPlan plan = new BatchPlan(1, data.partitionCounts(), BATCH, 1);
                Example[] all = data.examples().collect().toArray(new Example[0]);
                for (AugmentationSpec aug : c.augmentations()) {
                    double spark2 = sparkRate(data, norm, aug, plan);
                    double single = singleThreadRate(all, norm, aug);
                    out.append(String.format(Locale.ROOT, "    %-38s Spark 2 tasks %9.0f images/s   one thread %9.0f images/s (%.2f µs/image)%n",
                            "augmentation " + aug + ":", spark2, single, 1e6 / single));
                }
            }
        }
        return out.toString();
    }

    /** Median images/s over {@link #PASSES} epochs of both tasks assembling their batches. */
    private static double sparkRate(ImageDataset data, PixelNormalization norm, AugmentationSpec aug, BatchPlan plan) {
        double[] rates = new double[PASSES + 1];
        for (int pass = 0; pass <= PASSES; pass++) {
            final int epoch = pass;
            long t0 = System.nanoTime();
            List<long[]> res = data.examples()
                    .mapPartitionsWithIndex((p, it) -> readEpoch(p, it, norm, aug, plan, epoch), true).collect();
            double secs = (System.nanoTime() - t0) / 1e9;
            long images = 0;
            for (long[] r : res) {
                images += r[0];
            }
            rates[pass] = images / secs;
        }
        // pass 0 warms the JIT and the task code path: excluded
        return Stats.of(java.util.Arrays.copyOfRange(rates, 1, rates.length)).median();
    }

    /** What a training task does with its partition in one epoch, minus the optimizer. */
    private static Iterator<long[]> readEpoch(int partition, Iterator<Example> it, PixelNormalization norm, AugmentationSpec aug,
                                              BatchPlan plan, int epoch) {
        List<Example> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        Example[] rows = list.toArray(new Example[0]);
        BatchAssembler a = new BatchAssembler(norm, new long[] {norm.exampleSize()}, DataType.FLOAT, aug);
        int[] perm = plan.permutation(epoch, partition, null);
        int b = plan.localBatch(partition);
        int steps = plan.roundsPerEpoch() * plan.localSteps();
        long stream = AugmentationRandom.streamSeed(1, epoch, partition);
        long sink = 0;
        for (int s = 0; s < steps; s++) {
            INDArray x = a.assembleAugmented(rows, perm, s * b, s * b + b, stream);
            sink += Float.floatToRawIntBits(x.data().getFloat(s % x.length()));
        }
        return List.of(new long[] {(long) steps * b, sink}).iterator();
    }

    /** Images/s of assembling every row in batches in this thread (median of passes after a warm-up). */
    private static double singleThreadRate(Example[] rows, PixelNormalization norm, AugmentationSpec aug) {
        BatchAssembler a = new BatchAssembler(norm, new long[] {norm.exampleSize()}, DataType.FLOAT, aug);
        int[] perm = java.util.stream.IntStream.range(0, rows.length).toArray();
        int steps = rows.length / BATCH;
        double[] rates = new double[PASSES];
        long sink = 0;
        for (int pass = -1; pass < PASSES; pass++) {
            long stream = AugmentationRandom.streamSeed(1, pass + 1, 0);
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                INDArray x = a.assembleAugmented(rows, perm, s * BATCH, s * BATCH + BATCH, stream);
                sink += Float.floatToRawIntBits(x.data().getFloat(s % x.length()));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (pass >= 0) {
                rates[pass] = (double) steps * BATCH / secs;
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        return Stats.of(rates).median();
    }

    /**
     * Examples/s of one epoch of single-process VOGN (the shipped MLP config) on the prepared
     * Fashion-MNIST training set without and with {@code augmentation=cifar}.
     */
    static String vognConsumption(SparkSession spark, Path fmnistTrain) throws Exception {
        StringBuilder out = new StringBuilder("VOGN consumption, single process, MLP 784-400-400-10, batch 128, one epoch:\n");
        for (String aug : List.of("none", "cifar", "none", "cifar")) {
            TrainConfig c = TrainConfig.load(Path.of("configs/fmnist_mlp_vogn.json"), List.of("epochs=1", "augmentation=" + aug));
            try (ImageDataset one = ImageDataset.open(spark, fmnistTrain, 1, c.seed())) {
                BatchPlan plan = new BatchPlan(c.seed(), one.partitionCounts(), c.batchSize(), c.localSteps());
                RunSetup setup = new RunSetup(TrainJob.network(c, one.manifest()), c.dtype(), TrainJob.normalization(c, one.manifest()),
                        plan, c.optim().params(one.manifest().rows(), null, plan.stepsPerEpoch()), c.sync(), c.seed(), c.augmentation());
                Example[] rows = one.examples().collect().toArray(new Example[0]);
                long t0 = System.nanoTime();
                SingleProcessTrainer.train(setup, rows, 1);
                double secs = (System.nanoTime() - t0) / 1e9;
                out.append(String.format(Locale.ROOT, "  augmentation %-6s %8.0f examples/s%n", aug + ":",
                        (double) plan.roundsPerEpoch() * c.batchSize() / secs));
            }
        }
        return out.toString();
    }
}
