package org.ngvi.nn.arch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.ngvi.nn.Layer;
import org.ngvi.nn.Layers;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.nn.SoftmaxCrossEntropy;

/**
 * Appends fixture-format layer objects to a network description while tracking the per-example
 * shape through the real layers' {@link Layer#outputShape}, so architectures can size their
 * classifiers from the input and an input that is too small is a clear error naming the
 * architecture, the input and the layer.
 */
final class SpecBuilder {
    private final String model;
    private final long[] input;
    private final ArrayNode layers = JsonNodeFactory.instance.arrayNode();
    private long[] shape;

    SpecBuilder(String model, long[] inputShape) {
        this.model = model;
        this.input = inputShape.clone();
        this.shape = inputShape.clone();
    }

    /** Appends {@code layer}; fails when the current shape does not fit it. */
    SpecBuilder add(ObjectNode layer) {
        String where = model + " layers[" + layers.size() + "]";
        Layer l = Layers.fromJson(layer, where);
        try {
            shape = l.outputShape(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(model + ": input " + Arrays.toString(input) + " does not fit layer "
                    + layers.size() + " " + layer + " (shape there " + Arrays.toString(shape) + "): " + e.getMessage(), e);
        }
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(model + ": input " + Arrays.toString(input) + " is too small: layer "
                        + layers.size() + " " + layer + " would output " + Arrays.toString(shape));
            }
        }
        layers.add(layer);
        return this;
    }

    /** Appends a flatten unless the shape already is one-dimensional. */
    SpecBuilder flatten() {
        return shape.length == 1 ? this : add(LayerJson.flatten());
    }

    /** Current per-example shape. */
    long[] shape() {
        return shape.clone();
    }

    /** Channels of a [C, H, W] shape. */
    int channels() {
        return Math.toIntExact(shape[0]);
    }

    /** Number of values of the current shape (the input width of a following linear layer). */
    int size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /** The description with softmax cross-entropy. */
    NetworkSpec build() {
        return new NetworkSpec(input, layers, SoftmaxCrossEntropy.NAME);
    }
}
