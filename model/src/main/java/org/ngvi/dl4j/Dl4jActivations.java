package org.ngvi.dl4j;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.ngvi.nn.Relu;
import org.ngvi.nn.Tanh;

/** DL4J activation functions ↔ our elementwise layer types ({@code relu}, {@code tanh}; identity = no layer). */
final class Dl4jActivations {
    static final String SUPPORTED = "relu (plain: no max, threshold or negative slope), tanh, identity";

    private Dl4jActivations() {
    }

    /**
     * Our layer type for a DL4J hidden-layer activation: {@code "relu"}, {@code "tanh"}, or
     * {@code null} for identity (no layer).
     *
     * @throws IllegalArgumentException (message without layer context) for any other activation
     */
    static String layerType(IActivation a) {
        if (a == null || a.getClass() == ActivationIdentity.class) {
            return null;
        }
        if (a.getClass() == ActivationTanH.class) {
            return Tanh.TYPE;
        }
        if (a.getClass() == ActivationReLU.class) {
            ActivationReLU r = (ActivationReLU) a;
            if (r.getMax() == null && zeroOrNull(r.getThreshold()) && zeroOrNull(r.getNegativeSlope())) {
                return Relu.TYPE;
            }
            throw new IllegalArgumentException("activation " + a + " (ReLU with max " + r.getMax() + ", threshold "
                    + r.getThreshold() + ", negative slope " + r.getNegativeSlope() + ") is not supported (supported: "
                    + SUPPORTED + ")");
        }
        throw new IllegalArgumentException("activation " + a + " is not supported (supported: " + SUPPORTED + ")");
    }

    /** The DL4J activation for our layer type {@code "relu"}/{@code "tanh"}, or identity for {@code null}. */
    static Activation dl4j(String layerType) {
        if (layerType == null) {
            return Activation.IDENTITY;
        }
        return switch (layerType) {
            case Relu.TYPE -> Activation.RELU;
            case Tanh.TYPE -> Activation.TANH;
            default -> throw new IllegalArgumentException("no DL4J activation for layer type '" + layerType + "'");
        };
    }

    private static boolean zeroOrNull(Double d) {
        return d == null || d == 0.0;
    }
}
