package org.ngvi.spark.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Applies one {@code --set key=value} override to a config object. The key is a dotted path
 * ({@code optim_args.lr}); the value is parsed as JSON when it is valid JSON ({@code 0.01},
 * {@code [400,400]}, {@code true}) and taken as a string otherwise ({@code sync}).
 */
public final class ConfigOverrides {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigOverrides() {
    }

    public static void apply(ObjectNode root, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set " + assignment + ": expected key=value, e.g. --set optim_args.lr=0.01");
        }
        String key = assignment.substring(0, eq).trim();
        String raw = assignment.substring(eq + 1).trim();
        JsonNode value;
        try {
            value = JSON.readTree(raw);
            if (value == null || value.isMissingNode()) {
                value = TextNode.valueOf(raw);
            }
        } catch (Exception e) {
            value = TextNode.valueOf(raw);
        }
        String[] parts = key.split("\\.");
        ObjectNode n = root;
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].isEmpty()) {
                throw new ConfigException("--set " + assignment + ": empty key segment in '" + key + "'");
            }
            JsonNode child = n.get(parts[i]);
            if (child == null || child.isNull()) {
                child = n.putObject(parts[i]);
            } else if (!child.isObject()) {
                throw new ConfigException("--set " + assignment + ": '" + String.join(".", java.util.Arrays.copyOf(parts, i + 1)) + "' is not an object");
            }
            n = (ObjectNode) child;
        }
        n.set(parts[parts.length - 1], value);
    }
}
