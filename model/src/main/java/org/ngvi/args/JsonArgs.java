package org.ngvi.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of one JSON argument object; a field outside the allowed set, a missing required
 * field or a bad value is an {@link ArgumentException} naming the field and what was expected.
 */
public final class JsonArgs {
    private final String object;
    private final JsonNode node;

    /**
     * @param object  what the arguments belong to, for messages (e.g. {@code model_args}, {@code ExponentialLR})
     * @param owner   who takes them, for the unknown-field message (e.g. {@code model 'lenet5'})
     * @param node    the argument object; {@code null} or JSON null: no arguments
     * @param allowed the fields the owner reads
     */
    public JsonArgs(String object, String owner, JsonNode node, Set<String> allowed) {
        this.object = object;
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new ArgumentException(object, null, "expected a JSON object, got " + node);
        }
        this.node = node == null || node.isNull() ? null : node;
        if (this.node != null) {
            for (Iterator<String> it = this.node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw new ArgumentException(object, f, "not an argument of " + owner + " (its arguments: "
                            + (allowed.isEmpty() ? "none" : new TreeSet<>(allowed).toString()) + ")");
                }
            }
        }
    }

    private JsonNode get(String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private ArgumentException bad(String field, String expected, JsonNode got) {
        return new ArgumentException(object, field, "expected " + expected + ", got " + (got == null ? "nothing" : got.toString()));
    }

    /** A finite number (required). */
    public double number(String field) {
        JsonNode v = get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw bad(field, "a number", v);
        }
        return v.asDouble();
    }

    /** A number &gt; 0; {@code def} when absent, required when {@code def} is {@code null}. */
    public double positive(String field, Double def) {
        JsonNode v = get(field);
        if (v == null && def != null) {
            return def;
        }
        if (v == null || !v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
            throw bad(field, "a number > 0", v);
        }
        return v.asDouble();
    }

    /** A number &gt; 0, or {@code null} when absent. */
    public Double optionalPositive(String field) {
        return get(field) == null ? null : positive(field, null);
    }

    /** A number ≥ 0 ({@code def} when absent). */
    public double nonNegative(String field, double def) {
        JsonNode v = get(field);
        if (v == null) {
            return def;
        }
        if (!v.isNumber() || !(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
            throw bad(field, "a number >= 0", v);
        }
        return v.asDouble();
    }

    /** A probability in [0, 1) ({@code def} when absent). */
    public double probability(String field, double def) {
        JsonNode v = get(field);
        if (v == null) {
            return def;
        }
        if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() < 1)) {
            throw bad(field, "a number in [0, 1)", v);
        }
        return v.asDouble();
    }

    /** An integer ≥ {@code min}; {@code def} when absent, required when {@code def} is {@code null}. */
    public long integer(String field, Long def, long min) {
        JsonNode v = get(field);
        if (v == null && def != null) {
            return def;
        }
        if (v == null || !isInteger(v) || v.asLong() < min) {
            throw bad(field, "an integer >= " + min, v);
        }
        return v.asLong();
    }

    /** An integer ≥ 0 that fits an int, or {@code null} when absent. */
    public Integer optionalNonNegativeInt(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!isInteger(v) || !v.canConvertToInt() || v.asInt() < 0) {
            throw bad(field, "an integer >= 0", v);
        }
        return v.asInt();
    }

    /** A non-empty array of strictly increasing integers ≥ 0 (required). */
    public long[] increasingIntegers(String field) {
        JsonNode v = get(field);
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw bad(field, "a non-empty array of increasing integers >= 0", v);
        }
        long[] out = new long[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = v.get(i);
            if (!isInteger(x) || x.asLong() < 0 || (i > 0 && x.asLong() <= out[i - 1])) {
                throw bad(field, "a non-empty array of increasing integers >= 0", v);
            }
            out[i] = x.asLong();
        }
        return out;
    }

    public boolean bool(String field, boolean def) {
        JsonNode v = get(field);
        if (v == null) {
            return def;
        }
        if (!v.isBoolean()) {
            throw bad(field, "true or false", v);
        }
        return v.asBoolean();
    }

    public String choice(String field, String def, List<String> allowed) {
        JsonNode v = get(field);
        if (v == null) {
            return def;
        }
        if (!v.isTextual() || !allowed.contains(v.asText())) {
            throw bad(field, "one of " + allowed, v);
        }
        return v.asText();
    }

    private static boolean isInteger(JsonNode v) {
        return v.isNumber() && v.canConvertToLong() && v.asDouble() == Math.rint(v.asDouble());
    }
}
