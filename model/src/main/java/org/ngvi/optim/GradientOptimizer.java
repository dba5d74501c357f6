package org.ngvi.optim;

import org.ngvi.nn.NetworkSpec;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.tensor.FlatTensor;

/**
 * The shared part of first-order {@link Optimizer}s (SGD, Adam): a step evaluates the mean
 * gradient at the current parameters θ (no weight sampling, no curvature) and applies the pure
 * {@link #update(FlatTensor, OptimizerState)}; the posterior is the point estimate θ.
 *
 * @param <S> the state type
 */
public abstract class GradientOptimizer<S extends OptimizerState> implements Optimizer<S> {
    private final Scratch scratch = new Scratch();

    /** One step with the given mean gradient; consumes {@code state}. */
    public abstract S update(FlatTensor grad, S state);

    /** {@link #update(FlatTensor, OptimizerState)}; first-order optimizers ignore {@code curv}. */
    @Override
    public final S update(FlatTensor grad, FlatTensor curv, S state) {
        return update(grad, state);
    }

    /** Evaluates the objective at θ (into a scratch gradient held per layout) and applies {@link #update}. */
    @Override
    public StepResult<S> step(Objective objective, S state, NoiseSource noise) {
        FlatTensor g = scratch.get(state.params());
        double loss = objective.evaluate(state.params(), g, null);
        return new StepResult<>(update(g, state), loss);
    }

    /** The gradient at θ itself (no sampling). */
    @Override
    public double gradients(Objective objective, S state, NoiseSource noise, FlatTensor grad, FlatTensor curv) {
        return objective.evaluate(state.params(), grad, null);
    }

    @Override
    public boolean needsCurvature() {
        return false;
    }

    /** A point-estimate posterior (zero std) at θ. */
    @Override
    public GaussianPosterior posterior(NetworkSpec spec, S state) {
        return GaussianPosterior.pointEstimate(spec, state.params());
    }
}
