package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializable description of a network: per-example input shape, layers in the fixture
 * format ({@code [{"type": "linear", "in": 784, "out": 400, "bias": true}, {"type": "relu"}, ...]})
 * and the loss name. This JSON is what checkpoints, posterior files and Spark broadcasts carry;
 * {@link Network#build} turns it into a network.
 *
 * @param inputShape per-example input shape, e.g. {@code [784]} or {@code [1, 28, 28]}
 * @param layers     the layer objects, as JSON (copied)
 * @param loss       {@code "cross_entropy"} or {@code "bce_with_logits"}
 */
public record NetworkSpec(long[] inputShape, ArrayNode layers, String loss) implements java.io.Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public NetworkSpec {
        inputShape = inputShape.clone();
        layers = layers.deepCopy();
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public ArrayNode layers() {
        return layers.deepCopy();
    }

    /** Instantiates the layers through {@link Layers#fromJson}; unknown types are a clear error. */
    public List<Layer> createLayers() {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(Layers.fromJson(layers.get(i), "layers[" + i + "]"));
        }
        return out;
    }

    public Loss createLoss() {
        return Losses.byName(loss);
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode in = n.putArray("input_shape");
        for (long d : inputShape) {
            in.add(d);
        }
        n.set("layers", layers.deepCopy());
        n.put("loss", loss);
        return n;
    }

    public static NetworkSpec fromJson(JsonNode n) {
        JsonNode in = n.get("input_shape");
        if (in == null || !in.isArray()) {
            throw new IllegalArgumentException("network spec: field 'input_shape' must be an array of positive integers");
        }
        long[] shape = new long[in.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in.get(i).asLong();
        }
        JsonNode layers = n.get("layers");
        if (layers == null || !layers.isArray()) {
            throw new IllegalArgumentException("network spec: field 'layers' must be an array of layer objects");
        }
        JsonNode loss = n.get("loss");
        if (loss == null || !loss.isTextual()) {
            throw new IllegalArgumentException("network spec: field 'loss' must be \"cross_entropy\" or \"bce_with_logits\"");
        }
        return new NetworkSpec(shape, (ArrayNode) layers, loss.asText());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec s && toJson().equals(s.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }
}
