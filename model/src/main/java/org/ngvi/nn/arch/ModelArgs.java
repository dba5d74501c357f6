package org.ngvi.nn.arch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validated reads of an architecture's {@code model_args} object: an unknown field or a bad value
 * is an {@link Architectures.ArgumentException} naming the field and what was expected.
 */
final class ModelArgs {
    private final JsonNode node;

    /**
     * @param model   architecture name, for messages
     * @param node    the {@code model_args} object; {@code null}, JSON null or empty: all defaults
     * @param allowed the fields this architecture reads
     */
    ModelArgs(String model, JsonNode node, Set<String> allowed) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new Architectures.ArgumentException(null, "model_args must be an object, got " + node);
        }
        this.node = node == null || node.isNull() ? null : node;
        if (this.node != null) {
            Iterator<String> it = this.node.fieldNames();
            while (it.hasNext()) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw new Architectures.ArgumentException(f, "not an argument of model '" + model + "' (its arguments: "
                            + (allowed.isEmpty() ? "none" : new TreeSet<>(allowed).toString()) + ")");
                }
            }
        }
    }

    private JsonNode get(String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** A non-negative integer, or {@code null} when absent. */
    Integer optionalNonNegativeInt(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
            throw new Architectures.ArgumentException(field, "expected an integer ≥ 0, got " + v);
        }
        return v.asInt();
    }

    /** A probability in [0, 1) ({@code def} when absent). */
    double probability(String field, double def) {
        JsonNode v = get(field);
        if (v == null) {
            return def;
        }
        if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() < 1)) {
            throw new Architectures.ArgumentException(field, "expected a number in [0, 1), got " + v);
        }
        return v.asDouble();
    }

    boolean bool(String field, boolean def) {
        JsonNode v = get(field);
        if (v == null) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new Architectures.ArgumentException(field, "expected true or false, got " + v);
        }
        return v.asBoolean();
    }

    String choice(String field, String def, List<String> allowed) {
        JsonNode v = get(field);
        if (v == null) {
            return def;
        }
        if (!v.isTextual() || !allowed.contains(v.asText())) {
            throw new Architectures.ArgumentException(field, "expected one of " + allowed + ", got " + v);
        }
        return v.asText();
    }
}
