package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;

/** Validated reads of layer fields from fixture-format JSON; errors name the field and the layer. */
final class JsonFields {
    private JsonFields() {
    }

    static int positiveInt(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new IllegalArgumentException(where + " (" + n.path("type").asText("?") + "): field '" + field
                    + "' must be a positive integer, got " + (v == null ? "nothing" : v.toString()));
        }
        return v.asInt();
    }

    static boolean bool(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException(where + " (" + n.path("type").asText("?") + "): field '" + field
                    + "' must be true or false, got " + (v == null ? "nothing" : v.toString()));
        }
        return v.asBoolean();
    }
}
