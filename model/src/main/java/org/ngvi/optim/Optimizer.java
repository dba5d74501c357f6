package org.ngvi.optim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;
import org.ngvi.tensor.ParamLayout;

/**
 * An optimizer in the optax style, the one abstraction every caller uses (single-process
 * training, both distributed modes, checkpoints, evaluation): {@code init(params) -> state} and
 * steps that map a state to a new state, over immutable state records whose tensors are donated
 * to the result ({@link OptimizerState}). It serves:
 * <ul>
 * <li>single-process and {@code average}-mode training: {@link #step} on a mini-batch objective;</li>
 * <li>{@code sync} mode: {@link #gradients} on each task (ĝ and, when {@link #needsCurvature()},
 *     ĥ = (1/B) Σᵢ gᵢ² at the weights the state samples), then {@link #update} once on the
 *     driver with the union batch's example-weighted means;</li>
 * <li>the wire: {@link #snapshot} / {@link #fromSnapshot} (state ↔ named tensors as plain Java
 *     arrays), and the natural-parameter precision weights of {@link #precisionWeightedTensor()};</li>
 * <li>persistence: {@link #toCheckpoint} / {@link #restore(ModelCheckpoint)}, and
 *     {@link #posterior} (the predictive distribution q(θ) of a state).</li>
 * </ul>
 * An instance holds scratch tensors and is used by one thread at a time; its {@link #params()}
 * (an immutable, serializable record) {@link OptimizerParams#create() creates} another one.
 * {@link OptimizerRegistry} maps names to params factories (config and checkpoint JSON).
 *
 * @param <S> the state type
 */
public interface Optimizer<S extends OptimizerState> {
    /** The registry name, also written into checkpoints ({@code vogn}, {@code adam}, {@code sgd}). */
    String name();

    /** The hyper-parameters this optimizer was created from. */
    OptimizerParams params();

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

    /** Weight samples drawn per step (the noise stream's samples per step); 1 unless Bayesian. */
    default int mcSamples() {
        return 1;
    }

    /**
     * Sync mode, on a task: the MC-averaged mean gradient ĝ into {@code grad} and, when {@link
     * #needsCurvature()}, ĥ into {@code curv} (else {@code curv} may be {@code null}), at the
     * weights {@code state} samples; returns the MC-averaged loss. Does not change {@code state}.
     */
    double gradients(Objective objective, S state, NoiseSource noise, FlatTensor grad, FlatTensor curv);

    /**
     * Sync mode, on the driver (and inside {@link #step}): one update with the given ĝ (and ĥ,
     * {@code null} for first-order optimizers). Consumes {@code state}; the inputs are not modified.
     */
    S update(FlatTensor grad, FlatTensor curv, S state);

    /** The learning rate of step t + 1 (t = {@code stepsDone}), for progress lines and metrics. */
    default double lrAt(long stepsDone) {
        return params().lrAt(stepsDone);
    }

    /** Names of the state's tensors, in {@link OptimizerState#tensors()} order. */
    List<String> tensorNames();

    /** Names of the state's scalars ({@link OptimizerState#scalars()}); none by default. */
    default List<String> scalarNames() {
        return List.of();
    }

    /**
     * Tensors that stay zero under these params (VOGN's momentum when β = 0, its gradient EMA when
     * γ = 1): snapshots leave them out, so the wire carries only what a round changes. Checkpoints
     * keep them. None by default.
     */
    default Set<String> constantZeroTensors() {
        return Set.of();
    }

    /** The tensors a task needs to draw weight samples (sync mode broadcasts only these). */
    default Set<String> samplingTensors() {
        return Set.of("params");
    }

    /**
     * A state from its tensors (used as given, not copied), step and scalars; derived tensors
     * (VOGN's σ) are written into {@code reuse}'s when it is not {@code null}, else allocated.
     */
    S assemble(Map<String, FlatTensor> tensors, long step, Map<String, double[]> scalars, S reuse);

    /**
     * Name of the tensor that averaging combines as a natural parameter, weighted by {@link
     * #precision} (VOGN's mean: μ = Σ nₚ Pₚ μₚ / Σ nₚ Pₚ), or {@code null}: every tensor is the
     * example-weighted mean.
     */
    default String precisionWeightedTensor() {
        return null;
    }

    /** The per-parameter precision weights P of {@code state} into {@code out} (when {@link #precisionWeightedTensor()} is set). */
    default void precision(S state, FlatTensor out) {
        throw new UnsupportedOperationException(name() + " has no precision-weighted tensor");
    }

    /** The Gaussian posterior of {@code state} (a point estimate, std 0, for first-order optimizers); mean copied. */
    GaussianPosterior posterior(NetworkSpec spec, S state);

    /**
     * A copy of the state's tensors but the {@link #constantZeroTensors()}, or with {@code
     * samplingOnly} of just the {@link #samplingTensors()}.
     */
    default StateSnapshot snapshot(S state, boolean samplingOnly) {
        Map<String, FlatValues> out = new LinkedHashMap<>();
        Set<String> sampling = samplingTensors();
        Set<String> zero = constantZeroTensors();
        state.tensors().forEach((k, v) -> {
            if ((!samplingOnly || sampling.contains(k)) && !zero.contains(k)) {
                out.put(k, FlatValues.of(v));
            }
        });
        return new StateSnapshot(state.step(), out, state.scalars());
    }

    /**
     * The state a snapshot describes, written into {@code reuse}'s tensors when given (so a worker
     * allocates nothing per round), else into new ones of {@code layout} and {@code dtype}.
     * Tensors the snapshot lacks keep {@code reuse}'s values (zeros for a new state): the constant
     * zero ones are zero in every state, and sync-mode tasks never read the others.
     */
    default S fromSnapshot(StateSnapshot snap, S reuse, ParamLayout layout, DataType dtype) {
        Map<String, FlatTensor> tensors = new LinkedHashMap<>();
        for (String name : tensorNames()) {
            FlatTensor t = reuse != null && reuse.tensors().containsKey(name) ? reuse.tensors().get(name)
                    : FlatTensor.zeros(layout, dtype); // (a pooled worker's state of another run may lack it)
            FlatValues v = snap.tensors().get(name);
            if (v != null) {
                v.copyInto(t);
            }
            tensors.put(name, t);
        }
        return assemble(tensors, snap.step(), snap.scalars(), reuse);
    }

    /** The checkpoint of {@code state}: its tensors (not copied: write it before the next update) and scalars. */
    default ModelCheckpoint toCheckpoint(NetworkSpec spec, S state, ObjectNode metadata) {
        return new ModelCheckpoint(spec, name(), params().toJson(), state.step(), state.tensors(), state.scalars(), metadata);
    }

    /** The state saved in {@code c} (tensors copied); a clear error for another optimizer's checkpoint. */
    default S restore(ModelCheckpoint c) {
        c.requireOptimizer(name());
        Map<String, FlatTensor> tensors = new LinkedHashMap<>();
        for (String n : tensorNames()) {
            tensors.put(n, c.tensor(n).copy());
        }
        Map<String, double[]> scalars = new LinkedHashMap<>();
        for (String n : scalarNames()) {
            scalars.put(n, c.scalars(n).clone());
        }
        return assemble(tensors, c.step(), scalars, null);
    }

    /** {@code s} as this optimizer's state type (the caller knows it was made by this optimizer). */
    @SuppressWarnings("unchecked")
    default S cast(OptimizerState s) {
        return (S) s;
    }
}
