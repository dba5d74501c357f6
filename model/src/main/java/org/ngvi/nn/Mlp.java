package org.ngvi.nn;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Builders for multilayer perceptrons as {@link NetworkSpec}s:
 * in → (linear → activation) per hidden width → linear → logits.
 * {@code Mlp.spec(784, new int[] {400, 400}, 10, "relu")} is the paper's MNIST MLP.
 */
public final class Mlp {
    private Mlp() {
    }

    /** A K-class MLP with softmax cross-entropy ({@code classes} logits). */
    public static NetworkSpec spec(int in, int[] hidden, int classes, String activation) {
        return spec(in, hidden, classes, activation, 0);
    }

    /**
     * A K-class MLP with a {@link Dropout} layer of probability {@code dropout} after every hidden
     * activation (linear → activation → dropout, the usual MC-dropout MLP); {@code dropout = 0}
     * adds none and is {@link #spec(int, int[], int, String)}.
     */
    public static NetworkSpec spec(int in, int[] hidden, int classes, String activation, double dropout) {
        if (classes < 2) {
            throw new IllegalArgumentException("a cross-entropy MLP needs at least 2 classes, got " + classes);
        }
        return new NetworkSpec(new long[] {in}, layers(in, hidden, classes, activation, dropout), SoftmaxCrossEntropy.NAME);
    }

    /** A binary classifier: one logit with sigmoid binary cross-entropy ({@code bce_with_logits}). */
    public static NetworkSpec binarySpec(int in, int[] hidden, String activation) {
        return new NetworkSpec(new long[] {in}, layers(in, hidden, 1, activation, 0), SigmoidBinaryCrossEntropy.NAME);
    }

    private static ArrayNode layers(int in, int[] hidden, int out, String activation, double dropout) {
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("MLP dropout probability must be in [0, 1), got " + dropout);
        }
        if (!Relu.TYPE.equals(activation) && !Tanh.TYPE.equals(activation)) {
            throw new IllegalArgumentException("MLP activation must be 'relu' or 'tanh', got '" + activation + "'");
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        int prev = in;
        for (int h : hidden) {
            a.add(new Linear(prev, h, true).toJson());
            a.add(JsonNodeFactory.instance.objectNode().put("type", activation));
            if (dropout > 0) {
                a.add(new Dropout(dropout).toJson());
            }
            prev = h;
        }
        a.add(new Linear(prev, out, true).toJson());
        return a;
    }
}
