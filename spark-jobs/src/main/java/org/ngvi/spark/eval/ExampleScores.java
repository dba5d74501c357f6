package org.ngvi.spark.eval;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-example uncertainty scores of a data set as float arrays, mergeable for Spark's
 * {@code treeAggregate} (merging appends): the predictive entropy H[p̄] and the mutual information
 * I = H[p̄] − (1/K) Σ_k H[p_k] of every example, in no particular order (partition order, then
 * row order). Memory: 4 bytes per example per score, 8 bytes per example in all (8 MB per million
 * examples), on the executors while merging and on the driver at the end.
 */
public final class ExampleScores implements Serializable {
    private static final long serialVersionUID = 1L;

    private float[] entropy = new float[0];
    private float[] mutualInformation = new float[0];
    private int size;

    /** Appends one example's scores (rounded to float). */
    public ExampleScores add(double predictiveEntropy, double mutualInfo) {
        if (size == entropy.length) {
            grow(Math.max(16, Math.min(Integer.MAX_VALUE - 8, 2L * size)));
        }
        entropy[size] = (float) predictiveEntropy;
        mutualInformation[size] = (float) mutualInfo;
        size++;
        return this;
    }

    /** Appends {@code other}'s examples; returns this. */
    public ExampleScores merge(ExampleScores other) {
        int n = Math.addExact(size, other.size);
        if (n > entropy.length) {
            grow(n);
        }
        System.arraycopy(other.entropy, 0, entropy, size, other.size);
        System.arraycopy(other.mutualInformation, 0, mutualInformation, size, other.size);
        size = n;
        return this;
    }

    /** Drops unused capacity (before the scores leave a task); returns this. */
    public ExampleScores trim() {
        if (entropy.length != size) {
            grow(size);
        }
        return this;
    }

    private void grow(long capacity) {
        int c = Math.toIntExact(capacity);
        entropy = Arrays.copyOf(entropy, c);
        mutualInformation = Arrays.copyOf(mutualInformation, c);
    }

    /** Number of examples. */
    public int size() {
        return size;
    }

    /** Predictive entropies H[p̄] (a copy). */
    public float[] entropy() {
        return Arrays.copyOf(entropy, size);
    }

    /** Mutual informations I (a copy; all 0 for point estimates). */
    public float[] mutualInformation() {
        return Arrays.copyOf(mutualInformation, size);
    }
}
