package org.ngvi.tensor;

import java.io.Serializable;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.tensor.FlatTensor;

/**
 * A flat tensor's values as a plain Java array in the tensor's own precision: what goes over a
 * wire (Spark broadcasts and task results; float32 runs move half the bytes of doubles).
 * Serializable, unlike the ND4J memory behind a {@link FlatTensor}.
 */
public sealed interface FlatValues extends Serializable permits FlatValues.F32, FlatValues.F64 {
    int length();

    double get(int i);

    /** Payload size: 4 bytes per float32 value, 8 per float64. */
    long bytes();

    /** Writes these values into {@code t} (no allocation). */
    void copyInto(FlatTensor t);

    /** float32 values. */
    record F32(float[] values) implements FlatValues {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public long bytes() {
            return 4L * values.length;
        }

        @Override
        public double get(int i) {
            return values[i];
        }

        @Override
        public void copyInto(FlatTensor t) {
            INDArray flat = checked(t, values.length);
            int off = (int) flat.offset();
            if (flat.dataType() == DataType.FLOAT) {
                flat.data().asNioFloat().position(off).slice().put(values);
            } else {
                DoubleBuffer b = flat.data().asNioDouble();
                for (int i = 0; i < values.length; i++) {
                    b.put(off + i, values[i]);
                }
            }
        }
    }

    /** float64 values. */
    record F64(double[] values) implements FlatValues {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public long bytes() {
            return 8L * values.length;
        }

        @Override
        public double get(int i) {
            return values[i];
        }

        @Override
        public void copyInto(FlatTensor t) {
            INDArray flat = checked(t, values.length);
            int off = (int) flat.offset();
            if (flat.dataType() == DataType.DOUBLE) {
                flat.data().asNioDouble().position(off).slice().put(values);
            } else {
                FloatBuffer b = flat.data().asNioFloat();
                for (int i = 0; i < values.length; i++) {
                    b.put(off + i, (float) values[i]);
                }
            }
        }
    }

    /** A copy of {@code t}'s values in its precision. */
    static FlatValues of(FlatTensor t) {
        INDArray flat = t.flat();
        int n = Math.toIntExact(flat.length());
        int off = (int) flat.offset();
        if (flat.dataType() == DataType.FLOAT) {
            float[] v = new float[n];
            flat.data().asNioFloat().position(off).slice().get(v);
            return new F32(v);
        }
        double[] v = new double[n];
        flat.data().asNioDouble().position(off).slice().get(v);
        return new F64(v);
    }

    /** {@code values} in the precision of {@code dtype}. */
    static FlatValues of(double[] values, DataType dtype) {
        if (dtype == DataType.DOUBLE) {
            return new F64(values);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return new F32(f);
    }

    private static INDArray checked(FlatTensor t, int n) {
        INDArray flat = t.flat();
        if (flat.length() != n) {
            throw new IllegalArgumentException(n + " values for a tensor of " + flat.length());
        }
        return flat;
    }
}
