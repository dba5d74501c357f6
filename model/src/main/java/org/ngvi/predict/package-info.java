/**
 * Prediction with a Gaussian weight posterior: Monte-Carlo averaging of the predictive
 * distribution, p(y | x) ≈ (1/K) Σ_k softmax(f(x; μ + σ ∘ ε_k)), K = 0 meaning the mean
 * weights (Osawa et al., NeurIPS 2019). Also the per-sample entropies needed for the mutual
 * information between prediction and weights. MC dropout (Gal &amp; Ghahramani, ICML 2016) is the same
 * average over K forward passes with the dropout layers kept on at fixed weights
 * ({@link org.ngvi.predict.McPredictor#mcDropout}).
 */
package org.ngvi.predict;
