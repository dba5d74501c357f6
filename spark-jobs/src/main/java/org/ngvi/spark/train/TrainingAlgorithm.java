package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.NoiseSource;
import org.ngvi.optim.Objective;
import org.ngvi.optim.OptimizerState;
import org.ngvi.optim.StepResult;
import org.ngvi.optim.schedule.LrSchedule;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.config.OptimConfig;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;

/**
 * What the distributed trainer needs of an optimizer, on both sides of the wire: local steps
 * (average mode), MC-averaged gradients and their application (sync mode), conversion to and
 * from {@link StateSnapshot}s and checkpoints. Serializable: it carries only hyper-parameters;
 * the optimizer object (with its scratch buffers) is built lazily per JVM.
 *
 * @param <S> the optimizer state
 */
public abstract class TrainingAlgorithm<S extends OptimizerState> implements Serializable {

    /**
     * The algorithm a config asks for, with VOGN's dataset size N, for a network without
     * normalisation layers (with {@code non_reg_for_bn} use {@link #of(OptimConfig, long, NetworkSpec, int)})
     * and a schedule that needs no steps per epoch (constant or per-iteration).
     */
    public static TrainingAlgorithm<?> of(OptimConfig c, long datasetSize) {
        return of(c, datasetSize, null, 0);
    }

    /**
     * The algorithm a config asks for, with VOGN's dataset size N, for the network {@code spec},
     * its learning-rate schedule bound to {@code stepsPerEpoch} ({@link BatchPlan#stepsPerEpoch()});
     * with {@code optim_args.non_reg_for_bn} VOGN gets the network's BatchNorm γ and β as
     * parameters without prior, never sampled ({@code VognParams#noPriorParams}).
     *
     * @param spec          the network, or {@code null} (only without {@code non_reg_for_bn})
     * @param stepsPerEpoch optimizer steps per epoch, or 0 when unknown (only for schedules that do not count epochs)
     */
    public static TrainingAlgorithm<?> of(OptimConfig c, long datasetSize, NetworkSpec spec, int stepsPerEpoch) {
        Set<String> noPrior = Set.of();
        if (c.nonRegForBn()) {
            if (spec == null) {
                throw new IllegalArgumentException("optim_args.non_reg_for_bn needs the network to find its BatchNorm parameters");
            }
            noPrior = Network.build(spec, DataType.FLOAT).normalizationParamNames();
        }
        LrSchedule schedule = c.schedule();
        if (schedule.needsStepsPerEpoch()) {
            if (stepsPerEpoch < 1) {
                throw new IllegalArgumentException("the learning-rate schedule (" + schedule.describe()
                        + ") counts epochs: the run's steps per epoch are needed");
            }
            schedule = schedule.forStepsPerEpoch(stepsPerEpoch);
        }
        return switch (c.name()) {
            case "vogn" -> new VognTraining(c, datasetSize, noPrior, schedule);
            case "adam" -> new AdamTraining(c, schedule);
            default -> throw new IllegalArgumentException("unknown optimizer " + c.name());
        };
    }

    /** The learning rate of step t + 1 (t = {@code stepsDone}), for progress lines and metrics. */
    public abstract double lrAt(long stepsDone);

    public abstract String name();

    public abstract S init(FlatTensor params);

    /** One local step (average mode). Consumes {@code state}. */
    public abstract StepResult<S> step(Objective objective, S state, NoiseSource noise);

    /** Whether gradients come with per-example squared gradients. */
    public abstract boolean needsCurvature();

    /**
     * Sync mode, on a task: the MC-averaged mean gradient ĝ (and ĥ when {@link #needsCurvature()})
     * of this task's batch at the weights the state samples; returns the MC-averaged loss.
     */
    public abstract double gradients(Objective objective, S state, NoiseSource noise, FlatTensor grad, FlatTensor curv);

    /** Sync mode, on the driver: one step with aggregated gradients. Consumes {@code state}. */
    public abstract S applyGradients(FlatTensor grad, FlatTensor curv, S state);

    /** Name of the buffer averaged with precision weights (VOGN's mean), or {@code null}. */
    public String precisionWeightedBuffer() {
        return null;
    }

    /**
     * Per-parameter precision weights for natural-parameter averaging, or {@code null};
     * {@code scratch} (the state's layout) may be overwritten on the way.
     */
    public FlatValues precision(S state, FlatTensor scratch) {
        return null;
    }

    /** The buffers a task needs to draw weight samples (sync mode broadcasts only these). */
    protected abstract Set<String> samplingBuffers();

    /** Per-tensor scalars carried by snapshots (VOGN's λ̄); empty by default. */
    protected double[] scalars(S state) {
        return new double[0];
    }

    /**
     * A state with {@code buffers} (already holding the snapshot's values), step and scalars;
     * derived buffers are written into {@code reuse}'s when it is not {@code null}.
     */
    protected abstract S assemble(Map<String, FlatTensor> buffers, long step, double[] scalars, S reuse);

    public abstract ModelCheckpoint checkpoint(NetworkSpec spec, S state, ObjectNode metadata);

    public abstract GaussianPosterior posterior(NetworkSpec spec, S state);

    /** A copy of the whole state. */
    public StateSnapshot snapshot(S state) {
        return snapshot(state, false);
    }

    /** A copy of the state, or with {@code samplingOnly} of just the {@link #samplingBuffers()}. */
    public StateSnapshot snapshot(S state, boolean samplingOnly) {
        Map<String, FlatValues> out = new LinkedHashMap<>();
        state.buffers().forEach((k, v) -> {
            if (!samplingOnly || samplingBuffers().contains(k)) {
                out.put(k, FlatValues.of(v));
            }
        });
        return new StateSnapshot(state.step(), out, scalars(state));
    }

    /**
     * The state a snapshot describes, written into {@code reuse}'s buffers when given (so a
     * worker allocates nothing per round), else into new ones. Buffers the snapshot lacks keep
     * {@code reuse}'s values (zeros for a new state); sync-mode tasks never read them.
     */
    public S restore(StateSnapshot snap, S reuse, ParamLayout layout, DataType dtype) {
        Map<String, FlatTensor> buffers = new LinkedHashMap<>();
        for (String name : bufferNames()) {
            FlatTensor t = reuse != null ? reuse.buffers().get(name) : FlatTensor.zeros(layout, dtype);
            FlatValues v = snap.buffers().get(name);
            if (v != null) {
                v.copyInto(t);
            }
            buffers.put(name, t);
        }
        return assemble(buffers, snap.step(), snap.scalars(), reuse);
    }

    /** Names of every buffer of the state, as {@link OptimizerState#buffers()} lists them. */
    protected abstract java.util.List<String> bufferNames();

    @SuppressWarnings("unchecked")
    public S cast(OptimizerState s) {
        return (S) s;
    }
}
