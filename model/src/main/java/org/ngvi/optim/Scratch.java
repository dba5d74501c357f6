package org.ngvi.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;

/** One scratch FlatTensor reallocated only when the layout or data type changes. */
final class Scratch {
    private FlatTensor t;

    FlatTensor get(FlatTensor like) {
        return get(like.layout(), like.dataType());
    }

    FlatTensor get(ParamLayout layout, DataType dtype) {
        if (t == null || !t.layout().equals(layout) || t.dataType() != dtype) {
            t = FlatTensor.zeros(layout, dtype);
        }
        return t;
    }
}
