package org.ngvi.spark.eval;

import java.io.Serializable;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.metrics.EntropyDecomposition;

/**
 * What MC prediction over (part of) a data set yields, as one mergeable accumulator: the
 * classification metrics (when labels are scored), the entropy decomposition (mean predictive
 * entropy and mutual information), a histogram of the predictive entropy ({@value #ENTROPY_BINS}
 * bins over [0, log C], C classes) and, when asked for, the per-example scores. Tasks build one per
 * partition; {@code treeAggregate} merges them.
 */
public final class PredictionSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ClassificationMetrics metrics;
    private final EntropyDecomposition uncertainty;
    private final ExampleScores scores;
    private ScoreHistogram entropyHistogram; // created by the first batch, which tells C

    /** Bins of the predictive-entropy histogram. */
    public static final int ENTROPY_BINS = 40;

    /**
     * @param bins       ECE bins of the classification metrics
     * @param classify   score labels (accuracy, NLL, ECE, Brier); {@code false} for out-of-distribution
     *                   sets, whose labels need not be the model's classes
     * @param keepScores keep every example's entropy and mutual information
     */
    public PredictionSummary(int bins, boolean classify, boolean keepScores) {
        this.metrics = classify ? new ClassificationMetrics(bins) : null;
        this.uncertainty = new EntropyDecomposition();
        this.scores = keepScores ? new ExampleScores() : null;
    }

    /**
     * Adds a batch.
     *
     * @param probs           row-major {@code [B, numClasses]} predictive probabilities p̄
     * @param labels          B labels (read only when classifying)
     * @param expectedEntropy B values (1/K) Σ_k H[p_k], or {@code null} for the mean weights (K = 0)
     */
    public PredictionSummary add(double[] probs, int numClasses, int[] labels, double[] expectedEntropy) {
        if (metrics != null) {
            metrics.add(probs, numClasses, labels);
        }
        int b = probs.length / numClasses;
        if (entropyHistogram == null) {
            entropyHistogram = new ScoreHistogram(ENTROPY_BINS, 0, Math.log(Math.max(2, numClasses)));
        }
        for (int i = 0; i < b; i++) {
            double h = EntropyDecomposition.entropy(probs, i * numClasses, numClasses);
            double e = expectedEntropy == null ? h : expectedEntropy[i];
            uncertainty.add(h, e);
            entropyHistogram.add(h);
            if (scores != null) {
                scores.add(h, EntropyDecomposition.mutualInformation(h, e));
            }
        }
        return this;
    }

    /** Adds {@code other}'s examples (made with the same flags); returns this. */
    public PredictionSummary merge(PredictionSummary other) {
        if ((metrics == null) != (other.metrics == null) || (scores == null) != (other.scores == null)) {
            throw new IllegalArgumentException("cannot merge prediction summaries of different kinds");
        }
        if (metrics != null) {
            metrics.merge(other.metrics);
        }
        uncertainty.merge(other.uncertainty);
        if (entropyHistogram == null) {
            entropyHistogram = other.entropyHistogram;
        } else if (other.entropyHistogram != null) {
            entropyHistogram.merge(other.entropyHistogram);
        }
        if (scores != null) {
            scores.merge(other.scores);
        }
        return this;
    }

    /** Classification metrics, or {@code null} when labels were not scored. */
    public ClassificationMetrics metrics() {
        return metrics;
    }

    public EntropyDecomposition uncertainty() {
        return uncertainty;
    }

    /** Histogram of the predictive entropy H[p̄] (nats), or {@code null} when no example was added. */
    public ScoreHistogram entropyHistogram() {
        return entropyHistogram;
    }

    /** Per-example scores, or {@code null} when not kept. */
    public ExampleScores scores() {
        return scores;
    }

    /** Trims the score arrays (before a task returns this); returns this. */
    PredictionSummary trim() {
        if (scores != null) {
            scores.trim();
        }
        return this;
    }
}
