package org.ngvi.spark.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The keys in which two config objects differ, as the dotted paths {@code --set} takes
 * ({@code optim_args.lr}): a key present in one and not the other, or with another value.
 * Objects are compared key by key, any other value as a whole (numbers by value: {@code 1} equals
 * {@code 1.0}).
 */
public final class ConfigDiff {
    private ConfigDiff() {
    }

    /** Dotted keys whose values differ between {@code a} and {@code b}, sorted. */
    public static List<String> differingKeys(JsonNode a, JsonNode b) {
        TreeSet<String> out = new TreeSet<>();
        collect("", a, b, out);
        return new ArrayList<>(out);
    }

    private static void collect(String prefix, JsonNode a, JsonNode b, TreeSet<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                collect(prefix.isEmpty() ? k : prefix + "." + k, a.get(k), b.get(k), out);
            }
        } else if (!sameValue(a, b)) {
            out.add(prefix.isEmpty() ? "(top level)" : prefix);
        }
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<JsonNode> x = a.elements();
            Iterator<JsonNode> y = b.elements();
            while (x.hasNext()) {
                if (!differingKeys(x.next(), y.next()).isEmpty()) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
