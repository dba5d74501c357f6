/**
 * Prediction with a Gaussian weight posterior: Monte-Carlo averaging of the predictive
 * distribution, p(y | x) ≈ (1/K) Σ_k softmax(f(x; μ + σ ∘ ε_k)), K = 0 meaning the mean
 * weights (Osawa et al., NeurIPS 2019). Also the per-sample entropies needed for the mutual
 * information between prediction and weights.
 */
package org.ngvi.predict;
