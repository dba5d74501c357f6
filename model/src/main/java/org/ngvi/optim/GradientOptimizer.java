package org.ngvi.optim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.tensor.FlatTensor;

/**
 * A first-order optimizer (SGD, Adam): a step evaluates the mean gradient at the current
 * parameters θ and applies the pure {@link #update}; its prediction is the point estimate θ.
 *
 * @param <S> the state type
 */
public abstract class GradientOptimizer<S extends OptimizerState> implements Optimizer<S> {
    private final Scratch scratch = new Scratch();

    /** Name in checkpoints. */
    public abstract String name();

    /** Hyper-parameters as the JSON a checkpoint stores. */
    protected abstract ObjectNode paramsJson();

    /** One step with the given mean gradient; consumes {@code state}. */
    public abstract S update(FlatTensor grad, S state);

    /** Evaluates the objective at θ (into a scratch gradient held per layout) and applies {@link #update}. */
    @Override
    public StepResult<S> step(Objective objective, S state, NoiseSource noise) {
        FlatTensor g = scratch.get(state.params());
        double loss = objective.evaluate(state.params(), g, null);
        return new StepResult<>(update(g, state), loss);
    }

    @Override
    public boolean needsCurvature() {
        return false;
    }

    /** The checkpoint of {@code state}: its {@link OptimizerState#buffers()} (not copied). */
    public ModelCheckpoint toCheckpoint(NetworkSpec spec, S state, ObjectNode metadata) {
        return new ModelCheckpoint(spec, name(), paramsJson(), state.step(), state.buffers(), Map.of(), metadata);
    }

    /** The state saved in {@code c} (buffers copied). */
    public abstract S restore(ModelCheckpoint c);

    /** A point-estimate posterior (zero std) at θ. */
    public GaussianPosterior posterior(NetworkSpec spec, S state) {
        return GaussianPosterior.pointEstimate(spec, state.params());
    }
}
