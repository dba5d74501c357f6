package org.ngvi.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One contiguous ND4J vector holding every tensor of a {@link ParamLayout}, with a cached
 * view per tensor. Writing through a view writes the flat vector and vice versa.
 *
 * <p>Not thread-safe: a FlatTensor is owned by one task at a time.
 */
public final class FlatTensor {
    private final ParamLayout layout;
    private final INDArray flat;
    private final INDArray[] views;

    private FlatTensor(ParamLayout layout, INDArray flat) {
        if (flat.rank() != 1 || flat.length() != layout.totalSize()) {
            throw new IllegalArgumentException("flat vector of length " + flat.length()
                    + " does not fit layout of " + layout.totalSize() + " scalars");
        }
        this.layout = layout;
        this.flat = flat;
        this.views = new INDArray[layout.size()];
        for (int i = 0; i < views.length; i++) {
            long off = layout.offset(i);
            long n = layout.spec(i).size();
            views[i] = flat.get(NDArrayIndex.interval(off, off + n)).reshape('c', layout.spec(i).shape());
        }
    }

    /** A zero-filled tensor of the given layout and data type (FLOAT or DOUBLE). */
    public static FlatTensor zeros(ParamLayout layout, DataType dtype) {
        return new FlatTensor(layout, Nd4j.zeros(dtype, layout.totalSize()));
    }

    /** Wraps an existing rank-1 vector (not copied). */
    public static FlatTensor wrap(ParamLayout layout, INDArray flat) {
        return new FlatTensor(layout, flat);
    }

    public ParamLayout layout() {
        return layout;
    }

    public DataType dataType() {
        return flat.dataType();
    }

    /** The whole vector, length {@code layout().totalSize()}. */
    public INDArray flat() {
        return flat;
    }

    /** View of tensor {@code i}, shaped as its spec. */
    public INDArray view(int i) {
        return views[i];
    }

    public INDArray view(String name) {
        return views[layout.indexOf(name)];
    }

    /** A deep copy (new storage). */
    public FlatTensor copy() {
        return new FlatTensor(layout, flat.dup());
    }

    /** Copies {@code other}'s values into this tensor; layouts must match. */
    public FlatTensor assign(FlatTensor other) {
        if (!other.layout.equals(layout)) {
            throw new IllegalArgumentException("layout mismatch: " + other.layout + " vs " + layout);
        }
        flat.assign(other.flat);
        return this;
    }
}
