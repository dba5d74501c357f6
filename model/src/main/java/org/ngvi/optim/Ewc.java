package org.ngvi.optim;

import java.util.List;
import java.util.Map;
import org.ngvi.tensor.FlatTensor;

/**
 * Elastic weight consolidation (Kirkpatrick et al., PNAS 2017) on {@link Adam}: the objective of
 * task t is L_t(θ) + (λ_EWC/2) Σ_{k&lt;t} Σ_j F_kj (θ_j − θ*_kj)², with θ*_k the weights after task k
 * and F_k the diagonal (empirical) Fisher there, F_k = (1/n) Σᵢ (∇ℓᵢ(θ*_k))² over task k's
 * examples: the exact per-example squared gradients the curvature rules compute for VOGN. The
 * state keeps A = Σ F_k and b = Σ F_k ⊙ θ*_k ({@link EwcState}), so the penalty's gradient is
 * <pre>
 *   ∇ = λ_EWC (A ⊙ θ − b)
 * </pre>
 * whatever the number of past tasks; it is added to the mini-batch gradient before Adam's update
 * (on the driver in {@code sync} mode, in each task in {@code average} mode). Reported losses are
 * the data loss only. With A = b = 0 (the first task) every step equals Adam's bit for bit.
 */
public final class Ewc extends GradientOptimizer<EwcState> {
    /** Optimizer name in configs and checkpoints. */
    public static final String NAME = "ewc";
    /** Name of A = Σ F_k in {@link EwcState#tensors()}. */
    public static final String FISHER = "fisher";
    /** Name of b = Σ F_k ⊙ θ*_k in {@link EwcState#tensors()}. */
    public static final String FISHER_ANCHOR = "fisher_anchor";

    private final EwcParams params;
    private final Adam adam;
    private final Scratch penalized = new Scratch();

    public Ewc(EwcParams params) {
        this.params = java.util.Objects.requireNonNull(params, "params");
        this.adam = new Adam(params.adam());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EwcParams params() {
        return params;
    }

    /** Adam's initial state around {@code initial} with no past task (A = b = 0). */
    @Override
    public EwcState init(FlatTensor initial) {
        AdamState a = adam.init(initial);
        return new EwcState(a, FlatTensor.zeros(initial.layout(), initial.dataType()),
                FlatTensor.zeros(initial.layout(), initial.dataType()));
    }

    /**
     * The first state of the next task after {@code finished}: Adam restarts (m = v = 0, t = 0) at
     * θ* = {@code finished}'s weights, and the task's Fisher F (at θ*) joins the penalty:
     * A ← A + F, b ← b + F ⊙ θ*. Nothing of {@code finished} or {@code taskFisher} is written.
     */
    public EwcState nextTask(EwcState finished, FlatTensor taskFisher) {
        FlatTensor theta = finished.params();
        NioBuffers.requireSame(theta.layout(), theta.dataType(), "Ewc.nextTask(taskFisher)", taskFisher);
        FlatTensor a = finished.fisher().copy();
        a.flat().addi(taskFisher.flat());
        FlatTensor b = taskFisher.copy();
        b.flat().muli(theta.flat()).addi(finished.fisherAnchor().flat());
        return new EwcState(adam.init(theta), a, b);
    }

    /** ∇ of the penalty at {@code theta}, λ_EWC (A ⊙ θ − b), into {@code out}. */
    public void penaltyGradient(EwcState s, FlatTensor theta, FlatTensor out) {
        NioBuffers.requireSame(theta.layout(), theta.dataType(), "Ewc.penaltyGradient(theta, out)", out);
        out.flat().assign(s.fisher().flat()).muli(theta.flat()).subi(s.fisherAnchor().flat()).muli(params.lambda());
    }

    /** Adam's update on ĝ + λ_EWC (A ⊙ θ − b); consumes {@code state}, {@code grad} is not modified. */
    @Override
    public EwcState update(FlatTensor grad, EwcState state) {
        FlatTensor g = penalized.get(state.params());
        penaltyGradient(state, state.params(), g);
        g.flat().addi(grad.flat());
        return new EwcState(adam.update(g, state.adam()), state.fisher(), state.fisherAnchor());
    }

    /** {@code params}, {@code m}, {@code v}, {@code fisher}, {@code fisher_anchor}. */
    @Override
    public List<String> tensorNames() {
        return List.of("params", "m", "v", FISHER, FISHER_ANCHOR);
    }

    /** θ: sync-mode tasks compute the data gradient at θ only; the driver's update adds the penalty with A and b. */
    @Override
    public java.util.Set<String> samplingTensors() {
        return java.util.Set.of("params");
    }

    @Override
    public EwcState assemble(Map<String, FlatTensor> t, long step, Map<String, double[]> scalars, EwcState reuse) {
        return new EwcState(new AdamState(t.get("params"), t.get("m"), t.get("v"), step), t.get(FISHER), t.get(FISHER_ANCHOR));
    }
}
