package org.ngvi.nn;

/** Hyperbolic tangent y = tanh(x); backward Δ_in = Δ ∘ (1 − y²). */
public final class Tanh extends Activation {
    public static final String TYPE = "tanh";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    protected void apply(double[] x, double[] y, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = Math.tanh(x[j]);
        }
    }

    @Override
    protected void backward(double[] y, double[] d, double[] g, int len) {
        for (int j = 0; j < len; j++) {
            g[j] = d[j] * (1.0 - y[j] * y[j]);
        }
    }
}
