/**
 * Per-example curvature: the diagonal Gauss-Newton estimate VOGN needs,
 * ĥ = (1/B) Σᵢ (∇_θ ℓᵢ)², the mean over the mini-batch of squared per-example gradients
 * (Osawa et al., "Practical Deep Learning with Bayesian Principles", NeurIPS 2019; Khan et
 * al. 2018). It is computed without a per-example loop, BackPACK-style: one
 * {@link org.ngvi.curvature.CurvatureRule} per layer type, registered in
 * {@link org.ngvi.curvature.CurvatureRegistry}, fed by the layer's input A and per-example
 * output deltas Δ from the ordinary batched backward pass. For a dense layer
 * ĥ(W) = (1/B)(Δ∘Δ)ᵀ(A∘A) and ĥ(b) = (1/B) Σᵢ Δᵢ².
 * {@link org.ngvi.curvature.NetworkObjective} ties a network, a batch and the rules into the
 * {@link org.ngvi.optim.Objective} the optimizers evaluate.
 */
package org.ngvi.curvature;
