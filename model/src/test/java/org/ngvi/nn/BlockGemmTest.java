package org.ngvi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Both {@link BlockGemm} paths (OpenBLAS on host memory, ND4J's matmul on strided views — the one a
 * CUDA backend takes) against a scalar triple loop, on blocks at offsets inside larger arrays, with
 * leading dimensions longer than a row, transposes, α and β, and arrays that are views into a flat
 * vector (as parameter tensors are).
 */
class BlockGemmTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(BlockGemm.PROPERTY);
    }

    @ParameterizedTest
    @CsvSource({
            "openblas, DOUBLE, false, false", "openblas, DOUBLE, true, false", "openblas, DOUBLE, false, true",
            "openblas, FLOAT, true, true",
            "nd4j, DOUBLE, false, false", "nd4j, DOUBLE, true, false", "nd4j, DOUBLE, false, true",
            "nd4j, DOUBLE, true, true", "nd4j, FLOAT, false, false", "nd4j, FLOAT, true, true"})
    void matchesTripleLoop(String path, DataType type, boolean transA, boolean transB) {
        System.setProperty(BlockGemm.PROPERTY, path);
        int m = 3, n = 4, k = 5;
        int lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3;
        long aOff = 7, bOff = 2, cOff = 5;
        SplittableRandom rng = new SplittableRandom(11);
        // the three arrays are views at non-zero offsets into one flat vector, like FlatTensor's parameter views
        int aLen = (int) aOff + ((transA ? k : m) - 1) * lda + (transA ? m : k) + 3;
        int bLen = (int) bOff + ((transB ? n : k) - 1) * ldb + (transB ? k : n) + 1;
        int cLen = (int) cOff + (m - 1) * ldc + n + 2;
        INDArray flat = Nd4j.create(type, 13 + aLen + bLen + cLen);
        for (long i = 0; i < flat.length(); i++) {
            flat.putScalar(i, rng.nextDouble(-1, 1));
        }
        INDArray a = flat.get(NDArrayIndex.interval(13, 13 + aLen));
        INDArray b = flat.get(NDArrayIndex.interval(13 + aLen, 13 + aLen + bLen));
        INDArray c = flat.get(NDArrayIndex.interval(13 + aLen + bLen, 13 + aLen + bLen + cLen));
        double[] before = flat.toDoubleVector();
        double alpha = 0.75, beta = -0.5;
        double[][] expected = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a.getDouble(aOff + (long) p * lda + i) : a.getDouble(aOff + (long) i * lda + p);
                    double bv = transB ? b.getDouble(bOff + (long) j * ldb + p) : b.getDouble(bOff + (long) p * ldb + j);
                    s += av * bv;
                }
                expected[i][j] = alpha * s + beta * c.getDouble(cOff + (long) i * ldc + j);
            }
        }
        BlockGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        double tol = type == DataType.FLOAT ? 1e-5 : 1e-13;
        double[] after = flat.toDoubleVector();
        long cStart = 13 + aLen + bLen;
        for (int idx = 0; idx < after.length; idx++) {
            long rel = idx - cStart - cOff;
            boolean inC = rel >= 0 && rel / ldc < m && rel % ldc < n && idx >= cStart + cOff;
            if (inC) {
                assertEquals(expected[(int) (rel / ldc)][(int) (rel % ldc)], after[idx], tol, path + " C[" + rel / ldc + "," + rel % ldc + "]");
            } else {
                assertEquals(before[idx], after[idx], 0.0, path + ": element " + idx + " outside C was written");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void unknownPathIsAnErrorNamingTheProperty() {
        System.setProperty(BlockGemm.PROPERTY, "cublas");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BlockGemm::path);
        assertEquals(true, e.getMessage().contains(BlockGemm.PROPERTY) && e.getMessage().contains("cublas"), e.getMessage());
    }
}
