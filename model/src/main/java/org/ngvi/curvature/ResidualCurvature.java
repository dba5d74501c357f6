package org.ngvi.curvature;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.nn.Layer;
import org.ngvi.nn.ResidualBlock;

/**
 * Per-example curvature of a {@link ResidualBlock}: the block's parameters are its sub-layers'
 * parameters, and example i's gradient for a sub-layer's parameter depends only on that
 * sub-layer's input Aᵢ and output delta Δᵢ. Both are kept in the block's
 * {@link ResidualBlock.Scratch} by the batched backward pass (Δ at the end of both branches is
 * Δ_pre = Δ_out ∘ 1[y > 0]; inside a branch, what that sub-layer's successor propagated), so
 * <pre>  ĥ(θ of sub-layer k) = rule_k(A_k, Δ_k)</pre>
 * with rule_k the registry's rule for the sub-layer's type (dense, conv, BatchNorm, even a
 * nested block). Sub-layers without parameters are skipped; a parameterised sub-layer without a
 * rule is a clear error naming it.
 *
 * <p>By default dispatches through {@link CurvatureRegistry#standard()}; a custom registry can
 * register {@code new ResidualCurvature(itsBaseRegistry)} for {@code "residual"}.
 */
public final class ResidualCurvature implements CurvatureRule {
    private final CurvatureRegistry registry; // null: the standard registry, resolved lazily (it contains this rule)

    /** Dispatches sub-layers through {@link CurvatureRegistry#standard()}. */
    public ResidualCurvature() {
        this.registry = null;
    }

    /** Dispatches sub-layers through {@code registry}. */
    public ResidualCurvature(CurvatureRegistry registry) {
        this.registry = registry;
    }

    /** Scratch: each sub-layer's rule and rule scratch, and a slicer for the ĥ views. */
    record Scratch(CurvatureRule[] rules, Object[] ruleScratch, ResidualBlock.Slices sqSlices) {
    }

    @Override
    public Object scratch(Layer layer, long batch, long[] inputShape, DataType dtype) {
        ResidualBlock block = (ResidualBlock) layer;
        CurvatureRegistry reg = registry != null ? registry : CurvatureRegistry.standard();
        List<Layer> subs = block.subLayers();
        long[][] shapes = block.subInputShapes(inputShape);
        CurvatureRule[] rules = new CurvatureRule[subs.size()];
        Object[] scratch = new Object[subs.size()];
        for (int k = 0; k < subs.size(); k++) {
            try {
                rules[k] = reg.ruleFor(subs.get(k));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("residual block, " + name(block, k) + ": " + e.getMessage(), e);
            }
            scratch[k] = rules[k] == null ? null : rules[k].scratch(subs.get(k), batch, shapes[k], dtype);
        }
        return new Scratch(rules, scratch, block.paramSlices());
    }

    private static String name(ResidualBlock block, int k) {
        int nb = block.body().size();
        return (k < nb ? "body[" + k + "]" : "shortcut[" + (k - nb) + "]") + " (" + block.subLayers().get(k).type() + ")";
    }

    /** Forwards to each parameterised sub-layer's rule with that sub-layer's scratch. */
    @Override
    public void beforeBackward(Layer layer, Object layerScratch, Object ruleScratch) {
        ResidualBlock.Scratch s = (ResidualBlock.Scratch) layerScratch;
        Scratch r = (Scratch) ruleScratch;
        List<Layer> subs = ((ResidualBlock) layer).subLayers();
        for (int k = 0; k < subs.size(); k++) {
            if (r.rules()[k] != null) {
                r.rules()[k].beforeBackward(subs.get(k), s.layerScratch(k), r.ruleScratch()[k]);
            }
        }
    }

    @Override
    public void squaredGradients(Layer layer, INDArray in, INDArray out, INDArray gradOut, List<INDArray> params,
                                 Object layerScratch, List<INDArray> sqGrads, Object ruleScratch) {
        ResidualBlock block = (ResidualBlock) layer;
        ResidualBlock.Scratch s = (ResidualBlock.Scratch) layerScratch;
        Scratch r = (Scratch) ruleScratch;
        List<Layer> subs = block.subLayers();
        for (int k = 0; k < subs.size(); k++) {
            CurvatureRule rule = r.rules()[k];
            if (rule == null) {
                continue;
            }
            rule.squaredGradients(subs.get(k), s.input(k), s.output(k), s.gradOut(k), s.params(params, k),
                    s.layerScratch(k), r.sqSlices().of(sqGrads, k), r.ruleScratch()[k]);
        }
    }
}
