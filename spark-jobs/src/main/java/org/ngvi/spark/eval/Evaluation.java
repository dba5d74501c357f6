package org.ngvi.spark.eval;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.data.PixelNormalization;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;

/**
 * MC prediction of a {@link Predictive} over a data set on the executors:
 * p(y|x) ≈ (1/K) Σ_k softmax(f(x; θ_k)) with the same K draws for every example (one fixed
 * ensemble, seeded): weight samples θ_k = μ + σ ∘ ε_k of a Gaussian posterior, dropout masks (MC
 * dropout), or K = 0 for the mean weights. Each task accumulates a {@link PredictionSummary} over
 * its partition (classification metrics, the entropy decomposition H[p̄] = (1/K) Σ_k H[p_k] + I,
 * an entropy histogram and, when asked for, per-example scores); the driver merges them with
 * {@code treeAggregate}. Rows are never collected; per-example scores (4 bytes per example per
 * score) are, when kept.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** What every evaluation task needs (broadcast once). */
    private record Setup(Predictive predictive, PixelNormalization normalization, int batch, int bins, boolean classify,
                         boolean keepScores) implements java.io.Serializable {
    }

    /**
     * Classification metrics and the mean mutual information of {@code posterior}'s weight-sampling
     * predictive on {@code data}.
     *
     * @param mc    K weight samples (0: mean weights)
     * @param batch examples per forward pass
     * @param seed  seed of the K noise draws
     */
    public static EvalResult evaluate(SparkSession spark, ImageDataset data, GaussianPosterior posterior, DataType dtype,
                                      PixelNormalization normalization, int mc, int batch, long seed) {
        return evaluate(spark, data, Predictive.weightSamples(posterior, dtype, mc, seed), normalization, batch);
    }

    /** Classification metrics and the mean mutual information of {@code predictive} on {@code data}. */
    public static EvalResult evaluate(SparkSession spark, ImageDataset data, Predictive predictive,
                                      PixelNormalization normalization, int batch) {
        return result(predict(spark, data, predictive, normalization, batch, true, false), predictive);
    }

    /** The {@link EvalResult} of a summary made with {@code classify}. */
    static EvalResult result(PredictionSummary s, Predictive predictive) {
        ClassificationMetrics m = s.metrics();
        return new EvalResult(m.result(), s.uncertainty().meanMutualInformation(), predictive.samples(),
                predictive.method().json(), m, s.entropyHistogram(), null);
    }

    /**
     * MC prediction over {@code data}, merged over partitions.
     *
     * @param classify   score the labels (accuracy, NLL, ECE, Brier); {@code false} leaves labels unread,
     *                   as for an out-of-distribution set with other classes
     * @param keepScores bring every example's entropy and mutual information to the driver
     *                   (4 bytes per example per score)
     */
    public static PredictionSummary predict(SparkSession spark, ImageDataset data, Predictive predictive,
                                            PixelNormalization normalization, int batch, boolean classify, boolean keepScores) {
        Setup setup = new Setup(predictive, normalization, batch, ClassificationMetrics.DEFAULT_BINS, classify, keepScores);
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
        PredictionSummary summary = new PredictionSummary(s.bins(), s.classify(), s.keepScores());
        try (BatchPredictor predictor = s.predictive().open(s.normalization())) {
            Example[] chunk = new Example[s.batch()];
            int n = 0;
            while (rows.hasNext()) {
                chunk[n++] = rows.next();
                if (n == chunk.length || !rows.hasNext()) {
                    BatchPredictor.Batch b = predictor.predict(chunk, n);
                    summary.add(b.probabilities(), b.classes(), b.labels(), b.expectedEntropy());
                    n = 0;
                }
            }
        }
        return summary.trim();
    }
}
