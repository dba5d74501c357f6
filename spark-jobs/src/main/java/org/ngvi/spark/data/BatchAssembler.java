package org.ngvi.spark.data;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.data.PixelNormalization;

/**
 * Turns rows of {@link Example}s into a preallocated ND4J batch {@code [B, inputShape...]} (CHW
 * order, normalised) and a label array, reusing both while the batch size stays the same.
 * Not thread-safe: one per worker.
 */
public final class BatchAssembler {
    private final PixelNormalization normalization;
    private final long[] inputShape;
    private final DataType dtype;
    private INDArray batch;
    private int[] labels;

    public BatchAssembler(PixelNormalization normalization, long[] inputShape, DataType dtype) {
        long n = 1;
        for (long d : inputShape) {
            n *= d;
        }
        if (n != normalization.exampleSize()) {
            throw new IllegalArgumentException("network input " + java.util.Arrays.toString(inputShape) + " has " + n
                    + " values but the data's images have " + normalization.exampleSize());
        }
        this.normalization = normalization;
        this.inputShape = inputShape.clone();
        this.dtype = dtype;
    }

    /** Fills the batch with {@code rows[positions[i]]}; returns it (valid until the next call). */
    public INDArray assemble(Example[] rows, int[] positions) {
        return assemble(rows, positions, 0, positions.length);
    }

    /** Fills the batch with {@code rows[positions[from..to)]}. */
    public INDArray assemble(Example[] rows, int[] positions, int from, int to) {
        int b = to - from;
        ensure(b);
        if (dtype == DataType.DOUBLE) {
            DoubleBuffer buf = batch.data().asNioDouble();
            for (int i = 0; i < b; i++) {
                Example e = rows[positions[from + i]];
                normalization.write(e.image(), buf, i);
                labels[i] = e.label();
            }
        } else {
            FloatBuffer buf = batch.data().asNioFloat();
            for (int i = 0; i < b; i++) {
                Example e = rows[positions[from + i]];
                normalization.write(e.image(), buf, i);
                labels[i] = e.label();
            }
        }
        return batch;
    }

    /** Labels of the last assembled batch. */
    public int[] labels() {
        return labels;
    }

    private void ensure(int b) {
        if (batch == null || batch.size(0) != b) {
            long[] shape = new long[inputShape.length + 1];
            shape[0] = b;
            System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
            batch = Nd4j.create(dtype, shape);
            labels = new int[b];
        }
    }
}
