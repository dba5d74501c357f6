package org.ngvi.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
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

    @Override
    public SgdParams params() {
        return params;
    }

    @Override
    public SgdState init(FlatTensor initial) {
        NioBuffers.requireFloatingPoint(initial.dataType(), "Sgd.init");
        return new SgdState(initial.copy(), FlatTensor.zeros(initial.layout(), initial.dataType()), 0);
    }

    /**
     * Applies one step with the given gradient of the mean loss. Consumes {@code state}: its
     * buffers are updated in place and returned in the new state.
     */
    @Override
    public SgdState update(FlatTensor grad, SgdState state) {
        FlatTensor p = state.params();
        NioBuffers.requireSame(p.layout(), p.dataType(), "Sgd.update", grad);
        int n = Math.toIntExact(p.layout().totalSize());
        double lr = params.lrAt(state.step());
        double beta = params.momentumAt(state.step());
        double wd = params.weightDecay();
        int bp = NioBuffers.base(p);
        int bg = NioBuffers.base(grad);
        int bv = NioBuffers.base(state.momentum());
        if (p.dataType() == DataType.DOUBLE) {
            DoubleBuffer P = NioBuffers.d(p);
            DoubleBuffer G = NioBuffers.d(grad);
            DoubleBuffer V = NioBuffers.d(state.momentum());
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
            FloatBuffer P = NioBuffers.f(p);
            FloatBuffer G = NioBuffers.f(grad);
            FloatBuffer V = NioBuffers.f(state.momentum());
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

    /** The optimizer a checkpoint was written by; a clear error for another optimizer's checkpoint. */
    public static Sgd fromCheckpoint(org.ngvi.posterior.ModelCheckpoint c) {
        c.requireOptimizer(NAME);
        return new Sgd(SgdParams.fromJson(c.optimizerParams()));
    }

    /** v when momentum β = 0: the update never writes it. */
    @Override
    public java.util.Set<String> constantZeroTensors() {
        return params.momentum() == 0 ? java.util.Set.of("momentum") : java.util.Set.of();
    }

    /** {@code params}, {@code momentum}. */
    @Override
    public List<String> tensorNames() {
        return List.of("params", "momentum");
    }

    @Override
    public SgdState assemble(Map<String, FlatTensor> t, long step, Map<String, double[]> scalars, SgdState reuse) {
        return new SgdState(t.get("params"), t.get("momentum"), step);
    }
}
