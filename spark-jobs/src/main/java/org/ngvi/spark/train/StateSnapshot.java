package org.ngvi.spark.train;

import java.io.Serializable;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.tensor.FlatTensor;

/**
 * A plain-Java copy of an optimizer state, what Spark broadcasts to tasks and what tasks send
 * back: the step count, the named flat buffers (in double precision, whatever the compute type,
 * so that sums over tasks lose nothing) and per-tensor scalars (VOGN's prior EMA λ̄).
 *
 * @param step    optimizer steps taken
 * @param buffers flat buffers by name, each of the layout's total size
 * @param scalars per-parameter-tensor scalars (may be empty)
 */
public record StateSnapshot(long step, Map<String, double[]> buffers, double[] scalars) implements Serializable {
    public StateSnapshot {
        buffers = new LinkedHashMap<>(buffers);
        scalars = scalars.clone();
    }

    public double[] buffer(String name) {
        double[] b = buffers.get(name);
        if (b == null) {
            throw new IllegalArgumentException("state has no buffer '" + name + "' (has " + buffers.keySet() + ")");
        }
        return b;
    }

    /** Copies a flat tensor's values into a new double array. */
    public static double[] toArray(FlatTensor t) {
        INDArray flat = t.flat();
        int n = (int) flat.length();
        double[] out = new double[n];
        long off = flat.offset();
        if (flat.dataType() == DataType.FLOAT) {
            FloatBuffer b = flat.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                out[i] = b.get((int) off + i);
            }
        } else {
            DoubleBuffer b = flat.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                out[i] = b.get((int) off + i);
            }
        }
        return out;
    }

    /** Writes {@code values} into {@code t} (no allocation). */
    public static void copyInto(double[] values, FlatTensor t) {
        INDArray flat = t.flat();
        if (values.length != flat.length()) {
            throw new IllegalArgumentException("snapshot buffer of " + values.length + " values for a tensor of " + flat.length());
        }
        long off = flat.offset();
        if (flat.dataType() == DataType.FLOAT) {
            FloatBuffer b = flat.data().asNioFloat();
            for (int i = 0; i < values.length; i++) {
                b.put((int) off + i, (float) values[i]);
            }
        } else {
            DoubleBuffer b = flat.data().asNioDouble();
            for (int i = 0; i < values.length; i++) {
                b.put((int) off + i, values[i]);
            }
        }
    }
}
