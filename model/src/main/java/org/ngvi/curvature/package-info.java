/**
 * Per-example curvature: the diagonal Gauss-Newton estimate VOGN needs,
 * ĥ = (1/B) Σᵢ (∇_θ ℓᵢ)², the mean over the mini-batch of squared per-example gradients
 * (Osawa et al., "Practical Deep Learning with Bayesian Principles", NeurIPS 2019; Khan et
 * al. 2018). It is computed without a per-example loop, BackPACK-style: one
 * {@link org.ngvi.curvature.CurvatureRule} per layer type, registered in
 * {@link org.ngvi.curvature.CurvatureRegistry}, fed by the layer's input A and per-example
 * output deltas Δ from the ordinary batched backward pass. For a dense layer
 * ĥ(W) = (1/B)(Δ∘Δ)ᵀ(A∘A) and ĥ(b) = (1/B) Σᵢ Δᵢ²; for BatchNorm
 * ({@link org.ngvi.curvature.BatchNormCurvature}) gᵢ(γ) = Σ_positions x̂ᵢ Δᵢ and
 * gᵢ(β) = Σ_positions Δᵢ, squared after the sum, with the batch statistics held constant.
 * For a convolution ({@link org.ngvi.curvature.ConvCurvature}) gᵢ(W) = Δᵢ Uᵢᵀ with
 * Uᵢ = im2col(Aᵢ) does not factor, so the rule runs one GEMM per example into a
 * {@code [out, in·kh·kw]} buffer and accumulates its square (memory independent of B), and
 * gᵢ(b) = Σ_positions Δᵢ is squared after the sum (exact, unlike the reference's sum of squares).
 * {@link org.ngvi.curvature.NetworkObjective} ties a network, a batch and the rules into the
 * {@link org.ngvi.optim.Objective} the optimizers evaluate.
 */
package org.ngvi.curvature;
