package org.ngvi.spark.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed access to a JSON config object that remembers which keys were read, so that
 * {@link #rejectUnknown()} can name every key nobody asked for. Keys are dotted paths
 * ({@code optim_args.lr}); every error names the source and the full key.
 */
final class ConfigReader implements org.ngvi.optim.OptimArgs {
    private final String source;
    private final ObjectNode root;
    private final Set<String> consumed = new HashSet<>();

    ConfigReader(String source, ObjectNode root) {
        this.source = source;
        this.root = root;
    }

    private JsonNode node(String key) {
        consumed.add(key);
        JsonNode n = root;
        for (String part : key.split("\\.")) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(part);
        }
        return n == null || n.isNull() ? null : n;
    }

    private ConfigException bad(String key, String expected, JsonNode got) {
        return new ConfigException(source + ": key '" + key + "': expected " + expected + ", got " + got);
    }

    boolean has(String key) {
        return node(key) != null;
    }

    @Override
    public String string(String key, String def, String... allowed) {
        JsonNode n = node(key);
        if (n == null) {
            return def;
        }
        if (!n.isTextual()) {
            throw bad(key, allowed.length > 0 ? "one of " + List.of(allowed) : "a string", n);
        }
        String v = n.asText();
        if (allowed.length > 0 && !List.of(allowed).contains(v)) {
            throw bad(key, "one of " + List.of(allowed), n);
        }
        return v;
    }

    @Override
    public double number(String key, double def, double min, boolean minExclusive, double max) {
        JsonNode n = node(key);
        if (n == null) {
            return def;
        }
        String range = (minExclusive ? "(" : "[") + min + ", " + max + "]";
        if (!n.isNumber()) {
            throw bad(key, "a number in " + range, n);
        }
        double v = n.asDouble();
        if (Double.isNaN(v) || v < min || (minExclusive && v == min) || v > max) {
            throw bad(key, "a number in " + range, n);
        }
        return v;
    }

    /** A number or null; {@code null} when absent. */
    @Override
    public Double optionalNumber(String key, double min, boolean minExclusive, double max) {
        if (node(key) == null) {
            return null;
        }
        return number(key, Double.NaN, min, minExclusive, max);
    }

    @Override
    public int integer(String key, int def, int min, int max) {
        JsonNode n = node(key);
        if (n == null) {
            return def;
        }
        if (!n.canConvertToInt() || !(n.isIntegralNumber() || (n.isNumber() && n.asDouble() == Math.rint(n.asDouble())))
                || n.asInt() < min || n.asInt() > max) {
            throw bad(key, "an integer in [" + min + ", " + max + "]", n);
        }
        return n.asInt();
    }

    long longValue(String key, long def) {
        JsonNode n = node(key);
        if (n == null) {
            return def;
        }
        if (!n.isIntegralNumber()) {
            throw bad(key, "an integer", n);
        }
        return n.asLong();
    }

    @Override
    public boolean bool(String key, boolean def) {
        JsonNode n = node(key);
        if (n == null) {
            return def;
        }
        if (!n.isBoolean()) {
            throw bad(key, "true or false", n);
        }
        return n.asBoolean();
    }

    int[] intArray(String key, int[] def, int min) {
        JsonNode n = node(key);
        if (n == null) {
            return def;
        }
        if (!n.isArray()) {
            throw bad(key, "an array of integers ≥ " + min, n);
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isIntegralNumber() || e.asInt() < min) {
                throw bad(key, "an array of integers ≥ " + min, n);
            }
            out[i] = e.asInt();
        }
        return out;
    }

    @Override
    public double[] doubleArray(String key, double[] def, int length) {
        JsonNode n = node(key);
        if (n == null) {
            return def;
        }
        if (!n.isArray() || n.size() != length) {
            throw bad(key, "an array of " + length + " numbers", n);
        }
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            if (!n.get(i).isNumber()) {
                throw bad(key, "an array of " + length + " numbers", n);
            }
            out[i] = n.get(i).asDouble();
        }
        return out;
    }

    /** Marks a whole sub-object as read (validated by the caller). */
    JsonNode object(String key) {
        JsonNode n = node(key);
        if (n != null && !n.isObject()) {
            throw bad(key, "an object", n);
        }
        if (n != null) {
            Iterator<String> it = n.fieldNames();
            while (it.hasNext()) {
                consumed.add(key + "." + it.next());
            }
        }
        return n;
    }

    @Override
    public ConfigException error(String key, String message) {
        return new ConfigException(source + ": key '" + key + "': " + message);
    }

    /** Fails naming every key present in the file that no accessor asked for. */
    void rejectUnknown() {
        List<String> unknown = new ArrayList<>();
        collect("", root, unknown);
        if (!unknown.isEmpty()) {
            throw new ConfigException(source + ": unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (see configs/README.md for the keys a config may have)");
        }
    }

    private void collect(String prefix, JsonNode n, List<String> unknown) {
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            String key = prefix.isEmpty() ? f : prefix + "." + f;
            JsonNode child = n.get(f);
            if (consumed.contains(key)) {
                continue;
            }
            if (child.isObject() && child.isEmpty()) {
                continue; // an empty object holds no unknown key (e.g. "curv_args": {} in an Adam config)
            }
            if (child.isObject() && consumed.stream().anyMatch(c -> c.startsWith(key + "."))) {
                collect(key, child, unknown);
            } else {
                unknown.add("'" + key + "'");
            }
        }
    }
}
