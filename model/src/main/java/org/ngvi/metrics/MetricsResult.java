package org.ngvi.metrics;

/**
 * Classification metrics of a predictive distribution over a data set.
 *
 * @param examples number of examples N
 * @param accuracy (1/N) Σᵢ 1[argmax pᵢ = yᵢ]
 * @param nll      mean negative log-likelihood (1/N) Σᵢ −log max(pᵢ(yᵢ), 1e-12)
 * @param ece      expected calibration error Σ_b (n_b/N) |acc_b − conf_b| over equal-width confidence bins
 * @param brier    mean Brier score (1/N) Σᵢ Σ_k (p_ik − 1[yᵢ = k])²
 * @param entropy  mean predictive entropy (1/N) Σᵢ −Σ_k p_ik log p_ik
 */
public record MetricsResult(long examples, double accuracy, double nll, double ece, double brier, double entropy)
        implements java.io.Serializable {
}
