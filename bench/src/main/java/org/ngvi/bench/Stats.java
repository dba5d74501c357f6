package org.ngvi.bench;

import java.util.Arrays;
import java.util.Locale;

/** Median and p10/p90 of a sample of timings (milliseconds). */
record Stats(double median, double p10, double p90, int n) {
    static Stats of(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return new Stats(q(s, 0.5), q(s, 0.1), q(s, 0.9), s.length);
    }

    private static double q(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "median %.2f ms (p10 %.2f, p90 %.2f, n=%d)", median, p10, p90, n);
    }
}
