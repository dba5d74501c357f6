package org.ngvi.curvature;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.nn.Layer;
import org.ngvi.nn.LayerBackwardObserver;
import org.ngvi.nn.Network;
import org.ngvi.tensor.FlatTensor;

/**
 * A {@link LayerBackwardObserver} that writes the mean of squared per-example gradients
 * ĥ = (1/B) Σᵢ (∇ℓᵢ)² of every parameter into a {@link FlatTensor} of the network's layout,
 * dispatching each layer to its {@link CurvatureRule}. Rules and their scratch are resolved
 * once (per batch size); observing a backward pass allocates nothing once warm.
 *
 * <p>Usage: {@code network.lossAndGradient(θ, x, y, grad, collector.into(sqGrad))}. Every
 * tensor of {@code sqGrad} is overwritten by one backward pass. Not thread-safe (one per network).
 */
public final class SquaredGradientCollector implements LayerBackwardObserver {
    private final Network network;
    private final CurvatureRule[] rules;
    private final Object[] ruleScratch;
    private final long[][] inputShapes;
    private long scratchBatch = -1;
    private FlatTensor target;
    private final List<List<INDArray>> targetViews = new ArrayList<>();

    /**
     * @throws IllegalArgumentException when a layer with parameters has no rule in {@code registry}
     */
    public SquaredGradientCollector(Network network, CurvatureRegistry registry) {
        this.network = network;
        List<Layer> layers = network.layers();
        this.rules = new CurvatureRule[layers.size()];
        this.ruleScratch = new Object[layers.size()];
        this.inputShapes = new long[layers.size()][];
        long[] shape = network.inputShape();
        for (int i = 0; i < layers.size(); i++) {
            rules[i] = registry.ruleFor(layers.get(i));
            inputShapes[i] = shape;
            shape = layers.get(i).outputShape(shape);
        }
    }

    public SquaredGradientCollector(Network network) {
        this(network, CurvatureRegistry.standard());
    }

    /** Directs the next backward passes' ĥ into {@code sqGrad}; returns this observer. */
    public SquaredGradientCollector into(FlatTensor sqGrad) {
        if (!sqGrad.layout().equals(network.layout())) {
            throw new IllegalArgumentException("sqGrad layout " + sqGrad.layout() + " does not match the network's " + network.layout());
        }
        if (sqGrad != target) {
            target = sqGrad;
            targetViews.clear();
            for (int i = 0; i < rules.length; i++) {
                targetViews.add(network.views(sqGrad, i));
            }
        }
        return this;
    }

    @Override
    public void onBackward(int index, Layer layer, INDArray in, INDArray out, INDArray gradOut,
                           List<INDArray> params, Object scratch) {
        CurvatureRule rule = rules[index];
        if (rule == null) {
            return;
        }
        if (target == null) {
            throw new IllegalStateException("SquaredGradientCollector: call into(sqGrad) before the backward pass");
        }
        ensureScratch(in.size(0));
        rule.squaredGradients(layer, in, out, gradOut, params, scratch, targetViews.get(index), ruleScratch[index]);
    }

    /** Lets layer {@code index}'s rule arm the layer for the coming backward pass ({@link CurvatureRule#beforeBackward}). */
    @Override
    public void beforeBackward(int index, Layer layer, INDArray in, Object scratch) {
        CurvatureRule rule = rules[index];
        if (rule == null) {
            return;
        }
        ensureScratch(in.size(0));
        rule.beforeBackward(layer, scratch, ruleScratch[index]);
    }

    private void ensureScratch(long batch) {
        if (batch != scratchBatch) {
            for (int i = 0; i < rules.length; i++) {
                ruleScratch[i] = rules[i] == null ? null
                        : rules[i].scratch(network.layers().get(i), batch, inputShapes[i], network.dataType());
            }
            scratchBatch = batch;
        }
    }
}
