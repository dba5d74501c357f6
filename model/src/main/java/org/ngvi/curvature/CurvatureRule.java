package org.ngvi.curvature;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.nn.Layer;

/**
 * Per-example curvature of one layer type (a BackPACK-style extension): from the layer's input
 * A {@code [B, ...]} and the per-example output deltas Δ {@code [B, ...]} (Δᵢ = ∂ℓᵢ/∂outᵢ, not
 * divided by B) of an ordinary batched backward pass, writes for every parameter tensor θ of
 * the layer the mean of squared per-example gradients
 * <pre>  ĥ(θ) = (1/B) Σᵢ (∇_θ ℓᵢ)²   (elementwise)</pre>
 * without looping over examples.
 */
public interface CurvatureRule {
    /**
     * Per-batch scratch for this rule (squares of A and Δ, ...), allocated once per batch size
     * and reused; may be {@code null}.
     *
     * @param inputShape per-example input shape of the layer
     */
    default Object scratch(Layer layer, long batch, long[] inputShape, DataType dtype) {
        return null;
    }

    /**
     * Writes ĥ for each parameter of {@code layer} into {@code sqGrads} (overwritten, in
     * {@link Layer#paramSpecs()} order).
     *
     * @param in           layer input A {@code [B, ...]}
     * @param out          layer output {@code [B, ...]}
     * @param gradOut      per-example deltas Δ {@code [B, ...]}
     * @param params       the layer's parameter values used in the forward pass
     * @param layerScratch the layer's own per-batch scratch
     * @param ruleScratch  this rule's scratch from {@link #scratch}
     */
    void squaredGradients(Layer layer, INDArray in, INDArray out, INDArray gradOut, List<INDArray> params,
                          Object layerScratch, List<INDArray> sqGrads, Object ruleScratch);

    /**
     * Called before the layer's backward pass whose deltas {@link #squaredGradients} will see: a
     * rule may arm the layer (through its scratch) to hand over per-example results of that pass
     * instead of recomputing them. Does nothing by default.
     */
    default void beforeBackward(Layer layer, Object layerScratch, Object ruleScratch) {
    }
}
