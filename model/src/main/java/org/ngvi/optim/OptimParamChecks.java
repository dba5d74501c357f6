package org.ngvi.optim;

import com.fasterxml.jackson.databind.JsonNode;

/** Validation helpers for the optimizers' params records: every message names the field. */
final class OptimParamChecks {
    private OptimParamChecks() {
    }

    static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + " must be a finite number > 0 (got " + v + ")");
        }
    }

    static void nonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0 (got " + v + ")");
        }
    }

    static void inRange(String field, double v, double lo, boolean loClosed, double hi, boolean hiClosed) {
        boolean ok = (loClosed ? v >= lo : v > lo) && (hiClosed ? v <= hi : v < hi);
        if (!ok) {
            throw new IllegalArgumentException(field + " must be in " + (loClosed ? "[" : "(") + lo + ", " + hi
                    + (hiClosed ? "]" : ")") + " (got " + v + ")");
        }
    }

    static double number(JsonNode n, String field, String what) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(what + ": field '" + field + "' must be a number (got "
                    + (v == null ? "nothing" : v.toString()) + ")");
        }
        return v.asDouble();
    }

    /** A number, or {@code null} for a missing field or JSON null. */
    static Double optionalNumber(JsonNode n, String field, String what) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(what + ": field '" + field + "' must be a number or null (got " + v + ")");
        }
        return v.asDouble();
    }

    static long integer(JsonNode n, String field, String what) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.canConvertToLong() || !(v.isIntegralNumber() || v.asDouble() == Math.rint(v.asDouble()))) {
            throw new IllegalArgumentException(what + ": field '" + field + "' must be an integer (got "
                    + (v == null ? "nothing" : v.toString()) + ")");
        }
        return v.asLong();
    }

    static String text(JsonNode n, String field, String what) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(what + ": field '" + field + "' must be a string (got "
                    + (v == null ? "nothing" : v.toString()) + ")");
        }
        return v.asText();
    }
}
