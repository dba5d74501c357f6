package org.ngvi.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ngvi.tensor.FlatTensor;

/**
 * State of {@link Vogn}: the Gaussian posterior q(θ) = N(μ, diag(c² σ²)) and the optimizer's
 * running averages, all of one {@link org.ngvi.tensor.ParamLayout} and data type.
 *
 * <p>{@link Vogn#update} consumes a state: its five tensors (μ, s, v, m, σ) are updated in place
 * and handed to the returned state (donation, as JAX's {@code donate_argnums}); keep a
 * {@link #copy()} to retain an old state. The {@code priorEma} array is never written: an update
 * returns a new one.
 *
 * @param mean      μ, the posterior mean (what prediction with K = 0 samples uses)
 * @param curvature s, the EMA of the mean squared per-example gradients ĥ
 * @param momentum  v, the momentum buffer (stays 0 when momentum β = 0)
 * @param gradEma   m, the gradient EMA buffer (stays 0 when γ = 1)
 * @param sigma     σ = (s + δ + λ̄)^(−1/2) computed by the last update pass, kept so sampling
 *                  needs no rsqrt (0 everywhere before the first step without an init precision);
 *                  derived from the other fields, so it is neither aggregated nor checkpointed
 * @param priorEma  λ̄, one EMA of the prior precision λ per parameter tensor (layout order)
 * @param step      t, the number of steps taken
 * @param priorMean      m, the per-parameter prior mean, or {@code null} for the isotropic prior
 *                       ({@link VognParams#perParameterPrior()}); never written by an update
 * @param priorPrecision p, the per-parameter prior precision in natural units (the prior is
 *                       N(m, diag(1/p))), or {@code null} with {@code priorMean}; never written by an update
 */
public record VognState(FlatTensor mean, FlatTensor curvature, FlatTensor momentum, FlatTensor gradEma,
                        FlatTensor sigma, double[] priorEma, long step, FlatTensor priorMean,
                        FlatTensor priorPrecision) implements OptimizerState {
    /** A state with the isotropic prior. */
    public VognState(FlatTensor mean, FlatTensor curvature, FlatTensor momentum, FlatTensor gradEma,
                     FlatTensor sigma, double[] priorEma, long step) {
        this(mean, curvature, momentum, gradEma, sigma, priorEma, step, null, null);
    }

    public VognState {
        if ((priorMean == null) != (priorPrecision == null)) {
            throw new IllegalArgumentException("VognState: a per-parameter prior needs both priorMean and priorPrecision");
        }
        if (priorMean != null) {
            NioBuffers.requireSame(mean.layout(), mean.dataType(), "VognState(priorMean, priorPrecision)", priorMean,
                    priorPrecision);
        }
        NioBuffers.requireFloatingPoint(mean.dataType(), "VognState");
        NioBuffers.requireSame(mean.layout(), mean.dataType(), "VognState(mean, curvature, momentum, gradEma, sigma)",
                mean, curvature, momentum, gradEma, sigma);
        if (priorEma == null || priorEma.length != mean.layout().size()) {
            throw new IllegalArgumentException("VognState.priorEma must have one entry per parameter tensor ("
                    + mean.layout().size() + "), got " + (priorEma == null ? "null" : priorEma.length));
        }
        if (step < 0) {
            throw new IllegalArgumentException("VognState.step must be >= 0 (got " + step + ")");
        }
        priorEma = priorEma.clone();
    }

    /** λ̄ (a copy: the state's array is never written). */
    @Override
    public double[] priorEma() {
        return priorEma.clone();
    }

    /** Whether this state carries a per-parameter prior. */
    public boolean hasPerParameterPrior() {
        return priorMean != null;
    }

    /** This state with {@code step}, λ̄ and the tensors of {@code s} but the prior of this one (for {@link Vogn#update}). */
    VognState withPriorOf(VognState s) {
        return new VognState(mean, curvature, momentum, gradEma, sigma, priorEma, step, s.priorMean, s.priorPrecision);
    }

    /** μ. */
    @Override
    public FlatTensor params() {
        return mean;
    }

    /**
     * {@code params} (μ), {@code curvature} (s), {@code momentum} (v), {@code grad_ema} (m); σ is
     * derived and not included.
     */
    @Override
    public Map<String, FlatTensor> tensors() {
        Map<String, FlatTensor> b = new LinkedHashMap<>();
        b.put("params", mean);
        b.put("curvature", curvature);
        b.put("momentum", momentum);
        b.put("grad_ema", gradEma);
        if (priorMean != null) {
            b.put(Vogn.PRIOR_MEAN, priorMean);
            b.put(Vogn.PRIOR_PRECISION, priorPrecision);
        }
        return b;
    }

    /** {@code prior_ema}: λ̄ (a copy). */
    @Override
    public Map<String, double[]> scalars() {
        return Map.of(Vogn.PRIOR_EMA, priorEma.clone());
    }

    @Override
    public VognState copy() {
        return new VognState(mean.copy(), curvature.copy(), momentum.copy(), gradEma.copy(), sigma.copy(),
                priorEma, step, priorMean == null ? null : priorMean.copy(), priorPrecision == null ? null : priorPrecision.copy());
    }
}
