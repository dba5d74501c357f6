package org.ngvi.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;
import org.ngvi.tensor.ParamSpec;

class GaussianNoiseTest {
    private static final ParamLayout LAYOUT = new ParamLayout(List.of(
            new ParamSpec("0.weight", new long[] {30, 20}), new ParamSpec("0.bias", new long[] {30})));

    private static double[] draw(GaussianNoise noise, long step, int sample, DataType dt) {
        FlatTensor eps = FlatTensor.zeros(LAYOUT, dt);
        noise.fill(step, sample, eps);
        return eps.flat().castTo(DataType.DOUBLE).toDoubleVector();
    }

    @Test
    void sameKeyGivesSameValuesRegardlessOfCallOrderAndPrefetch() {
        double[] a;
        double[] b;
        double[] c;
        try (GaussianNoise n1 = new GaussianNoise(42, 2)) {
            a = draw(n1, 0, 0, DataType.DOUBLE);
            b = draw(n1, 0, 1, DataType.DOUBLE); // served by the prefetch
            c = draw(n1, 5, 1, DataType.DOUBLE); // a miss: drawn synchronously
        }
        try (GaussianNoise n2 = new GaussianNoise(42, 3)) {
            assertArrayEquals(c, draw(n2, 5, 1, DataType.DOUBLE));
            assertArrayEquals(b, draw(n2, 0, 1, DataType.DOUBLE));
            assertArrayEquals(a, draw(n2, 0, 0, DataType.DOUBLE));
            assertArrayEquals(a, draw(n2, 0, 0, DataType.DOUBLE)); // repeated
        }
        GaussianNoise closed = new GaussianNoise(42, 2);
        closed.close();
        assertArrayEquals(b, draw(closed, 0, 1, DataType.DOUBLE)); // synchronous after close
    }

    @Test
    void differentSeedStepOrSampleGiveDifferentValues() {
        try (GaussianNoise n = new GaussianNoise(7, 2); GaussianNoise other = new GaussianNoise(8, 2)) {
            double[] base = draw(n, 3, 0, DataType.DOUBLE);
            assertFalse(Arrays.equals(base, draw(n, 3, 1, DataType.DOUBLE)));
            assertFalse(Arrays.equals(base, draw(n, 4, 0, DataType.DOUBLE)));
            assertFalse(Arrays.equals(base, draw(other, 3, 0, DataType.DOUBLE)));
            assertFalse(Arrays.equals(draw(n, 0, 1, DataType.DOUBLE), draw(n, 1, 0, DataType.DOUBLE)));
        }
    }

    @Test
    void floatValuesAreTheRoundedDoubleValues() {
        try (GaussianNoise n = new GaussianNoise(11, 1)) {
            double[] d = draw(n, 2, 0, DataType.DOUBLE);
            double[] f = draw(n, 2, 0, DataType.FLOAT);
            for (int i = 0; i < d.length; i++) {
                assertEquals((float) d[i], (float) f[i], 0.0f);
            }
            // alternating data types through the prefetch stays consistent
            double[] f3 = draw(n, 3, 0, DataType.FLOAT);
            double[] d3 = draw(n, 3, 0, DataType.DOUBLE);
            for (int i = 0; i < d3.length; i++) {
                assertEquals((float) d3[i], (float) f3[i], 0.0f);
            }
        }
    }

    @Test
    void valuesAreStandardNormal() {
        ParamLayout big = new ParamLayout(List.of(new ParamSpec("w", new long[] {200_000})));
        FlatTensor eps = FlatTensor.zeros(big, DataType.FLOAT);
        try (GaussianNoise n = new GaussianNoise(123, 1)) {
            n.fill(0, 0, eps);
        }
        double[] v = eps.flat().castTo(DataType.DOUBLE).toDoubleVector();
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        // standard errors: mean 1/sqrt(n) = 0.0022, variance sqrt(2/n) = 0.0032
        assertEquals(0, mean, 0.012);
        assertEquals(1, var, 0.016);
        long beyond3 = Arrays.stream(v).filter(x -> Math.abs(x) > 3).count();
        assertTrue(beyond3 > 200 && beyond3 < 900, "tail count " + beyond3 + " (expected ~540)");
    }

    @Test
    void fillsViewsWithOffsetsAndRejectsOtherTypes() {
        org.nd4j.linalg.api.ndarray.INDArray big = org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, LAYOUT.totalSize() + 10);
        FlatTensor view = FlatTensor.wrap(LAYOUT, big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(10, 10 + LAYOUT.totalSize())));
        try (GaussianNoise n = new GaussianNoise(5, 1)) {
            n.fill(1, 0, view);
            assertArrayEquals(draw(n, 1, 0, DataType.DOUBLE), view.flat().toDoubleVector());
            for (int i = 0; i < 10; i++) {
                assertEquals(0.0, big.getDouble(i));
            }
            assertEquals(view.flat().getDouble(0), big.getDouble(10)); // written through the view
            assertTrue(big.getDouble(10) != 0.0);
            FlatTensor ints = FlatTensor.zeros(LAYOUT, DataType.INT);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> n.fill(0, 0, ints));
            assertTrue(e.getMessage().contains("FLOAT and DOUBLE"), e.getMessage());
        }
    }
}
