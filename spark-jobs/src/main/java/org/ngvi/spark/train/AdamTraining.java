package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.Adam;
import org.ngvi.optim.AdamParams;
import org.ngvi.optim.AdamState;
import org.ngvi.optim.NoiseSource;
import org.ngvi.optim.Objective;
import org.ngvi.optim.StepResult;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.optim.schedule.LrSchedule;
import org.ngvi.spark.config.OptimConfig;
import org.ngvi.tensor.FlatTensor;

/** {@link Adam} in the distributed trainer: a point estimate; averaging averages θ, m and v. */
final class AdamTraining extends TrainingAlgorithm<AdamState> {
    private final AdamParams params;
    private final PerThread<Adam> adam;

    /** @param schedule the config's schedule bound to the run's steps per epoch */
    AdamTraining(OptimConfig c, LrSchedule schedule) {
        double[] b = c.betas();
        this.params = new AdamParams(c.lr(), b[0], b[1], 1e-8, c.weightDecay(), schedule);
        AdamParams p = this.params;
        this.adam = new PerThread<>(() -> new Adam(p));
    }

    /** This thread's optimizer: its scratch buffers must not be shared between concurrent tasks. */
    private Adam adam() {
        return adam.get();
    }

    @Override
    public String name() {
        return Adam.NAME;
    }

    @Override
    public double lrAt(long stepsDone) {
        return params.lrAt(stepsDone);
    }

    @Override
    public AdamState init(FlatTensor p) {
        return adam().init(p);
    }

    @Override
    public StepResult<AdamState> step(Objective objective, AdamState state, NoiseSource noise) {
        return adam().step(objective, state, noise);
    }

    @Override
    public boolean needsCurvature() {
        return false;
    }

    @Override
    public double gradients(Objective objective, AdamState state, NoiseSource noise, FlatTensor grad, FlatTensor curv) {
        return objective.evaluate(state.params(), grad, null);
    }

    @Override
    public AdamState applyGradients(FlatTensor grad, FlatTensor curv, AdamState state) {
        return adam().update(grad, state);
    }

    @Override
    protected AdamState assemble(Map<String, FlatTensor> b, long step, double[] scalars, AdamState reuse) {
        return new AdamState(b.get("params"), b.get("m"), b.get("v"), step);
    }

    @Override
    protected Set<String> samplingBuffers() {
        return Set.of("params");
    }

    @Override
    protected List<String> bufferNames() {
        return List.of("params", "m", "v");
    }

    @Override
    public ModelCheckpoint checkpoint(NetworkSpec spec, AdamState state, ObjectNode metadata) {
        return adam().toCheckpoint(spec, state, metadata);
    }

    @Override
    public GaussianPosterior posterior(NetworkSpec spec, AdamState state) {
        return adam().posterior(spec, state);
    }
}
