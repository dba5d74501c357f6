package org.ngvi.optim;

/**
 * Outcome of one optimizer step.
 *
 * @param state the new state
 * @param loss  mean mini-batch loss the step saw (VOGN: averaged over its MC samples)
 */
public record StepResult<S extends OptimizerState>(S state, double loss) {
}
