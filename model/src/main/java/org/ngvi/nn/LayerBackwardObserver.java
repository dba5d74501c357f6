package org.ngvi.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sees each layer's input and per-example output deltas during a backward pass, after the
 * layer's own backward has run. Per-example curvature rules are observers. {@link #beforeBackward}
 * lets an observer ask a layer, through its scratch, to hand over per-example intermediate
 * results of that one backward pass (a {@link Conv2d} its per-example weight gradients).
 */
@FunctionalInterface
public interface LayerBackwardObserver {
    /**
     * @param index   layer position in the network
     * @param in      layer input {@code [B, ...]}
     * @param gradOut per-example deltas Δᵢ = ∂ℓᵢ/∂outᵢ {@code [B, ...]}
     * @param params  the layer's parameter views (values used in the forward pass)
     * @param scratch the layer's per-batch scratch (e.g. normalised inputs of a BatchNorm)
     */
    void onBackward(int index, Layer layer, INDArray in, INDArray out, INDArray gradOut,
                    List<INDArray> params, Object scratch);

    /**
     * Called just before layer {@code index}'s backward pass (after the forward pass filled its
     * scratch); does nothing by default.
     *
     * @param in      layer input {@code [B, ...]}
     * @param scratch the layer's per-batch scratch
     */
    default void beforeBackward(int index, Layer layer, INDArray in, Object scratch) {
    }
}
