package org.ngvi.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ngvi.tensor.FlatTensor;

/**
 * State of {@link Ewc}: the {@link AdamState} of the current task plus the accumulated penalty
 * of the past tasks k, A = Σ_k F_k (the summed diagonal Fishers) and b = Σ_k F_k ⊙ θ*_k (each
 * Fisher times the weights it was taken at). Both are zero before the first consolidation and
 * never written by an update; the Adam tensors are donated to the result as in {@link Adam}.
 *
 * @param adam         θ, m, v and the step count of the current task
 * @param fisher       A = Σ_k F_k
 * @param fisherAnchor b = Σ_k F_k ⊙ θ*_k
 */
public record EwcState(AdamState adam, FlatTensor fisher, FlatTensor fisherAnchor) implements OptimizerState {
    public EwcState {
        FlatTensor p = adam.params();
        NioBuffers.requireSame(p.layout(), p.dataType(), "EwcState(fisher, fisherAnchor)", fisher, fisherAnchor);
    }

    @Override
    public FlatTensor params() {
        return adam.params();
    }

    @Override
    public long step() {
        return adam.step();
    }

    /** {@code params}, {@code m}, {@code v}, {@code fisher} (A), {@code fisher_anchor} (b). */
    @Override
    public Map<String, FlatTensor> tensors() {
        Map<String, FlatTensor> t = new LinkedHashMap<>(adam.tensors());
        t.put(Ewc.FISHER, fisher);
        t.put(Ewc.FISHER_ANCHOR, fisherAnchor);
        return t;
    }

    @Override
    public EwcState copy() {
        return new EwcState(adam.copy(), fisher.copy(), fisherAnchor.copy());
    }
}
