package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.ngvi.dl4j.Dl4jExport;
import org.ngvi.dl4j.Dl4jImport;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.Optimizer;
import org.ngvi.optim.OptimizerState;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.testing.SyntheticImages;

/**
 * dl4j-spark 1.0.0-M2 on Spark 3.5.9 (the dependency pins of the root pom): a DL4J user's
 * {@link MultiLayerConfiguration} fitted with {@link SparkDl4jMultiLayer} and
 * {@link ParameterAveragingTrainingMaster} on {@code local[2]}, then the same configuration imported,
 * trained with VOGN by our averaging trainer on {@code local[2]} and exported back to a DL4J network
 * whose outputs are our posterior mean's predictions.
 */
class Dl4jSparkToVognTest {
    private static final int PIXELS = SyntheticImages.SIZE * SyntheticImages.SIZE;
    private static final int CLASSES = 4;

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        data = SyntheticImages.prepare(spark, tmp, "train", 320, CLASSES, 5);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** What a DL4J user fits today: an MLP with Adam. */
    static MultiLayerConfiguration userConfiguration() {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).updater(new Adam(5e-3)).list()
                .layer(new DenseLayer.Builder().nIn(PIXELS).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    @Test
    void aConfigurationFittedWithDl4jSparkTrainsWithVognAndExportsBack() throws Exception {
        MultiLayerConfiguration conf = userConfiguration();
        NetworkSpec spec = Dl4jImport.spec(conf, InputType.feedForward(PIXELS));
        TrainConfig c = TrainerTestSupport.config("aggregation=average", "local_steps=2", "epochs=6", "partitions=2",
                "optim_args.lr=0.05");
        try (ImageDataset train = ImageDataset.open(spark, data, 2, c.seed())) {
            RunSetup base = TrainerTestSupport.setup(c, train.manifest(), train.partitionCounts());
            RunSetup setup = new RunSetup(spec, base.dtype(), base.normalization(), base.plan(), c.optim().params(
                    train.manifest().rows(), spec, base.plan().stepsPerEpoch()), false, c.seed());
            Example[] rows = train.examples().collect().toArray(new Example[0]);
            BatchAssembler assembler = new BatchAssembler(setup.normalization(), new long[] {PIXELS}, DataType.FLOAT);
            INDArray x = assembler.assemble(rows, IntStream.range(0, rows.length).toArray()).dup();
            int[] labels = assembler.labels().clone();

            // 1. DL4J Spark: parameter averaging every 2 minibatches of 16 per worker on local[2]
            MultiLayerNetwork dl4j = new MultiLayerNetwork(conf.clone());
            dl4j.init();
            double before = accuracy(dl4j.output(x), labels);
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(16).batchSizePerWorker(16)
                    .averagingFrequency(2).workerPrefetchNumBatches(0).rddTrainingApproach(RDDTrainingApproach.Direct)
                    .repartionData(Repartition.Never).rngSeed(1).build();
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(JavaSparkContext.fromSparkContext(spark.sparkContext()), dl4j, tm);
            JavaRDD<DataSet> batches = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(minibatches(x, labels, 16), 2);
            for (int epoch = 0; epoch < 6; epoch++) {
                sparkNet.fit(batches);
            }
            double dl4jAccuracy = accuracy(sparkNet.getNetwork().output(x), labels);
            assertTrue(dl4jAccuracy > 0.9 && dl4jAccuracy > before + 0.3,
                    "DL4J Spark training accuracy " + dl4jAccuracy + " (before " + before + ")");

            // 2. the same configuration with VOGN on our averaging trainer, local[2]
            ParameterAveragingTrainer.Outcome o = new ParameterAveragingTrainer(spark, setup, c.epochs(), 0, 64,
                    new PrintStream(new ByteArrayOutputStream())).train(train, null, null, null);
            GaussianPosterior post = posterior(setup.optimizer().create(), spec, o.state());
            assertEquals((long) setup.plan().stepsPerEpoch() * c.epochs(), o.state().step());

            // 3. back to DL4J: the exported network predicts with the posterior mean
            Network ours = Network.build(spec, DataType.FLOAT);
            MultiLayerNetwork back = Dl4jExport.toMultiLayerNetwork(ours, post.mean(), conf);
            double vognAccuracy = accuracy(back.output(x), labels);
            assertTrue(vognAccuracy > 0.9, "VOGN (posterior mean, exported) training accuracy " + vognAccuracy);
            assertTrue(Dl4jExport.maxOutputDifference(back, ours, post.mean(), x) < 1e-5,
                    "the exported network's outputs are our posterior mean's");
        }
    }

    @SuppressWarnings("unchecked")
    private static <S extends OptimizerState> GaussianPosterior posterior(Optimizer<S> alg, NetworkSpec spec, OptimizerState s) {
        return alg.posterior(spec, (S) s);
    }

    private static List<DataSet> minibatches(INDArray x, int[] labels, int b) {
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from + b <= labels.length; from += b) {
            INDArray y = Nd4j.zeros(DataType.FLOAT, b, CLASSES);
            for (int i = 0; i < b; i++) {
                y.putScalar(i, labels[from + i], 1.0);
            }
            out.add(new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + b)).dup(), y));
        }
        return out;
    }

    private static double accuracy(INDArray probabilities, int[] labels) {
        INDArray predicted = probabilities.argMax(1);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted.getInt(i) == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }
}
