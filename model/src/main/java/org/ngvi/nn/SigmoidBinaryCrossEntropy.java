package org.ngvi.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Binary cross-entropy on one logit per example (PyTorch's {@code BCEWithLogitsLoss}): logits
 * z {@code [B, 1]}, labels yᵢ ∈ {0, 1}, in the overflow-free form
 * ℓᵢ = max(zᵢ, 0) − zᵢ yᵢ + log(1 + exp(−|zᵢ|)). Delta Δᵢ = σ(zᵢ) − yᵢ. The predictive
 * distribution has two classes, p = [1 − σ(z), σ(z)].
 */
public final class SigmoidBinaryCrossEntropy implements Loss {
    public static final String NAME = "bce_with_logits";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int numClasses(long logitWidth) {
        if (logitWidth != 1) {
            throw new IllegalArgumentException(NAME + " needs exactly one logit per example, got " + logitWidth);
        }
        return 2;
    }

    @Override
    public double lossAndDelta(INDArray logits, int[] labels, INDArray delta) {
        int b = Math.toIntExact(logits.size(0));
        numClasses(logits.size(1));
        SoftmaxCrossEntropy.checkLabels(labels, b, 2);
        DenseAccess z = DenseAccess.of(logits);
        DenseAccess d = delta == null ? null : DenseAccess.of(delta);
        double total = 0;
        for (int i = 0; i < b; i++) {
            double zi = z.get(i);
            int y = labels[i];
            total += Math.max(zi, 0) - zi * y + Math.log1p(Math.exp(-Math.abs(zi)));
            if (d != null) {
                d.set(i, sigmoid(zi) - y);
            }
        }
        return total / b;
    }

    @Override
    public void probabilities(INDArray logits, INDArray out) {
        int b = Math.toIntExact(logits.size(0));
        DenseAccess z = DenseAccess.of(logits);
        DenseAccess p = DenseAccess.of(out);
        for (int i = 0; i < b; i++) {
            double s = sigmoid(z.get(i));
            p.set(2 * i, 1.0 - s);
            p.set(2 * i + 1, s);
        }
    }

    /** σ(z) = 1/(1 + e^(−z)), evaluated without overflow for either sign of z. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
