package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.NoiseSource;
import org.ngvi.optim.Objective;
import org.ngvi.optim.StepResult;
import org.ngvi.optim.Vogn;
import org.ngvi.optim.VognParams;
import org.ngvi.optim.VognState;
import org.ngvi.optim.schedule.LrSchedule;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.config.OptimConfig;
import org.ngvi.tensor.FlatTensor;

/**
 * {@link Vogn} in the distributed trainer. Averaging combines the tasks' Gaussian posteriors in
 * natural parameters: the mean weighted by precision P = s + δ + λ̄, the curvature, momentum and
 * gradient EMA by examples.
 */
final class VognTraining extends TrainingAlgorithm<VognState> {
    private final VognParams params;
    private final PerThread<Vogn> vogn;

    /**
     * @param noPriorParams parameters without prior, never sampled (BatchNorm γ, β under {@code non_reg_for_bn})
     * @param schedule      the config's schedule bound to the run's steps per epoch
     */
    VognTraining(OptimConfig c, long datasetSize, Set<String> noPriorParams, LrSchedule schedule) {
        VognParams.Builder b = VognParams.builder(datasetSize)
                .lr(c.lr())
                .numMcSamples(c.numMcSamples())
                .klWeighting(c.klWeighting())
                .priorVariance(c.priorVariance())
                .initPrecision(c.initPrecision())
                .damping(c.damping())
                .curvatureEma(c.curvEmaDecay())
                .momentum(c.momentum(), stage(c.momentumType()))
                .gradEma(c.gradEmaDecay(), stage(c.gradEmaType()))
                .noPriorParams(noPriorParams)
                .schedule(schedule);
        if (c.warmupKlInit() != null) {
            b.klWarmup(c.warmupKlInit(), c.warmupKlSteps());
        }
        this.params = b.build();
        VognParams p = this.params;
        this.vogn = new PerThread<>(() -> new Vogn(p));
    }

    private static VognParams.Stage stage(String s) {
        return s.equals("raw") ? VognParams.Stage.RAW : VognParams.Stage.PRECONDITIONED;
    }

    /** This thread's optimizer: its scratch buffers must not be shared between concurrent tasks. */
    private Vogn vogn() {
        return vogn.get();
    }

    VognParams params() {
        return params;
    }

    @Override
    public double lrAt(long stepsDone) {
        return params.lrAt(stepsDone);
    }

    int mcSamples() {
        return params.numMcSamples();
    }

    @Override
    public String name() {
        return Vogn.NAME;
    }

    @Override
    public VognState init(FlatTensor p) {
        return vogn().init(p);
    }

    @Override
    public StepResult<VognState> step(Objective objective, VognState state, NoiseSource noise) {
        return vogn().step(objective, state, noise);
    }

    @Override
    public boolean needsCurvature() {
        return true;
    }

    @Override
    public double gradients(Objective objective, VognState state, NoiseSource noise, FlatTensor grad, FlatTensor curv) {
        return vogn().mcGradients(objective, state, noise, grad, curv);
    }

    @Override
    public VognState applyGradients(FlatTensor grad, FlatTensor curv, VognState state) {
        return vogn().update(grad, curv, state);
    }

    @Override
    public String precisionWeightedBuffer() {
        return "params";
    }

    @Override
    public FlatValues precision(VognState state, FlatTensor scratch) {
        vogn().precision(state, scratch);
        return FlatValues.of(scratch);
    }

    /** μ and s (with λ̄ and t from the snapshot) determine the weight samples. */
    @Override
    protected Set<String> samplingBuffers() {
        return Set.of("params", "curvature");
    }

    @Override
    protected List<String> bufferNames() {
        return List.of("params", "curvature", "momentum", "grad_ema");
    }

    @Override
    protected double[] scalars(VognState state) {
        return state.priorEma();
    }

    @Override
    protected VognState assemble(Map<String, FlatTensor> b, long step, double[] scalars, VognState reuse) {
        FlatTensor sigma = reuse != null ? reuse.sigma() : FlatTensor.zeros(b.get("params").layout(), b.get("params").dataType());
        return vogn().state(b.get("params"), b.get("curvature"), b.get("momentum"), b.get("grad_ema"), sigma, scalars, step);
    }

    @Override
    public ModelCheckpoint checkpoint(NetworkSpec spec, VognState state, ObjectNode metadata) {
        return vogn().toCheckpoint(spec, state, metadata);
    }

    @Override
    public GaussianPosterior posterior(NetworkSpec spec, VognState state) {
        return vogn().posterior(spec, state);
    }
}
