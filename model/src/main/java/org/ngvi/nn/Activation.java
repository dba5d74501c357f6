package org.ngvi.nn;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.tensor.ParamSpec;

/**
 * A parameterless elementwise layer y = f(x), any shape. Forward and backward are single fused
 * loops over the buffers (no ND4J op overhead, no allocation); the backward uses the stored
 * output: Δ_in = Δ ∘ f'(x) expressed through y.
 */
public abstract sealed class Activation implements Layer permits Relu, Tanh {
    @Override
    public final List<ParamSpec> paramSpecs() {
        return List.of();
    }

    @Override
    public final long[] outputShape(long[] inputShape) {
        return inputShape.clone();
    }

    /** f(x). */
    protected abstract double apply(double x);

    /** f'(x) written in terms of y = f(x). */
    protected abstract double derivativeFromOutput(double y);

    @Override
    public final void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training) {
        if (!DenseAccess.supports(in)) {
            out.assign(in);
            in = out;
        }
        DenseAccess x = DenseAccess.of(in);
        DenseAccess y = DenseAccess.of(out);
        int n = x.length();
        for (int i = 0; i < n; i++) {
            y.set(i, apply(x.get(i)));
        }
    }

    @Override
    public final void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                               List<INDArray> grads, Object scratch) {
        if (gradIn == null) {
            return;
        }
        DenseAccess y = DenseAccess.of(out);
        DenseAccess d = DenseAccess.of(gradOut);
        DenseAccess g = DenseAccess.of(gradIn);
        int n = y.length();
        for (int i = 0; i < n; i++) {
            g.set(i, d.get(i) * derivativeFromOutput(y.get(i)));
        }
    }

    @Override
    public final ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("type", type());
    }

    @Override
    public String toString() {
        return type();
    }
}
