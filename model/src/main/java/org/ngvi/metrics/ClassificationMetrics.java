package org.ngvi.metrics;

import java.io.Serializable;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A mergeable accumulator of classification metrics on plain Java arrays, for Spark's
 * {@code aggregate}/{@code treeAggregate}: {@link #add} batches of predictive probabilities
 * and labels, {@link #merge} partial results, read {@link #result()}. Adding all batches to one
 * accumulator and merging accumulators of a partition of them give the same result (up to
 * floating-point summation order).
 *
 * <p>Per example with probabilities p (K classes), label y, confidence c = max_k p_k and
 * prediction ŷ = argmax_k p_k (first on ties):
 * <ul>
 *   <li>accuracy: 1[ŷ = y];</li>
 *   <li>NLL: −log max(p_y, 1e-12);</li>
 *   <li>Brier: Σ_k (p_k − 1[y = k])²;</li>
 *   <li>entropy: −Σ_k p_k log p_k (0 log 0 = 0);</li>
 *   <li>ECE (Guo et al. 2017): M equal-width bins over confidence, bin b = ((b−1)/M, b/M]
 *       (confidence 0 goes to the first bin); ECE = Σ_b (n_b/N) |acc_b − conf_b| with acc_b and
 *       conf_b the mean accuracy and confidence of the bin.</li>
 * </ul>
 * Per-bin counts, confidence sums and correct counts are kept and exposed for reliability
 * diagrams. Not thread-safe.
 */
public final class ClassificationMetrics implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Lower clamp of p(y) in the NLL. */
    public static final double MIN_PROB = 1e-12;
    public static final int DEFAULT_BINS = 15;

    private final int bins;
    private long examples;
    private long correct;
    private double nllSum;
    private double brierSum;
    private double entropySum;
    private final long[] binCounts;
    private final double[] binConfidenceSums;
    private final long[] binCorrect;

    public ClassificationMetrics() {
        this(DEFAULT_BINS);
    }

    /** @param bins number M of equal-width confidence bins for ECE (≥ 1) */
    public ClassificationMetrics(int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("number of ECE bins must be >= 1, got " + bins);
        }
        this.bins = bins;
        this.binCounts = new long[bins];
        this.binConfidenceSums = new double[bins];
        this.binCorrect = new long[bins];
    }

    /**
     * Adds a batch.
     *
     * @param probs  {@code [B, K]} predictive probabilities (rows sum to 1)
     * @param labels B labels in [0, K)
     */
    public ClassificationMetrics add(INDArray probs, int[] labels) {
        if (probs.rank() != 2) {
            throw new IllegalArgumentException("probabilities must be [B, K], got shape " + Arrays.toString(probs.shape()));
        }
        int b = Math.toIntExact(probs.size(0));
        int k = Math.toIntExact(probs.size(1));
        checkLabels(labels, b, k);
        double[][] rows = probs.toDoubleMatrix();
        for (int i = 0; i < b; i++) {
            addRow(rows[i], 0, k, labels[i]);
        }
        return this;
    }

    /**
     * Adds a batch given as a row-major {@code double[B·K]} (no ND4J needed).
     */
    public ClassificationMetrics add(double[] probs, int numClasses, int[] labels) {
        if (numClasses < 1 || probs.length != (long) labels.length * numClasses) {
            throw new IllegalArgumentException(probs.length + " probabilities do not form " + labels.length + " rows of " + numClasses);
        }
        checkLabels(labels, labels.length, numClasses);
        for (int i = 0; i < labels.length; i++) {
            addRow(probs, i * numClasses, numClasses, labels[i]);
        }
        return this;
    }

    private void addRow(double[] p, int off, int k, int label) {
        double conf = Double.NEGATIVE_INFINITY;
        int pred = 0;
        double brier = 0;
        double h = 0;
        for (int c = 0; c < k; c++) {
            double v = p[off + c];
            if (v > conf) {
                conf = v;
                pred = c;
            }
            double t = v - (c == label ? 1.0 : 0.0);
            brier += t * t;
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        addExample(pred == label, conf, p[off + label], brier, h);
    }

    private void addExample(boolean isCorrect, double conf, double pTrue, double brier, double entropy) {
        examples++;
        if (isCorrect) {
            correct++;
        }
        nllSum += -Math.log(Math.max(pTrue, MIN_PROB));
        brierSum += brier;
        entropySum += entropy;
        int bin = binOf(conf);
        binCounts[bin]++;
        binConfidenceSums[bin] += conf;
        if (isCorrect) {
            binCorrect[bin]++;
        }
    }

    /** Bin of confidence c: b with b/M < c ≤ (b+1)/M (0-based), clamped to [0, M−1]. */
    int binOf(double conf) {
        int bin = (int) Math.ceil(conf * bins) - 1;
        return Math.max(0, Math.min(bins - 1, bin));
    }

    private static void checkLabels(int[] labels, int b, int k) {
        if (labels.length != b) {
            throw new IllegalArgumentException(b + " probability rows but " + labels.length + " labels");
        }
        for (int i = 0; i < b; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " outside [0, " + k + ")");
            }
        }
    }

    /** Adds {@code other}'s examples to this accumulator (same number of bins); returns this. */
    public ClassificationMetrics merge(ClassificationMetrics other) {
        if (other.bins != bins) {
            throw new IllegalArgumentException("cannot merge metrics with " + other.bins + " ECE bins into one with " + bins);
        }
        examples += other.examples;
        correct += other.correct;
        nllSum += other.nllSum;
        brierSum += other.brierSum;
        entropySum += other.entropySum;
        for (int i = 0; i < bins; i++) {
            binCounts[i] += other.binCounts[i];
            binConfidenceSums[i] += other.binConfidenceSums[i];
            binCorrect[i] += other.binCorrect[i];
        }
        return this;
    }

    /** The metrics so far; all NaN except {@code examples} = 0 when empty. */
    public MetricsResult result() {
        if (examples == 0) {
            return new MetricsResult(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double n = examples;
        double ece = 0;
        for (int i = 0; i < bins; i++) {
            if (binCounts[i] > 0) {
                double acc = binCorrect[i] / (double) binCounts[i];
                double conf = binConfidenceSums[i] / binCounts[i];
                ece += binCounts[i] / n * Math.abs(acc - conf);
            }
        }
        return new MetricsResult(examples, correct / n, nllSum / n, ece, brierSum / n, entropySum / n);
    }

    public long examples() {
        return examples;
    }

    public int bins() {
        return bins;
    }

    /** Upper edges of the confidence bins, (b+1)/M. */
    public double[] binUpperEdges() {
        double[] e = new double[bins];
        for (int i = 0; i < bins; i++) {
            e[i] = (i + 1) / (double) bins;
        }
        return e;
    }

    /** Examples per confidence bin (a copy). */
    public long[] binCounts() {
        return binCounts.clone();
    }

    /** Sum of confidences per bin (a copy); divide by {@link #binCounts()} for conf_b. */
    public double[] binConfidenceSums() {
        return binConfidenceSums.clone();
    }

    /** Correct predictions per bin (a copy); divide by {@link #binCounts()} for acc_b. */
    public long[] binCorrect() {
        return binCorrect.clone();
    }
}
