package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The layer registry: fixture-format JSON objects ({@code {"type": "linear", "in": 4, "out": 3,
 * "bias": true}}) to {@link Layer}s. The one place a new layer type is added.
 */
public final class Layers {
    private static final Map<String, BiFunction<JsonNode, String, Layer>> FACTORIES = union(Map.of(
            Linear.TYPE, (n, where) -> new Linear(JsonFields.positiveInt(n, "in", where),
                    JsonFields.positiveInt(n, "out", where), JsonFields.bool(n, "bias", where)),
            Relu.TYPE, (n, where) -> new Relu(),
            Tanh.TYPE, (n, where) -> new Tanh(),
            Flatten.TYPE, (n, where) -> new Flatten(),
            Dropout.TYPE, Dropout::fromJson,
            BatchNorm.TYPE_1D, (n, where) -> BatchNorm.fromJson(n, false, where),
            BatchNorm.TYPE_2D, (n, where) -> BatchNorm.fromJson(n, true, where),
            ResidualBlock.TYPE, ResidualBlock::fromJson), Map.of(
            Conv2d.TYPE, Conv2d::fromJson,
            MaxPool2d.TYPE, MaxPool2d::fromJson,
            AvgPool2d.TYPE, AvgPool2d::fromJson,
            GlobalAvgPool2d.TYPE, (n, where) -> new GlobalAvgPool2d()));

    private Layers() {
    }

    /** One map of several (Map.of takes at most ten entries); a type registered twice is an error. */
    @SafeVarargs
    private static <V> Map<String, V> union(Map<String, V>... maps) {
        Map<String, V> all = new java.util.HashMap<>();
        for (Map<String, V> m : maps) {
            m.forEach((k, v) -> {
                if (all.putIfAbsent(k, v) != null) {
                    throw new IllegalStateException("layer type '" + k + "' registered twice");
                }
            });
        }
        return Map.copyOf(all);
    }

    /**
     * Builds the layer described by {@code n}.
     *
     * @param where position for error messages, e.g. {@code "layers[2]"} or a file name
     * @throws IllegalArgumentException naming {@code where} and the type or field for an unknown
     *                                  type or a missing/invalid field
     */
    public static Layer fromJson(JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(where + ": a layer must be a JSON object with a 'type', got " + n);
        }
        JsonNode t = n.get("type");
        if (t == null || !t.isTextual()) {
            throw new IllegalArgumentException(where + ": field 'type' must be a string, got " + (t == null ? "nothing" : t));
        }
        BiFunction<JsonNode, String, Layer> f = FACTORIES.get(t.asText());
        if (f == null) {
            throw new IllegalArgumentException(where + ": unsupported layer type '" + t.asText() + "' (supported: " + types() + ")");
        }
        return f.apply(n, where);
    }

    /** Whether {@code type} is a registered layer type. */
    public static boolean isKnown(String type) {
        return FACTORIES.containsKey(type);
    }

    /** The registered layer types, sorted. */
    public static Set<String> types() {
        return new TreeSet<>(FACTORIES.keySet());
    }
}
