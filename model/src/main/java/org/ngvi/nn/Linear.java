package org.ngvi.nn;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.tensor.ParamSpec;

/**
 * Fully connected layer y = x Wᵀ + b with W of shape {@code [out, in]} (PyTorch's
 * {@code nn.Linear}); input {@code [B, in]}, output {@code [B, out]}.
 *
 * <p>Backward, with per-example deltas Δ {@code [B, out]} (Δᵢ = ∂ℓᵢ/∂yᵢ):
 * ∂L/∂W = (1/B) Δᵀ X, ∂L/∂b = (1/B) 1ᵀ Δ, Δ_in = Δ W. Every product is one
 * {@code Nd4j.gemm} into a preallocated output (the bias add and bias sum are rank-1 GEMMs
 * with a ones vector from the per-batch scratch), so nothing is allocated once warm.
 *
 * <p>Initialisation as PyTorch: W, b ~ U(−1/√in, 1/√in).
 */
public final class Linear implements Layer {
    public static final String TYPE = "linear";
    private final int in;
    private final int out;
    private final boolean bias;

    public Linear(int in, int out, boolean bias) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("linear: in and out must be positive, got in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
        this.bias = bias;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public boolean hasBias() {
        return bias;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        ParamSpec w = new ParamSpec("weight", new long[] {out, in});
        return bias ? List.of(w, new ParamSpec("bias", new long[] {out})) : List.of(w);
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        if (inputShape.length != 1 || inputShape[0] != in) {
            throw new IllegalArgumentException("linear(" + in + "→" + out + "): expects per-example input shape [" + in
                    + "], got " + Arrays.toString(inputShape));
        }
        return new long[] {out};
    }

    /** Scratch: a ones row {@code [1, B]} for the bias GEMMs. */
    @Override
    public Object scratch(long batch, long[] inputShape, DataType dtype) {
        return bias ? Nd4j.ones(dtype, 1, batch) : null;
    }

    @Override
    public void initParams(List<INDArray> params, SplittableRandom rng) {
        PyTorchInit.uniform(params, in, rng);
    }

    @Override
    public void forward(INDArray x, List<INDArray> params, INDArray y, Object scratch, boolean training) {
        Nd4j.gemm(x, params.get(0), y, false, true, 1.0, 0.0);
        if (bias) {
            INDArray ones = (INDArray) scratch;
            Nd4j.gemm(ones, params.get(1).reshape(1, out), y, true, false, 1.0, 1.0);
        }
    }

    @Override
    public void backward(INDArray x, INDArray y, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                         List<INDArray> grads, Object scratch) {
        double invB = 1.0 / x.size(0);
        Nd4j.gemm(gradOut, x, grads.get(0), true, false, invB, 0.0);
        if (bias) {
            INDArray ones = (INDArray) scratch;
            Nd4j.gemm(ones, gradOut, grads.get(1).reshape(1, out), false, false, invB, 0.0);
        }
        if (gradIn != null) {
            Nd4j.gemm(gradOut, params.get(0), gradIn, false, false, 1.0, 0.0);
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", TYPE);
        n.put("in", in);
        n.put("out", out);
        n.put("bias", bias);
        return n;
    }

    @Override
    public String toString() {
        return "Linear(" + in + "→" + out + (bias ? "" : ", no bias") + ")";
    }
}
