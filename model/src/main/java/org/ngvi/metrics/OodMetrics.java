package org.ngvi.metrics;

import java.util.Arrays;

/**
 * Out-of-distribution detection metrics of a scalar score that should be larger on
 * out-of-distribution (OOD, the positive class) than on in-distribution (ID) examples, such as
 * the predictive entropy or the mutual information (Hendrycks &amp; Gimpel, ICLR 2017; Osawa et al.
 * 2019, Sec. 4.3). Both are exact and use no binning.
 *
 * <p>With ID scores a₁..a_n and OOD scores b₁..b_m:
 * <ul>
 *   <li>AUROC = (1/(n m)) Σ_i Σ_j ( 1[b_j &gt; a_i] + ½ 1[b_j = a_i] ), the probability that a random
 *       OOD example scores above a random ID example with ties counted as ½. This is the
 *       Mann–Whitney statistic U / (n m) with U = R_OOD − m(m+1)/2 and R_OOD the sum of the OOD
 *       examples' mid-ranks in the pooled sample; it is computed by sorting, in
 *       O((n + m) log(n + m)), with the doubled count 2U held as an exact {@code long}.</li>
 *   <li>FPR at TPR r (r = 0.95 for {@link #fpr95}): let k = min{k ≥ 1 : k/m ≥ r} (k/m as a
 *       correctly rounded double quotient, so 19/20 ≥ 0.95 holds) and t the k-th largest OOD score
 *       (counted with multiplicity). An example is flagged OOD when its score is ≥ t, so at least
 *       k OOD examples are flagged; FPR = #{i : a_i ≥ t} / n. Ties: every OOD example tied with t
 *       is flagged (the TPR may exceed r) and every ID example tied with t counts as a false
 *       positive, i.e. the threshold is never placed between equal scores.</li>
 * </ul>
 * NaN scores are rejected; ±∞ are ordinary values. −0.0 and 0.0 are equal.
 */
public final class OodMetrics {
    /** The TPR of {@link #fpr95}. */
    public static final double TPR_95 = 0.95;

    private OodMetrics() {
    }

    /** AUROC of {@code ood} (positives) against {@code inDistribution}; see the class comment. */
    public static double auroc(double[] inDistribution, double[] ood) {
        double[] a = sortedCopy(inDistribution, "in-distribution");
        double[] b = sortedCopy(ood, "out-of-distribution");
        // 2U = Σ_j (2 #{a < b_j} + #{a = b_j}); a and b ascending, so both counts only grow with j
        long twiceU = 0;
        int less = 0;
        int lessOrEqual = 0;
        for (double v : b) {
            while (less < a.length && a[less] < v) {
                less++;
            }
            if (lessOrEqual < less) {
                lessOrEqual = less;
            }
            while (lessOrEqual < a.length && a[lessOrEqual] <= v) {
                lessOrEqual++;
            }
            twiceU += 2L * less + (lessOrEqual - less);
        }
        return twiceU / (2.0 * a.length * (double) b.length);
    }

    /** {@link #auroc(double[], double[])} of float scores (converted exactly). */
    public static double auroc(float[] inDistribution, float[] ood) {
        return auroc(toDouble(inDistribution), toDouble(ood));
    }

    /** FPR at 95% TPR: {@link #fprAtTpr} with r = 0.95. */
    public static double fpr95(double[] inDistribution, double[] ood) {
        return fprAtTpr(inDistribution, ood, TPR_95);
    }

    /** {@link #fpr95(double[], double[])} of float scores (converted exactly). */
    public static double fpr95(float[] inDistribution, float[] ood) {
        return fpr95(toDouble(inDistribution), toDouble(ood));
    }

    /**
     * False-positive rate at true-positive rate {@code tpr} ∈ (0, 1]; see the class comment for the
     * threshold and its ties.
     */
    public static double fprAtTpr(double[] inDistribution, double[] ood, double tpr) {
        if (!(tpr > 0 && tpr <= 1)) {
            throw new IllegalArgumentException("true-positive rate must be in (0, 1], got " + tpr);
        }
        double[] b = sortedCopy(ood, "out-of-distribution");
        checkScores(inDistribution, "in-distribution");
        int m = b.length;
        int k = thresholdRank(m, tpr);
        double t = b[m - k];
        long flagged = 0;
        for (double a : inDistribution) {
            if (a >= t) {
                flagged++;
            }
        }
        return flagged / (double) inDistribution.length;
    }

    /** k = min{k ≥ 1 : k/m ≥ tpr}. */
    static int thresholdRank(int m, double tpr) {
        int k = Math.max(1, Math.min(m, (int) Math.ceil(tpr * m)));
        while (k > 1 && (k - 1) / (double) m >= tpr) {
            k--;
        }
        while (k < m && k / (double) m < tpr) {
            k++;
        }
        return k;
    }

    private static double[] sortedCopy(double[] scores, String what) {
        checkScores(scores, what);
        double[] c = scores.clone();
        Arrays.sort(c);
        return c;
    }

    private static void checkScores(double[] scores, String what) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no " + what + " scores: OOD metrics need at least one example of each set");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException(what + " score " + i + " is NaN");
            }
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
