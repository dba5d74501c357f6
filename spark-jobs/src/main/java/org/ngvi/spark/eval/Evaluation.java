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
 * and K = 0 meaning the mean weights. Each task accumulates a {@link PredictionSummary} over its
 * partition (classification metrics, the entropy decomposition H[p̄] = (1/K) Σ_k H[p_k] + I and,
 * when asked for, per-example scores); the driver merges them with {@code treeAggregate}. Rows are
 * never collected; per-example scores (4 bytes per example per score) are, when kept.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** What every evaluation task needs (broadcast once). */
    private record Setup(NetworkSpec spec, String dtype, PixelNormalization normalization, FlatValues mean, FlatValues std,
                         int mc, int batch, long seed, int bins, boolean classify, boolean keepScores) implements Serializable {
    }

    /**
     * Classification metrics and the mean mutual information of {@code posterior} on {@code data}.
     *
     * @param mc    K weight samples (0: mean weights)
     * @param batch examples per forward pass
     * @param seed  seed of the K noise draws
     */
    public static EvalResult evaluate(SparkSession spark, ImageDataset data, GaussianPosterior posterior, DataType dtype,
                                      PixelNormalization normalization, int mc, int batch, long seed) {
        return result(predict(spark, data, posterior, dtype, normalization, mc, batch, seed, true, false), samples(posterior, mc));
    }

    /** The {@link EvalResult} of a summary made with {@code classify}. */
    static EvalResult result(PredictionSummary s, int samples) {
        ClassificationMetrics m = s.metrics();
        return new EvalResult(m.result(), s.uncertainty().meanMutualInformation(), samples, m, null);
    }

    /** K actually used: 0 for point estimates. */
    static int samples(GaussianPosterior posterior, int mc) {
        return posterior.isPointEstimate() ? 0 : mc;
    }

    /**
     * MC prediction over {@code data} with the same ensemble as {@link #evaluate}, merged over partitions.
     *
     * @param classify   score the labels (accuracy, NLL, ECE, Brier); {@code false} leaves labels unread,
     *                   as for an out-of-distribution set with other classes
     * @param keepScores bring every example's entropy and mutual information to the driver
     *                   (4 bytes per example per score)
     */
    public static PredictionSummary predict(SparkSession spark, ImageDataset data, GaussianPosterior posterior, DataType dtype,
                                            PixelNormalization normalization, int mc, int batch, long seed,
                                            boolean classify, boolean keepScores) {
        int samples = samples(posterior, mc);
        Setup setup = new Setup(posterior.spec(), dtype == DataType.DOUBLE ? "float64" : "float32", normalization,
                FlatValues.of(posterior.mean()), samples > 0 ? FlatValues.of(posterior.std()) : null,
                samples, batch, seed, ClassificationMetrics.DEFAULT_BINS, classify, keepScores);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Setup> bc = jsc.broadcast(setup);
        try {
            return data.examples()
                    .mapPartitions(it -> List.of(evaluatePartition(bc.value(), it)).iterator())
                    .treeAggregate(new PredictionSummary(setup.bins(), classify, keepScores),
                            PredictionSummary::merge, PredictionSummary::merge);
        } finally {
            bc.destroy();
        }
    }

    private static PredictionSummary evaluatePartition(Setup s, Iterator<Example> rows) {
        DataType dt = s.dtype().equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        Network network = Network.build(s.spec(), dt);
        FlatTensor mean = FlatTensor.zeros(network.layout(), dt);
        s.mean().copyInto(mean);
        PredictionSummary summary = new PredictionSummary(s.bins(), s.classify(), s.keepScores());
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
            int k = predictor.numClasses();
            List<Example> chunk = new ArrayList<>(s.batch());
            INDArray out = null;
            INDArray expectedEntropy = null;
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
                        out = Nd4j.create(dt, ex.length, k);
                        expectedEntropy = s.mc() > 0 ? Nd4j.create(dt, ex.length) : null;
                    }
                    predictor.predict(x, out, expectedEntropy);
                    summary.add(out.reshape(ex.length * (long) k).toDoubleVector(), k, assembler.labels(),
                            expectedEntropy == null ? null : expectedEntropy.toDoubleVector());
                    chunk.clear();
                }
            }
        }
        return summary.trim();
    }
}
