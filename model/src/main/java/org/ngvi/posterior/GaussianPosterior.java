package org.ngvi.posterior;

import java.util.Objects;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;

/**
 * A diagonal Gaussian over a network's parameters, q(θ) = N(mean, diag(std²)), for Monte-Carlo
 * prediction: average the predictive distribution over K samples θ = mean + std ∘ ε, or use the
 * mean alone (K = 0). For VOGN std = c · σ = √(τ / (N (s + δ + λ̄))); point estimates (Adam,
 * SGD) have std = 0.
 *
 * @param spec the network (may be {@code null} for objectives that are not networks)
 * @param mean μ
 * @param std  per-parameter standard deviation, same layout and data type as {@code mean}
 * @param runningStats the network's BatchNorm running statistics to predict with (layout
 *             {@code Network#runningStatsLayout()}), or {@code null} when it has none
 */
public record GaussianPosterior(NetworkSpec spec, FlatTensor mean, FlatTensor std, FlatTensor runningStats) {
    /** A posterior of a network without running statistics. */
    public GaussianPosterior(NetworkSpec spec, FlatTensor mean, FlatTensor std) {
        this(spec, mean, std, null);
    }

    public GaussianPosterior {
        Objects.requireNonNull(mean, "GaussianPosterior.mean");
        Objects.requireNonNull(std, "GaussianPosterior.std");
        if (!mean.layout().equals(std.layout()) || mean.dataType() != std.dataType()) {
            throw new IllegalArgumentException("GaussianPosterior: std has layout " + std.layout() + " / "
                    + std.dataType() + " but mean has " + mean.layout() + " / " + mean.dataType());
        }
    }

    /** A point estimate at {@code params} (copied): std = 0. */
    public static GaussianPosterior pointEstimate(NetworkSpec spec, FlatTensor params) {
        return new GaussianPosterior(spec, params.copy(), FlatTensor.zeros(params.layout(), params.dataType()));
    }

    /** This posterior with the running statistics {@code b} (not copied; {@code null}: none). */
    public GaussianPosterior withRunningStats(FlatTensor b) {
        return new GaussianPosterior(spec, mean, std, b);
    }

    /** Whether every standard deviation is 0 (sampling returns the mean). */
    public boolean isPointEstimate() {
        return std.flat().amaxNumber().doubleValue() == 0;
    }

    /** Writes θ = mean + std ∘ ε into {@code theta} (in-place ND4J ops, no allocation). */
    public void sample(FlatTensor eps, FlatTensor theta) {
        if (!eps.layout().equals(mean.layout()) || !theta.layout().equals(mean.layout())) {
            throw new IllegalArgumentException("GaussianPosterior.sample: eps/theta layout differs from the posterior's "
                    + mean.layout());
        }
        theta.flat().assign(eps.flat()).muli(std.flat()).addi(mean.flat());
    }
}
