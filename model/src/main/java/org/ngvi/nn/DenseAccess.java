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
    }
}
