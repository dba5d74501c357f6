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
 * PyTorch); it is recorded in the forward pass (an {@code int[B·C·H_out·W_out]} scratch) and the
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
    protected void poolPlane(DenseAccess x, int x0, DenseAccess y, int y0, int w, int oh, int ow, Object scratch) {
        int[] argmax = (int[]) scratch;
        if (argmax.length < y.length()) {
            throw new IllegalArgumentException(this + ": scratch for " + argmax.length + " outputs, batch has " + y.length());
        }
        int j = y0;
        for (int u = 0; u < oh; u++) {
            for (int v = 0; v < ow; v++, j++) {
                int top = x0 + u * window.sh() * w + v * window.sw();
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

    /** Routes each delta of the plane to its window's argmax (a flat input index recorded by the forward pass). */
    @Override
    protected void unpoolPlane(DenseAccess g, int x0, DenseAccess d, int y0, int w, int oh, int ow, Object scratch) {
        int[] argmax = (int[]) scratch;
        for (int j = y0, end = y0 + oh * ow; j < end; j++) {
            int idx = argmax[j];
            g.set(idx, g.get(idx) + d.get(j));
        }
    }

    static MaxPool2d fromJson(JsonNode n, String where) {
        return new MaxPool2d(windowFromJson(n, where));
    }
}
