package org.ngvi.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax cross-entropy on logits z {@code [B, K]} with class labels yᵢ ∈ [0, K):
 * ℓᵢ = log Σ_k exp(z_ik) − z_{i,yᵢ}, computed stably as m + log Σ_k exp(z_ik − m) with
 * m = max_k z_ik. Per-example delta Δᵢ = softmax(zᵢ) − onehot(yᵢ).
 */
public final class SoftmaxCrossEntropy implements Loss {
    public static final String NAME = "cross_entropy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int numClasses(long logitWidth) {
        return Math.toIntExact(logitWidth);
    }

    @Override
    public double lossAndDelta(INDArray logits, int[] labels, INDArray delta) {
        int b = Math.toIntExact(logits.size(0));
        int k = Math.toIntExact(logits.size(1));
        checkLabels(labels, b, k);
        DenseAccess z = DenseAccess.of(logits);
        DenseAccess d = delta == null ? null : DenseAccess.of(delta);
        double total = 0;
        for (int i = 0; i < b; i++) {
            int row = i * k;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                m = Math.max(m, z.get(row + j));
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += Math.exp(z.get(row + j) - m);
            }
            double lse = m + Math.log(s);
            total += lse - z.get(row + labels[i]);
            if (d != null) {
                for (int j = 0; j < k; j++) {
                    double p = Math.exp(z.get(row + j) - lse);
                    d.set(row + j, j == labels[i] ? p - 1.0 : p);
                }
            }
        }
        return total / b;
    }

    @Override
    public void probabilities(INDArray logits, INDArray out) {
        int b = Math.toIntExact(logits.size(0));
        int k = Math.toIntExact(logits.size(1));
        DenseAccess z = DenseAccess.of(logits);
        DenseAccess p = DenseAccess.of(out);
        for (int i = 0; i < b; i++) {
            int row = i * k;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                m = Math.max(m, z.get(row + j));
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += Math.exp(z.get(row + j) - m);
            }
            for (int j = 0; j < k; j++) {
                p.set(row + j, Math.exp(z.get(row + j) - m) / s);
            }
        }
    }

    static void checkLabels(int[] labels, int b, int k) {
        if (labels.length != b) {
            throw new IllegalArgumentException("batch of " + b + " logit rows but " + labels.length + " labels");
        }
        for (int i = 0; i < b; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " outside [0, " + k + ")");
            }
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
