package org.ngvi.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ClassificationMetricsTest {
    private static final double[][] P = {
            {0.7, 0.2, 0.1},  // y=0 correct, conf 0.7 -> bin (0.6, 0.8]
            {0.5, 0.4, 0.1},  // y=1 wrong,   conf 0.5 -> bin (0.4, 0.6]
            {0.2, 0.2, 0.6},  // y=2 correct, conf 0.6 -> bin (0.4, 0.6] (upper edge inclusive)
            {0.0, 0.0, 1.0}}; // y=0 wrong,   conf 1.0 -> bin (0.8, 1.0], p(y)=0 clamped
    private static final int[] Y = {0, 1, 2, 0};

    private static double h(double... p) {
        double s = 0;
        for (double v : p) {
            s -= v > 0 ? v * Math.log(v) : 0;
        }
        return s;
    }

    @Test
    void handComputedValues() {
        ClassificationMetrics m = new ClassificationMetrics(5).add(Nd4j.createFromArray(P), Y);
        MetricsResult r = m.result();
        assertEquals(4, r.examples());
        assertEquals(0.5, r.accuracy(), 1e-15);
        assertEquals((-Math.log(0.7) - Math.log(0.4) - Math.log(0.6) - Math.log(1e-12)) / 4, r.nll(), 1e-12);
        assertEquals((0.14 + 0.62 + 0.24 + 2.0) / 4, r.brier(), 1e-12);
        assertEquals((h(0.7, 0.2, 0.1) + h(0.5, 0.4, 0.1) + h(0.2, 0.2, 0.6) + 0) / 4, r.entropy(), 1e-12);
        // bins: (0.4,0.6]: acc 1/2, conf 0.55; (0.6,0.8]: acc 1, conf 0.7; (0.8,1]: acc 0, conf 1
        assertEquals(2.0 / 4 * 0.05 + 1.0 / 4 * 0.3 + 1.0 / 4 * 1.0, r.ece(), 1e-12);
        assertArrayEquals(new long[] {0, 0, 2, 1, 1}, m.binCounts());
        assertArrayEquals(new long[] {0, 0, 1, 1, 0}, m.binCorrect());
        assertArrayEquals(new double[] {0, 0, 1.1, 0.7, 1.0}, m.binConfidenceSums(), 1e-15);
        assertArrayEquals(new double[] {0.2, 0.4, 0.6, 0.8, 1.0}, m.binUpperEdges(), 1e-15);
    }

    @Test
    void defaultsToFifteenBinsAndTiesGoToTheFirstClass() {
        ClassificationMetrics m = new ClassificationMetrics();
        assertEquals(15, m.bins());
        m.add(new double[] {0.5, 0.5, 0.0}, 3, new int[] {1});
        MetricsResult r = m.result();
        assertEquals(0.0, r.accuracy());
        // conf 0.5 lies in (7/15, 8/15]
        assertEquals(1, m.binCounts()[7]);
        assertEquals(0.5, r.ece(), 1e-15);
        assertEquals(0.25 + 0.25, r.brier(), 1e-15);
    }

    @Test
    void arrayAndNd4jInputsAgreeAndFloatWorks() {
        double[] flat = new double[12];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(P[i], 0, flat, 3 * i, 3);
        }
        // 3 bins: no confidence on an inner bin edge (0.6f is slightly above 0.6, so FLOAT would move it at 5 bins)
        MetricsResult a = new ClassificationMetrics(3).add(flat, 3, Y).result();
        MetricsResult b = new ClassificationMetrics(3).add(Nd4j.createFromArray(P).castTo(DataType.FLOAT), Y).result();
        assertEquals(a.accuracy(), b.accuracy());
        assertEquals(a.ece(), b.ece(), 1e-6);
        assertEquals(a.nll(), b.nll(), 1e-6);
    }

    @Test
    void mergeEqualsAddingEverything() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        ClassificationMetrics all = new ClassificationMetrics(10);
        ClassificationMetrics left = new ClassificationMetrics(10);
        ClassificationMetrics right = new ClassificationMetrics(10);
        for (int batch = 0; batch < 6; batch++) {
            INDArray p = Nd4j.create(DataType.DOUBLE, 7, 4);
            int[] y = new int[7];
            for (int i = 0; i < 7; i++) {
                double s = 0;
                for (int c = 0; c < 4; c++) {
                    double v = Math.exp(3 * rng.nextGaussian());
                    p.putScalar(i, c, v);
                    s += v;
                }
                p.getRow(i).divi(s);
                y[i] = rng.nextInt(4);
            }
            all.add(p, y);
            (batch % 2 == 0 ? left : right).add(p, y);
        }
        // through Java serialization, as Spark ships it
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(right);
        }
        ClassificationMetrics shipped;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            shipped = (ClassificationMetrics) in.readObject();
        }
        MetricsResult merged = left.merge(shipped).result();
        MetricsResult direct = all.result();
        assertEquals(direct.examples(), merged.examples());
        assertEquals(42, merged.examples());
        assertEquals(direct.accuracy(), merged.accuracy(), 1e-15);
        assertEquals(direct.nll(), merged.nll(), 1e-12);
        assertEquals(direct.ece(), merged.ece(), 1e-12);
        assertEquals(direct.brier(), merged.brier(), 1e-12);
        assertEquals(direct.entropy(), merged.entropy(), 1e-12);
        assertArrayEquals(all.binCounts(), left.binCounts());
        assertTrue(direct.ece() > 0 && direct.entropy() > 0);
    }

    @Test
    void emptyAndBadInput() {
        MetricsResult r = new ClassificationMetrics().result();
        assertEquals(0, r.examples());
        assertTrue(Double.isNaN(r.accuracy()));
        assertThrows(IllegalArgumentException.class, () -> new ClassificationMetrics(0));
        assertThrows(IllegalArgumentException.class, () -> new ClassificationMetrics(5).merge(new ClassificationMetrics(6)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClassificationMetrics().add(Nd4j.createFromArray(P), new int[] {0, 1, 3, 0}));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClassificationMetrics().add(Nd4j.createFromArray(P), new int[] {0}));
    }
}
