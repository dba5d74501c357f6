package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.tensor.ParamSpec;

/**
 * Common part of the window pools {@link MaxPool2d} and {@link AvgPool2d}: no parameters, no
 * padding, floor mode, per-example input {@code [C, H, W]} → output {@code [C, H_out, W_out]}
 * with H_out = ⌊(H − k_h)/s_h⌋ + 1, W_out = ⌊(W − k_w)/s_w⌋ + 1 (rows and columns that do not
 * fill a window are dropped). JSON: {@code {"type": ..., "kernel": [kh, kw], "stride": [sh, sw]}}.
 * Windows may overlap (stride &lt; kernel); the backward passes then add the contributions of
 * every window at an input position.
 *
 * <p>This class checks the arrays and stages each plane (B·C per batch) on the heap through
 * {@link Chunks} with one bulk copy in and one out; the subclass's fused loops over that plane's
 * windows ({@link #poolPlane}, {@link #unpoolPlane}) then run on plain {@code double[]} arrays.
 */
public abstract sealed class Pool2d implements Layer permits MaxPool2d, AvgPool2d {
    protected final Window2d window;
    private final String type;

    /**
     * @param type   the JSON {@code type} ({@link #type()})
     * @param window kernel and stride; padding must be 0
     */
    protected Pool2d(String type, Window2d window) {
        if (window.ph() != 0 || window.pw() != 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": padding is not supported, got " + window);
        }
        this.type = type;
        this.window = window;
    }

    /** The window of {@code {"kernel": [kh, kw], "stride": [sh, sw]}} (no padding field). */
    static Window2d windowFromJson(JsonNode n, String where) {
        return Window2d.fromJson(n, where, false);
    }

    @Override
    public final String type() {
        return type;
    }

    public Window2d window() {
        return window;
    }

    @Override
    public final List<ParamSpec> paramSpecs() {
        return List.of();
    }

    @Override
    public final long[] outputShape(long[] inputShape) {
        int[] chw = Window2d.chw(inputShape, 0, toString());
        return new long[] {chw[0], window.outH(chw[1]), window.outW(chw[2])};
    }

    /** Checks the batch and runs {@link #poolPlane} on each of its B·C planes. */
    @Override
    public final void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training) {
        check(in, out);
        eachPlane(DenseAccess.of(in), DenseAccess.of(out), in, out, scratch, false);
    }

    /**
     * Checks the deltas and runs {@link #unpoolPlane} on each of the B·C planes (into a zeroed
     * plane, written whole); nothing when {@code gradIn} is {@code null} (first layer). No
     * parameters, so no {@code grads}.
     */
    @Override
    public final void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                               List<INDArray> grads, Object scratch) {
        if (gradIn == null) {
            return;
        }
        check(gradIn, gradOut);
        eachPlane(DenseAccess.of(gradIn), DenseAccess.of(gradOut), gradIn, gradOut, scratch, true);
    }

    /**
     * One call per plane (not per value): plane p of {@code input} ({@code [B, C, H, W]}, values or
     * deltas) starts at p·H·W, its pooled plane in {@code pooled} ({@code [B, C, H_out, W_out]}) at
     * p·H_out·W_out; both are staged on the heap.
     */
    private void eachPlane(DenseAccess input, DenseAccess pooled, INDArray in, INDArray out, Object scratch,
                           boolean backward) {
        int w = (int) in.size(3);
        int oh = (int) out.size(2);
        int ow = (int) out.size(3);
        int inArea = (int) in.size(2) * w;
        int outArea = oh * ow;
        int planes = Math.toIntExact(in.size(0) * in.size(1));
        double[] plane = Chunks.chunk(0, inArea);
        double[] pooledPlane = Chunks.chunk(1, outArea);
        for (int p = 0; p < planes; p++) {
            if (backward) {
                pooled.get(p * outArea, pooledPlane, 0, outArea);
                java.util.Arrays.fill(plane, 0, inArea, 0.0);
                unpoolPlane(plane, pooledPlane, p, w, oh, ow, scratch);
                input.set(p * inArea, plane, 0, inArea);
            } else {
                input.get(p * inArea, plane, 0, inArea);
                poolPlane(plane, pooledPlane, p, w, oh, ow, scratch);
                pooled.set(p * outArea, pooledPlane, 0, outArea);
            }
        }
    }

    /**
     * Forward on plane number {@code plane}: y[u·ow + v] for u &lt; oh, v &lt; ow from the window at
     * u·s_h·w + v·s_w of the plane x (row width {@code w}).
     */
    protected abstract void poolPlane(double[] x, double[] y, int plane, int w, int oh, int ow, Object scratch);

    /**
     * Backward on plane number {@code plane}: adds each delta d[u·ow + v] to the input deltas of the
     * plane {@code g} (zeroed, row width {@code w}) it flows back to; arguments as in {@link #poolPlane}.
     */
    protected abstract void unpoolPlane(double[] g, double[] d, int plane, int w, int oh, int ow, Object scratch);

    /** Input and output shapes of a batch, checked: {@code [B, C, H, W]} → {@code [B, C, H_out, W_out]}, both dense. */
    private void check(INDArray in, INDArray out) {
        if (in.rank() != 4 || out.rank() != 4 || !DenseAccess.supports(in) || !DenseAccess.supports(out)
                || out.size(0) != in.size(0) || out.size(1) != in.size(1)
                || out.size(2) != window.outH(in.size(2)) || out.size(3) != window.outW(in.size(3))) {
            throw new IllegalArgumentException(this + ": expected dense [B, C, H, W] → [B, C, H_out, W_out] arrays, got "
                    + Arrays.toString(in.shape()) + " → " + Arrays.toString(out.shape()));
        }
    }

    @Override
    public final ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", type());
        window.putJson(n, false);
        return n;
    }

    @Override
    public String toString() {
        return type() + "(" + window + ")";
    }
}
