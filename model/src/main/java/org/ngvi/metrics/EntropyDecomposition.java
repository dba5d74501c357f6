package org.ngvi.metrics;

import java.io.Serializable;

/**
 * A mergeable accumulator of the decomposition of the predictive entropy of an MC ensemble into
 * its expected (aleatoric) part and the mutual information (epistemic part, BALD; Houlsby et al.
 * 2011, Gal et al. 2017). Per example, with K weight samples giving class probabilities p_k and
 * their mean p̄ = (1/K) Σ_k p_k:
 * <pre>
 *   H[p̄] = −Σ_c p̄_c log p̄_c                       (predictive entropy)
 *   E    = (1/K) Σ_k H[p_k]                          (expected entropy, McPredictor's meanSampleEntropy)
 *   I    = max(0, H[p̄] − E)                          (mutual information between y and θ)
 * </pre>
 * I ≥ 0 by Jensen's inequality; the clamp only removes negative rounding residue of float32
 * probabilities. For a point estimate (K = 0, mean weights) E = H[p̄] and I = 0 exactly.
 * {@link #add} examples, {@link #merge} partial accumulators (Spark's {@code treeAggregate}),
 * read the means. Not thread-safe.
 */
public final class EntropyDecomposition implements Serializable {
    private static final long serialVersionUID = 1L;

    private long examples;
    private double entropySum;
    private double expectedEntropySum;
    private double mutualInformationSum;

    /** H[p] = −Σ_c p_c log p_c of {@code p[off, off + k)}, with 0 log 0 = 0 (as {@link ClassificationMetrics}). */
    public static double entropy(double[] p, int off, int k) {
        double h = 0;
        for (int c = 0; c < k; c++) {
            double v = p[off + c];
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return h;
    }

    /** I = max(0, H[p̄] − E). */
    public static double mutualInformation(double predictiveEntropy, double expectedEntropy) {
        return Math.max(0.0, predictiveEntropy - expectedEntropy);
    }

    /** Adds one example with predictive entropy H[p̄] and expected entropy E. */
    public EntropyDecomposition add(double predictiveEntropy, double expectedEntropy) {
        examples++;
        entropySum += predictiveEntropy;
        expectedEntropySum += expectedEntropy;
        mutualInformationSum += mutualInformation(predictiveEntropy, expectedEntropy);
        return this;
    }

    /**
     * Adds a batch.
     *
     * @param probs           row-major {@code [B, numClasses]} averaged probabilities p̄
     * @param numClasses      classes per row
     * @param expectedEntropy B values E, or {@code null} for a point estimate (E = H[p̄], I = 0)
     */
    public EntropyDecomposition add(double[] probs, int numClasses, double[] expectedEntropy) {
        if (numClasses < 1 || probs.length % numClasses != 0) {
            throw new IllegalArgumentException(probs.length + " probabilities do not form rows of " + numClasses);
        }
        int b = probs.length / numClasses;
        if (expectedEntropy != null && expectedEntropy.length != b) {
            throw new IllegalArgumentException(b + " probability rows but " + expectedEntropy.length + " expected entropies");
        }
        for (int i = 0; i < b; i++) {
            double h = entropy(probs, i * numClasses, numClasses);
            add(h, expectedEntropy == null ? h : expectedEntropy[i]);
        }
        return this;
    }

    /** Adds {@code other}'s examples; returns this. */
    public EntropyDecomposition merge(EntropyDecomposition other) {
        examples += other.examples;
        entropySum += other.entropySum;
        expectedEntropySum += other.expectedEntropySum;
        mutualInformationSum += other.mutualInformationSum;
        return this;
    }

    public long examples() {
        return examples;
    }

    /** (1/N) Σ H[p̄]; NaN when empty. */
    public double meanEntropy() {
        return examples == 0 ? Double.NaN : entropySum / examples;
    }

    /** (1/N) Σ E; NaN when empty. */
    public double meanExpectedEntropy() {
        return examples == 0 ? Double.NaN : expectedEntropySum / examples;
    }

    /** (1/N) Σ I; NaN when empty. */
    public double meanMutualInformation() {
        return examples == 0 ? Double.NaN : mutualInformationSum / examples;
    }
}
