package org.ngvi.nn;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.tensor.ParamSpec;

/**
 * Reshape {@code [B, C, H, W]} (or any per-example shape) to {@code [B, C·H·W]} in row-major
 * (C, H, W) order, like {@code torch.flatten(x, 1)}. Forward and backward are copies into the
 * network's preallocated buffers (a reshape of the data; values are unchanged).
 */
public final class Flatten implements Layer {
    public static final String TYPE = "flatten";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        long n = 1;
        for (long d : inputShape) {
            n *= d;
        }
        return new long[] {n};
    }

    @Override
    public void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training) {
        copy(in, out);
    }

    @Override
    public void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                         List<INDArray> grads, Object scratch) {
        if (gradIn != null) {
            copy(gradOut, gradIn);
        }
    }

    /** Copies {@code src} into {@code dst} element by element in row-major order (shapes differ, lengths equal). */
    private static void copy(INDArray src, INDArray dst) {
        if (DenseAccess.supports(src) && DenseAccess.supports(dst)) {
            DenseAccess s = DenseAccess.of(src);
            DenseAccess d = DenseAccess.of(dst);
            int n = s.length();
            for (int i = 0; i < n; i++) {
                d.set(i, s.get(i));
            }
        } else {
            dst.assign(src.reshape('c', dst.shape()));
        }
    }

    @Override
    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("type", TYPE);
    }

    @Override
    public String toString() {
        return TYPE;
    }
}
