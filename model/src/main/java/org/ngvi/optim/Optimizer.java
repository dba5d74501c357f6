package org.ngvi.optim;

import org.ngvi.tensor.FlatTensor;

/**
 * An optimizer in the optax style: {@code init(params) -> state} and a step that maps a
 * state to a new state. Gradient-based optimizers also expose their pure update on given
 * gradients (see {@link Sgd#update}, {@link Adam#update}, {@link Vogn#update}), which the
 * synchronous distributed mode applies to gradients aggregated across executors.
 *
 * @param <S> the state type
 */
public interface Optimizer<S extends OptimizerState> {
    /** Initial state around {@code params} (copied). */
    S init(FlatTensor params);

    /**
     * One training step on the mini-batch behind {@code objective}. Consumes {@code state}.
     *
     * @param noise ε for weight sampling; ignored by non-Bayesian optimizers
     */
    StepResult<S> step(Objective objective, S state, NoiseSource noise);

    /** Whether {@link Objective#evaluate} must produce per-example squared gradients. */
    boolean needsCurvature();
}
