package org.ngvi.curvature;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.nn.Network;
import org.ngvi.optim.Objective;
import org.ngvi.tensor.FlatTensor;

/**
 * The mini-batch objective of a {@link Network}: L(θ) = (1/B) Σᵢ ℓᵢ(θ) on the batch set by
 * {@link #setBatch}, its gradient ∇L and, when asked, ĥ = (1/B) Σᵢ (∇ℓᵢ(θ))² from the
 * per-layer {@link CurvatureRule}s — all from one forward and one backward pass in training
 * mode. No allocation once warm (same batch size). Not thread-safe.
 */
public final class NetworkObjective implements Objective {
    private final Network network;
    private final SquaredGradientCollector collector;
    private INDArray x;
    private int[] labels;

    /** @throws IllegalArgumentException when a parameterised layer has no curvature rule in {@code registry} */
    public NetworkObjective(Network network, CurvatureRegistry registry) {
        this.network = network;
        this.collector = new SquaredGradientCollector(network, registry);
    }

    public NetworkObjective(Network network) {
        this(network, CurvatureRegistry.standard());
    }

    public Network network() {
        return network;
    }

    /**
     * Sets the mini-batch (not copied; the caller keeps it unchanged while evaluating).
     *
     * @param x      {@code [B, inputShape...]} in the network's data type
     * @param labels B class labels
     */
    public NetworkObjective setBatch(INDArray x, int[] labels) {
        long[] want = network.inputShape();
        long[] got = x.shape();
        if (got.length != want.length + 1 || !Arrays.equals(Arrays.copyOfRange(got, 1, got.length), want)) {
            throw new IllegalArgumentException("batch shape " + Arrays.toString(got) + " does not match the network input [B, "
                    + Arrays.toString(want).replace("[", ""));
        }
        if (x.dataType() != network.dataType()) {
            throw new IllegalArgumentException("batch is " + x.dataType() + " but the network computes in " + network.dataType());
        }
        if (labels.length != x.size(0)) {
            throw new IllegalArgumentException("batch of " + x.size(0) + " inputs but " + labels.length + " labels");
        }
        this.x = x;
        this.labels = labels;
        return this;
    }

    /** Batch size of the current batch. */
    public long batchSize() {
        return x == null ? 0 : x.size(0);
    }

    @Override
    public double evaluate(FlatTensor theta, FlatTensor grad, FlatTensor sqGrad) {
        if (x == null) {
            throw new IllegalStateException("NetworkObjective: setBatch must be called before evaluate");
        }
        return network.lossAndGradient(theta, x, labels, grad, sqGrad == null ? null : collector.into(sqGrad));
    }
}
