package org.ngvi.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The column matrix of ONE example, U_i = im2col(x_i) {@code [K, P]} (see {@link ConvGeometry}),
 * in a preallocated ND4J array that GEMMs read and write through {@link BlockGemm}, plus the way
 * back: col2im of whatever that array holds into one example of a {@code [B, C, H, W]} array.
 *
 * <p>Convolutions work one example at a time through this buffer instead of materialising the
 * columns of the whole batch (B·K·P values per layer — gigabytes for a ResNet at batch 128):
 * memory is K·P (this array) + K·P + C·H·W (heap staging) per buffer, independent of B, and the
 * columns stay in cache between im2col and the GEMM that consumes them. The image is copied to
 * the heap with one bulk NIO transfer, expanded by the array kernels of {@link ConvGeometry} and
 * copied back with another, which measured 2–3× faster than element-wise NIO access.
 *
 * <p>Not thread-safe; one per layer scratch (or curvature-rule scratch). Allocates nothing after
 * construction.
 */
public abstract sealed class Im2colBuffer permits Im2colBuffer.F, Im2colBuffer.D {
    protected final ConvGeometry geometry;
    protected final INDArray columns;
    protected final int imageSize;
    protected final int columnSize;

    private Im2colBuffer(ConvGeometry geometry, DataType dtype) {
        this.geometry = geometry;
        this.columns = Nd4j.create(dtype, geometry.patchSize(), geometry.positions());
        this.imageSize = geometry.imageSize();
        this.columnSize = geometry.patchSize() * geometry.positions();
    }

    /** A buffer for {@code geometry} in {@code dtype} (FLOAT or DOUBLE). */
    public static Im2colBuffer create(ConvGeometry geometry, DataType dtype) {
        return switch (dtype) {
            case FLOAT -> new F(geometry);
            case DOUBLE -> new D(geometry);
            default -> throw new IllegalArgumentException("im2col: only FLOAT and DOUBLE are supported, got " + dtype);
        };
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    /** The column array {@code [K, P]}, dense C order (offset 0, leading dimension P). */
    public INDArray columns() {
        return columns;
    }

    /** {@link #columns()} ← im2col(x[example]) for a dense {@code [B, C, H, W]} array {@code x}. */
    public abstract void load(INDArray x, int example);

    /** {@code target[example]} ← col2im({@link #columns()}) for a dense {@code [B, C, H, W]} array; other examples are untouched. */
    public abstract void scatter(INDArray target, int example);

    /** Checks that {@code arr} is a dense {@code [B, C, H, W]} array of this buffer's type and geometry. */
    protected final void check(INDArray arr) {
        if (!DenseAccess.supports(arr) || arr.dataType() != columns.dataType() || arr.rank() != 4
                || arr.size(1) != geometry.channels() || arr.size(2) != geometry.height() || arr.size(3) != geometry.width()) {
            throw new IllegalArgumentException("im2col: expected a dense " + columns.dataType() + " array [B, "
                    + geometry.channels() + ", " + geometry.height() + ", " + geometry.width() + "], got " + arr.dataType() + " "
                    + Arrays.toString(arr.shape()) + " strides " + Arrays.toString(arr.stride()));
        }
    }

    /** Index in {@code arr}'s NIO buffer (which starts at the underlying buffer, not the view) of {@code example}'s first value. */
    protected final int base(INDArray arr, int example) {
        if (example < 0 || example >= arr.size(0)) {
            throw new IndexOutOfBoundsException("im2col: example " + example + " of a batch of " + arr.size(0));
        }
        return Math.toIntExact(arr.offset() + (long) example * imageSize);
    }

    /** Single precision. */
    static final class F extends Im2colBuffer {
        private final float[] image;
        private final float[] cols;
        private final FloatBuffer columnsNio;
        private INDArray source;
        private FloatBuffer sourceNio;
        private INDArray target;
        private FloatBuffer targetNio;

        F(ConvGeometry geometry) {
            super(geometry, DataType.FLOAT);
            image = new float[imageSize];
            cols = new float[columnSize];
            columnsNio = columns.data().asNioFloat();
        }

        @Override
        public void load(INDArray x, int example) {
            if (x != source) {
                check(x);
                source = x;
                sourceNio = x.data().asNioFloat();
            }
            sourceNio.get(base(x, example), image, 0, imageSize);
            geometry.im2col(image, cols);
            columnsNio.put(0, cols, 0, columnSize);
        }

        @Override
        public void scatter(INDArray t, int example) {
            if (t != target) {
                check(t);
                target = t;
                targetNio = t.data().asNioFloat();
            }
            columnsNio.get(0, cols, 0, columnSize);
            geometry.col2im(cols, image);
            targetNio.put(base(t, example), image, 0, imageSize);
        }
    }

    /** Double precision. */
    static final class D extends Im2colBuffer {
        private final double[] image;
        private final double[] cols;
        private final DoubleBuffer columnsNio;
        private INDArray source;
        private DoubleBuffer sourceNio;
        private INDArray target;
        private DoubleBuffer targetNio;

        D(ConvGeometry geometry) {
            super(geometry, DataType.DOUBLE);
            image = new double[imageSize];
            cols = new double[columnSize];
            columnsNio = columns.data().asNioDouble();
        }

        @Override
        public void load(INDArray x, int example) {
            if (x != source) {
                check(x);
                source = x;
                sourceNio = x.data().asNioDouble();
            }
            sourceNio.get(base(x, example), image, 0, imageSize);
            geometry.im2col(image, cols);
            columnsNio.put(0, cols, 0, columnSize);
        }

        @Override
        public void scatter(INDArray t, int example) {
            if (t != target) {
                check(t);
                target = t;
                targetNio = t.data().asNioDouble();
            }
            columnsNio.get(0, cols, 0, columnSize);
            geometry.col2im(cols, image);
            targetNio.put(base(t, example), image, 0, imageSize);
        }
    }
}
