package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling as PyTorch's {@code nn.MaxPool2d(kernel, stride)} (no padding, floor mode; see
 * {@link Pool2d}):
 * <pre>
 *   y[c, u, v] = max_{a &lt; k_h, b &lt; k_w} x[c, u·s_h + a, v·s_w + b]
 *   backward:  Δ_in[c, h, w] = Σ_{(u, v): argmax of window (u, v) is (h, w)} Δ[c, u, v]
 * </pre>
 * The argmax is the first maximum in row-major window order (the last NaN, if any, as in
 * PyTorch); it is recorded in the forward pass (an {@code int[B·C·H_out·W_out]} scratch) and the
 * backward pass routes each delta there, adding up where overlapping windows share an input.
 */
public final class MaxPool2d extends Pool2d {
    public static final String TYPE = "maxpool2d";

    public MaxPool2d(Window2d window) {
        super(window);
    }

    static MaxPool2d fromJson(JsonNode n, String where) {
        return new MaxPool2d(Window2d.fromJson(n, where, false));
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Scratch: for every output value, the index of its window's maximum in the flattened input. */
    @Override
    public Object scratch(long batch, long[] inputShape, DataType dtype) {
        long[] out = outputShape(inputShape);
        return new int[Math.toIntExact(Math.multiplyExact(batch, out[0] * out[1] * out[2]))];
    }

    @Override
    public void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training) {
        check(in, out);
        int[] argmax = (int[]) scratch;
        DenseAccess x = DenseAccess.of(in);
        DenseAccess y = DenseAccess.of(out);
        int planes = Math.toIntExact(in.size(0) * in.size(1));
        int h = (int) in.size(2);
        int w = (int) in.size(3);
        int oh = (int) out.size(2);
        int ow = (int) out.size(3);
        if (argmax.length < y.length()) {
            throw new IllegalArgumentException(this + ": scratch for " + argmax.length + " outputs, batch has " + y.length());
        }
        int j = 0;
        for (int pl = 0; pl < planes; pl++) {
            int plane = pl * h * w;
            for (int u = 0; u < oh; u++) {
                for (int v = 0; v < ow; v++, j++) {
                    int top = plane + u * window.sh() * w + v * window.sw();
                    int best = top;
                    double max = x.get(top);
                    for (int a = 0; a < window.kh(); a++) {
                        for (int b = 0; b < window.kw(); b++) {
                            int idx = top + a * w + b;
                            double val = x.get(idx);
                            if (val > max || Double.isNaN(val)) {
                                max = val;
                                best = idx;
                            }
                        }
                    }
                    y.set(j, max);
                    argmax[j] = best;
                }
            }
        }
    }

    @Override
    public void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                         List<INDArray> grads, Object scratch) {
        if (gradIn == null) {
            return;
        }
        check(gradIn, gradOut);
        int[] argmax = (int[]) scratch;
        DenseAccess d = DenseAccess.of(gradOut);
        DenseAccess g = DenseAccess.of(gradIn);
        for (int i = 0; i < g.length(); i++) {
            g.set(i, 0.0);
        }
        for (int j = 0; j < d.length(); j++) {
            int idx = argmax[j];
            g.set(idx, g.get(idx) + d.get(j));
        }
    }
}
