package org.ngvi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OodMetricsTest {
    @Test
    void handComputedAurocWithATie() {
        double[] in = {0.1, 0.4, 0.35, 0.8};
        double[] ood = {0.9, 0.4, 0.6};
        // 0.9 beats 4; 0.4 beats 0.1, 0.35 and ties 0.4 (2.5); 0.6 beats 3  -> 9.5 of 12 pairs
        assertEquals(9.5 / 12, OodMetrics.auroc(in, ood), 1e-15);
        // swapping the roles gives the complement
        assertEquals(1 - 9.5 / 12, OodMetrics.auroc(ood, in), 1e-15);
    }

    @Test
    void perfectInvertedAndConstantScores() {
        double[] low = {0.0, 0.1, 0.2, 0.3};
        double[] high = {0.5, 0.6, 0.7};
        assertEquals(1.0, OodMetrics.auroc(low, high));
        assertEquals(0.0, OodMetrics.fpr95(low, high));
        assertEquals(0.0, OodMetrics.auroc(high, low));
        assertEquals(1.0, OodMetrics.fpr95(high, low));
        double[] c = {2, 2, 2};
        assertEquals(0.5, OodMetrics.auroc(c, new double[] {2, 2}));
        assertEquals(1.0, OodMetrics.fpr95(c, new double[] {2, 2}), "ties with the threshold are false positives");
        assertEquals(0.5, OodMetrics.auroc(new double[] {-0.0}, new double[] {0.0}), "-0.0 equals 0.0");
        assertEquals(1.0, OodMetrics.auroc(new double[] {Double.NEGATIVE_INFINITY}, new double[] {Double.POSITIVE_INFINITY}));
    }

    @Test
    void handComputedFpr95() {
        double[] ood = new double[20];
        for (int i = 0; i < 20; i++) {
            ood[i] = i + 1; // 1..20: 19 of 20 (95%) are >= 2, so t = 2
        }
        double[] in = {0, 1, 2, 2, 3, 5, 25, -1};
        assertEquals(5.0 / 8, OodMetrics.fpr95(in, ood), 1e-15);
        assertEquals(19, OodMetrics.thresholdRank(20, 0.95));
        assertEquals(3, OodMetrics.thresholdRank(3, 0.95));
        assertEquals(95, OodMetrics.thresholdRank(100, 0.95));
        assertEquals(1, OodMetrics.thresholdRank(1, 0.95));
        // m = 4: k = 4 (3/4 < 0.95), t = 0.5 = the smallest OOD score; the tied 0.5 in-distribution score counts
        assertEquals(2.0 / 3, OodMetrics.fpr95(new double[] {0.5, 0.2, 0.7}, new double[] {0.5, 0.5, 0.5, 0.9}), 1e-15);
        // TPR 0.5 of 1..20: k = 10, t = 11
        assertEquals(1.0 / 8, OodMetrics.fprAtTpr(in, ood, 0.5), 1e-15);
    }

    @Test
    void equalsBruteForceOnRandomScores() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 60; trial++) {
            int n = 1 + rng.nextInt(40);
            int m = 1 + rng.nextInt(40);
            boolean ties = trial % 2 == 0; // integer scores in a small range: many ties
            double[] in = new double[n];
            double[] ood = new double[m];
            for (int i = 0; i < n; i++) {
                in[i] = ties ? rng.nextInt(6) : rng.nextDouble();
            }
            for (int j = 0; j < m; j++) {
                ood[j] = ties ? rng.nextInt(6) + 1 : rng.nextDouble() + 0.3;
            }
            double pairs = 0;
            for (double a : in) {
                for (double b : ood) {
                    pairs += b > a ? 1 : b == a ? 0.5 : 0;
                }
            }
            assertEquals(pairs / (n * (double) m), OodMetrics.auroc(in, ood), 1e-12, "trial " + trial);
            float[] inF = new float[n];
            float[] oodF = new float[m];
            for (int i = 0; i < n; i++) {
                inF[i] = (float) in[i];
            }
            for (int j = 0; j < m; j++) {
                oodF[j] = (float) ood[j];
            }
            if (ties) {
                assertEquals(OodMetrics.auroc(in, ood), OodMetrics.auroc(inF, oodF), 0.0);
                assertEquals(OodMetrics.fpr95(in, ood), OodMetrics.fpr95(inF, oodF), 0.0);
            }
            for (double tpr : new double[] {0.95, 0.5, 1.0, 0.01}) {
                // the largest candidate threshold (an OOD score) whose TPR is at least tpr
                double best = Double.NEGATIVE_INFINITY;
                for (double t : ood) {
                    int hits = 0;
                    for (double b : ood) {
                        hits += b >= t ? 1 : 0;
                    }
                    if (hits / (double) m >= tpr && t > best) {
                        best = t;
                    }
                }
                int fp = 0;
                for (double a : in) {
                    fp += a >= best ? 1 : 0;
                }
                assertEquals(fp / (double) n, OodMetrics.fprAtTpr(in, ood, tpr), 1e-15, "trial " + trial + " tpr " + tpr);
            }
        }
    }

    @Test
    void largeSetsStayExact() {
        int n = 200_000;
        double[] in = new double[n];
        double[] ood = new double[n];
        for (int i = 0; i < n; i++) {
            in[i] = i % 1000;
            ood[i] = i % 1000 + 500; // for ood value v: #{in < v} = 1000·min(v,1000)... counted exactly
        }
        // per ood value v = 500..1499 (200 copies each): 200 in-copies of every value < v, ½ of those = v
        double twiceU = 0;
        for (int v = 500; v < 1500; v++) {
            twiceU += 200.0 * (2 * 200.0 * Math.min(v, 1000) + (v < 1000 ? 200 : 0));
        }
        assertEquals(twiceU / (2.0 * n * n), OodMetrics.auroc(in, ood), 1e-15);
        assertTrue(OodMetrics.auroc(in, ood) > 0.8);
    }

    @Test
    void badInputIsAClearError() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OodMetrics.auroc(new double[0], new double[] {1}))
                .getMessage().contains("no in-distribution scores"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OodMetrics.fpr95(new double[] {1}, new double[] {0, Double.NaN}))
                .getMessage().contains("out-of-distribution score 1 is NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OodMetrics.fprAtTpr(new double[] {1}, new double[] {1}, 0))
                .getMessage().contains("(0, 1]"));
    }
}
