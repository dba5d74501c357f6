package org.ngvi.optim;

import org.ngvi.tensor.FlatTensor;

/**
 * The mini-batch objective an optimizer step evaluates, possibly several times (VOGN's MC
 * samples): at parameters θ, the mean loss L(θ) = (1/B) Σᵢ ℓᵢ(θ), its gradient and,
 * when asked, the mean of squared per-example gradients ĥ = (1/B) Σᵢ (∇ℓᵢ(θ))².
 */
@FunctionalInterface
public interface Objective {
    /**
     * @param theta  parameters to evaluate at (not modified)
     * @param grad   receives ∇L(θ), overwritten
     * @param sqGrad receives ĥ(θ), overwritten; {@code null} when the optimizer needs no curvature
     * @return the mean loss L(θ)
     */
    double evaluate(FlatTensor theta, FlatTensor grad, FlatTensor sqGrad);
}
