package org.ngvi.nn;

/** Rectified linear unit y = max(x, 0); backward Δ_in = Δ ∘ 1[y > 0]. */
public final class Relu extends Activation {
    public static final String TYPE = "relu";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    protected void apply(double[] x, double[] y, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = Math.max(x[j], 0.0); // branch-free (vectorised); NaN stays NaN, as torch.relu
        }
    }

    @Override
    protected void backward(double[] y, double[] d, double[] g, int len) {
        for (int j = 0; j < len; j++) {
            g[j] = y[j] > 0 ? d[j] : 0.0;
        }
    }
}
