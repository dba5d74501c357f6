package org.ngvi.spark.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.data.PixelNormalization;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.predict.McPredictor;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.train.FlatValues;
import org.ngvi.tensor.FlatTensor;

/**
 * MC prediction of a posterior over a data set on the executors: p(y|x) ≈ (1/K) Σ_k softmax(f(x; θ_k)),
 * θ_k = μ + σ ∘ ε_k with the same K noise draws for every example (one fixed ensemble, seeded),
 * and K = 0 meaning the mean weights. Each task accumulates {@link ClassificationMetrics} over its
 * partition; the driver merges them with {@code treeAggregate}. Rows are never collected.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** What every evaluation task needs (broadcast once). */
    private record Setup(NetworkSpec spec, String dtype, PixelNormalization normalization, FlatValues mean, FlatValues std,
                         int mc, int batch, long seed, int bins) implements Serializable {
    }

    /**
     * @param mc    K weight samples (0: mean weights)
     * @param batch examples per forward pass
     * @param seed  seed of the K noise draws
     */
    public static EvalResult evaluate(SparkSession spark, ImageDataset data, GaussianPosterior posterior, DataType dtype,
                                      PixelNormalization normalization, int mc, int batch, long seed) {
        int samples = posterior.isPointEstimate() ? 0 : mc;
        Setup setup = new Setup(posterior.spec(), dtype == DataType.DOUBLE ? "float64" : "float32", normalization,
                FlatValues.of(posterior.mean()), samples > 0 ? FlatValues.of(posterior.std()) : null,
                samples, batch, seed, ClassificationMetrics.DEFAULT_BINS);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Setup> bc = jsc.broadcast(setup);
        try {
            ClassificationMetrics m = data.examples()
                    .mapPartitions(it -> List.of(evaluatePartition(bc.value(), it)).iterator())
                    .treeAggregate(new ClassificationMetrics(setup.bins()), ClassificationMetrics::merge, ClassificationMetrics::merge);
            return new EvalResult(m.result(), samples, m);
        } finally {
            bc.destroy();
        }
    }

    private static ClassificationMetrics evaluatePartition(Setup s, Iterator<Example> rows) {
        DataType dt = s.dtype().equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        Network network = Network.build(s.spec(), dt);
        FlatTensor mean = FlatTensor.zeros(network.layout(), dt);
        s.mean().copyInto(mean);
        ClassificationMetrics metrics = new ClassificationMetrics(s.bins());
        BatchAssembler assembler = new BatchAssembler(s.normalization(), network.inputShape(), dt);
        try (GaussianNoise noise = s.mc() > 0 ? new GaussianNoise(s.seed(), s.mc()) : null) {
            McPredictor predictor;
            if (s.mc() > 0) {
                FlatTensor std = FlatTensor.zeros(network.layout(), dt);
                s.std().copyInto(std);
                predictor = new McPredictor(network, mean, std, s.mc(), noise, 0);
            } else {
                predictor = McPredictor.meanOnly(network, mean);
            }
            List<Example> chunk = new ArrayList<>(s.batch());
            INDArray out = null;
            while (rows.hasNext()) {
                chunk.add(rows.next());
                if (chunk.size() == s.batch() || !rows.hasNext()) {
                    Example[] ex = chunk.toArray(new Example[0]);
                    int[] positions = new int[ex.length];
                    for (int i = 0; i < positions.length; i++) {
                        positions[i] = i;
                    }
                    INDArray x = assembler.assemble(ex, positions);
                    if (out == null || out.size(0) != ex.length) {
                        out = Nd4j.create(dt, ex.length, predictor.numClasses());
                    }
                    predictor.predict(x, out);
                    metrics.add(out, assembler.labels());
                    chunk.clear();
                }
            }
        }
        return metrics;
    }
}
