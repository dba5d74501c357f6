package org.ngvi.spark.data;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.data.PixelNormalization;
import org.ngvi.data.augment.AugmentationRandom;
import org.ngvi.data.augment.AugmentationSpec;
import org.ngvi.data.augment.Augmenter;
import org.ngvi.data.augment.ImageShape;

/**
 * Turns rows of {@link Example}s into a preallocated ND4J batch {@code [B, inputShape...]} (CHW
 * order, normalised) and a label array, reusing both while the batch size stays the same.
 * Training batches ({@link #assembleAugmented}) pass each example's uint8 pixels through the
 * run's {@link Augmenter} first (in the task, into a reused scratch image, so nothing is
 * allocated per example); {@link #assemble} never augments (evaluation).
 * Not thread-safe: one per worker.
 */
public final class BatchAssembler {
    private final PixelNormalization normalization;
    private final long[] inputShape;
    private final DataType dtype;
    private final Augmenter augmenter;
    private INDArray batch;
    private int[] labels;

    /** An assembler that never augments. */
    public BatchAssembler(PixelNormalization normalization, long[] inputShape, DataType dtype) {
        this(normalization, inputShape, dtype, AugmentationSpec.none());
    }

    /** An assembler whose {@link #assembleAugmented} applies {@code augmentation}. */
    public BatchAssembler(PixelNormalization normalization, long[] inputShape, DataType dtype, AugmentationSpec augmentation) {
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
        long[] chw = normalization.chwShape();
        this.augmenter = new Augmenter(augmentation, new ImageShape((int) chw[1], (int) chw[2], (int) chw[0]));
    }

    /** Fills the batch with {@code rows[positions[i]]}; returns it (valid until the next call). */
    public INDArray assemble(Example[] rows, int[] positions) {
        return assemble(rows, positions, 0, positions.length);
    }

    /** Fills the batch with {@code rows[positions[from..to)]}, not augmented. */
    public INDArray assemble(Example[] rows, int[] positions, int from, int to) {
        return fill(rows, positions, from, to, false, 0);
    }

    /**
     * A training batch: row i is {@code rows[positions[from + i]]} augmented with the example seed
     * {@link AugmentationRandom#exampleSeed}{@code (streamSeed, from + i)}, so the same stream seed
     * (run seed, epoch, partition) and positions always give the same batch. Without augmentation
     * this is {@link #assemble(Example[], int[], int, int)}.
     */
    public INDArray assembleAugmented(Example[] rows, int[] positions, int from, int to, long streamSeed) {
        return fill(rows, positions, from, to, !augmenter.isIdentity(), streamSeed);
    }

    /** The augmentation {@link #assembleAugmented} applies. */
    public AugmentationSpec augmentation() {
        return augmenter.spec();
    }

    private INDArray fill(Example[] rows, int[] positions, int from, int to, boolean augment, long streamSeed) {
        int b = to - from;
        ensure(b);
        if (dtype == DataType.DOUBLE) {
            DoubleBuffer buf = batch.data().asNioDouble();
            for (int i = 0; i < b; i++) {
                Example e = rows[positions[from + i]];
                normalization.write(pixels(e, augment, streamSeed, from + i), buf, i);
                labels[i] = e.label();
            }
        } else {
            FloatBuffer buf = batch.data().asNioFloat();
            for (int i = 0; i < b; i++) {
                Example e = rows[positions[from + i]];
                normalization.write(pixels(e, augment, streamSeed, from + i), buf, i);
                labels[i] = e.label();
            }
        }
        return batch;
    }

    private byte[] pixels(Example e, boolean augment, long streamSeed, int position) {
        return augment ? augmenter.apply(e.image(), AugmentationRandom.exampleSeed(streamSeed, position)) : e.image();
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
