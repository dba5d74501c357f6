package org.ngvi.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.ngvi.nn.Layers;
import org.ngvi.nn.NetworkSpec;

/**
 * Checks that the spec read from a DL4J configuration describes the same network as one of
 * ours: same input shape, same loss, same layers in canonical form ({@code Layers.fromJson(..).toJson()},
 * so optional fields with default values compare equal) with numbers equal to 1e-9 relative
 * (DL4J's decay d becomes our momentum 1 − d, which need not round-trip to the last bit).
 */
final class SpecMatch {
    private static final double RTOL = 1e-9;

    private SpecMatch() {
    }

    /** @throws IllegalArgumentException naming the first difference */
    static void requireSame(NetworkSpec fromDl4j, NetworkSpec ours) {
        if (!Arrays.equals(fromDl4j.inputShape(), ours.inputShape())) {
            throw new IllegalArgumentException("DL4J configuration does not match the network: input shape "
                    + Arrays.toString(fromDl4j.inputShape()) + " vs " + Arrays.toString(ours.inputShape()));
        }
        if (!fromDl4j.loss().equals(ours.loss())) {
            throw new IllegalArgumentException("DL4J configuration does not match the network: loss '" + fromDl4j.loss()
                    + "' vs '" + ours.loss() + "'");
        }
        int n = Math.max(fromDl4j.layers().size(), ours.layers().size());
        for (int k = 0; k < n; k++) {
            JsonNode a = k < fromDl4j.layers().size() ? canonical(fromDl4j.layers().get(k), k) : null;
            JsonNode b = k < ours.layers().size() ? canonical(ours.layers().get(k), k) : null;
            if (a == null || b == null || !same(a, b)) {
                throw new IllegalArgumentException("DL4J configuration does not match the network: layer " + k + " is "
                        + (a == null ? "absent" : a) + " in the configuration but " + (b == null ? "absent" : b)
                        + " in the network (configuration layers " + fromDl4j.layers() + ", network layers "
                        + ours.layers() + ")");
            }
        }
    }

    private static JsonNode canonical(JsonNode layer, int k) {
        return Layers.fromJson(layer, "layers[" + k + "]").toJson();
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            return x == y || Math.abs(x - y) <= RTOL * Math.max(Math.abs(x), Math.abs(y));
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null || !same(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
