package org.ngvi.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;

/**
 * Direct NIO access to the flat vectors of {@link FlatTensor}s for the optimizers' fused Java
 * passes (PERFORMANCE.md item 4): element {@code j} of a flat vector {@code a} is
 * {@code buffer.get(base(a) + j)}. No ND4J op, no allocation beyond the small buffer wrapper.
 */
final class NioBuffers {
    private NioBuffers() {
    }

    /** The FLOAT buffer behind {@code t}'s flat vector, checked to be dense. */
    static FloatBuffer f(FlatTensor t) {
        return checked(t.flat(), DataType.FLOAT).data().asNioFloat();
    }

    /** The DOUBLE buffer behind {@code t}'s flat vector, checked to be dense. */
    static DoubleBuffer d(FlatTensor t) {
        return checked(t.flat(), DataType.DOUBLE).data().asNioDouble();
    }

    /** Index of element 0 of {@code t}'s flat vector in its buffer. */
    static int base(FlatTensor t) {
        return Math.toIntExact(t.flat().offset());
    }

    private static INDArray checked(INDArray a, DataType expected) {
        if (a.dataType() != expected) {
            throw new IllegalArgumentException("expected a " + expected + " vector, got " + a.dataType());
        }
        if (a.length() > 1 && a.elementWiseStride() != 1) {
            throw new IllegalArgumentException("flat vector is not contiguous (element-wise stride "
                    + a.elementWiseStride() + ")");
        }
        return a;
    }

    /** Checks that every tensor has {@code layout} and {@code dtype}, naming the offending argument. */
    static void requireSame(ParamLayout layout, DataType dtype, String what, FlatTensor... ts) {
        for (int i = 0; i < ts.length; i++) {
            FlatTensor t = ts[i];
            if (t == null) {
                throw new IllegalArgumentException(what + ": argument " + i + " is null");
            }
            if (!t.layout().equals(layout)) {
                throw new IllegalArgumentException(what + ": argument " + i + " has layout " + t.layout()
                        + ", expected " + layout);
            }
            if (t.dataType() != dtype) {
                throw new IllegalArgumentException(what + ": argument " + i + " has data type " + t.dataType()
                        + ", expected " + dtype);
            }
        }
    }

    static void requireFloatingPoint(DataType dtype, String what) {
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException(what + ": only FLOAT and DOUBLE tensors are supported, got " + dtype);
        }
    }

    /** sum += x / m over whole flat vectors (first == true: sum = x / m). */
    static void accumulateMean(FlatTensor sum, FlatTensor x, int m, boolean first) {
        int n = Math.toIntExact(sum.layout().totalSize());
        double w = 1.0 / m;
        int bs = base(sum);
        int bx = base(x);
        if (sum.dataType() == DataType.DOUBLE) {
            DoubleBuffer s = d(sum);
            DoubleBuffer a = d(x);
            for (int j = 0; j < n; j++) {
                double v = a.get(bx + j) * w;
                s.put(bs + j, first ? v : s.get(bs + j) + v);
            }
        } else {
            FloatBuffer s = f(sum);
            FloatBuffer a = f(x);
            float wf = (float) w;
            for (int j = 0; j < n; j++) {
                float v = a.get(bx + j) * wf;
                s.put(bs + j, first ? v : s.get(bs + j) + v);
            }
        }
    }
}
