package org.ngvi.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.ngvi.dl4j.Dl4jExport;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.AdamParams;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.train.RunSetup;
import org.ngvi.tensor.FlatTensor;

/**
 * The DL4J Spark baseline: the network of a {@link RunSetup} trained with Adam by DL4J's own
 * {@link SparkDl4jMultiLayer} and {@link ParameterAveragingTrainingMaster}, set up as our
 * averaging trainer is: {@code batchSizePerWorker} = the per-task batch bₚ = B / P,
 * {@code averagingFrequency} = K ({@code local_steps}), the same initial weights (ours, written into
 * the DL4J network), and per epoch the same minibatches (each partition's epoch permutation of the
 * {@link org.ngvi.spark.train.BatchPlan}, cut into bₚ-example {@link DataSet}s and normalised by the
 * same {@link BatchAssembler}). DL4J then splits the epoch into its own rounds of P·bₚ·K examples
 * (a random split) and averages parameters and Adam's moments after each ({@code saveUpdater}).
 */
final class Dl4jSparkBaseline {
    private static final StorageLevel CACHE = StorageLevel.MEMORY_ONLY();

    private Dl4jSparkBaseline() {
    }

    /**
     * The trained DL4J network and the training throughput.
     *
     * @param examples examples DL4J fitted (all epochs)
     * @param seconds  wall time of the {@code fit} calls (the minibatch RDD is built and cached before)
     */
    record Trained(MultiLayerNetwork network, long examples, double seconds) {
        double examplesPerSecond() {
            return examples / seconds;
        }
    }

    /**
     * The DL4J configuration of {@code spec} with DL4J's Adam of our {@code adam}'s α, β₁, β₂, ε on every
     * layer with parameters.
     *
     * @throws IllegalArgumentException when {@code adam} has weight decay or a learning-rate schedule (not mapped)
     */
    static MultiLayerConfiguration configuration(NetworkSpec spec, org.nd4j.linalg.api.buffer.DataType dtype, AdamParams adam) {
        if (adam.weightDecay() != 0 || adam.lrAt(0) != adam.lrAt(1_000_000)) {
            throw new IllegalArgumentException("the DL4J Spark baseline maps Adam with a constant rate and no weight decay; "
                    + "got optim_args.weight_decay " + adam.weightDecay() + " and a schedule " + adam.schedule());
        }
        MultiLayerConfiguration conf = Dl4jExport.configuration(spec, dtype);
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (conf.getConf(i).getLayer() instanceof BaseLayer layer) {
                layer.setIUpdater(new Adam(adam.lr(), adam.beta1(), adam.beta2(), adam.eps()));
            }
        }
        return conf;
    }

    /**
     * Trains for {@code epochs} on {@code data} (opened with {@code setup.plan()}'s partitions) from our
     * initial weights of {@code setup.seed()}.
     */
    static Trained train(JavaSparkContext jsc, RunSetup setup, ImageDataset data, int epochs) {
        if (!(setup.optimizer() instanceof AdamParams adam)) {
            throw new IllegalArgumentException("the DL4J Spark baseline trains Adam; the setup has " + setup.optimizer().optimizerName());
        }
        Network ours = Network.build(setup.spec(), setup.dataType());
        FlatTensor init = ours.initParams(setup.seed());
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(setup.spec(), setup.dataType(), adam));
        net.init();
        Dl4jExport.writeParameters(ours, init, net);
        int b = setup.plan().localBatch(0);
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(b)
                .batchSizePerWorker(b)
                .averagingFrequency(setup.plan().localSteps())
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .saveUpdater(true)
                .collectTrainingStats(false)
                .rngSeed(setup.seed())
                .storageLevel(CACHE) // DL4J persists the RDD it fits at this level; ours must be the same
                .build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, net, tm);
        long examples = 0;
        double seconds = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            JavaRDD<DataSet> batches = minibatches(setup, data, epoch).persist(CACHE);
            long n = batches.count() * b;
            long t0 = System.nanoTime();
            spark.fit(batches);
            seconds += (System.nanoTime() - t0) / 1e9;
            examples += n;
            batches.unpersist(true);
        }
        return new Trained(spark.getNetwork(), examples, seconds);
    }

    /**
     * Epoch {@code epoch}'s minibatches: per partition p its permutation cut into
     * {@code stepsPerEpoch} batches of bₚ examples (the examples our trainer steps on in that epoch),
     * features [bₚ, ...input shape] and one-hot labels [bₚ, classes].
     */
    static JavaRDD<DataSet> minibatches(RunSetup setup, ImageDataset data, int epoch) {
        int classes = data.manifest().numClasses();
        return data.examples().mapPartitionsWithIndex((p, it) -> {
            List<Example> rows = new ArrayList<>();
            it.forEachRemaining(rows::add);
            Example[] examples = rows.toArray(new Example[0]);
            Network net = Network.build(setup.spec(), setup.dataType());
            BatchAssembler assembler = new BatchAssembler(setup.normalization(), net.inputShape(), setup.dataType());
            int[] perm = setup.plan().permutation(epoch, p, null);
            int b = setup.plan().localBatch(p);
            List<DataSet> out = new ArrayList<>();
            for (int s = 0; s < setup.plan().stepsPerEpoch(); s++) {
                INDArray x = assembler.assemble(examples, perm, s * b, s * b + b).dup();
                out.add(new DataSet(x, oneHot(assembler.labels(), b, classes, setup)));
            }
            return out.iterator();
        }, true);
    }

    private static INDArray oneHot(int[] labels, int n, int classes, RunSetup setup) {
        INDArray y = Nd4j.zeros(setup.dataType(), n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, labels[i], 1.0);
        }
        return y;
    }
}
