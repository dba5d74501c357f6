package org.ngvi.optim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.tensor.FlatTensor;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, PyTorch semantics
 * ({@code torch.optim.SGD}, dampening 0, no Nesterov):
 * <pre>
 *   g ← ∇L(θ) + w θ
 *   v ← β v + g          (only when β ≠ 0; v starts at 0, so the first step has v = g)
 *   θ ← θ − α v          (θ ← θ − α g when β = 0)
 * </pre>
 * with α and β of the step from {@link SgdParams#lrAt} and {@link SgdParams#momentumAt}. One fused Java pass over the flat buffers, no ND4J allocation once warm.
 */
public final class Sgd extends GradientOptimizer<SgdState> {
    /** Optimizer name in checkpoints. */
    public static final String NAME = "sgd";

    private final SgdParams params;

    public Sgd(SgdParams params) {
        this.params = java.util.Objects.requireNonNull(params, "params");
    }

    public SgdParams params() {
        return params;
    }

    @Override
    public SgdState init(FlatTensor initial) {
        Buffers.requireFloatingPoint(initial.dataType(), "Sgd.init");
        return new SgdState(initial.copy(), FlatTensor.zeros(initial.layout(), initial.dataType()), 0);
    }

    /**
     * Applies one step with the given gradient of the mean loss. Consumes {@code state}: its
     * buffers are updated in place and returned in the new state.
     */
    @Override
    public SgdState update(FlatTensor grad, SgdState state) {
        FlatTensor p = state.params();
        Buffers.requireSame(p.layout(), p.dataType(), "Sgd.update", grad);
        int n = Math.toIntExact(p.layout().totalSize());
        double lr = params.lrAt(state.step());
        double beta = params.momentumAt(state.step());
        double wd = params.weightDecay();
        int bp = Buffers.base(p);
        int bg = Buffers.base(grad);
        int bv = Buffers.base(state.momentum());
        if (p.dataType() == DataType.DOUBLE) {
            DoubleBuffer P = Buffers.d(p);
            DoubleBuffer G = Buffers.d(grad);
            DoubleBuffer V = Buffers.d(state.momentum());
            for (int j = 0; j < n; j++) {
                double th = P.get(bp + j);
                double g = G.get(bg + j) + wd * th;
                if (beta != 0) {
                    g = beta * V.get(bv + j) + g;
                    V.put(bv + j, g);
                }
                P.put(bp + j, th - lr * g);
            }
        } else {
            FloatBuffer P = Buffers.f(p);
            FloatBuffer G = Buffers.f(grad);
            FloatBuffer V = Buffers.f(state.momentum());
            for (int j = 0; j < n; j++) {
                double th = P.get(bp + j);
                double g = G.get(bg + j) + wd * th;
                if (beta != 0) {
                    g = beta * V.get(bv + j) + g;
                    V.put(bv + j, (float) g);
                }
                P.put(bp + j, (float) (th - lr * g));
            }
        }
        return new SgdState(p, state.momentum(), state.step() + 1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected ObjectNode paramsJson() {
        return params.toJson();
    }

    /** The optimizer a checkpoint was written by; a clear error for another optimizer's checkpoint. */
    public static Sgd fromCheckpoint(ModelCheckpoint c) {
        c.requireOptimizer(NAME);
        return new Sgd(SgdParams.fromJson(c.optimizerParams()));
    }

    /** The state saved in {@code c} (buffers copied). */
    @Override
    public SgdState restore(ModelCheckpoint c) {
        c.requireOptimizer(NAME);
        return new SgdState(c.buffer("params").copy(), c.buffer("momentum").copy(), c.step());
    }
}
