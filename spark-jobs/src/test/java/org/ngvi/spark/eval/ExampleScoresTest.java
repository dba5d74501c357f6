package org.ngvi.spark.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.ngvi.spark.eval.Serialization.roundTrip;

import org.junit.jupiter.api.Test;
import org.ngvi.metrics.EntropyDecomposition;

/** Per-example scores append on merge and survive Spark's Java serialization; summaries merge like their parts. */
class ExampleScoresTest {
    @Test
    void mergeAppendsAcrossGrowthAndSerialization() throws Exception {
        ExampleScores a = new ExampleScores();
        ExampleScores b = new ExampleScores();
        for (int i = 0; i < 40; i++) {
            a.add(i, i / 10.0);
        }
        for (int i = 0; i < 3; i++) {
            b.add(100 + i, 0);
        }
        ExampleScores merged = a.merge(roundTrip(b.trim()));
        assertEquals(43, merged.size());
        assertEquals(39f, merged.entropy()[39]);
        assertEquals(3.9f, merged.mutualInformation()[39]);
        assertArrayEquals(new float[] {100, 101, 102}, java.util.Arrays.copyOfRange(merged.entropy(), 40, 43));
        assertEquals(0, new ExampleScores().merge(new ExampleScores()).size());
    }

    @Test
    void summariesOfPartsMergeToTheWhole() throws Exception {
        double[] probs = {0.5, 0.5, 0.9, 0.1, 0.2, 0.8};
        double[] expected = {0.0, 0.3, 0.5};
        int[] labels = {0, 0, 1};
        PredictionSummary whole = new PredictionSummary(5, true, true).add(probs, 2, labels, expected);
        PredictionSummary first = new PredictionSummary(5, true, true)
                .add(java.util.Arrays.copyOfRange(probs, 0, 2), 2, new int[] {0}, new double[] {0.0});
        PredictionSummary rest = new PredictionSummary(5, true, true)
                .add(java.util.Arrays.copyOfRange(probs, 2, 6), 2, new int[] {0, 1}, new double[] {0.3, 0.5});
        PredictionSummary merged = first.merge(roundTrip(rest.trim()));
        assertEquals(whole.metrics().result(), merged.metrics().result());
        assertEquals(whole.uncertainty().meanMutualInformation(), merged.uncertainty().meanMutualInformation(), 1e-15);
        assertArrayEquals(whole.scores().entropy(), merged.scores().entropy());
        assertEquals((float) Math.log(2), merged.scores().mutualInformation()[0]);
        double h3 = EntropyDecomposition.entropy(probs, 4, 2);
        assertEquals((float) (h3 - 0.5), merged.scores().mutualInformation()[2]);
        // unlabelled (OOD) summaries read no labels: out-of-range ones are fine
        PredictionSummary ood = new PredictionSummary(5, false, false).add(probs, 2, new int[] {7, 9, 11}, null);
        assertNull(ood.metrics());
        assertNull(ood.scores());
        assertEquals(0.0, ood.uncertainty().meanMutualInformation());
        assertThrows(IllegalArgumentException.class, () -> ood.merge(whole));
    }
}
