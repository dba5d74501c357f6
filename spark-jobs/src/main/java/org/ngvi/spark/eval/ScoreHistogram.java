package org.ngvi.spark.eval;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Counts of a per-example score (the predictive entropy) in M equal-width bins of [lo, hi], a
 * mergeable accumulator for Spark's {@code treeAggregate}: each task bins its own examples and only
 * the M counts travel, never the examples. Bin of a value v:
 * <pre>
 *   b(v) = clamp(⌊(v − lo) / (hi − lo) · M⌋, 0, M − 1)
 * </pre>
 * (values outside [lo, hi], such as an entropy a rounding error above log C, go to the end bins;
 * v = hi goes to the last bin). NaN is rejected. Not thread-safe.
 */
public final class ScoreHistogram implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double lo;
    private final double hi;
    private final long[] counts;

    /** An empty histogram of {@code bins} bins over [lo, hi]. */
    public ScoreHistogram(int bins, double lo, double hi) {
        if (bins < 1 || !(hi > lo) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException("a histogram needs bins >= 1 and a finite range lo < hi, got " + bins
                    + " bins over [" + lo + ", " + hi + "]");
        }
        this.lo = lo;
        this.hi = hi;
        this.counts = new long[bins];
    }

    /** Bin index b(v) (see the class comment). */
    public int binOf(double v) {
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("cannot bin NaN");
        }
        double t = Math.floor((v - lo) / (hi - lo) * counts.length);
        return (int) Math.max(0, Math.min(counts.length - 1, t));
    }

    /** Counts {@code v}; returns this. */
    public ScoreHistogram add(double v) {
        counts[binOf(v)]++;
        return this;
    }

    /** Adds {@code other}'s counts (same bins and range); returns this. */
    public ScoreHistogram merge(ScoreHistogram other) {
        if (other.counts.length != counts.length || other.lo != lo || other.hi != hi) {
            throw new IllegalArgumentException("cannot merge a histogram of " + other.counts.length + " bins over [" + other.lo
                    + ", " + other.hi + "] into one of " + counts.length + " bins over [" + lo + ", " + hi + "]");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        return this;
    }

    public int bins() {
        return counts.length;
    }

    public double lo() {
        return lo;
    }

    public double hi() {
        return hi;
    }

    /** Examples per bin (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /**
     * The normalised density over the bins: with counts n_i, N = Σ n_i and bin width
     * w = (hi − lo)/M, d_i = n_i / (N w), so that Σ_i d_i w = 1 (all 0 when N = 0). Histograms of
     * sets of different sizes compare by their densities.
     */
    public double[] densities() {
        long n = total();
        double w = (hi - lo) / counts.length;
        double[] d = new double[counts.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = n == 0 ? 0 : counts[i] / (n * w);
        }
        return d;
    }

    /** Left edge lo + i (hi − lo)/M of bin i (i = M gives hi). */
    public double edge(int i) {
        return lo + (hi - lo) * i / counts.length;
    }

    /** Number of examples counted. */
    public long total() {
        return Arrays.stream(counts).sum();
    }
}
