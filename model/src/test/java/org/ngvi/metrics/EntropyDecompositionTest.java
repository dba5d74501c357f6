package org.ngvi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EntropyDecompositionTest {
    @Test
    void disagreeingConfidentSamplesAreAllMutualInformation() {
        // K = 2 samples (1, 0) and (0, 1): p̄ = (½, ½), H = log 2, E = 0, I = log 2
        EntropyDecomposition d = new EntropyDecomposition().add(new double[] {0.5, 0.5}, 2, new double[] {0.0});
        assertEquals(Math.log(2), d.meanEntropy(), 1e-15);
        assertEquals(0.0, d.meanExpectedEntropy());
        assertEquals(Math.log(2), d.meanMutualInformation(), 1e-15);
        // agreeing samples (½, ½) twice: E = H, I = 0
        d.add(new double[] {0.5, 0.5}, 2, new double[] {Math.log(2)});
        assertEquals(Math.log(2) / 2, d.meanMutualInformation(), 1e-15);
        assertEquals(2, d.examples());
    }

    @Test
    void pointEstimateHasZeroMutualInformationAndRoundingIsClamped() {
        EntropyDecomposition d = new EntropyDecomposition().add(new double[] {0.7, 0.2, 0.1, 0, 0, 1}, 3, null);
        double h = -(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1));
        assertEquals(h / 2, d.meanEntropy(), 1e-15);
        assertEquals(0.0, d.meanMutualInformation());
        assertEquals(0.0, EntropyDecomposition.mutualInformation(0.5, 0.5000001));
        assertTrue(Double.isNaN(new EntropyDecomposition().meanMutualInformation()));
    }

    @Test
    void mergingPartsEqualsOneAccumulatorAndSurvivesSerialization() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        EntropyDecomposition all = new EntropyDecomposition();
        EntropyDecomposition a = new EntropyDecomposition();
        EntropyDecomposition b = new EntropyDecomposition();
        for (int i = 0; i < 50; i++) {
            double[] p = {rng.nextDouble(), 0, 0};
            p[1] = (1 - p[0]) * rng.nextDouble();
            p[2] = 1 - p[0] - p[1];
            double e = EntropyDecomposition.entropy(p, 0, 3) * rng.nextDouble();
            all.add(p, 3, new double[] {e});
            (i % 3 == 0 ? a : b).add(p, 3, new double[] {e});
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(b);
        }
        EntropyDecomposition b2;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            b2 = (EntropyDecomposition) in.readObject();
        }
        a.merge(b2);
        assertEquals(all.examples(), a.examples());
        assertEquals(all.meanEntropy(), a.meanEntropy(), 1e-12);
        assertEquals(all.meanExpectedEntropy(), a.meanExpectedEntropy(), 1e-12);
        assertEquals(all.meanMutualInformation(), a.meanMutualInformation(), 1e-12);
        assertTrue(all.meanMutualInformation() > 0);
    }

    @Test
    void mismatchedBatchIsAClearError() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new EntropyDecomposition().add(new double[] {0.5, 0.5, 1, 0}, 2, new double[] {0}))
                .getMessage().contains("2 probability rows but 1 expected entropies"));
    }
}
