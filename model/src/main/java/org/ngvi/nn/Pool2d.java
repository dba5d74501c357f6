package org.ngvi.nn;

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
 */
public abstract sealed class Pool2d implements Layer permits MaxPool2d, AvgPool2d {
    protected final Window2d window;

    protected Pool2d(Window2d window) {
        if (window.ph() != 0 || window.pw() != 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": padding is not supported, got " + window);
        }
        this.window = window;
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

    /** Input and output shapes of a batch, checked: {@code [B, C, H, W]} → {@code [B, C, H_out, W_out]}, both dense. */
    protected final void check(INDArray in, INDArray out) {
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
