package org.ngvi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.ngvi.data.PixelNormalization;
import org.ngvi.dl4j.Dl4jImport;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.Network;
import org.ngvi.optim.AdamParams;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.prep.idx.IdxWriter;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.train.BatchPlan;
import org.ngvi.spark.train.RunSetup;
import org.ngvi.tensor.FlatTensor;

/**
 * The DL4J Spark baseline on {@code local[2]}: it is fed exactly the minibatches our trainer steps
 * on, starts from our initial weights, learns, and refuses Adam settings it would not map faithfully.
 */
class Dl4jSparkBaselineTest {
    private static final int SIZE = 8;
    private static final int CLASSES = 3;

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder().master("local[2]").appName("ngvi-bench-test").config("spark.ui.enabled", "false")
                .getOrCreate();
        // class c lights up row block c of an 8×8 image
        int n = 240;
        SplittableRandom rng = new SplittableRandom(4);
        byte[][] images = new byte[n][SIZE * SIZE];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(CLASSES);
            labels[i] = (byte) c;
            for (int p = 0; p < SIZE * SIZE; p++) {
                boolean lit = p / SIZE >= c * 2 && p / SIZE < c * 2 + 2;
                images[i][p] = (byte) (lit ? 160 + rng.nextInt(90) : rng.nextInt(100));
            }
        }
        Path img = tmp.resolve("images.gz");
        Path lab = tmp.resolve("labels.gz");
        IdxWriter.writeImages(img, images, SIZE, SIZE, true);
        IdxWriter.writeLabels(lab, labels, true);
        data = tmp.resolve("train");
        PrepareIdxJob.run(spark, new PrepareIdxParams(img.toString(), lab.toString(), data.toString(), false, 2).validate());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static RunSetup setup(ImageDataset d, AdamParams adam) {
        BatchPlan plan = new BatchPlan(9, d.partitionCounts(), 16, 3);
        return new RunSetup(Mlp.spec(SIZE * SIZE, new int[] {12}, CLASSES, "relu"), "float32",
                PixelNormalization.unitScale(d.manifest()), plan, adam, false, 9);
    }

    @Test
    void theMinibatchesAreTheOnesOurTrainerStepsOn() throws Exception {
        try (ImageDataset d = ImageDataset.open(spark, data, 2, 9)) {
            RunSetup setup = setup(d, new AdamParams(1e-2, 0.9, 0.999, 1e-8, 0));
            List<DataSet> batches = Dl4jSparkBaseline.minibatches(setup, d, 1).collect();
            BatchPlan plan = setup.plan();
            assertEquals(2 * plan.stepsPerEpoch(), batches.size());
            List<List<Example>> partitions = d.examples().glom().collect();
            BatchAssembler assembler = new BatchAssembler(setup.normalization(), new long[] {SIZE * SIZE}, DataType.FLOAT);
            for (int p = 0; p < 2; p++) {
                Example[] rows = partitions.get(p).toArray(new Example[0]);
                int[] perm = plan.permutation(1, p, null);
                int b = plan.localBatch(p);
                for (int s = 0; s < plan.stepsPerEpoch(); s++) {
                    DataSet ds = batches.get(p * plan.stepsPerEpoch() + s);
                    INDArray x = assembler.assemble(rows, perm, s * b, s * b + b);
                    assertEquals(x, ds.getFeatures(), "partition " + p + " step " + s + " features");
                    int[] labels = assembler.labels();
                    for (int i = 0; i < b; i++) {
                        assertEquals(1.0, ds.getLabels().getDouble(i, labels[i]), "partition " + p + " step " + s + " one-hot label " + i);
                        assertEquals(1.0, ds.getLabels().getRow(i).sumNumber().doubleValue(), 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void itStartsFromOurInitialWeightsAndLearns() throws Exception {
        try (ImageDataset d = ImageDataset.open(spark, data, 2, 9)) {
            RunSetup setup = setup(d, new AdamParams(2e-2, 0.9, 0.999, 1e-8, 0));
            Network ours = Network.build(setup.spec(), setup.dataType());
            Example[] rows = d.examples().collect().toArray(new Example[0]);
            BatchAssembler assembler = new BatchAssembler(setup.normalization(), new long[] {SIZE * SIZE}, DataType.FLOAT);
            INDArray x = assembler.assemble(rows, java.util.stream.IntStream.range(0, rows.length).toArray()).dup();
            int[] labels = assembler.labels().clone();
            double before = accuracy(ours, ours.initParams(setup.seed()), x, labels);

            Dl4jSparkBaseline.Trained one = Dl4jSparkBaseline.train(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                    setup, d, 1);
            assertEquals(2L * setup.plan().stepsPerEpoch() * setup.plan().localBatch(0), one.examples());
            assertTrue(one.seconds() > 0 && one.examplesPerSecond() > 0);
            Dl4jSparkBaseline.Trained many = Dl4jSparkBaseline.train(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                    setup, d, 8);
            FlatTensor trained = Dl4jImport.parameters(many.network(), ours);
            double after = accuracy(ours, trained, x, labels);
            assertTrue(after > 0.9 && after > before + 0.2, "training accuracy " + before + " -> " + after);
        }
    }

    @Test
    void adamSettingsItWouldNotMapAreRefused() throws Exception {
        try (ImageDataset d = ImageDataset.open(spark, data, 2, 9)) {
            RunSetup setup = setup(d, new AdamParams(1e-2, 0.9, 0.999, 1e-8, 0.01));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dl4jSparkBaseline.train(
                    JavaSparkContext.fromSparkContext(spark.sparkContext()), setup, d, 1));
            assertTrue(e.getMessage().contains("weight_decay 0.01"), e.getMessage());
        }
    }

    private static double accuracy(Network net, FlatTensor params, INDArray x, int[] labels) {
        INDArray predicted = net.forward(params, x, false).argMax(1);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted.getInt(i) == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }
}
