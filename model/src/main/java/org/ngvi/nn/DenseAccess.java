package org.ngvi.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct element access to a C-ordered, contiguous ND4J array (a whole array or a contiguous
 * view such as a {@link org.ngvi.tensor.FlatTensor} tensor) through its NIO buffer, for fused
 * elementwise loops without ND4J op overhead or allocation. Index {@code i} is the position in
 * row-major (C) order, {@code 0 <= i < length()}; the view's buffer offset is applied here.
 *
 * <p>Two ways in: {@link #get(int)}/{@link #set(int, double)} per element, and the bulk
 * {@link #get(int, double[], int, int)}/{@link #set(int, double[], int, int)} that move a run of
 * values between the array and a heap {@code double[]} (one NIO bulk copy, widened or narrowed
 * through a per-thread staging array for FLOAT). Element access through a direct NIO buffer is
 * checked and never vectorised by the JIT (a ReLU backward over 602k floats took ~4 ms here);
 * loops over {@link Chunks} of a few thousand values staged in bulk run several times faster, so
 * the layers' elementwise passes use the bulk form.
 *
 * <p>Only {@link DataType#FLOAT} and {@link DataType#DOUBLE} are supported.
 */
public abstract sealed class DenseAccess permits DenseAccess.F, DenseAccess.D {
    protected final int base;
    protected final int length;

    private DenseAccess(INDArray arr) {
        this.base = Math.toIntExact(arr.offset());
        this.length = Math.toIntExact(arr.length());
    }

    /** Whether {@link #of} accepts {@code arr}: FLOAT/DOUBLE, dense row-major strides. */
    public static boolean supports(INDArray arr) {
        DataType t = arr.dataType();
        return (t == DataType.FLOAT || t == DataType.DOUBLE)
                && isRowMajorContiguous(arr);
    }

    /** Strides are those of a dense row-major array (dimensions of size 1 may have any stride). */
    private static boolean isRowMajorContiguous(INDArray arr) {
        long[] shape = arr.shape();
        long[] stride = arr.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** Accessor for {@code arr}; a clear error when it is not dense C-ordered FLOAT/DOUBLE. */
    public static DenseAccess of(INDArray arr) {
        if (!supports(arr)) {
            throw new IllegalArgumentException("expected a dense C-ordered FLOAT or DOUBLE array, got "
                    + arr.dataType() + " order " + arr.ordering() + " shape " + java.util.Arrays.toString(arr.shape())
                    + " strides " + java.util.Arrays.toString(arr.stride()));
        }
        return arr.dataType() == DataType.DOUBLE ? new D(arr) : new F(arr);
    }

    public final int length() {
        return length;
    }

    public abstract double get(int i);

    public abstract void set(int i, double v);

    /** {@code dst[off .. off+len)} ← elements {@code [from, from+len)} (widened to double). */
    public abstract void get(int from, double[] dst, int off, int len);

    /** Elements {@code [from, from+len)} ← {@code src[off .. off+len)} (narrowed to the array's type). */
    public abstract void set(int from, double[] src, int off, int len);

    /** Double-precision accessor. */
    public static final class D extends DenseAccess {
        private final DoubleBuffer b;

        D(INDArray arr) {
            super(arr);
            this.b = arr.data().asNioDouble();
        }

        @Override
        public double get(int i) {
            return b.get(base + i);
        }

        @Override
        public void set(int i, double v) {
            b.put(base + i, v);
        }

        @Override
        public void get(int from, double[] dst, int off, int len) {
            b.get(base + from, dst, off, len);
        }

        @Override
        public void set(int from, double[] src, int off, int len) {
            b.put(base + from, src, off, len);
        }
    }

    /** Single-precision accessor (values are widened to double for arithmetic). */
    public static final class F extends DenseAccess {
        private final FloatBuffer b;

        F(INDArray arr) {
            super(arr);
            this.b = arr.data().asNioFloat();
        }

        @Override
        public double get(int i) {
            return b.get(base + i);
        }

        @Override
        public void set(int i, double v) {
            b.put(base + i, (float) v);
        }

        @Override
        public void get(int from, double[] dst, int off, int len) {
            float[] t = Chunks.floats(len);
            b.get(base + from, t, 0, len);
            for (int j = 0; j < len; j++) {
                dst[off + j] = t[j];
            }
        }

        @Override
        public void set(int from, double[] src, int off, int len) {
            float[] t = Chunks.floats(len);
            for (int j = 0; j < len; j++) {
                t[j] = (float) src[off + j];
            }
            b.put(base + from, t, 0, len);
        }
    }
}
