package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Max pooling as PyTorch's {@code nn.MaxPool2d(kernel, stride)} (no padding, floor mode; see
 * {@link Pool2d}):
 * <pre>
 *   y[c, u, v] = max_{a &lt; k_h, b &lt; k_w} x[c, u·s_h + a, v·s_w + b]
 *   backward:  Δ_in[c, h, w] = Σ_{(u, v): argmax of window (u, v) is (h, w)} Δ[c, u, v]
 * </pre>
 * The argmax is the first maximum in row-major window order (the last NaN, if any, as in
 * PyTorch); it is recorded in the forward pass (an {@code int[B·C·H_out·W_out]} scratch, the
 * index within the plane) and the
 * backward pass routes each delta there, adding up where overlapping windows share an input.
 */
public final class MaxPool2d extends Pool2d {
    public static final String TYPE = "maxpool2d";

    public MaxPool2d(Window2d window) {
        super(TYPE, window);
    }

    /** Scratch: for every output value, the index of its window's maximum in the flattened input. */
    @Override
    public Object scratch(long batch, long[] inputShape, DataType dtype) {
        long[] out = outputShape(inputShape);
        return new int[Math.toIntExact(Math.multiplyExact(batch, out[0] * out[1] * out[2]))];
    }

    @Override
    protected void poolPlane(double[] x, double[] y, int plane, int w, int oh, int ow, Object scratch) {
        int[] argmax = (int[]) scratch;
        int j0 = plane * oh * ow;
        if (argmax.length < j0 + oh * ow) {
            throw new IllegalArgumentException(this + ": scratch for " + argmax.length + " outputs, batch has more planes");
        }
        int j = 0;
        for (int u = 0; u < oh; u++) {
            for (int v = 0; v < ow; v++, j++) {
                int top = u * window.sh() * w + v * window.sw();
                int best = top;
                double max = x[top];
                for (int a = 0; a < window.kh(); a++) {
                    for (int b = 0; b < window.kw(); b++) {
                        int idx = top + a * w + b;
                        double val = x[idx];
                        if (val > max || Double.isNaN(val)) {
                            max = val;
                            best = idx;
                        }
                    }
                }
                y[j] = max;
                argmax[j0 + j] = best;
            }
        }
    }

    /** Routes each delta of the plane to its window's argmax (an index in the plane recorded by the forward pass). */
    @Override
    protected void unpoolPlane(double[] g, double[] d, int plane, int w, int oh, int ow, Object scratch) {
        int[] argmax = (int[]) scratch;
        int j0 = plane * oh * ow;
        for (int j = 0, end = oh * ow; j < end; j++) {
            g[argmax[j0 + j]] += d[j];
        }
    }

    static MaxPool2d fromJson(JsonNode n, String where) {
        return new MaxPool2d(windowFromJson(n, where));
    }
}
