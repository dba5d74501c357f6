package org.ngvi.spark.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.ngvi.spark.eval.Serialization.roundTrip;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ngvi.metrics.EntropyDecomposition;

/** Entropy histograms bin like the formula, merge like their parts, and ride along in prediction summaries. */
class ScoreHistogramTest {
    @Test
    void densitiesIntegrateToOne() {
        ScoreHistogram h = new ScoreHistogram(4, 0, 2); // w = 0.5
        for (double v : new double[] {0.1, 0.6, 0.7, 0.8, 1.6, 1.7, 1.8, 1.9}) {
            h.add(v);
        }
        double[] d = h.densities(); // counts 1, 3, 0, 4 of N = 8
        assertArrayEquals(new double[] {0.25, 0.75, 0, 1.0}, d, 1e-15);
        double integral = 0;
        for (double v : d) {
            integral += v * 0.5;
        }
        assertEquals(1.0, integral, 1e-15);
        assertArrayEquals(new double[3], new ScoreHistogram(3, 0, 1).densities(), "empty: all 0");
        assertEquals(1.5, h.edge(3), 1e-15);
        assertEquals(2.0, h.edge(4), 1e-15);
    }

    @Test
    void binsAreHalfOpenWithClampedEnds() {
        ScoreHistogram h = new ScoreHistogram(4, 0, 2);
        assertEquals(0, h.binOf(0));
        assertEquals(0, h.binOf(0.4999));
        assertEquals(1, h.binOf(0.5));
        assertEquals(3, h.binOf(1.9));
        assertEquals(3, h.binOf(2.0), "hi goes to the last bin");
        assertEquals(3, h.binOf(2.0000001), "a rounding error above log C too");
        assertEquals(0, h.binOf(-1e-9));
        assertThrows(IllegalArgumentException.class, () -> h.binOf(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ScoreHistogram(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ScoreHistogram(3, 1, 1));
    }

    @Test
    void partsMergeToTheWholeAcrossSerialization() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        ScoreHistogram whole = new ScoreHistogram(10, 0, Math.log(10));
        ScoreHistogram a = new ScoreHistogram(10, 0, Math.log(10));
        ScoreHistogram b = new ScoreHistogram(10, 0, Math.log(10));
        for (int i = 0; i < 1000; i++) {
            double v = r.nextDouble() * Math.log(10);
            whole.add(v);
            (i % 3 == 0 ? a : b).add(v);
        }
        ScoreHistogram merged = a.merge(roundTrip(b));
        assertArrayEquals(whole.counts(), merged.counts());
        assertEquals(1000, merged.total());
        assertThrows(IllegalArgumentException.class, () -> a.merge(new ScoreHistogram(10, 0, 1)));
    }

    @Test
    void predictionSummariesCarryTheEntropyHistogramOverZeroToLogC() throws Exception {
        double[] probs = {0.5, 0.5, 0.9, 0.1, 1.0, 0.0};
        PredictionSummary first = new PredictionSummary(5, true, false).add(new double[] {0.5, 0.5}, 2, new int[] {0}, null);
        PredictionSummary rest = new PredictionSummary(5, true, false)
                .add(java.util.Arrays.copyOfRange(probs, 2, 6), 2, new int[] {0, 0}, null);
        PredictionSummary empty = new PredictionSummary(5, true, false);
        assertNull(empty.entropyHistogram());
        PredictionSummary merged = empty.merge(first).merge(roundTrip(rest));
        ScoreHistogram h = merged.entropyHistogram();
        assertEquals(PredictionSummary.ENTROPY_BINS, h.bins());
        assertEquals(0.0, h.lo());
        assertEquals(Math.log(2), h.hi(), 1e-15);
        long[] expected = new long[PredictionSummary.ENTROPY_BINS];
        expected[PredictionSummary.ENTROPY_BINS - 1]++;                                    // H = log 2
        expected[h.binOf(EntropyDecomposition.entropy(probs, 2, 2))]++;                   // H(0.9, 0.1) = 0.325
        expected[0]++;                                                                      // H = 0
        assertArrayEquals(expected, h.counts());
    }
}
