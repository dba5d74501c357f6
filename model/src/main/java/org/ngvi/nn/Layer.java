package org.ngvi.nn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.tensor.ParamSpec;

/**
 * One layer of a sequential network. A layer object holds only its configuration; all
 * per-batch memory lives in activations and scratch the {@link Network} allocates once per batch size
 * (outputs, deltas) plus an optional layer-specific scratch object from {@link #scratch}.
 */
public interface Layer {
    /** Registry key, as in the fixture format: {@code "linear"}, {@code "relu"}, {@code "tanh"}, ... */
    String type();

    /** Parameter tensors with local names ({@code "weight"}, {@code "bias"}), in storage order. */
    List<ParamSpec> paramSpecs();

    /**
     * Non-trained per-layer state carried with the network (BatchNorm's {@code running_mean},
     * {@code running_var}), local names in storage order; empty for most layers. The
     * {@link Network} owns these running statistics and passes them to {@link #forward(INDArray, List, List,
     * INDArray, Object, boolean)}.
     */
    default List<ParamSpec> runningStatSpecs() {
        return List.of();
    }

    /** Writes the initial running statistics (BatchNorm: running mean 0, running variance 1). */
    default void initRunningStats(List<INDArray> runningStats) {
    }

    /**
     * Local names of this layer's parameters that belong to normalisation layers (BatchNorm γ, β):
     * those that torchsso's {@code non_reg_for_bn} excludes from the prior. Empty by default.
     */
    default List<String> normalizationParams() {
        return List.of();
    }

    /** Per-example output shape for a per-example input shape (both without the batch axis). */
    long[] outputShape(long[] inputShape);

    /** Layer-specific per-batch scratch (may be {@code null}); allocated once per batch size. */
    default Object scratch(long batch, long[] inputShape, DataType dtype) {
        return null;
    }

    /** Initialises parameters as PyTorch's default initialisation does for this layer type. */
    default void initParams(List<INDArray> params, SplittableRandom rng) {
    }

    /**
     * Forward pass into the preallocated {@code out}.
     *
     * @param in       {@code [B, inputShape...]}
     * @param params   views in {@link #paramSpecs()} order
     * @param out      {@code [B, outputShape...]}, overwritten
     * @param training training mode (batch statistics, dropout)
     */
    void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training);

    /**
     * Forward pass with the layer's running statistics (views in {@link #runningStatSpecs()} order, empty when it
     * has none), which a training forward may update in place (BatchNorm's running statistics).
     * This is what {@link Network} calls; the default ignores them.
     */
    default void forward(INDArray in, List<INDArray> params, List<INDArray> runningStats, INDArray out, Object scratch,
                         boolean training) {
        forward(in, params, out, scratch, training);
    }

    /**
     * Backward pass.
     *
     * @param gradOut per-example deltas Δᵢ = ∂ℓᵢ/∂outᵢ, {@code [B, outputShape...]}
     * @param gradIn  per-example deltas w.r.t. the input, overwritten; {@code null} for the first layer
     * @param grads   gradients of the mean loss w.r.t. each parameter, overwritten (same order as params)
     */
    void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> params,
                  INDArray gradIn, List<INDArray> grads, Object scratch);

    /** This layer as a fixture-format JSON object ({@code {"type": "linear", "in": 4, ...}}). */
    ObjectNode toJson();
}
