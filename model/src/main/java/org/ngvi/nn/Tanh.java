package org.ngvi.nn;

/** Hyperbolic tangent y = tanh(x); backward Δ_in = Δ ∘ (1 − y²). */
public final class Tanh extends Activation {
    public static final String TYPE = "tanh";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    protected double apply(double x) {
        return Math.tanh(x);
    }

    @Override
    protected double derivativeFromOutput(double y) {
        return 1.0 - y * y;
    }
}
