package org.ngvi.nn;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import java.util.Locale;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * General matrix product on row-major blocks inside dense ND4J arrays,
 * <pre>  C ← α · op(A) · op(B) + β · C,   op(X) = X or Xᵀ,   op(A) m×k, op(B) k×n, C m×n,</pre>
 * where each matrix starts at an element offset into its array and has a leading dimension
 * (row stride), straight into OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm} — the library
 * ND4J's own GEMM uses. Convolutions need thousands of small products per batch (one per
 * example: out_i = W·cols_i, ∂W += Δ_i·cols_iᵀ, G_i = Δ_i·cols_iᵀ); an ND4J op costs
 * 10–30 µs per call in overhead and ND4J views of each block would have to be built, while this
 * call costs well under a microsecond on top of the arithmetic and allocates no array data.
 *
 * <p>Every block is bounds-checked against its array before the native call (a wrong leading
 * dimension would otherwise read or write outside the buffer).
 *
 * <p>Two paths compute the product ({@link Path}): {@link Path#OPENBLAS}, the direct call on the
 * arrays' host memory, is the default on ND4J's CPU backend; {@link Path#ND4J} runs the same
 * product as ND4J's {@code matmul} op on strided views of the three arrays, so it executes
 * wherever the backend keeps the data (cuBLAS under {@code -Pcuda}, where host pointers into device
 * arrays would be wrong). The system property {@value #PROPERTY} ({@code openblas}, {@code nd4j},
 * {@code auto}) overrides the choice; the tests run both paths against each other.
 */
public final class BlockGemm {
    /** System property choosing the path: {@code openblas}, {@code nd4j} or {@code auto} (the default). */
    public static final String PROPERTY = "ngvi.gemm";

    /** How {@link #gemm} computes the product. */
    public enum Path {
        /** {@code cblas_sgemm}/{@code cblas_dgemm} on the arrays' host memory (CPU backend only). */
        OPENBLAS,
        /** ND4J's {@code matmul} op on strided views (any backend). */
        ND4J
    }

    private static volatile Path auto;

    private BlockGemm() {
    }

    /**
     * The path {@link #gemm} takes: the property {@value #PROPERTY} if set, else {@link Path#OPENBLAS}
     * on ND4J's CPU backend and {@link Path#ND4J} on any other (CUDA).
     *
     * @throws IllegalArgumentException when the property has another value
     */
    public static Path path() {
        String p = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "openblas" -> Path.OPENBLAS;
            case "nd4j" -> Path.ND4J;
            case "auto", "" -> {
                Path a = auto;
                if (a == null) {
                    a = Nd4j.getEnvironment().isCPU() ? Path.OPENBLAS : Path.ND4J;
                    auto = a;
                }
                yield a;
            }
            default -> throw new IllegalArgumentException("system property " + PROPERTY + ": expected openblas, nd4j or auto, got '"
                    + System.getProperty(PROPERTY) + "'");
        };
    }

    /**
     * C ← α op(A) op(B) + β C on blocks of {@code a}, {@code b}, {@code c} (all FLOAT or all
     * DOUBLE, dense row-major); offsets are element offsets from each array's first element.
     *
     * @throws IllegalArgumentException for mixed or unsupported data types, non-dense arrays,
     *                                  leading dimensions shorter than a row, or blocks that do
     *                                  not fit in their arrays
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            INDArray a, long aOffset, int lda, INDArray b, long bOffset, int ldb,
                            double beta, INDArray c, long cOffset, int ldc) {
        DataType t = c.dataType();
        if (a.dataType() != t || b.dataType() != t || (t != DataType.FLOAT && t != DataType.DOUBLE)) {
            throw new IllegalArgumentException("gemm: A, B and C must all be FLOAT or all DOUBLE, got " + a.dataType() + ", "
                    + b.dataType() + ", " + t);
        }
        checkBlock("A", a, aOffset, transA ? k : m, transA ? m : k, lda);
        checkBlock("B", b, bOffset, transB ? n : k, transB ? k : n, ldb);
        checkBlock("C", c, cOffset, m, n, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (path() == Path.ND4J) {
            nd4j(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int order = openblas_nolapack.CblasRowMajor;
        if (t == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(order, ta, tb, m, n, k, (float) alpha, floats(a, aOffset), lda, floats(b, bOffset), ldb,
                    (float) beta, floats(c, cOffset), ldc);
        } else {
            openblas_nolapack.cblas_dgemm(order, ta, tb, m, n, k, alpha, doubles(a, aOffset), lda, doubles(b, bOffset), ldb,
                    beta, doubles(c, cOffset), ldc);
        }
    }

    /** The product as ND4J's {@code matmul} op (α, β as its t-arguments) on strided views of the blocks. */
    private static void nd4j(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             INDArray a, long aOffset, int lda, INDArray b, long bOffset, int ldb,
                             double beta, INDArray c, long cOffset, int ldc) {
        INDArray av = view(a, aOffset, transA ? k : m, transA ? m : k, lda);
        INDArray bv = view(b, bOffset, transB ? n : k, transB ? k : n, ldb);
        INDArray cv = view(c, cOffset, m, n, ldc);
        if (k == 0) {
            cv.muli(beta);
            return;
        }
        MMulTranspose t = MMulTranspose.builder().transposeA(transA).transposeB(transB).build();
        Nd4j.exec(new Mmul(av, bv, cv, alpha, beta, t));
    }

    /** A {@code rows × cols} row-major view with row stride {@code ld} at element {@code offset} of a dense array. */
    private static INDArray view(INDArray arr, long offset, int rows, int cols, int ld) {
        return Nd4j.create(arr.data(), new long[]{rows, cols}, new long[]{ld, 1}, arr.offset() + offset, 'c');
    }

    private static FloatPointer floats(INDArray arr, long offset) {
        return new FloatPointer(arr.data().addressPointer()).position(offset);
    }

    private static DoublePointer doubles(INDArray arr, long offset) {
        return new DoublePointer(arr.data().addressPointer()).position(offset);
    }

    /** A {@code rows × cols} block with row stride {@code ld} at {@code offset} lies inside the dense array. */
    private static void checkBlock(String name, INDArray arr, long offset, int rows, int cols, int ld) {
        if (!DenseAccess.supports(arr)) {
            throw new IllegalArgumentException("gemm: " + name + " must be a dense C-ordered array, got shape "
                    + Arrays.toString(arr.shape()) + " strides " + Arrays.toString(arr.stride()));
        }
        if (rows < 0 || cols < 0 || offset < 0 || ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("gemm: " + name + " block " + rows + "×" + cols + " at offset " + offset
                    + " with leading dimension " + ld + " is invalid");
        }
        long end = rows == 0 || cols == 0 ? offset : offset + (long) (rows - 1) * ld + cols;
        if (end > arr.length()) {
            throw new IllegalArgumentException("gemm: " + name + " block " + rows + "×" + cols + " at offset " + offset
                    + " (leading dimension " + ld + ") ends at " + end + ", beyond the array's " + arr.length() + " elements");
        }
    }
}
