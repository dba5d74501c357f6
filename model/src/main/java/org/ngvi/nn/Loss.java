package org.ngvi.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-example loss ℓᵢ(zᵢ, yᵢ) on logits z; the batch loss is the mean L = (1/B) Σᵢ ℓᵢ.
 */
public interface Loss {
    /** {@code "cross_entropy"} or {@code "bce_with_logits"} (fixture names). */
    String name();

    /** Number of classes of the predictive distribution for {@code logitWidth} logits (BCE: 2). */
    int numClasses(long logitWidth);

    /**
     * Mean loss over the batch; writes Δᵢ = ∂ℓᵢ/∂zᵢ (not divided by B) into {@code delta}.
     *
     * @param logits {@code [B, K]}
     * @param labels B labels (class indices; 0/1 for BCE)
     * @param delta  {@code [B, K]}, overwritten; may be {@code null} when only the loss is wanted
     */
    double lossAndDelta(INDArray logits, int[] labels, INDArray delta);

    /** Predictive class probabilities {@code [B, numClasses]} into {@code out} (softmax, or [1−σ, σ] for BCE). */
    void probabilities(INDArray logits, INDArray out);
}
