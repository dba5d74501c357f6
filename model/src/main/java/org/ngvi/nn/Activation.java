package org.ngvi.nn;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.tensor.ParamSpec;

/**
 * A parameterless elementwise layer y = f(x), any shape. Forward and backward are single fused
 * passes over the buffers in {@link Chunks} (bulk-staged, so the JIT vectorises the loops; no ND4J
 * op overhead, no allocation); the backward uses the stored output: Δ_in = Δ ∘ f'(x) expressed
 * through y.
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

    /** y[j] = f(x[j]) for j &lt; len. */
    protected abstract void apply(double[] x, double[] y, int len);

    /** g[j] = d[j] · f'(x[j]) for j &lt; len, with f' written in terms of y = f(x). */
    protected abstract void backward(double[] y, double[] d, double[] g, int len);

    @Override
    public final void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training) {
        if (!DenseAccess.supports(in)) {
            out.assign(in);
            in = out;
        }
        DenseAccess x = DenseAccess.of(in);
        DenseAccess y = DenseAccess.of(out);
        int n = x.length();
        double[] a = Chunks.chunk(0);
        double[] b = Chunks.chunk(1);
        for (int from = 0; from < n; from += Chunks.SIZE) {
            int len = Math.min(Chunks.SIZE, n - from);
            x.get(from, a, 0, len);
            apply(a, b, len);
            y.set(from, b, 0, len);
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
        double[] a = Chunks.chunk(0);
        double[] b = Chunks.chunk(1);
        double[] c = Chunks.chunk(2);
        for (int from = 0; from < n; from += Chunks.SIZE) {
            int len = Math.min(Chunks.SIZE, n - from);
            y.get(from, a, 0, len);
            d.get(from, b, 0, len);
            backward(a, b, c, len);
            g.set(from, c, 0, len);
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
