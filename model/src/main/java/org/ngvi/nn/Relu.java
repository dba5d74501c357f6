package org.ngvi.nn;

/** Rectified linear unit y = max(x, 0); backward Δ_in = Δ ∘ 1[y > 0]. */
public final class Relu extends Activation {
    public static final String TYPE = "relu";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    protected double apply(double x) {
        return x > 0 ? x : 0.0;
    }

    @Override
    protected double derivativeFromOutput(double y) {
        return y > 0 ? 1.0 : 0.0;
    }
}
