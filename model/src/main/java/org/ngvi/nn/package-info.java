/**
 * Layers and sequential networks on ND4J with preallocated per-batch buffers.
 *
 * <p>Conventions: activations are batch-major ({@code [B, features]} or {@code [B, C, H, W]});
 * parameters use PyTorch layouts; the deltas a network propagates backwards are the
 * per-example gradients Δᵢ = ∂ℓᵢ/∂(layer output)ᵢ of the individual losses (not divided by B),
 * while parameter gradients written by {@link org.ngvi.nn.Layer#backward} are those of the
 * mean loss L = (1/B) Σᵢ ℓᵢ. Per-example curvature rules observe (input, Δ) pairs through
 * {@link org.ngvi.nn.LayerBackwardObserver}.
 *
 * <p>Dense layers: {@link org.ngvi.nn.Linear} y = x Wᵀ + b (W {@code [out, in]}) with
 * ∂L/∂W = (1/B) Δᵀ X, ∂L/∂b = (1/B) 1ᵀ Δ and Δ_in = Δ W, each one GEMM into a preallocated
 * output; {@link org.ngvi.nn.Relu}, {@link org.ngvi.nn.Tanh} and {@link org.ngvi.nn.Flatten}
 * as fused loops. Layer types are created from JSON by {@link org.ngvi.nn.Layers}; losses
 * ({@link org.ngvi.nn.SoftmaxCrossEntropy}, {@link org.ngvi.nn.SigmoidBinaryCrossEntropy},
 * both in log-sum-exp-stable form) by {@link org.ngvi.nn.Losses}; {@link org.ngvi.nn.Mlp}
 * builds MLP specs.
 */
package org.ngvi.nn;
